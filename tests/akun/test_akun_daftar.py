"""Residents sign up with a name, an e-mail address and/or a phone number, and a password."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from akun import services

Pengguna = get_user_model()
KATA_SANDI_BARU = "Lampu-jalan-rt03"


def _isian(**ubah: str) -> dict[str, str]:
    data = {
        "nama_lengkap": "Rina Wati",
        "email": "rina@contoh.test",
        "telepon": "",
        "password1": KATA_SANDI_BARU,
        "password2": KATA_SANDI_BARU,
    }
    data.update(ubah)
    return data


def _galat(jawab, isian: str) -> list[str]:
    return list(jawab.context["form"].errors.get(isian, []))


def test_halaman_daftar_ramah_ponsel(client, db):
    jawab = client.get(reverse("daftar"))
    assert jawab.status_code == 200
    teks = jawab.content.decode()
    assert "Daftar akun warga" in teks
    assert 'name="csrfmiddlewaretoken"' in teks
    assert 'name="username"' not in teks  # generated, never shown
    for atribut in (
        'type="tel" name="telepon"',
        'inputmode="tel"',
        'autocomplete="tel"',
        'type="email" name="email"',
        'autocomplete="email"',
        'autocomplete="name"',
        'autocomplete="new-password"',
        'maxlength="150"',
        'maxlength="254"',
        'maxlength="20"',
    ):
        assert atribut in teks, atribut


def test_daftar_dengan_email_langsung_masuk(client, db):
    jawab = client.post(reverse("daftar"), _isian())
    assert jawab.status_code == 302 and jawab.url == reverse("beranda")
    pengguna = Pengguna.objects.get(email="rina@contoh.test")
    assert pengguna.nama_lengkap == "Rina Wati"
    assert pengguna.telepon is None
    assert pengguna.username.startswith("warga-")
    assert pengguna.check_password(KATA_SANDI_BARU)
    assert not pengguna.is_staff
    beranda = client.get(reverse("beranda"))
    assert beranda.context["user"] == pengguna
    assert "Akun Anda sudah dibuat. Selamat datang, Rina Wati!" in beranda.content.decode()


def test_daftar_dengan_telepon_saja_dinormalkan_lalu_bisa_masuk(client, db):
    jawab = client.post(reverse("daftar"), _isian(email="", telepon="0812-3456-7890"))
    assert jawab.status_code == 302
    pengguna = Pengguna.objects.get(telepon="+6281234567890")
    assert pengguna.email is None
    client.logout()
    jawab = client.post(reverse("login"), {"username": "+62 812 3456 7890", "password": KATA_SANDI_BARU})
    assert jawab.status_code == 302
    assert client.get(reverse("beranda")).context["user"] == pengguna


def test_dua_akun_tanpa_email(db):
    # Both are stored without an e-mail (NULL), so the unique index does not see a duplicate "".
    for telepon in ("+6281234567890", "+6281234567891"):
        services.pengguna_daftar(nama_lengkap="Rina", email=None, telepon=telepon, kata_sandi=KATA_SANDI_BARU)
    assert Pengguna.objects.filter(email__isnull=True).count() == 2


def test_daftar_dengan_email_dan_telepon(client, db):
    assert client.post(reverse("daftar"), _isian(email="Rina@Contoh.TEST", telepon="6281234567890")).status_code == 302
    pengguna = Pengguna.objects.get(telepon="+6281234567890")
    assert pengguna.email == "Rina@contoh.test"  # the domain is lower-cased, the rest kept


def test_tanpa_email_dan_telepon_galat_di_kedua_isian(client, db):
    jawab = client.post(reverse("daftar"), _isian(email="", telepon=""))
    assert jawab.status_code == 200
    pesan = "Isi alamat e-mail atau nomor telepon (salah satu cukup)."
    assert _galat(jawab, "email") == [pesan]
    assert _galat(jawab, "telepon") == [pesan]
    assert jawab.content.decode().count(pesan) == 2
    assert not Pengguna.objects.exists()


def test_telepon_tidak_valid(client, db):
    jawab = client.post(reverse("daftar"), _isian(telepon="12345"))
    assert _galat(jawab, "telepon") == ["Nomor telepon tidak valid. Tulis seperti 081234567890 atau +6281234567890."]
    assert not Pengguna.objects.exists()


def test_email_tidak_valid_dalam_bahasa_indonesia(client, db):
    jawab = client.post(reverse("daftar"), _isian(email="rina@"))
    assert _galat(jawab, "email") == ["Masukkan alamat email yang valid."]
    # The "one of them" error is not added on top of a malformed address.
    assert _galat(jawab, "telepon") == []


def test_nama_wajib_dan_dibatasi_panjangnya(client, db):
    assert _galat(client.post(reverse("daftar"), _isian(nama_lengkap="  ")), "nama_lengkap") == [
        "Bidang ini tidak boleh kosong."
    ]
    galat = _galat(client.post(reverse("daftar"), _isian(nama_lengkap="a" * 151)), "nama_lengkap")
    assert len(galat) == 1 and "150" in galat[0]
    assert not Pengguna.objects.exists()


def test_kata_sandi_tidak_sama(client, db):
    jawab = client.post(reverse("daftar"), _isian(password2="Lampu-jalan-rt04"))
    assert _galat(jawab, "password2") == ["Dua bidang sandi tidak cocok."]
    assert not Pengguna.objects.exists()


@pytest.mark.parametrize(
    ("kata_sandi", "pesan"),
    [
        ("12345678", "Kata sandi ini terlalu umum."),
        ("83749261057", "Kata sandi ini seluruhnya terdiri dari angka."),
        ("Ab-1", "Kata sandi terlalu pendek. Harus mengandung setidaknya 8 karakter."),
        ("rina@contoh.test", "Kata sandi terlalu mirip dengan alamat e-mail."),
    ],
)
def test_kata_sandi_lemah_ditolak_dalam_bahasa_indonesia(client, db, kata_sandi, pesan):
    jawab = client.post(reverse("daftar"), _isian(password1=kata_sandi, password2=kata_sandi))
    assert pesan in _galat(jawab, "password2")
    assert pesan in jawab.content.decode()
    assert not Pengguna.objects.exists()


def test_email_terdaftar_ditolak_tanpa_membuka_data_akun(client, warga):
    jawab = client.post(reverse("daftar"), _isian(email="WARGA@contoh.test"))
    assert jawab.status_code == 200
    assert _galat(jawab, "email") == [
        "Alamat e-mail ini sudah terdaftar. Silakan masuk; bila lupa kata sandi, pakai tautan “Lupa kata sandi?”."
    ]
    teks = jawab.content.decode()
    assert warga.nama_lengkap not in teks and "+6281200000001" not in teks
    assert Pengguna.objects.count() == 1


def test_telepon_terdaftar_ditolak(client, warga):
    jawab = client.post(reverse("daftar"), _isian(email="", telepon="0812 0000 0001"))
    assert _galat(jawab, "telepon") == [
        "Nomor telepon ini sudah terdaftar. Silakan masuk; bila lupa kata sandi, hubungi operator desa/kelurahan Anda."
    ]
    assert warga.email not in jawab.content.decode()
    assert Pengguna.objects.count() == 1


def test_semua_galat_tampil_sekaligus(client, warga):
    jawab = client.post(reverse("daftar"), _isian(email="warga@contoh.test", password2="lain-lagi-123"))
    assert set(jawab.context["form"].errors) == {"email", "password2"}


def test_pendaftaran_serentak_email_sama_ditolak_rapi(warga, monkeypatch):
    # Another sign-up commits the same e-mail between our check and our insert.
    asli = services.pengguna_galat_terdaftar
    panggilan: list[int] = []

    def terlambat(**kwargs):
        panggilan.append(1)
        return {} if len(panggilan) == 1 else asli(**kwargs)

    monkeypatch.setattr(services, "pengguna_galat_terdaftar", terlambat)
    with pytest.raises(ValidationError) as galat:
        services.pengguna_daftar(nama_lengkap="Rina", email=warga.email, telepon=None, kata_sandi=KATA_SANDI_BARU)
    assert galat.value.error_dict["email"][0].code == "terdaftar"
    assert Pengguna.objects.count() == 1


@pytest.mark.parametrize("tujuan", ["/akun/kata-sandi/", "/usulan/?halaman=2"])
def test_next_di_situs_ini_diikuti(client, db, tujuan):
    jawab = client.post(reverse("daftar"), {**_isian(), "next": tujuan})
    assert jawab.status_code == 302 and jawab.url == tujuan


@pytest.mark.parametrize("tujuan", ["https://jahat.example/", "//jahat.example/", "javascript:alert(1)"])
def test_next_ke_luar_diabaikan(client, db, tujuan):
    jawab = client.post(reverse("daftar") + "?next=" + tujuan, _isian())
    assert jawab.status_code == 302 and jawab.url == reverse("beranda")


def test_next_dari_tautan_dibawa_di_formulir(client, db):
    teks = client.get(reverse("daftar"), {"next": "/akun/kata-sandi/"}).content.decode()
    assert '<input type="hidden" name="next" value="/akun/kata-sandi/">' in teks
    teks = client.get(reverse("daftar"), {"next": "https://jahat.example/"}).content.decode()
    assert 'name="next" value="https://jahat.example/"' not in teks


def test_yang_sudah_masuk_dialihkan(client, warga):
    client.force_login(warga)
    jawab = client.get(reverse("daftar"))
    assert jawab.status_code == 302 and jawab.url == reverse("beranda")


def test_tanpa_token_csrf_ditolak(db):
    klien = Client(enforce_csrf_checks=True)
    assert klien.post(reverse("daftar"), _isian()).status_code == 403
    assert not Pengguna.objects.exists()


def test_tautan_daftar_dan_lupa_kata_sandi(client, db):
    beranda = client.get(reverse("beranda")).content.decode()
    assert f'<a href="{reverse("daftar")}">Daftar</a>' in beranda
    masuk = client.get(reverse("login")).content.decode()
    assert f'<a href="{reverse("password_reset")}">Lupa kata sandi?</a>' in masuk
    assert f'href="{reverse("daftar")}"' in masuk
