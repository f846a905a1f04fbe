"""Sign-ups are limited per address: over the limit the page says so with HTTP 429 and nothing is created."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

Pengguna = get_user_model()
KATA_SANDI_BARU = "Lampu-jalan-rt03"
PESAN = "Terlalu banyak pendaftaran dari jaringan Anda."


def _isian(nomor: int, **ubah: str) -> dict[str, str]:
    return {
        "nama_lengkap": f"Warga {nomor}",
        "email": f"warga{nomor}@contoh.test",
        "telepon": "",
        "password1": KATA_SANDI_BARU,
        "password2": KATA_SANDI_BARU,
        **ubah,
    }


def test_lewat_batas_429_dan_tidak_ada_akun_baru(client, db, settings):
    settings.BATAS_DAFTAR_PER_JAM_IP = 2
    for nomor in (1, 2):
        assert client.post(reverse("daftar"), _isian(nomor)).status_code == 302
        client.logout()
    jawab = client.post(reverse("daftar"), _isian(3))
    assert jawab.status_code == 429
    assert PESAN in jawab.content.decode()
    assert 0 < int(jawab["Retry-After"]) <= 3600
    assert not Pengguna.objects.filter(email="warga3@contoh.test").exists()
    assert "_auth_user_id" not in client.session


def test_alamat_lain_tidak_terkena(client, db, settings):
    settings.BATAS_DAFTAR_PER_JAM_IP = 1
    assert client.post(reverse("daftar"), _isian(1), REMOTE_ADDR="203.0.113.1").status_code == 302
    client.logout()
    assert client.post(reverse("daftar"), _isian(2), REMOTE_ADDR="203.0.113.1").status_code == 429
    assert client.post(reverse("daftar"), _isian(2), REMOTE_ADDR="203.0.113.2").status_code == 302


def test_salah_ketik_tidak_menghabiskan_batas(client, db, settings):
    settings.BATAS_DAFTAR_PER_JAM_IP = 1
    for _ in range(3):
        assert client.post(reverse("daftar"), _isian(1, password2="beda-sedikit")).status_code == 200
    assert client.post(reverse("daftar"), _isian(1)).status_code == 302


def test_penolakan_identitas_terdaftar_dihitung(client, warga, settings):
    # Each "already registered" answer tells something about who has an account: it uses a slot.
    settings.BATAS_DAFTAR_PER_JAM_IP = 2
    for _ in range(2):
        assert client.post(reverse("daftar"), _isian(1, email=warga.email)).status_code == 200
    jawab = client.post(reverse("daftar"), _isian(1))
    assert jawab.status_code == 429
    assert not Pengguna.objects.filter(email="warga1@contoh.test").exists()


def test_membuka_halaman_tidak_dihitung(client, db, settings):
    settings.BATAS_DAFTAR_PER_JAM_IP = 1
    for _ in range(3):
        assert client.get(reverse("daftar")).status_code == 200
    assert client.post(reverse("daftar"), _isian(1)).status_code == 302
