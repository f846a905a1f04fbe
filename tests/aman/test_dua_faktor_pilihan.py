"""Other officials may enrol from their account page; once enrolled, they pass a code at every sign-in."""

from __future__ import annotations

from base64 import b32encode

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.aman.dua_faktor_uji import kode, masuk, perangkat_aktif

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wajib(settings):
    settings.DUA_FAKTOR_WAJIB = True


def test_operator_desa_tidak_wajib(client, operator_desa):
    jawab = masuk(client, "operator_desa", next_url="/verifikasi/")
    assert jawab.redirect_chain[-1][0] == "/verifikasi/"
    assert jawab.status_code == 200
    status = client.get(reverse("dua_faktor")).content.decode()
    assert "Belum aktif" in status
    assert reverse("dua_faktor") in client.get("/verifikasi/").content.decode()  # the link in the menu


def test_operator_desa_mendaftar_lalu_wajib_kode_saat_masuk_lagi(client, operator_desa):
    masuk(client, "operator_desa")
    halaman = client.get(reverse("dua_faktor_daftar"))
    assert halaman.status_code == 200
    calon = TOTPDevice.objects.get(user=operator_desa, confirmed=False)
    teks = halaman.content.decode()
    rahasia = b32encode(calon.bin_key).decode().rstrip("=")
    assert " ".join(rahasia[i : i + 4] for i in range(0, len(rahasia), 4)) in teks
    assert '<svg viewBox="' in teks and "<title>Kode QR untuk aplikasi autentikator</title>" in teks
    # Reloading keeps the same secret: the app already scanned may still be confirmed.
    client.get(reverse("dua_faktor_daftar"))
    assert TOTPDevice.objects.filter(user=operator_desa).count() == 1

    salah = client.post(reverse("dua_faktor_daftar"), {"kode": "123456"})
    assert "Kode salah atau sudah kedaluwarsa" in salah.content.decode()
    assert not TOTPDevice.objects.filter(user=operator_desa, confirmed=True).exists()
    TOTPDevice.objects.filter(pk=calon.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)

    jawab = client.post(reverse("dua_faktor_daftar"), {"kode": kode(calon)}, follow=True)
    assert "Verifikasi dua langkah aktif" in jawab.content.decode()
    calon.refresh_from_db()
    assert calon.confirmed

    client.post(reverse("logout"))
    jawab = masuk(client, "operator_desa", next_url="/verifikasi/")
    assert jawab.redirect_chain[-1][0].startswith(reverse("dua_faktor_verifikasi"))
    assert client.get("/verifikasi/").status_code == 302
    jawab = client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(calon, langkah=1), "next": "/verifikasi/"})
    assert jawab["Location"] == "/verifikasi/"
    assert client.get("/verifikasi/").status_code == 200


def test_operator_desa_bisa_mematikan(client, operator_desa):
    perangkat = perangkat_aktif(operator_desa)
    masuk(client, "operator_desa")
    client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat)})
    jawab = client.post(reverse("dua_faktor_matikan"), follow=True)
    assert "Verifikasi dua langkah sudah dimatikan" in jawab.content.decode()
    assert not TOTPDevice.objects.filter(user=operator_desa).exists()
    client.post(reverse("logout"))
    jawab = masuk(client, "operator_desa", next_url="/verifikasi/")
    assert jawab.redirect_chain[-1][0] == "/verifikasi/"


def test_ganti_perangkat_hanya_dari_sesi_yang_sudah_lolos_kode(client, operator_desa):
    lama = perangkat_aktif(operator_desa)
    masuk(client, "operator_desa")
    # A password alone must not be enough to move the second factor to another phone.
    jawab = client.get(reverse("dua_faktor_daftar"))
    assert jawab.status_code == 302 and jawab["Location"].startswith(reverse("dua_faktor_verifikasi"))
    assert not TOTPDevice.objects.filter(user=operator_desa, confirmed=False).exists()

    client.post(reverse("dua_faktor_verifikasi"), {"kode": kode(lama)})
    assert client.get(reverse("dua_faktor_daftar")).status_code == 200
    baru = TOTPDevice.objects.get(user=operator_desa, confirmed=False)
    client.post(reverse("dua_faktor_daftar"), {"kode": kode(baru)})
    assert list(TOTPDevice.objects.filter(user=operator_desa).values_list("pk", flat=True)) == [baru.pk]


def test_perangkat_dihapus_admin_maka_masuk_tanpa_kode_lagi(client, operator_desa):
    # An administrator resets a lost phone by deleting the device in the admin.
    perangkat = perangkat_aktif(operator_desa)
    masuk(client, "operator_desa")
    perangkat.delete()
    jawab = client.get(reverse("dua_faktor_verifikasi") + "?next=/verifikasi/")
    assert jawab.status_code == 302 and jawab["Location"] == "/verifikasi/"
    assert client.get("/verifikasi/").status_code == 200


def test_warga_tidak_terpengaruh(client, warga):
    jawab = masuk(client, "warga", next_url=reverse("usulan:saya"))
    assert jawab.status_code == 200 and jawab.redirect_chain[-1][0] == reverse("usulan:saya")
