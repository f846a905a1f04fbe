"""Issue 9 point 7: the outbox keeps messages as data and words them in the recipient's language.

A status message used to be composed in the language of whoever acted (an official browsing in
English sent English to an Indonesian resident, and the other way round). Now the row holds a code
and its data; the worker words it in the language the recipient last picked with the switch.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from akun.models import Peran
from kabar.models import Notifikasi
from kabar.notifikasi import kirim_antrean
from tests.skenario import buat_usulan
from verifikasi import transitions as t


def _kirim_semua() -> None:
    kirim_antrean(pada=timezone.now() + datetime.timedelta(days=2))  # digests too


def test_pilihan_bahasa_tersimpan_di_akun(client, warga):
    client.force_login(warga)
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    warga.refresh_from_db()
    assert warga.bahasa == "en"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # The language this request activated is reset by tests/conftest.py's bahasa_bawaan fixture.


def test_pesan_dalam_bahasa_penerima_bukan_pelaku(warga, siklus, desa, operator_desa, alasan):
    warga.bahasa = "en"
    warga.save()
    u = buat_usulan(warga, siklus, desa)
    # The desa operator acts with the site in Indonesian; the resident reads English.
    with translation.override("id"):
        t.kembalikan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    status = Notifikasi.objects.get(usulan=u, saluran="email", kode_pesan="status_usulan")
    assert status.data_pesan == {
        "kode": u.kode_lacak,
        "judul": u.judul,
        "status": "dikembalikan",
        "tautan": f"{settings.SITUS_URL}/usulan/lacak/{u.kode_lacak}/",
    }
    assert "Dikembalikan" in status.subjek  # stored in the site's language, for the admin
    with translation.override("id"):
        _kirim_semua()
    untuk_warga = {m.subject: m.body for m in mail.outbox if m.to == [warga.email]}
    assert untuk_warga.keys() == {
        f"Proposal {u.kode_lacak} received",
        f"Proposal {u.kode_lacak}: Returned for revision",
    }
    assert "Thank you." in untuk_warga[f"Proposal {u.kode_lacak} received"]
    assert "is now: Returned for revision." in untuk_warga[f"Proposal {u.kode_lacak}: Returned for revision"]
    # The desa official picked nothing: the site's language.
    (ringkasan,) = [m for m in mail.outbox if m.to == [operator_desa.email]]
    assert ringkasan.subject.startswith("Ringkasan usulan masuk ") and u.kode_lacak in ringkasan.body


def test_ringkasan_dalam_bahasa_petugas(warga, siklus, desa, operator_desa):
    operator_desa.bahasa = "en"
    operator_desa.save()
    u = buat_usulan(warga, siklus, desa)
    _kirim_semua()
    (ringkasan,) = [m for m in mail.outbox if m.to == [operator_desa.email]]
    assert ringkasan.subject.startswith("Proposals received ")
    assert ringkasan.body.startswith("These proposals arrived in your verification queue:\n\n")
    assert f"{u.kode_lacak} — {u.judul} ({desa.nama})" in ringkasan.body
