"""kirim_antrean: due rows go out through their channel's backend and are marked terkirim."""

from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.core import mail

from kabar.models import Notifikasi, Saluran, StatusNotifikasi
from kabar.notifikasi import antrekan, kirim_antrean
from tests import factories
from tests.verifikasi import notifikasi_uji

PADA = datetime.datetime(2026, 5, 5, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
KOSONG = {"terkirim": 0, "dicoba_lagi": 0, "gagal": 0}


def test_email_terkirim_dan_sms_dicatat(warga, caplog):
    antrekan(warga, subjek="Usulan 2102-2027-00001: Lolos desa", isi="Status usulan “Drainase” berubah.", pada=PADA)
    with caplog.at_level(logging.INFO, logger="kabar.backend"):
        hasil = kirim_antrean(pada=PADA)
    assert hasil == {"terkirim": 2, "dicoba_lagi": 0, "gagal": 0}
    (pesan,) = mail.outbox
    assert pesan.to == ["warga@contoh.test"]
    assert pesan.subject == "Usulan 2102-2027-00001: Lolos desa"
    assert pesan.body == "Status usulan “Drainase” berubah."
    assert pesan.from_email == "e-Musrenbang <noreply@localhost>"
    assert "+6281200000001" in caplog.text and "Status usulan “Drainase” berubah." in caplog.text
    for n in Notifikasi.objects.all():
        assert (n.status, n.terkirim_pada, n.percobaan, n.galat_terakhir) == (StatusNotifikasi.TERKIRIM, PADA, 1, "")
    assert kirim_antrean(pada=PADA + datetime.timedelta(days=1)) == KOSONG
    assert len(mail.outbox) == 1


def test_belum_waktunya_tidak_dikirim(warga):
    antrekan(warga, subjek="Subjek", isi="Isi", pada=PADA)
    assert kirim_antrean(pada=PADA - datetime.timedelta(seconds=1)) == KOSONG
    assert mail.outbox == []
    assert set(Notifikasi.objects.values_list("status", "percobaan")) == {(StatusNotifikasi.ANTRE, 0)}


def test_backend_dipilih_per_saluran(settings, warga):
    pencatat = notifikasi_uji.pasang(settings)
    settings.NOTIFIKASI_BACKEND = {**settings.NOTIFIKASI_BACKEND, "email": "kabar.backend.EmailBackend"}
    (sms,) = [n for n in antrekan(warga, subjek="Subjek", isi="Isi", pada=PADA) if n.saluran == Saluran.SMS]
    assert kirim_antrean(pada=PADA)["terkirim"] == 2
    assert [pk for pk, _, _ in pencatat.terkirim] == [sms.pk]
    assert len(mail.outbox) == 1


def test_batas_per_putaran_yang_terlama_dulu(settings, db):
    pencatat = notifikasi_uji.pasang(settings)
    penerima = [factories.buat_pengguna(f"penerima{i}") for i in range(3)]
    for menit, pengguna in zip((2, 0, 1), penerima, strict=True):
        antrekan(pengguna, subjek=f"menit {menit}", isi="Isi", pada=PADA + datetime.timedelta(minutes=menit))
    akhir = PADA + datetime.timedelta(minutes=5)
    assert kirim_antrean(batas=2, pada=akhir)["terkirim"] == 2
    assert kirim_antrean(batas=2, pada=akhir)["terkirim"] == 1
    assert [subjek for _, subjek, _ in pencatat.terkirim] == ["menit 0", "menit 1", "menit 2"]
