"""Sign-in refuses further attempts after too many failures, per typed identity and per address."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from akun.views import identitas_baku
from musrenbang.models import BatasLaju
from tests.factories import KATA_SANDI

PESAN_GAGAL = "Identitas atau kata sandi salah."
PESAN_BATAS = "Terlalu banyak percobaan masuk yang gagal. Tunggu paling lama 15 menit, lalu coba lagi."


def _masuk(klien: Client, identitas: str, kata_sandi: str, **extra: str):
    return klien.post(reverse("login"), {"username": identitas, "password": kata_sandi}, **extra)


def _sudah_masuk(klien: Client) -> bool:
    return "_auth_user_id" in klien.session


def test_identitas_dikunci_setelah_10_gagal_juga_dengan_kata_sandi_benar(client, warga):
    for _ in range(10):
        jawab = _masuk(client, "warga@contoh.test", "salah")
        assert jawab.status_code == 200 and PESAN_GAGAL in jawab.content.decode()
    jawab = _masuk(client, "warga@contoh.test", KATA_SANDI)
    assert jawab.status_code == 429
    teks = jawab.content.decode()
    assert PESAN_BATAS in teks
    assert 'value="warga@contoh.test"' in teks  # the form is still there, filled in
    assert 0 < int(jawab["Retry-After"]) <= 15 * 60
    assert not _sudah_masuk(client)


def test_ejaan_lain_identitas_yang_sama_ikut_terkunci(client, warga):
    for _ in range(10):
        _masuk(client, "0812-0000-0001", "salah")
    for ejaan in ("+6281200000001", "62 812 0000 0001", " 081200000001 "):
        assert _masuk(client, ejaan, KATA_SANDI).status_code == 429
    for _ in range(10):
        _masuk(client, "Warga", "salah")
    assert _masuk(client, "WARGA", KATA_SANDI).status_code == 429
    assert not _sudah_masuk(client)


def test_identitas_lain_dari_alamat_sama_tetap_bisa_masuk(client, warga, orang_luar):
    for _ in range(10):
        _masuk(client, "warga", "salah")
    assert _masuk(client, "orang_luar", KATA_SANDI).status_code == 302
    assert _sudah_masuk(client)


def test_alamat_dikunci_setelah_30_gagal(client, warga):
    for nomor in range(30):
        assert _masuk(client, f"tebakan{nomor}@contoh.test", "salah").status_code == 200
    jawab = _masuk(client, "warga", KATA_SANDI)
    assert jawab.status_code == 429 and PESAN_BATAS in jawab.content.decode()
    # Another address is not affected.
    assert _masuk(Client(), "warga", KATA_SANDI, REMOTE_ADDR="203.0.113.9").status_code == 302


def test_masuk_berhasil_tidak_dihitung(client, warga, settings):
    settings.BATAS_MASUK_GAGAL_PER_IDENTITAS = 3
    _masuk(client, "warga", "salah")
    _masuk(client, "warga", "salah")
    assert _masuk(client, "warga", KATA_SANDI).status_code == 302
    client.logout()
    # Two failures so far: a third is still checked, a fourth attempt is refused.
    assert _masuk(client, "warga", "salah").status_code == 200
    assert _masuk(client, "warga", KATA_SANDI).status_code == 429


def test_percobaan_yang_ditolak_tidak_memperpanjang_hitungan_alamat(client, warga, orang_luar, settings):
    settings.BATAS_MASUK_GAGAL_PER_IDENTITAS = 1
    settings.BATAS_MASUK_GAGAL_PER_IP = 3
    _masuk(client, "warga", "salah")
    for _ in range(5):
        assert _masuk(client, "warga", "salah").status_code == 429  # no password checked: no failure
    assert _masuk(client, "orang_luar", KATA_SANDI).status_code == 302


def test_isian_kosong_tidak_dihitung(client, warga, settings):
    settings.BATAS_MASUK_GAGAL_PER_IDENTITAS = 1
    for _ in range(3):
        assert _masuk(client, "warga", "").status_code == 200
    assert _masuk(client, "warga", KATA_SANDI).status_code == 302


def test_jendela_berikutnya_dibuka_lagi(client, warga, settings):
    settings.BATAS_MASUK_GAGAL_PER_IDENTITAS = 2
    _masuk(client, "warga", "salah")
    _masuk(client, "warga", "salah")
    assert _masuk(client, "warga", KATA_SANDI).status_code == 429
    BatasLaju.objects.filter(kunci__startswith="masuk:").update(mulai="2000-01-01T00:00:00Z")
    assert _masuk(client, "warga", KATA_SANDI).status_code == 302


def test_kunci_tidak_menyimpan_identitas(client, warga):
    _masuk(client, "warga@contoh.test", "salah")
    kunci = list(BatasLaju.objects.values_list("kunci", flat=True))
    assert len(kunci) == 2
    assert not [k for k in kunci if "warga" in k or "127.0.0.1" in k]


@pytest.mark.parametrize(
    ("diketik", "baku"),
    [
        (" Warga@Contoh.TEST ", "warga@contoh.test"),
        ("0812-0000-0001", "+6281200000001"),
        ("+62 812 0000 0001", "+6281200000001"),
        ("budi.santoso", "budi.santoso"),
        ("0812", "0812"),  # too short to be a phone number: kept as typed
    ],
)
def test_identitas_baku(diketik, baku):
    assert identitas_baku(diketik) == baku


@pytest.mark.django_db(transaction=True)
def test_tebakan_serentak_tidak_melewati_batas(settings):
    from tests.factories import buat_pengguna

    settings.BATAS_MASUK_GAGAL_PER_IDENTITAS = 5
    buat_pengguna("warga", telepon="+6281200000001")
    status: list[int] = []
    kunci = threading.Lock()

    def tebak() -> None:
        try:
            jawab = _masuk(Client(), "warga", "tebakan-salah")
            with kunci:
                status.append(jawab.status_code)
        finally:
            connection.close()

    utas = [threading.Thread(target=tebak) for _ in range(12)]
    for u in utas:
        u.start()
    for u in utas:
        u.join()
    # Exactly five guesses had their password checked, however the requests interleaved.
    assert sorted(status) == [200] * 5 + [429] * 7


def test_batas_per_akun_apa_pun_identitas_yang_diketik(client, warga):
    """Finding F4: 10 wrong passwords for the username, then the e-mail and three phone spellings
    each had a budget of their own (about 30 guesses per account). One account, one budget."""
    identitas = ["warga", "WARGA@contoh.test", "081200000001", "+62 812-0000-0001", "6281200000001"]
    for nomor in range(10):
        jawab = _masuk(client, identitas[nomor % len(identitas)], "salah")
        assert jawab.status_code == 200 and PESAN_GAGAL in jawab.content.decode()
    for ejaan in identitas:
        assert _masuk(client, ejaan, KATA_SANDI).status_code == 429, ejaan
    # From other addresses too: the limit is the account's, not the address's.
    assert _masuk(Client(), "warga@contoh.test", KATA_SANDI, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert not _sudah_masuk(client)


def test_identitas_tanpa_akun_dibatasi_seperti_diketik(client, warga):
    for _ in range(10):
        _masuk(client, "tidak-ada@contoh.test", "salah")
    assert _masuk(client, "TIDAK-ADA@contoh.test", "salah").status_code == 429
    # That does not touch a real account.
    assert _masuk(client, "warga", KATA_SANDI).status_code == 302
