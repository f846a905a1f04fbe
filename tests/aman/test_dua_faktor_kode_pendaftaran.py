"""Issue 9 point 3: the first two-step enrolment of a role that requires it, and the enrolment again
after a lost phone, need a one-time code from an administrator (before: the password alone let
whoever had it put their own phone on a Bappeda or admin account)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from akun.models import KodePendaftaranDuaLangkah, Peran
from akun.services import kode_pendaftaran_buat
from tests import factories
from tests.aman.dua_faktor_uji import kode, masuk, perangkat_aktif

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wajib(settings):
    settings.DUA_FAKTOR_WAJIB = True


def _arah(jawab) -> str:
    return jawab.redirect_chain[-1][0] if jawab.redirect_chain else ""


def _tugaskan(*argumen: str) -> str:
    keluaran = io.StringIO()
    call_command("tugaskan", *argumen, stdout=keluaran)
    return keluaran.getvalue()


def _kode_dari(keluaran: str) -> str:
    baris = keluaran.splitlines()
    return baris[baris.index(next(b for b in baris if b.startswith("Kode pendaftaran"))) + 1].strip()


def _daftar_dengan_kode(client, kode_pendaftaran: str, next_url: str = "/verifikasi/"):
    return client.post(
        reverse("dua_faktor_daftar"), {"kode_pendaftaran": kode_pendaftaran, "next": next_url}, follow=True
    )


def test_tanpa_kode_administrator_tidak_ada_rahasia_dan_tidak_bisa_daftar(client, bappeda):
    jawab = masuk(client, "bappeda", next_url="/verifikasi/")
    assert _arah(jawab).startswith(reverse("dua_faktor_daftar"))
    teks = jawab.content.decode()
    assert "Kode pendaftaran dari administrator" in teks and "<svg" not in teks
    # No secret exists yet that a password holder could copy into their own app.
    assert not TOTPDevice.objects.filter(user=bappeda).exists()
    salah = _daftar_dengan_kode(client, "ABCD-EFGH-JKMN-PQRS")
    assert "Kode pendaftaran salah, sudah dipakai, atau kedaluwarsa" in salah.content.decode()
    assert not TOTPDevice.objects.filter(user=bappeda).exists()
    assert client.get("/verifikasi/").status_code == 302


def test_kode_dari_tugaskan_sekali_pakai(client, karimun):
    pengguna = factories.buat_pengguna("perencana_baru", nama_lengkap="Perencana Baru")
    keluaran = _tugaskan("perencana_baru", Peran.BAPPEDA, "--wilayah", karimun.kode)
    kode_pendaftaran = _kode_dari(keluaran)
    assert "sekali pakai" in keluaran and len(kode_pendaftaran) == 19
    baris = KodePendaftaranDuaLangkah.objects.get(pengguna=pengguna)
    assert kode_pendaftaran not in (baris.hash_kode, str(baris))  # only its hash is stored
    assert baris.berlaku_sampai > timezone.now() + datetime.timedelta(hours=71)

    masuk(client, "perencana_baru")
    jawab = _daftar_dengan_kode(client, kode_pendaftaran.lower().replace("-", " "))  # as people type it
    assert "<svg" in jawab.content.decode()
    calon = TOTPDevice.objects.get(user=pengguna, confirmed=False)
    selesai = client.post(reverse("dua_faktor_daftar"), {"kode": kode(calon), "next": "/verifikasi/"})
    assert selesai.status_code == 302 and selesai["Location"] == "/verifikasi/"
    assert TOTPDevice.objects.get(user=pengguna).confirmed
    assert client.get("/verifikasi/").status_code == 200
    assert KodePendaftaranDuaLangkah.objects.get(pengguna=pengguna).dipakai_pada is not None

    # Spent: a second session cannot use it again.
    TOTPDevice.objects.filter(user=pengguna).delete()
    lain = client.__class__()
    masuk(lain, "perencana_baru")
    assert "sudah dipakai" in _daftar_dengan_kode(lain, kode_pendaftaran).content.decode()
    assert not TOTPDevice.objects.filter(user=pengguna).exists()


def test_rahasia_dibuat_untuk_sesi_yang_memasukkan_kode(client, bappeda):
    """An unconfirmed secret seen by one session (say, an attacker's with the password) is never the
    one a later session confirms with the administrator's code."""
    kode_pendaftaran, _ = kode_pendaftaran_buat(pengguna=bappeda)
    masuk(client, "bappeda")
    _daftar_dengan_kode(client, kode_pendaftaran)
    pertama = TOTPDevice.objects.get(user=bappeda, confirmed=False)
    kedua, _ = kode_pendaftaran_buat(pengguna=bappeda)
    lain = client.__class__()
    masuk(lain, "bappeda")
    _daftar_dengan_kode(lain, kedua)
    baru = TOTPDevice.objects.get(user=bappeda, confirmed=False)
    assert baru.pk != pertama.pk and baru.key != pertama.key
    # The first session's secret no longer confirms anything.
    jawab = client.post(reverse("dua_faktor_daftar"), {"kode": kode(pertama)})
    assert not TOTPDevice.objects.filter(user=bappeda, confirmed=True).exists()
    assert "Kode pendaftaran dari administrator" in jawab.content.decode()


def test_kode_kedaluwarsa_dan_kode_lama_tidak_berlaku(client, bappeda):
    lama, _ = kode_pendaftaran_buat(pengguna=bappeda)
    baru, _ = kode_pendaftaran_buat(pengguna=bappeda)  # the earlier one stops working
    masuk(client, "bappeda")
    assert "kedaluwarsa" in _daftar_dengan_kode(client, lama).content.decode()
    KodePendaftaranDuaLangkah.objects.filter(pengguna=bappeda).update(
        berlaku_sampai=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "kedaluwarsa" in _daftar_dengan_kode(client, baru).content.decode()
    assert not TOTPDevice.objects.filter(user=bappeda).exists()


def test_tebakan_kode_dibatasi(client, bappeda, settings):
    settings.BATAS_KODE_PENDAFTARAN_PER_JAM = 3
    benar, _ = kode_pendaftaran_buat(pengguna=bappeda)
    masuk(client, "bappeda")
    for _ in range(3):
        _daftar_dengan_kode(client, "SALAH-SALAH-SALAH")
    jawab = client.post(reverse("dua_faktor_daftar"), {"kode_pendaftaran": benar})
    assert jawab.status_code == 429 and "Terlalu banyak kode pendaftaran salah" in jawab.content.decode()
    assert not TOTPDevice.objects.filter(user=bappeda).exists()


def test_daftar_ulang_setelah_ponsel_hilang_perlu_kode_baru(client, bappeda):
    perangkat = perangkat_aktif(bappeda)
    perangkat.delete()  # what an administrator does in the admin for a lost phone
    jawab = masuk(client, "bappeda", next_url="/verifikasi/")
    assert "Kode pendaftaran dari administrator" in jawab.content.decode()
    assert not TOTPDevice.objects.filter(user=bappeda).exists()
    # The administrator gives a new code (tugaskan --kode-dua-langkah), the person enrols again.
    kode_pendaftaran = _kode_dari(_tugaskan("bappeda", "--kode-dua-langkah"))
    _daftar_dengan_kode(client, kode_pendaftaran)
    calon = TOTPDevice.objects.get(user=bappeda, confirmed=False)
    assert client.post(reverse("dua_faktor_daftar"), {"kode": kode(calon)}).status_code == 302
    assert TOTPDevice.objects.get(user=bappeda).confirmed


def test_admin_membuat_kode_yang_tampil_sekali(client, admin_user, bappeda):
    perangkat_admin = perangkat_aktif(admin_user)
    masuk(client, "admin")
    client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat_admin)})
    jawab = client.post(
        reverse("admin:musrenbang_pengguna_changelist"),
        {"action": "buat_kode_dua_langkah", "_selected_action": [bappeda.pk]},
    )
    # In this page's body, not in a message that the cookie storage could keep in the browser.
    assert jawab.status_code == 200
    assert "no-store" in jawab["Cache-Control"]
    teks = jawab.content.decode()
    kode_tampil = re.search(r"<td>bappeda</td><td><code>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})</code>", teks).group(1)
    baris = KodePendaftaranDuaLangkah.objects.get(pengguna=bappeda)
    assert baris.dibuat_oleh == admin_user
    assert baris.hash_kode == KodePendaftaranDuaLangkah.hash(kode_tampil)
    assert all(kode_tampil not in m.value for m in jawab.cookies.values())
    # Shown once: the list page does not show it again.
    assert kode_tampil not in client.get(reverse("admin:musrenbang_pengguna_changelist")).content.decode()


def test_peran_opsional_tetap_tanpa_kode(client, operator_desa):
    client.force_login(operator_desa)
    jawab = client.get(reverse("dua_faktor_daftar"))
    assert jawab.status_code == 200 and "<svg" in jawab.content.decode()
