"""A phone enrolled on the password alone does not become a second factor of a role that requires one.

Three ways around the enrolment code, closed: django-otp's own admin creating a confirmed device with a
chosen key; a phone put on an account before it was given a Bappeda/admin role (or staff status), which
the grant then found "already enrolled"; and a session whose cached status still said "optional" right
after the grant. And the admin action issuing codes is for those who may change users.
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from akun.models import KodePendaftaranDuaLangkah, Peran
from akun.services import kode_pendaftaran_buat
from tests import factories
from tests.aman.dua_faktor_uji import kode, masuk, perangkat_aktif

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wajib(settings):
    settings.DUA_FAKTOR_WAJIB = True


def _tugaskan(*argumen: str) -> str:
    keluaran = io.StringIO()
    call_command("tugaskan", *argumen, stdout=keluaran)
    return keluaran.getvalue()


def _admin_terverifikasi(client, admin_user) -> None:
    perangkat = perangkat_aktif(admin_user)
    KodePendaftaranDuaLangkah.objects.create(
        pengguna=admin_user, hash_kode="a" * 64, berlaku_sampai="2030-01-01T00:00Z", perangkat=perangkat
    )
    masuk(client, "admin")
    client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat)})


def _daftar_sendiri(client, pengguna) -> TOTPDevice:
    """Enrol a phone where two-step is optional: no enrolment code asked."""
    client.force_login(pengguna)
    assert "<svg" in client.get(reverse("dua_faktor_daftar")).content.decode()
    calon = TOTPDevice.objects.get(user=pengguna, confirmed=False)
    assert client.post(reverse("dua_faktor_daftar"), {"kode": kode(calon)}).status_code == 302
    return calon


# --- 3a: django-otp's admin ----------------------------------------------------------------------------
def test_admin_tidak_bisa_menambah_atau_mengubah_perangkat(client, admin_user, bappeda):
    _admin_terverifikasi(client, admin_user)
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    tambah = client.post(
        reverse("admin:otp_totp_totpdevice_add"),
        {
            "user": bappeda.pk,
            "name": "Ponsel lain",
            "confirmed": "on",
            "key": "00" * 20,
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
        },
    )
    assert tambah.status_code == 403
    assert not TOTPDevice.objects.filter(user=bappeda).exists()
    milik_bappeda = TOTPDevice.objects.create(user=bappeda, name="Calon", confirmed=False)
    ubah = client.post(
        reverse("admin:otp_totp_totpdevice_change", args=[milik_bappeda.pk]),
        {"user": bappeda.pk, "name": "Calon", "confirmed": "on"},
    )
    assert ubah.status_code == 403
    milik_bappeda.refresh_from_db()
    assert not milik_bappeda.confirmed
    # The secret's own pages are not offered at all.
    assert client.get(f"/admin/otp_totp/totpdevice/{milik_bappeda.pk}/config/").status_code in (302, 404)
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200


# --- 3b: a phone enrolled before the grant ----------------------------------------------------------------
def test_ponsel_sebelum_peran_bappeda_dihapus_dan_kode_diberikan(client, karimun):
    calon_pejabat = factories.buat_pengguna("calon_pejabat")
    _daftar_sendiri(client, calon_pejabat)
    keluaran = _tugaskan("calon_pejabat", Peran.BAPPEDA, "--wilayah", karimun.kode)
    assert "Kode pendaftaran verifikasi dua langkah" in keluaran
    assert not TOTPDevice.objects.filter(user=calon_pejabat).exists()
    # The session verified with that phone lost its verification with it: back to the code step.
    jawab = client.get("/verifikasi/", follow=True)
    assert "Kode pendaftaran dari administrator" in jawab.content.decode()


def test_ponsel_didaftar_dengan_kode_tetap_berlaku_saat_peran_baru(client, karimun, bappeda):
    kode_pendaftaran, _ = kode_pendaftaran_buat(pengguna=bappeda)
    masuk(client, "bappeda")
    client.post(reverse("dua_faktor_daftar"), {"kode_pendaftaran": kode_pendaftaran})
    calon = TOTPDevice.objects.get(user=bappeda, confirmed=False)
    client.post(reverse("dua_faktor_daftar"), {"kode": kode(calon)})
    keluaran = _tugaskan("bappeda", Peran.ADMIN, "--wilayah", karimun.kode)
    assert "Kode pendaftaran" not in keluaran
    assert TOTPDevice.objects.get(user=bappeda, confirmed=True).pk == calon.pk
    # Replaced from a session verified with it, the successor keeps the mark.
    client.get(reverse("dua_faktor_daftar"))
    pengganti = TOTPDevice.objects.get(user=bappeda, confirmed=False)
    client.post(reverse("dua_faktor_daftar"), {"kode": kode(pengganti)})
    assert KodePendaftaranDuaLangkah.objects.get(pengguna=bappeda).perangkat_id == pengganti.pk
    assert "Kode pendaftaran" not in _tugaskan("bappeda", Peran.BAPPEDA, "--wilayah", karimun.kode)
    assert TOTPDevice.objects.filter(user=bappeda, confirmed=True).count() == 1


def test_penugasan_lewat_admin_juga_menghapus_ponsel_tanpa_kode(client, admin_user, karimun):
    calon_pejabat = factories.buat_pengguna("calon_pejabat")
    perangkat_aktif(calon_pejabat)
    _admin_terverifikasi(client, admin_user)
    jawab = client.post(
        reverse("admin:akun_penugasan_add"),
        {"pengguna": calon_pejabat.pk, "peran": Peran.BAPPEDA, "wilayah": karimun.pk, "aktif": "on"},
        follow=True,
    )
    assert "wajib memakai verifikasi dua langkah" in jawab.content.decode()
    assert not TOTPDevice.objects.filter(user=calon_pejabat).exists()


def test_status_staf_lewat_admin_juga_menghapus_ponsel_tanpa_kode(client, admin_user):
    calon_staf = factories.buat_pengguna("calon_staf")
    perangkat_aktif(calon_staf)
    _admin_terverifikasi(client, admin_user)
    ubah = client.get(reverse("admin:musrenbang_pengguna_change", args=[calon_staf.pk]))
    data = {k: v for k, v in ubah.context["adminform"].form.initial.items() if v is not None and k != "groups"}
    data.update({"is_staff": "on", "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("is_superuser", None)
    jawab = client.post(reverse("admin:musrenbang_pengguna_change", args=[calon_staf.pk]), data, follow=True)
    calon_staf.refresh_from_db()
    assert calon_staf.is_staff, jawab.content.decode()[:2000]
    assert not TOTPDevice.objects.filter(user=calon_staf).exists()


# --- 3c: the cached status right after a grant ------------------------------------------------------------
def test_sesi_yang_ada_tidak_bisa_daftar_tanpa_kode_tepat_setelah_pemberian_peran(client, karimun):
    calon_pejabat = factories.buat_pengguna("calon_pejabat")
    client.force_login(calon_pejabat)
    assert client.get(reverse("dua_faktor")).status_code == 200  # the status is now cached: no role
    factories.buat_penugasan(calon_pejabat, Peran.BAPPEDA, wilayah=karimun)  # e.g. from a shell
    jawab = client.get(reverse("dua_faktor_daftar"))
    teks = jawab.content.decode()
    assert "Kode pendaftaran dari administrator" in teks and "<svg" not in teks
    assert not TOTPDevice.objects.filter(user=calon_pejabat).exists()


# --- 3d: who may issue codes -------------------------------------------------------------------------------
def _staf_dengan_izin(client, *izin: str):
    staf = factories.buat_pengguna("staf_admin", is_staff=True)
    staf.user_permissions.set(Permission.objects.filter(codename__in=izin))
    perangkat = perangkat_aktif(staf)
    masuk(client, "staf_admin")
    client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat)})
    return staf


def _jalankan_aksi(client, *pengguna):
    return client.post(
        reverse("admin:musrenbang_pengguna_changelist"),
        {"action": "buat_kode_dua_langkah", "_selected_action": [p.pk for p in pengguna]},
    )


def test_tanpa_izin_ubah_pengguna_tidak_ada_kode(client, bappeda):
    _staf_dengan_izin(client, "view_pengguna")
    jawab = _jalankan_aksi(client, bappeda)
    assert jawab.status_code in (200, 302)
    assert not KodePendaftaranDuaLangkah.objects.filter(pengguna=bappeda).exists()


def test_staf_tidak_membuat_kode_untuk_superuser(client, admin_user, bappeda):
    _staf_dengan_izin(client, "view_pengguna", "change_pengguna")
    jawab = _jalankan_aksi(client, admin_user, bappeda)
    assert jawab.status_code == 302
    assert not KodePendaftaranDuaLangkah.objects.filter(pengguna__in=[admin_user, bappeda]).exists()
    # For an ordinary official the permission is enough.
    jawab = _jalankan_aksi(client, bappeda)
    assert jawab.status_code == 200 and "<code>" in jawab.content.decode()
    assert KodePendaftaranDuaLangkah.objects.filter(pengguna=bappeda).count() == 1
