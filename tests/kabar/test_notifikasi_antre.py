"""antrekan: one outbox row per channel the recipient can be reached on, in the caller's transaction."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from kabar.models import Notifikasi, Saluran, StatusNotifikasi
from kabar.notifikasi import antrekan
from tests import factories

PADA = datetime.datetime(2026, 5, 5, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_email_dan_sms(warga):
    baris = antrekan(warga, subjek="Usulan 2102-2027-00001: Lolos desa", isi="Status usulan berubah.", pada=PADA)
    assert {(n.saluran, n.alamat) for n in baris} == {
        (Saluran.EMAIL, "warga@contoh.test"),
        (Saluran.SMS, "+6281200000001"),
    }
    for n in Notifikasi.objects.all():
        assert (n.penerima, n.subjek, n.isi) == (warga, "Usulan 2102-2027-00001: Lolos desa", "Status usulan berubah.")
        assert (n.status, n.percobaan, n.kirim_setelah, n.galat_terakhir) == (StatusNotifikasi.ANTRE, 0, PADA, "")
        assert n.kunci_ringkasan is None and n.terkirim_pada is None
    assert Notifikasi.objects.count() == 2


def test_whatsapp_bila_diatur(settings, warga):
    settings.NOTIFIKASI_SALURAN_TELEPON = "whatsapp"
    baris = antrekan(warga, subjek="Subjek", isi="Isi")
    assert sorted(n.saluran for n in baris) == [Saluran.EMAIL, Saluran.WHATSAPP]


def test_saluran_telepon_dimatikan(settings, warga):
    settings.NOTIFIKASI_SALURAN_TELEPON = ""
    baris = antrekan(warga, subjek="Subjek", isi="Isi")
    assert [(n.saluran, n.alamat) for n in baris] == [(Saluran.EMAIL, warga.email)]


def test_tanpa_email_hanya_sms(db):
    pengusul = factories.buat_pengguna("pengusul_ponsel", email=None, telepon="+6281200000009")
    baris = antrekan(pengusul, subjek="Subjek", isi="Isi")
    assert [(n.saluran, n.alamat) for n in baris] == [(Saluran.SMS, "+6281200000009")]


def test_tanpa_alamat_tidak_ada_baris(orang_luar):
    orang_luar.email = None
    orang_luar.save()
    assert antrekan(orang_luar, subjek="Subjek", isi="Isi") == []
    assert not Notifikasi.objects.exists()


def test_subjek_satu_baris(operator_desa):
    (n,) = antrekan(operator_desa, subjek="Usulan\r\nBcc: orang@lain.test", isi="Isi\nbaris dua")
    assert n.subjek == "Usulan Bcc: orang@lain.test"
    assert n.isi == "Isi\nbaris dua"


def test_batal_bersama_transaksi_pemanggil(warga):
    with pytest.raises(RuntimeError), transaction.atomic():
        antrekan(warga, subjek="Subjek", isi="Isi")
        raise RuntimeError("perubahan status gagal")
    assert not Notifikasi.objects.exists()
