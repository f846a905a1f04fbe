"""Officials are signed out after 30 idle minutes or 8 hours; residents keep their long session.

Time is moved by rewriting the clocks kept in the session, never by sleeping.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from akun.middleware import KUNCI_SESI

pytestmark = pytest.mark.django_db


def _geser(client, **mundur_detik: int) -> None:
    """Move the session's clocks back (mulai = sign-in, aktif = last request) by so many seconds."""
    sesi = client.session
    jam = dict(sesi[KUNCI_SESI])
    for nama, detik in mundur_detik.items():
        jam[nama] -= detik
    sesi[KUNCI_SESI] = jam
    sesi.save()


def test_bawaan_delapan_jam_dan_tiga_puluh_menit(settings):
    assert settings.SESI_PETUGAS_MAKS_DETIK == 8 * 3600
    assert settings.SESI_PETUGAS_DIAM_DETIK == 30 * 60


def test_petugas_diam_terlalu_lama_keluar(client, operator_desa):
    client.force_login(operator_desa)
    assert client.get("/verifikasi/").status_code == 200
    _geser(client, aktif=30 * 60 + 5)
    jawab = client.get("/verifikasi/?hal=2")
    assert jawab.status_code == 302
    assert jawab["Location"] == reverse("login") + "?next=/verifikasi/%3Fhal%3D2"
    halaman = client.get(jawab["Location"])
    assert "Sesi Anda sudah berakhir demi keamanan" in halaman.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/verifikasi/").status_code == 302


def test_petugas_aktif_tetap_masuk_dan_jam_diam_bergeser(client, operator_desa):
    client.force_login(operator_desa)
    client.get("/verifikasi/")
    _geser(client, aktif=29 * 60)
    sebelum = client.session[KUNCI_SESI]["aktif"]
    assert client.get("/verifikasi/").status_code == 200
    assert client.session[KUNCI_SESI]["aktif"] >= sebelum + 29 * 60
    _geser(client, aktif=29 * 60)
    assert client.get("/verifikasi/").status_code == 200


def test_batas_mutlak_walau_selalu_aktif(client, bappeda):
    client.force_login(bappeda)
    client.get("/verifikasi/")
    _geser(client, mulai=8 * 3600 + 5)
    jawab = client.get("/verifikasi/")
    assert jawab.status_code == 302 and jawab["Location"].startswith(reverse("login"))


def test_batas_bisa_diatur(client, petugas_opd, settings):
    settings.SESI_PETUGAS_DIAM_DETIK = 120
    client.force_login(petugas_opd)
    client.get("/verifikasi/")
    _geser(client, aktif=100)
    assert client.get("/verifikasi/").status_code == 200
    _geser(client, aktif=125)
    assert client.get("/verifikasi/").status_code == 302


def test_staf_admin_juga_dibatasi(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    _geser(client, aktif=31 * 60)
    assert client.get(reverse("admin:index")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_warga_tidak_diberi_jam_petugas(client, warga):
    client.force_login(warga)
    assert client.get(reverse("usulan:saya")).status_code == 200
    assert KUNCI_SESI not in client.session
    assert client.session.get_expiry_age() == 1_209_600  # Django's two weeks
