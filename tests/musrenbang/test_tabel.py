"""One cell sanitiser for every CSV the site writes (musrenbang.tabel): the open data and the
dashboard tables neutralise the same formula starts, also in lazily translated text, after their own
formatting."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from dasbor import views as dasbor_views
from musrenbang.tabel import AWALAN_FORMULA, BOM, sel_aman, tulis_csv


@pytest.mark.parametrize("awal", AWALAN_FORMULA)
def test_awal_rumus_diberi_apostrof(awal):
    assert sel_aman(f"{awal}SUM(A1:A9)") == f"'{awal}SUM(A1:A9)"


@pytest.mark.parametrize("nilai", ["Jalan rusak", " =bukan awal", "", 12, -5, 1.5, None, True])
def test_selain_teks_berawalan_rumus_tidak_berubah(nilai):
    assert sel_aman(nilai) == nilai


def test_teks_terjemahan_malas_juga_dijaga():
    assert sel_aman(gettext_lazy("=1+1")) == "'=1+1"


def _baca(potongan) -> list[list[str]]:
    teks = "".join(potongan)
    assert teks.startswith(BOM)
    return list(csv.reader(io.StringIO(teks.removeprefix(BOM))))


def test_penulis_menjaga_setelah_pemformatan():
    # The caller's formatting cannot produce a formula that reaches the file.
    baris = _baca(tulis_csv(["a", "b"], [["-1", "=x"]], bentuk=lambda n: n.lstrip("-") if n == "-1" else n))
    assert baris == [["a", "b"], ["1", "'=x"]]


def test_dasbor_dan_data_terbuka_memakai_aturan_yang_sama():
    waktu = datetime.datetime(2027, 3, 1, 9, 30, tzinfo=datetime.UTC)
    isi = [["=a", "+b", "@c", "\tz", gettext_lazy("-d"), Decimal("2.50"), waktu, None]]
    publik = _baca(tulis_csv(list("abcdefgh"), isi))[1]
    dasbor = _baca(tulis_csv(list("abcdefgh"), isi, bentuk=dasbor_views._bentuk))[1]
    assert publik[:5] == dasbor[:5] == ["'=a", "'+b", "'@c", "'\tz", "'-d"]
    # Formatting stays each table's own: numbers and seconds for open data, minutes for the dashboard.
    assert publik[5:] == ["2.5", "2027-03-01T09:30:00+00:00", ""]
    assert dasbor[5] == "2.50" and dasbor[6].endswith(":30+07:00") and dasbor[7] == ""
