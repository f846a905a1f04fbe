"""Stopping the mail server loses nothing: the row waits, and goes out once the server is back."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from kabar.models import Notifikasi, StatusNotifikasi
from kabar.notifikasi import antrekan, kirim_antrean
from tests.verifikasi.smtp_uji import ServerSMTPUji

PADA = datetime.datetime(2026, 5, 5, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_server_mati_lalu_hidup_pesan_terkirim_sekali(settings, warga):
    settings.NOTIFIKASI_SALURAN_TELEPON = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 3
    with ServerSMTPUji() as server:
        settings.EMAIL_PORT = server.port
        (n,) = antrekan(warga, subjek="Usulan 2102-2027-00001: Ditolak", isi="Alasan: lokasi tidak jelas.", pada=PADA)

        assert kirim_antrean(pada=PADA) == {"terkirim": 0, "dicoba_lagi": 1, "gagal": 0}
        n.refresh_from_db()
        assert (n.status, n.percobaan, n.terkirim_pada) == (StatusNotifikasi.ANTRE, 1, None)
        assert "ConnectionRefusedError" in n.galat_terakhir
        assert n.kirim_setelah == PADA + datetime.timedelta(minutes=1)
        # Not due again before the back-off has passed.
        assert kirim_antrean(pada=PADA + datetime.timedelta(seconds=59))["dicoba_lagi"] == 0

        server.mulai()
        sesudah = PADA + datetime.timedelta(minutes=1)
        assert kirim_antrean(pada=sesudah) == {"terkirim": 1, "dicoba_lagi": 0, "gagal": 0}
        assert kirim_antrean(pada=sesudah + datetime.timedelta(hours=1))["terkirim"] == 0

        (pesan,) = server.pesan
    n.refresh_from_db()
    assert (n.status, n.percobaan, n.terkirim_pada) == (StatusNotifikasi.TERKIRIM, 2, sesudah)
    assert pesan.penerima == ["warga@contoh.test"]
    assert pesan.pengirim == "noreply@localhost"
    assert pesan.email["To"] == "warga@contoh.test"
    assert pesan.email["Subject"] == "Usulan 2102-2027-00001: Ditolak"
    assert pesan.email.get_payload(decode=True).decode() == "Alasan: lokasi tidak jelas."
    assert Notifikasi.objects.count() == 1
