"""Helpers for the public map's tests: proposal rows at points, synthetic data, map requests and the
aggregate recount. Fixtures are in conftest.py."""

# ruff: noqa: S608 - the recount SQL is built from the status list only; no value is interpolated.
from __future__ import annotations

import io
import itertools
import json
from decimal import Decimal

from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection

from musrenbang.models import Bidang, Wilayah
from peta import selectors
from peta.models import STATUS_AGREGAT, ZOOM_AGREGAT
from tests import factories
from usulan.models import Usulan

# Values only the private side holds; no public map output may contain any of them.
RAHASIA = {
    "nama": "NAMA-RAHASIA-PENGUSUL-PETA",
    "kontak": "KONTAK-RAHASIA-0812-5555",
    "keputusan": "ALASAN-KEPUTUSAN-BELUM-TERBIT",
    "email": "rahasia.peta@contoh.test",
}

_nomor = itertools.count(1)


def baris_usulan(siklus, desa: Wilayah, titik: Point, *, status: str = "diajukan", bidang: Bidang | None = None,
                 judul: str = "Usulan uji", jumlah: int = 1, pengguna=None) -> list[Usulan]:  # fmt: skip
    """Proposal rows at one point, written straight to the table (no photo, no history): for counts.

    The flow itself is tested elsewhere; the map only reads the table, and the trigger sees these rows
    like any other."""
    pengguna = pengguna or factories.buat_pengguna()
    bidang = bidang or Bidang.objects.get(kode="05.01")
    baru = [
        Usulan(
            kode_lacak=f"TST-{next(_nomor):06d}",
            siklus=siklus,
            pengguna=pengguna,
            jenis_pengusul="warga",
            nama_pengusul=RAHASIA["nama"],
            kontak_pengusul=RAHASIA["kontak"],
            judul=judul,
            permasalahan="Masalah.",
            uraian="Uraian.",
            bidang=bidang,
            volume=Decimal(10),
            satuan="meter",
            alamat="Jl. Uji",
            lokasi=titik,
            desa=desa,
            kecamatan_id=desa.induk_id,
            status=status,
            status_publik=status,
        )
        for _ in range(jumlah)
    ]
    return Usulan.objects.bulk_create(baru)


def isi_sintetis(jumlah: int, *, benih: int = 3) -> None:
    call_command("isi_usulan_sintetis", jumlah=jumlah, benih=benih, stdout=io.StringIO())


def minta_data(client, bbox: tuple[float, float, float, float] | str, zoom: int, **saringan):
    teks_bbox = bbox if isinstance(bbox, str) else ",".join(repr(v) for v in bbox)
    return client.get("/peta/data/", {"bbox": teks_bbox, "zoom": zoom, **saringan})


def json_data(respons) -> dict:
    assert respons.status_code == 200, respons.content
    return json.loads(respons.content)


def kotak_karimun() -> tuple[float, float, float, float]:
    kotak = selectors.kotak_deployment()
    assert kotak is not None
    return kotak


def agregat_dari_nol() -> set[tuple]:
    """The aggregate rows recomputed from the proposals, independently of the trigger's SQL."""
    kolom = ", ".join(
        f"count(*) FILTER (WHERE status_publik = '{s}'), "
        f"coalesce(sum(round(ST_X(lokasi) * 1e6)::bigint) FILTER (WHERE status_publik = '{s}'), 0), "
        f"coalesce(sum(round(ST_Y(lokasi) * 1e6)::bigint) FILTER (WHERE status_publik = '{s}'), 0)"
        for s in STATUS_AGREGAT
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT z, siklus_id, bidang_id, peta_sel_x(ST_X(lokasi), z), peta_sel_y(ST_Y(lokasi), z), {kolom}
                FROM usulan_usulan CROSS JOIN generate_series(%s, %s) AS z GROUP BY 1, 2, 3, 4, 5""",
            [min(ZOOM_AGREGAT), max(ZOOM_AGREGAT)],
        )
        return {tuple(int(v) for v in b) for b in cursor.fetchall()}


def agregat_tersimpan() -> set[tuple]:
    kolom = ", ".join(f"n_{s}, x_{s}, y_{s}" for s in STATUS_AGREGAT)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT zoom, siklus_id, bidang_id, sel_x, sel_y, {kolom} FROM peta_agregat")
        return {tuple(int(v) for v in b) for b in cursor.fetchall()}


def jumlah_baris_kosong() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM peta_agregat WHERE jumlah = 0")
        return cursor.fetchone()[0]
