"""The lease: a worker that dies mid-batch loses nothing; its rows are due again when the lease ends."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from kabar.models import Notifikasi, StatusNotifikasi
from kabar.notifikasi import antrekan, kirim_antrean
from tests import factories
from tests.verifikasi import notifikasi_uji

PADA = datetime.datetime(2026, 5, 5, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def sewa_lima_menit(settings):
    settings.NOTIFIKASI_SEWA_DETIK = 300
    settings.NOTIFIKASI_SALURAN_TELEPON = ""


def test_pekerja_mati_baris_dikirim_setelah_sewa_habis(settings, warga):
    notifikasi_uji.pasang(settings, "BackendMati")
    (n,) = antrekan(warga, subjek="Subjek", isi="Isi", pada=PADA)
    with pytest.raises(notifikasi_uji.PekerjaMati):
        kirim_antrean(pada=PADA)
    n.refresh_from_db()
    assert (n.status, n.percobaan, n.kirim_setelah) == (StatusNotifikasi.ANTRE, 1, PADA + datetime.timedelta(minutes=5))

    pencatat = notifikasi_uji.pasang(settings)
    assert kirim_antrean(pada=PADA + datetime.timedelta(minutes=4, seconds=59))["terkirim"] == 0
    assert kirim_antrean(pada=PADA + datetime.timedelta(minutes=5))["terkirim"] == 1
    assert [pk for pk, _, _ in pencatat.terkirim] == [n.pk]
    n.refresh_from_db()
    assert (n.status, n.percobaan) == (StatusNotifikasi.TERKIRIM, 2)


def test_pekerja_mati_pada_percobaan_terakhir_berakhir_gagal(settings, warga):
    settings.NOTIFIKASI_PERCOBAAN_MAKS = 1
    notifikasi_uji.pasang(settings, "BackendMati")
    (n,) = antrekan(warga, subjek="Subjek", isi="Isi", pada=PADA)
    with pytest.raises(notifikasi_uji.PekerjaMati):
        kirim_antrean(pada=PADA)
    pencatat = notifikasi_uji.pasang(settings)
    assert kirim_antrean(pada=PADA + datetime.timedelta(minutes=5)) == {"terkirim": 0, "dicoba_lagi": 0, "gagal": 1}
    assert pencatat.terkirim == []
    n.refresh_from_db()
    assert (n.status, n.percobaan) == (StatusNotifikasi.GAGAL, 1)
    assert "never reported back" in n.galat_terakhir


def test_sewa_habis_sisa_dikembalikan_tanpa_dihitung(settings, db):
    # With no lease at all, a batch may not start any send: everything is handed back untouched.
    settings.NOTIFIKASI_SEWA_DETIK = 0
    pencatat = notifikasi_uji.pasang(settings)
    for i in range(3):
        antrekan(factories.buat_pengguna(f"penerima{i}"), subjek="Subjek", isi="Isi", pada=PADA)
    assert kirim_antrean(pada=PADA) == {"terkirim": 0, "dicoba_lagi": 0, "gagal": 0}
    assert pencatat.terkirim == []
    assert set(Notifikasi.objects.values_list("status", "percobaan", "kirim_setelah")) == {
        (StatusNotifikasi.ANTRE, 0, PADA)
    }
