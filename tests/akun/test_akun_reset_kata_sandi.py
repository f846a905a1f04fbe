"""Password reset by e-mail: one link that works once, the same answer for unknown addresses, a limit."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from kabar.notifikasi import kirim_antrean
from tests.factories import KATA_SANDI, buat_pengguna

KATA_SANDI_BARU = "Drainase-rt05-baru"


def _tautan(pesan) -> str:
    (tautan,) = re.findall(re.escape(settings.SITUS_URL) + r"(/\S+)", pesan.body)
    return tautan


def _terkirim() -> list:
    """Run the outbox worker (the reset e-mail is queued, not sent, by the request), then the mails."""
    kirim_antrean()
    return mail.outbox


def test_halaman_lupa_kata_sandi(client, db):
    jawab = client.get(reverse("password_reset"))
    assert jawab.status_code == 200
    teks = jawab.content.decode()
    assert "<h1>Lupa kata sandi</h1>" in teks
    assert 'type="email" name="email"' in teks and 'autocomplete="email"' in teks and 'maxlength="254"' in teks
    assert "Mendaftar hanya dengan nomor telepon?" in teks
    assert "Hubungi operator desa/kelurahan Anda" in teks
    assert 'class="kepala"' in teks  # the site layout


def test_email_terkirim_dan_tautan_mengganti_kata_sandi(client, warga):
    jawab = client.post(reverse("password_reset"), {"email": "WARGA@contoh.test"})
    assert jawab.status_code == 302 and jawab.url == reverse("password_reset_done")
    assert "Periksa e-mail Anda" in client.get(jawab.url).content.decode()

    (pesan,) = _terkirim()
    assert pesan.to == ["warga@contoh.test"]
    assert pesan.subject == "Atur ulang kata sandi e-Musrenbang"
    assert "Halo Siti Aminah," in pesan.body
    assert "berlaku 72 jam" in pesan.body
    assert warga.username not in pesan.body

    # The link carries the token once, then moves it into the session (no token in Referer).
    jawab = client.get(_tautan(pesan))
    assert jawab.status_code == 302 and jawab.url.endswith("/set-password/")
    halaman = client.get(jawab.url)
    assert halaman.status_code == 200
    teks = halaman.content.decode()
    assert "Buat kata sandi baru" in teks and "Kata sandi baru" in teks and "Ulangi kata sandi baru" in teks

    jawab = client.post(jawab.url, {"new_password1": KATA_SANDI_BARU, "new_password2": KATA_SANDI_BARU})
    assert jawab.status_code == 302 and jawab.url == reverse("password_reset_complete")
    assert "Kata sandi sudah diganti" in client.get(jawab.url).content.decode()
    warga.refresh_from_db()
    assert warga.check_password(KATA_SANDI_BARU)

    baru, masuk = Client(), reverse("login")
    assert baru.post(masuk, {"username": "warga@contoh.test", "password": KATA_SANDI}).status_code == 200
    assert baru.post(masuk, {"username": "warga@contoh.test", "password": KATA_SANDI_BARU}).status_code == 302


def test_tautan_hanya_berlaku_sekali(client, warga):
    client.post(reverse("password_reset"), {"email": warga.email})
    tautan = _tautan(_terkirim()[0])
    halaman = client.get(tautan, follow=True)
    client.post(halaman.redirect_chain[-1][0], {"new_password1": KATA_SANDI_BARU, "new_password2": KATA_SANDI_BARU})
    jawab = Client().get(tautan)
    assert jawab.status_code == 200
    teks = jawab.content.decode()
    assert "Tautan tidak berlaku" in teks and 'name="new_password1"' not in teks


def test_kata_sandi_baru_divalidasi(client, warga):
    client.post(reverse("password_reset"), {"email": warga.email})
    halaman = client.get(_tautan(_terkirim()[0]), follow=True)
    jawab = client.post(halaman.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345679"})
    assert jawab.status_code == 200
    assert "Dua bidang sandi tidak cocok." in jawab.content.decode()
    warga.refresh_from_db()
    assert warga.check_password(KATA_SANDI)


def test_alamat_tidak_dikenal_jawaban_sama_tanpa_email(client, warga):
    dikenal = client.post(reverse("password_reset"), {"email": warga.email})
    tidak_dikenal = client.post(reverse("password_reset"), {"email": "tidak-ada@contoh.test"})
    assert (tidak_dikenal.status_code, tidak_dikenal.url) == (dikenal.status_code, dikenal.url)
    assert [p.to for p in _terkirim()] == [[warga.email]]


def test_akun_tidak_aktif_tidak_menerima_email(client, db):
    buat_pengguna("nonaktif", is_active=False)
    jawab = client.post(reverse("password_reset"), {"email": "nonaktif@contoh.test"})
    assert jawab.status_code == 302 and jawab.url == reverse("password_reset_done")
    assert _terkirim() == []


def test_email_teks_biasa_tanpa_escape_html(client, db):
    buat_pengguna("lpm", nama_lengkap="LPM Sidodadi & Karang Taruna")
    client.post(reverse("password_reset"), {"email": "lpm@contoh.test"})
    assert "Halo LPM Sidodadi & Karang Taruna," in _terkirim()[0].body


def test_lewat_batas_429_tanpa_email(client, warga, settings):
    settings.BATAS_RESET_PER_JAM_IP = 2
    for _ in range(2):
        assert client.post(reverse("password_reset"), {"email": warga.email}).status_code == 302
    jawab = client.post(reverse("password_reset"), {"email": warga.email})
    assert jawab.status_code == 429
    assert "Terlalu banyak permintaan atur ulang kata sandi dari jaringan Anda." in jawab.content.decode()
    assert 0 < int(jawab["Retry-After"]) <= 3600
    assert len(_terkirim()) == 2
    # Opening the page is not an attempt, and another address is not affected.
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.post(reverse("password_reset"), {"email": warga.email}, REMOTE_ADDR="203.0.113.4").status_code == 302
    assert len(_terkirim()) == 3
