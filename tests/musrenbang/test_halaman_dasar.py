"""The base layout: Indonesian first, English on request, nothing loaded from a CDN."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def test_beranda_bahasa_indonesia_dengan_jadwal(client, siklus):
    halaman = client.get(reverse("beranda"))
    assert halaman.status_code == 200
    teks = halaman.content.decode()
    assert '<html lang="id">' in teks
    assert "Usulkan pembangunan untuk lingkungan Anda" in teks
    assert "Jadwal tahapan" in teks and "Verifikasi kecamatan" in teks
    assert str(siklus) in teks
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in teks


def test_ganti_bahasa_ke_inggris(client, siklus):
    jawab = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert jawab.status_code == 302
    teks = client.get(reverse("beranda")).content.decode()
    assert '<html lang="en">' in teks
    assert "Propose development for your neighbourhood" in teks
    assert "District verification" in teks


def test_tanpa_siklus_aktif(client, db):
    assert "Belum ada siklus perencanaan yang aktif." in client.get(reverse("beranda")).content.decode()


@pytest.mark.parametrize("nama_url", ["beranda", "login"])
def test_tidak_ada_aset_dari_luar(client, siklus, nama_url):
    teks = client.get(reverse(nama_url)).content.decode()
    sumber = re.findall(r'(?:src|href)="([^"]+)"', teks)
    assert sumber, "the page links at least its stylesheet"
    assert [s for s in sumber if s.startswith(("http:", "https:", "//"))] == []


def test_masuk_dengan_nomor_telepon(client, warga):
    from tests.factories import KATA_SANDI

    jawab = client.post(reverse("login"), {"username": "0812 0000 0001", "password": KATA_SANDI})
    assert jawab.status_code == 302
    assert client.get(reverse("beranda")).context["user"] == warga


def test_masuk_gagal_pesan_jelas(client, warga):
    jawab = client.post(reverse("login"), {"username": "warga", "password": "salah"})
    assert jawab.status_code == 200
    assert "Identitas atau kata sandi salah." in jawab.content.decode()
    assert 'autocomplete="current-password"' in jawab.content.decode()


def test_bahasa_peramban_inggris_tetap_bahasa_indonesia(client, siklus):
    # Phones with an English system UI still get the Indonesian site until the person switches.
    teks = client.get(reverse("beranda"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in teks
