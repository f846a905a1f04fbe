"""Signed-in people change their password; other signed-in devices are signed out."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.factories import KATA_SANDI

KATA_SANDI_BARU = "Posyandu-rw02-baru"


def test_perlu_masuk(client, db):
    jawab = client.get(reverse("password_change"))
    assert jawab.status_code == 302
    assert jawab.url == f"{reverse('login')}?next={reverse('password_change')}"


def test_tautan_di_navigasi_setelah_masuk(client, warga):
    client.force_login(warga)
    assert f'<a href="{reverse("password_change")}">Kata sandi</a>' in client.get(reverse("beranda")).content.decode()


def test_kata_sandi_lama_salah(client, warga):
    client.force_login(warga)
    isian = {"old_password": "salah", "new_password1": KATA_SANDI_BARU, "new_password2": KATA_SANDI_BARU}
    jawab = client.post(reverse("password_change"), isian)
    assert jawab.status_code == 200
    assert "Sandi lama Anda yang dimasukkan salah. Masukkan sekali lagi." in jawab.content.decode()
    warga.refresh_from_db()
    assert warga.check_password(KATA_SANDI)


def test_ganti_kata_sandi_perangkat_lain_keluar(client, warga):
    perangkat_lain = Client()
    perangkat_lain.force_login(warga)
    client.force_login(warga)
    halaman = client.get(reverse("password_change")).content.decode()
    assert "Ganti kata sandi" in halaman and "Kata sandi lama" in halaman and 'autocomplete="new-password"' in halaman

    isian = {"old_password": KATA_SANDI, "new_password1": KATA_SANDI_BARU, "new_password2": KATA_SANDI_BARU}
    jawab = client.post(reverse("password_change"), isian)
    assert jawab.status_code == 302 and jawab.url == reverse("password_change_done")
    assert "Kata sandi sudah diganti" in client.get(jawab.url).content.decode()
    warga.refresh_from_db()
    assert warga.check_password(KATA_SANDI_BARU)
    assert client.get(reverse("beranda")).context["user"] == warga  # this device stays signed in
    assert not perangkat_lain.get(reverse("beranda")).context["user"].is_authenticated
