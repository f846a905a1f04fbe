"""Every page carries a Content-Security-Policy without inline scripts, and the security headers.

The pages themselves are checked too: no inline script, style or event handler that the policy would block.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.skenario import buat_usulan

pytestmark = pytest.mark.django_db

# An inline <script> is one without src; JSON data blocks (json_script) are not executed.
SKRIP_SEBARIS = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
PENANGAN_SEBARIS = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def _kebijakan(jawab) -> dict[str, list[str]]:
    hasil = {}
    for bagian in jawab["Content-Security-Policy"].split(";"):
        nama, *nilai = bagian.split()
        hasil[nama] = nilai
    return hasil


def _halaman_publik_dan_petugas(client, warga, operator_desa, siklus, desa) -> dict[str, object]:
    usulan = buat_usulan(warga, siklus, desa)
    halaman = {
        "beranda": Client().get(reverse("beranda")),
        "masuk": Client().get(reverse("login")),
        "lacak": Client().get(reverse("usulan:lacak", args=[usulan.kode_lacak])),
        "404": Client().get("/tidak-ada/"),
    }
    client.force_login(warga)
    halaman["buat"] = client.get(reverse("usulan:buat"))
    client.force_login(operator_desa)
    halaman["antrian"] = client.get(reverse("verifikasi:antrian"))
    halaman["tinjau"] = client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak]))
    halaman["dua_faktor"] = client.get(reverse("dua_faktor_daftar"))
    return halaman


def test_halaman_situs_tanpa_skrip_atau_gaya_sebaris(client, warga, operator_desa, siklus, desa):
    for nama, jawab in _halaman_publik_dan_petugas(client, warga, operator_desa, siklus, desa).items():
        assert jawab.status_code == (404 if nama == "404" else 200), nama
        kebijakan = _kebijakan(jawab)
        assert kebijakan["script-src"] == ["'self'"], nama
        assert kebijakan["style-src"] == ["'self'"], nama
        assert kebijakan["default-src"] == ["'self'"]
        assert kebijakan["object-src"] == ["'none'"]
        assert kebijakan["frame-ancestors"] == ["'none'"]
        assert kebijakan["base-uri"] == ["'self'"] and kebijakan["form-action"] == ["'self'"]
        assert kebijakan["img-src"] == ["'self'", "data:", "blob:"]  # no tiles configured in tests
        teks = jawab.content.decode()
        assert not SKRIP_SEBARIS.search(teks), nama
        assert "<style" not in teks and ' style="' not in teks, nama
        assert not PENANGAN_SEBARIS.search(teks), nama


def test_header_keamanan(client):
    jawab = client.get(reverse("beranda"))
    assert jawab["X-Frame-Options"] == "DENY"
    assert jawab["Referrer-Policy"] == "same-origin"
    assert jawab["X-Content-Type-Options"] == "nosniff"
    assert jawab["Cross-Origin-Opener-Policy"] == "same-origin"


def test_admin_peta_leaflet_memakai_nonce(client, admin_user, desa):
    client.force_login(admin_user)
    jawab = client.get(reverse("admin:musrenbang_wilayah_change", args=[desa.pk]))
    assert jawab.status_code == 200
    kebijakan = _kebijakan(jawab)
    nonce = [s for s in kebijakan["script-src"] if s.startswith("'nonce-")]
    assert len(nonce) == 1 and "'unsafe-inline'" not in kebijakan["script-src"]
    nilai = nonce[0][len("'nonce-") : -1]
    sebaris = SKRIP_SEBARIS.findall(jawab.content.decode())
    assert sebaris, "django-leaflet's widget has inline map scripts"
    assert all(f'nonce="{nilai}"' in tag for tag in sebaris)
    # Django's admin templates have a few inline styles; only the admin allows them.
    assert kebijakan["style-src"] == ["'self'", "'unsafe-inline'"]
    # A fresh nonce on every response.
    lagi = _kebijakan(client.get(reverse("admin:musrenbang_wilayah_change", args=[desa.pk])))
    assert lagi["script-src"] != kebijakan["script-src"]


def test_halaman_admin_tanpa_peta_tanpa_nonce(client, admin_user):
    client.force_login(admin_user)
    kebijakan = _kebijakan(client.get(reverse("admin:index")))
    assert kebijakan["script-src"] == ["'self'"]


def test_host_ubin_peta_diizinkan_untuk_gambar(settings, db):
    settings.LEAFLET_CONFIG = {
        **settings.LEAFLET_CONFIG,
        "TILES": [
            ("Peta", "https://{s}.tile.contoh.test/{z}/{x}/{y}.png", {}),
            ("Lain", "https://ubin.test/{z}.png", {}),
        ],
    }
    kebijakan = _kebijakan(Client().get(reverse("beranda")))  # a new client builds the middleware anew
    assert kebijakan["img-src"] == ["'self'", "data:", "blob:", "https://*.tile.contoh.test", "https://ubin.test"]
    assert kebijakan["script-src"] == ["'self'"]


def test_alamat_laporan_pelanggaran(settings, db):
    settings.CSP_REPORT_URI = "/laporan-csp/"
    assert _kebijakan(Client().get(reverse("beranda")))["report-uri"] == ["/laporan-csp/"]
