"""The password-reset e-mail goes through the outbox, and the reset link is never stored.

Django's own view looked the address up and sent the mail during the request: lost when the mail
server was down, and slower (more queries) for a registered address than for an unknown one, which
told anyone which addresses have accounts. Now the request writes one outbox row holding the typed
address; the worker finds the accounts and makes the link when it sends, then deletes the row.
"""

from __future__ import annotations

import datetime

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kabar.models import Notifikasi
from kabar.notifikasi import kirim_antrean


def _minta(client, email: str):
    with CaptureQueriesContext(connection) as kueri:
        jawab = client.post(reverse("password_reset"), {"email": email})
    return jawab, [k["sql"].split(" VALUES ")[0] for k in kueri.captured_queries]


def test_tidak_ada_email_selama_permintaan_pekerja_yang_mengirim(client, warga):
    jawab, _ = _minta(client, warga.email)
    assert jawab.status_code == 302 and jawab.url == reverse("password_reset_done")
    assert mail.outbox == []
    baris = Notifikasi.objects.get(kode_pesan="reset_kata_sandi")
    assert baris.alamat == warga.email and baris.isi == ""
    assert set(baris.data_pesan) == {"email", "diminta"}  # no token, no link, no account id

    assert kirim_antrean() == {"terkirim": 1, "dicoba_lagi": 0, "gagal": 0}
    (pesan,) = mail.outbox
    assert pesan.to == [warga.email] and reverse("password_reset_confirm", args=["x", "y"]).split("x")[0] in pesan.body
    # The link was a credential: once sent, nothing of the message stays in the outbox.
    assert not Notifikasi.objects.filter(pk=baris.pk).exists()


def test_jawaban_dan_jumlah_kueri_sama_untuk_alamat_terdaftar_dan_tidak(client, warga):
    dikenal, kueri_dikenal = _minta(client, warga.email)
    tidak_dikenal, kueri_tidak = _minta(client, "tidak-ada@contoh.test")
    assert (dikenal.status_code, dikenal.url, dikenal.content) == (
        tidak_dikenal.status_code,
        tidak_dikenal.url,
        tidak_dikenal.content,
    )
    assert kueri_dikenal == kueri_tidak
    assert not any('"musrenbang_pengguna"' in k and k.startswith("SELECT") for k in kueri_dikenal)


def test_alamat_tidak_dikenal_tidak_dikirim_dan_barisnya_hilang(client, db):
    client.post(reverse("password_reset"), {"email": "tidak-ada@contoh.test"})
    assert kirim_antrean() == {"terkirim": 0, "dicoba_lagi": 0, "gagal": 0}
    assert mail.outbox == []
    assert not Notifikasi.objects.filter(kode_pesan="reset_kata_sandi").exists()


def test_permintaan_lebih_tua_dari_masa_berlaku_tautan_tidak_dikirim(client, warga, settings):
    client.post(reverse("password_reset"), {"email": warga.email})
    baris = Notifikasi.objects.get(kode_pesan="reset_kata_sandi")
    lama = timezone.now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    baris.data_pesan = {**baris.data_pesan, "diminta": lama.isoformat()}
    baris.save()
    kirim_antrean()
    assert mail.outbox == []
    assert not Notifikasi.objects.filter(pk=baris.pk).exists()
