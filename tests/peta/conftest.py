"""Fixtures for the public map: synthetic proposals inside Karimun's real desa polygons (the real
command, small N), proposals at hand-picked points, and a few proposals taken through the real flow
(with photos, reasons, a published and an unpublished Bappeda decision)."""

# ruff: noqa: S608 - the recount SQL is built from the status list only; no value is interpolated.
from __future__ import annotations

import io
import itertools
import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import Browser

from akun.models import Peran
from musrenbang.models import AlasanKode, Bidang, Wilayah
from peta import selectors
from peta.models import STATUS_AGREGAT, ZOOM_AGREGAT
from tests import factories
from tests.verifikasi.conftest import buat_usulan
from usulan.models import Usulan
from verifikasi import transitions as t

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


@pytest.fixture
def alasan(db) -> AlasanKode:
    return AlasanKode.objects.get(kode="lokasi-tidak-jelas")


@dataclass
class Alur:
    ditolak: Usulan  # rejected by the desa with a reason code and a note
    diterima: Usulan  # accepted by Bappeda and published
    rahasia: Usulan  # accepted by Bappeda, not yet published; full of private data
    diajukan: Usulan


@pytest.fixture
def alur(warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, opd, alasan) -> Alur:
    ditolak = buat_usulan(warga, siklus, desa, judul="Jalan ke kebun di tengah laut")
    t.tolak(
        usulan_id=ditolak.pk,
        pelaku=operator_desa,
        peran=Peran.DESA,
        alasan_kode=alasan,
        catatan="Titik lokasi berada di laut, bukan di jalan kebun.",
    )
    diterima = buat_usulan(warga, siklus, desa, judul="Drainase Jalan Merdeka")
    rahasia = buat_usulan(warga, siklus, desa, judul="Pelebaran jembatan kampung")
    Usulan.objects.filter(pk=rahasia.pk).update(nama_pengusul=RAHASIA["nama"], kontak_pengusul=RAHASIA["kontak"])
    for u in (diterima, rahasia):
        t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)
        t.teruskan(usulan_id=u.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=1)
    for u, alasan_putus in ((diterima, "Prioritas penanganan banjir"), (rahasia, RAHASIA["keputusan"])):
        t.putuskan(
            usulan_id=u.pk,
            pelaku=bappeda,
            peran=Peran.BAPPEDA,
            hasil="diterima",
            alasan=alasan_putus,
            perangkat_daerah=opd,
            volume=Decimal(80),
            biaya=Decimal("125000000"),
        )
    t.terbitkan(usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    diajukan = buat_usulan(warga, siklus, desa, judul="Lampu jalan gang Melati")
    for u in (ditolak, diterima, rahasia, diajukan):
        u.refresh_from_db()
    return Alur(ditolak=ditolak, diterima=diterima, rahasia=rahasia, diajukan=diajukan)


@pytest.fixture
def ponsel(browser: Browser):
    """A phone (360×640, touch) in Chromium that fails the test on any script error or CSP violation."""
    konteks = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    halaman = konteks.new_page()
    galat: list[str] = []
    halaman.on("pageerror", lambda e: galat.append(str(e)))
    halaman.on("console", lambda m: galat.append(m.text) if m.type == "error" else None)
    yield halaman
    konteks.close()
    assert not galat, galat  # no script error, no CSP violation
