"""Issue 9 point 5: no template syntax reaches a visitor's HTML.

Django's `{# … #}` comment works on one line only; a two-line one is printed to every visitor (it was,
below the map). So every page rendered from our templates is fetched (every named URL outside the
admin, with real codes, as an anonymous visitor, as the proposer, as a desa operator and as a Bappeda
planner past the code step, plus form errors, the 429 page and the error pages) and none may contain
`{#`, `#}`, `{{` or `{%`. The pages fetched must together have used every HTML template we ship, so a
template added later is checked too.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from akun.models import Peran
from musrenbang.models import AlasanKode
from tests import factories
from tests.aman.dua_faktor_uji import kode, perangkat_aktif
from usulan.services import usulan_buat
from verifikasi import transitions as t

SISA = ("{#", "#}", "{{", "{%")
TEMPLAT = Path(settings.BASE_DIR) / "templates"


def templat_html() -> set[str]:
    return {str(p.relative_to(TEMPLAT)) for p in TEMPLAT.rglob("*.html")}


def test_pola_sisa_dikenali():
    # The check below would have caught the comment that reached /peta/.
    bocor = "<p>{# Below the map, so a phone shows\n the map first #}</p>"
    assert [s for s in SISA if s in bocor] == ["{#", "#}"]


@pytest.fixture
def dunia(siklus, warga, operator_desa, bappeda, isi_usulan, foto_moro):
    diajukan = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro("a")])
    # The same title at the same point: each is the other's duplicate hint.
    kembali = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro("b")])
    t.kembalikan(
        usulan_id=kembali.pk,
        pelaku=operator_desa,
        peran=Peran.DESA,
        alasan_kode=AlasanKode.objects.get(kode="dokumen-tidak-lengkap"),
        catatan="Lengkapi foto lokasi.",
    )
    return {"diajukan": diajukan, "kembali": kembali}


def _url_bernama(dunia, warga) -> list[str]:
    """Every named URL outside the admin, its arguments filled with the world's values."""
    kode_lacak = dunia["kembali"].kode_lacak
    foto = dunia["diajukan"].foto.first()
    argumen = {
        "kode": kode_lacak,
        "tingkat": "desa",
        "nama": "teruskan",
        "foto_id": foto.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(warga.pk)),
        "token": default_token_generator.make_token(warga),
        "format": "json",
        "jalur": "tidak-ada.json",
        "path": foto.url_web.removeprefix("/media/publik/"),
    }
    hasil = []

    def jalan(resolver, ruang: str) -> None:
        for pola in resolver.url_patterns:
            if hasattr(pola, "url_patterns"):
                if pola.namespace != "admin":
                    jalan(pola, f"{ruang}{pola.namespace}:" if pola.namespace else ruang)
            elif pola.name:
                nilai = {n: argumen[n] for n in pola.pattern.regex.groupindex}
                try:
                    hasil.append(reverse(ruang + pola.name, kwargs=nilai))
                except NoReverseMatch:
                    # A photo upload's token is a UUID, the password reset's is not: one name, two shapes.
                    hasil.append(reverse(ruang + pola.name, kwargs={**nilai, "token": str(uuid.uuid4())}))

    jalan(get_resolver(), "")
    return hasil


def _periksa(klien: Client, url: str, terpakai: set[str], *, post: dict | None = None) -> None:
    respons = klien.post(url, post, follow=True) if post is not None else klien.get(url, follow=True)
    assert respons.status_code < 500, url
    terpakai.update(tpl.name for tpl in respons.templates if tpl.name)
    if "html" not in respons.get("Content-Type", ""):
        return
    isi = b"".join(respons.streaming_content) if respons.streaming else respons.content
    teks = isi.decode()
    sisa = [s for s in SISA if s in teks]
    assert sisa == [], (url, sisa, teks[max(0, teks.find(sisa[0]) - 200) : teks.find(sisa[0]) + 200] if sisa else "")


def test_tidak_ada_sintaks_templat_di_halaman(dunia, settings, warga, operator_desa, bappeda):
    settings.DUA_FAKTOR_WAJIB = True
    urls = _url_bernama(dunia, warga)
    terpakai: set[str] = set()

    anonim = Client()
    inggris = Client()
    inggris.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    pengusul = Client()
    pengusul.force_login(warga)
    desa = Client()
    desa.force_login(operator_desa)

    # Bappeda past the two-step code: the dashboard and the publishing page.
    perangkat = perangkat_aktif(bappeda)
    planner = Client()
    planner.post(reverse("login"), {"username": "bappeda", "password": "kata-sandi-uji-123"})
    assert planner.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat)}).status_code == 302

    for klien in (anonim, inggris, pengusul, desa, planner):
        for url in urls:
            if url == reverse("logout"):
                continue  # signing out would end the session the next URLs need
            _periksa(klien, url, terpakai)
    # A proposal with actions for the desa, its duplicate hints, and the form's hints.
    diajukan = dunia["diajukan"]
    _periksa(desa, reverse("verifikasi:tinjau", args=[diajukan.kode_lacak]), terpakai)
    serupa = f"?lat={diajukan.lokasi.y}&lon={diajukan.lokasi.x}&judul={diajukan.judul}"
    _periksa(pengusul, reverse("usulan:serupa") + serupa, terpakai)
    # The two-step pages of an official who has not switched it on yet, and a code step.
    _periksa(desa, reverse("dua_faktor_daftar"), terpakai)
    tanpa_kode = Client()
    perangkat_aktif(operator_desa)
    tanpa_kode.post(reverse("login"), {"username": "operator_desa", "password": "kata-sandi-uji-123"})
    _periksa(tanpa_kode, reverse("dua_faktor_verifikasi"), terpakai)

    # A planner who has no app yet: the enrolment-code step, with a wrong code.
    staf = factories.buat_pengguna("staf_baru", is_staff=True)
    baru = Client()
    baru.force_login(staf)
    _periksa(baru, reverse("dua_faktor_daftar"), terpakai, post={"kode_pendaftaran": "SALAH"})

    # Forms with errors, the 429 page and an unknown address.
    for klien in (anonim, inggris):
        _periksa(klien, reverse("login"), terpakai, post={"username": "tidak-ada", "password": "salah"})
        _periksa(klien, reverse("daftar"), terpakai, post={"nama_lengkap": "", "email": "bukan-email"})
        _periksa(klien, reverse("usulan:cari"), terpakai, post={"kode": "%%%"})
        _periksa(klien, reverse("usulan:lacak", args=["TIDAK-ADA-123"]), terpakai)
        _periksa(klien, "/halaman/yang/tidak/ada/", terpakai)
    _periksa(pengusul, reverse("usulan:buat"), terpakai, post={"judul": ""})
    _periksa(pengusul, reverse("password_change"), terpakai, post={"old_password": "salah"})
    settings.BATAS_RESET_PER_JAM_IP = 0
    _periksa(anonim, reverse("password_reset"), terpakai, post={"email": "siapa@contoh.test"})

    # The admin's page with the enrolment codes it just issued.
    pengurus = factories.buat_pengguna("pengurus", is_staff=True, is_superuser=True)
    perangkat_pengurus = perangkat_aktif(pengurus)
    di_admin = Client()
    di_admin.post(reverse("login"), {"username": "pengurus", "password": "kata-sandi-uji-123"})
    assert di_admin.post(reverse("dua_faktor_verifikasi"), {"kode": kode(perangkat_pengurus)}).status_code == 302
    aksi = {"action": "buat_kode_dua_langkah", "_selected_action": [bappeda.pk]}
    _periksa(di_admin, reverse("admin:musrenbang_pengguna_changelist"), terpakai, post=aksi)

    # Together these pages used every HTML template shipped.
    assert templat_html() - terpakai == set()
