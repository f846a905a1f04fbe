"""Bappeda, admin and staff must pass a TOTP code after the password before any official or admin page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from akun.services import kode_pendaftaran_buat
from tests.aman.dua_faktor_uji import kode, masuk, perangkat_aktif

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wajib(settings):
    settings.DUA_FAKTOR_WAJIB = True


def _arah(jawab) -> str:
    return jawab.redirect_chain[-1][0] if jawab.redirect_chain else ""


def test_bappeda_berhenti_di_langkah_kode_sampai_kode_benar(client, bappeda):
    perangkat = perangkat_aktif(bappeda)
    jawab = masuk(client, "bappeda", next_url="/verifikasi/")
    assert _arah(jawab).startswith(reverse("dua_faktor_verifikasi"))
    assert "Verifikasi dua langkah" in jawab.content.decode()

    for alamat in ("/verifikasi/", "/verifikasi/peringkat/", "/admin/", "/"):
        tolak = client.get(alamat)
        assert tolak.status_code == 302
        assert tolak["Location"].startswith(reverse("dua_faktor_verifikasi") + "?next=")

    jawab = client.post(reverse("dua_faktor_verifikasi"), {"kode": "000000", "next": "/verifikasi/"})
    assert jawab.status_code == 200
    assert "Kode salah atau sudah kedaluwarsa" in jawab.content.decode()
    assert client.get("/verifikasi/").status_code == 302

    # django-otp makes the device wait after a wrong code (1 s, then 2, 4 …); move that moment back
    # instead of sleeping.
    TOTPDevice.objects.filter(pk=perangkat.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(minutes=1)
    )
    kunci_sesi = client.session.session_key
    jawab = client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat), "next": "/verifikasi/"})
    assert jawab.status_code == 302 and jawab["Location"] == "/verifikasi/"
    assert client.get("/verifikasi/").status_code == 200
    # The session gained rights, so it got a new key (a key seen before must not carry them).
    assert client.session.session_key != kunci_sesi


def test_kode_beruntun_salah_ditahan_dengan_pesan(client, bappeda):
    perangkat = perangkat_aktif(bappeda)
    masuk(client, "bappeda")
    client.post(reverse("dua_faktor_verifikasi"), {"kode": "000000"})
    # Even the right code is refused while the device waits after a failure.
    jawab = client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat)})
    assert jawab.status_code == 429
    assert "Terlalu banyak kode salah. Coba lagi dalam" in jawab.content.decode()
    assert client.get("/verifikasi/").status_code == 302


def test_kode_bukan_angka_ditolak_dengan_pesan(client, bappeda):
    perangkat_aktif(bappeda)
    masuk(client, "bappeda")
    jawab = client.post(reverse("dua_faktor_verifikasi"), {"kode": "12ab56"})
    assert jawab.status_code == 200
    assert "Kode terdiri dari 6 angka." in jawab.content.decode()


def test_kode_yang_sudah_dipakai_tidak_diterima_lagi(client, bappeda):
    perangkat = perangkat_aktif(bappeda)
    masuk(client, "bappeda")
    sekali = kode(perangkat)
    assert client.post(reverse("dua_faktor_verifikasi"), {"kode": sekali}).status_code == 302
    client.post(reverse("logout"))
    masuk(client, "bappeda")
    jawab = client.post(reverse("dua_faktor_verifikasi"), {"kode": sekali})
    assert jawab.status_code == 200 and "Kode salah" in jawab.content.decode()


def test_admin_situs_tertutup_sampai_kode_benar(client, admin_user):
    perangkat = perangkat_aktif(admin_user)
    masuk(client, "admin")
    jawab = client.get(reverse("admin:akun_penugasan_changelist"))
    assert jawab.status_code == 302 and jawab["Location"].startswith(reverse("dua_faktor_verifikasi"))
    client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat)})
    assert client.get(reverse("admin:akun_penugasan_changelist")).status_code == 200


def test_staf_tanpa_penugasan_juga_wajib(client, db):
    from tests import factories

    factories.buat_pengguna("staf", is_staff=True)
    jawab = masuk(client, "staf")
    assert _arah(jawab).startswith(reverse("dua_faktor_daftar"))
    assert client.get(reverse("admin:index")).status_code == 302


def test_bappeda_tanpa_perangkat_harus_mendaftar_dulu(client, bappeda):
    jawab = masuk(client, "bappeda", next_url="/verifikasi/")
    assert _arah(jawab).startswith(reverse("dua_faktor_daftar"))
    assert "wajib memakai verifikasi dua langkah" in jawab.content.decode()
    assert client.get("/verifikasi/").status_code == 302
    # The administrator's one-time enrolment code first (tests/aman/test_dua_faktor_kode_pendaftaran.py).
    kode_pendaftaran, _ = kode_pendaftaran_buat(pengguna=bappeda)
    jawab = client.post(
        reverse("dua_faktor_daftar"), {"kode_pendaftaran": kode_pendaftaran, "next": "/verifikasi/"}, follow=True
    )
    assert "<svg" in jawab.content.decode()

    calon = TOTPDevice.objects.get(user=bappeda, confirmed=False)
    jawab = client.post(reverse("dua_faktor_daftar"), {"kode": kode(calon), "next": "/verifikasi/"})
    assert jawab.status_code == 302 and jawab["Location"] == "/verifikasi/"
    assert TOTPDevice.objects.get(user=bappeda).confirmed
    assert client.get("/verifikasi/").status_code == 200


def test_tidak_bisa_dimatikan_bila_wajib(client, bappeda):
    perangkat = perangkat_aktif(bappeda)
    masuk(client, "bappeda")
    client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat)})
    jawab = client.post(reverse("dua_faktor_matikan"), follow=True)
    assert "wajib untuk peran Anda dan tidak bisa dimatikan" in jawab.content.decode()
    assert TOTPDevice.objects.filter(user=bappeda, confirmed=True).exists()


def test_formulir_masuk_admin_dialihkan_ke_halaman_masuk_situs(client, db):
    # Django's admin form would bypass the limits on failed sign-ins and the code step.
    jawab = client.get("/admin/login/?next=/admin/musrenbang/wilayah/")
    assert jawab.status_code == 302
    assert jawab["Location"] == reverse("login") + "?next=%2Fadmin%2Fmusrenbang%2Fwilayah%2F"
    jawab = client.get("/admin/", follow=True)
    assert jawab.redirect_chain[-1][0].startswith(reverse("login"))
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 302


def test_admin_menghapus_perangkat_petugas_tanpa_melihat_rahasianya(client, admin_user, bappeda):
    perangkat_admin = perangkat_aktif(admin_user)
    milik_bappeda = perangkat_aktif(bappeda)
    masuk(client, "admin")
    client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat_admin)})
    ubah = client.get(reverse("admin:otp_totp_totpdevice_change", args=[milik_bappeda.pk]))
    assert ubah.status_code == 200
    assert milik_bappeda.key not in ubah.content.decode()
    hapus = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[milik_bappeda.pk]), {"post": "yes"})
    assert hapus.status_code == 302
    assert not TOTPDevice.objects.filter(user=bappeda).exists()
