"""The writers stream: the first piece of a download exists long before the last row is read, and a
client going away mid-download ends the writer cleanly."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from data_terbuka.proyeksi import KOLOM_PUBLIK
from data_terbuka.views import csv_publik, geojson_publik
from musrenbang.tabel import gabungkan, tulis_xlsx

JUMLAH = 5000


class Sumber:
    """Synthetic public rows that count how many were taken."""

    def __init__(self) -> None:
        self.diambil = 0

    def __iter__(self) -> Iterator[dict]:
        for i in range(JUMLAH):
            self.diambil += 1
            baris = dict.fromkeys(KOLOM_PUBLIK, "Saluran tersumbat, air meluap ke rumah warga. " * 3)
            baris.update(
                kode_lacak=f"2102-2027-{i:05d}",
                volume=Decimal("12.50"),
                pagu=None,
                lat=0.9,
                lon=103.4,
                diajukan=timezone.now(),
                diperbarui=timezone.now(),
            )
            yield baris


@pytest.mark.parametrize("jenis", ["csv", "geojson", "xlsx"])
def test_potongan_pertama_sebelum_baris_terakhir(jenis):
    sumber = Sumber()
    if jenis == "xlsx":
        potongan = tulis_xlsx(([b[k] for k in KOLOM_PUBLIK] for b in sumber), kolom=KOLOM_PUBLIK, judul="Usulan")
    else:
        potongan = gabungkan((csv_publik if jenis == "csv" else geojson_publik)(iter(sumber)))
    pertama = next(potongan)
    assert pertama and sumber.diambil < JUMLAH / 2
    sisa = list(potongan)
    assert sumber.diambil == JUMLAH and len(sisa) > 3
    if jenis == "xlsx":
        data = pertama + b"".join(sisa)
        with zipfile.ZipFile(io.BytesIO(data)) as arsip:
            assert arsip.testzip() is None
            assert arsip.read("xl/worksheets/sheet1.xml").count(b"<row ") == JUMLAH + 1
        lembar = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        kepala, baris = lembar.iter_rows(max_row=2, values_only=True)
        assert kepala == KOLOM_PUBLIK and baris[0] == "2102-2027-00000"
        assert isinstance(baris[KOLOM_PUBLIK.index("diajukan")], datetime.datetime)
        assert baris[KOLOM_PUBLIK.index("volume")] == 12.5


def test_klien_pergi_di_tengah_jalan():
    potongan = tulis_xlsx(([b[k] for k in KOLOM_PUBLIK] for b in Sumber()), kolom=KOLOM_PUBLIK, judul="Usulan")
    next(potongan)
    potongan.close()  # what Django does when the connection drops: no error, nothing left open
    with pytest.raises(StopIteration):
        next(potongan)
