"""A backend that keeps failing: retries back off 1, 2, 4 … minutes (at most 6 h), then `gagal`."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from kabar.models import Notifikasi, StatusNotifikasi
from kabar.notifikasi import antrekan, kirim_antrean
from tests.verifikasi import notifikasi_uji

PADA = datetime.datetime(2026, 5, 5, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_gagal_setelah_percobaan_maks(settings, warga):
    notifikasi_uji.pasang(settings, "BackendSelaluGagal")
    settings.NOTIFIKASI_SALURAN_TELEPON = ""
    settings.NOTIFIKASI_PERCOBAAN_MAKS = 3
    (n,) = antrekan(warga, subjek="Subjek", isi="Isi", pada=PADA)
    hasil = []
    waktu = PADA
    for _ in range(3):
        hasil.append(kirim_antrean(pada=waktu))
        n.refresh_from_db()
        waktu = n.kirim_setelah
    assert [h["dicoba_lagi"] for h in hasil] == [1, 1, 0]
    assert hasil[-1] == {"terkirim": 0, "dicoba_lagi": 0, "gagal": 1}
    assert (n.status, n.percobaan, n.terkirim_pada) == (StatusNotifikasi.GAGAL, 3, None)
    assert n.galat_terakhir == "ConnectionError: gateway tidak menjawab untuk warga@contoh.test"
    # A failed row is never picked up again.
    assert kirim_antrean(pada=PADA + datetime.timedelta(days=30)) == {"terkirim": 0, "dicoba_lagi": 0, "gagal": 0}


def test_jeda_berlipat_sampai_enam_jam(settings, warga):
    notifikasi_uji.pasang(settings, "BackendSelaluGagal")
    settings.NOTIFIKASI_SALURAN_TELEPON = ""
    settings.NOTIFIKASI_PERCOBAAN_MAKS = 12
    (n,) = antrekan(warga, subjek="Subjek", isi="Isi", pada=PADA)
    jeda = []
    waktu = PADA
    for _ in range(11):
        assert kirim_antrean(pada=waktu)["dicoba_lagi"] == 1
        n.refresh_from_db()
        jeda.append((n.kirim_setelah - waktu) / datetime.timedelta(minutes=1))
        waktu = n.kirim_setelah
    assert jeda == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]
    assert kirim_antrean(pada=waktu)["gagal"] == 1
    assert Notifikasi.objects.get().percobaan == 12


def test_saluran_lain_tidak_ikut_gagal(settings, warga):
    settings.NOTIFIKASI_BACKEND = {**settings.NOTIFIKASI_BACKEND, "sms": notifikasi_uji.JALUR + "BackendSelaluGagal"}
    antrekan(warga, subjek="Subjek", isi="Isi", pada=PADA)
    assert kirim_antrean(pada=PADA) == {"terkirim": 1, "dicoba_lagi": 1, "gagal": 0}
    assert dict(Notifikasi.objects.values_list("saluran", "status")) == {
        "email": StatusNotifikasi.TERKIRIM,
        "sms": StatusNotifikasi.ANTRE,
    }
