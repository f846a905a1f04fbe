"""XLSX download: opens in openpyxl with a header row and typed cells; text stays text; very large
downloads continue on further sheets; constant queries."""

from __future__ import annotations

import datetime
import re
import subprocess

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from data_terbuka.proyeksi import KOLOM_PUBLIK
from musrenbang import tabel
from tests.peta_data.bantu import buat, buku_kerja, isi_unduhan


def _lembar(respons) -> tuple[list, dict]:
    buku = buku_kerja(respons)
    lembar = buku.worksheets[0]
    baris = list(lembar.iter_rows(values_only=True))
    return list(baris[0]), {b[0]: dict(zip(baris[0], b, strict=True)) for b in baris[1:]}


def test_dibuka_openpyxl_dengan_kepala_dan_tipe(client, ronde, opd):
    respons = client.get(reverse("data:xlsx"))
    assert respons.status_code == 200 and respons.streaming
    assert respons["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    tanggal = timezone.localdate().isoformat()
    assert respons["Content-Disposition"] == f'attachment; filename="usulan-musrenbang-2102-{tanggal}.xlsx"'
    kepala, baris = _lembar(respons)
    assert tuple(kepala) == KOLOM_PUBLIK
    assert set(baris) == {u.kode_lacak for u in ronde.semua()}
    diterima = baris[ronde.diterima.kode_lacak]
    assert diterima["pagu"] == 125000000 and diterima["opd_pelaksana"] == opd.nama
    assert diterima["volume"] == 100 and diterima["tahun"] == ronde.diterima.siklus.tahun
    # Dates are real spreadsheet dates in the deployment's local time.
    assert isinstance(diterima["diajukan"], datetime.datetime)
    lokal = timezone.localtime(ronde.diterima.dibuat).replace(tzinfo=None, microsecond=0)
    assert abs(diterima["diajukan"] - lokal) < datetime.timedelta(seconds=1)
    assert baris[ronde.rahasia.kode_lacak]["opd_pelaksana"] in (None, "")


def test_teks_tetap_teks_bukan_rumus(client, warga, desa, siklus):
    u = buat(warga, desa, siklus, "=1+1", permasalahan="#N/A", uraian="Ada karakter\x0bkendali")
    buku = buku_kerja(client.get(reverse("data:xlsx")))
    lembar = buku.worksheets[0]
    kepala = [s.value for s in lembar[1]]
    sel = {kepala[i]: c for i, c in enumerate(lembar[2])}
    assert sel["kode_lacak"].value == u.kode_lacak
    assert (sel["judul"].value, sel["judul"].data_type) == ("=1+1", "s")
    assert (sel["permasalahan"].value, sel["permasalahan"].data_type) == ("#N/A", "s")
    assert sel["uraian"].value == "Ada karakterkendali"


def test_lembar_berikutnya_bila_melebihi_batas(client, ronde, monkeypatch):
    # Excel's limit is 1,048,575 data rows; the same code path with a limit of 2.
    monkeypatch.setattr(tabel, "BARIS_MAKS_LEMBAR", 2)
    buku = buku_kerja(client.get(reverse("data:xlsx")))
    assert buku.sheetnames == ["Usulan", "Usulan (2)", "Usulan (3)"]
    kode = []
    for lembar in buku.worksheets:
        baris = list(lembar.iter_rows(values_only=True))
        assert tuple(baris[0]) == KOLOM_PUBLIK
        kode += [b[0] for b in baris[1:]]
    assert sorted(kode) == sorted(u.kode_lacak for u in ronde.semua())


def test_dibaca_gdal_ogrinfo(client, ronde, tmp_path):
    # A second, independent reader of the format (GDAL's XLSX driver).
    berkas = tmp_path / "usulan.xlsx"
    berkas.write_bytes(isi_unduhan(client.get(reverse("data:xlsx"))))
    keluaran = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(berkas)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "Layer name: Usulan" in keluaran and "Feature Count: 5" in keluaran
    assert re.search(r"^kode_lacak: String", keluaran, re.M)
    assert re.search(r"^diajukan: DateTime", keluaran, re.M)
    assert re.search(r"^lat: Real", keluaran, re.M)


def test_kosong_hanya_kepala(client, db):
    buku = buku_kerja(client.get(reverse("data:xlsx")))
    assert [tuple(b) for b in buku.worksheets[0].iter_rows(values_only=True)] == [KOLOM_PUBLIK]


def test_jumlah_kueri_tetap(client, ronde, warga, desa, siklus):
    def hitung() -> int:
        with CaptureQueriesContext(connection) as kueri:
            isi_unduhan(client.get(reverse("data:xlsx")))
        return len(kueri)

    sedikit = hitung()
    for i in range(3):
        buat(warga, desa, siklus, f"Usulan tambahan {i}")
    # The active round (2), the rows (1), and the read transaction's savepoint and release.
    assert hitung() == sedikit <= 5
