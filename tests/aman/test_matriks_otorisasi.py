"""The authorisation matrix: every URL pattern of the project × every kind of visitor.

HARAPAN below is the explicit table. Each entry (keyed by the pattern's URL name, or its route when
it has none) says how to build a concrete URL from the shared data and what each actor gets for GET
and, where the view changes state, for POST. The admin's model pages are one family (ADMIN_MODEL ×
ADMIN_HALAMAN, requested by the AKTOR_ADMIN columns): every registered model must be listed and
every admin page kind must have a rule. A URL pattern without an entry fails
`test_setiap_url_punya_entri`, so a new URL needs a row here.

Outcomes are coarse: a status code ("200", "404", ...), "login" (302 to the sign-in page: /masuk/,
or /admin/login/ which sends there) or "302" (any other redirect). Officials outside their area get
404, never 403 (house rule): 403 appears only where Django's admin refuses its own superuser.

The data is built once for the module (real Karimun boundaries, real photos, the real transitions),
and every request runs inside a savepoint that is rolled back, so a POST that succeeds (an action,
a withdrawal, a publication) never changes what the next request sees.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from akun.models import Penugasan, Peran
from data_terbuka.models import KunciAPI
from kabar.models import Notifikasi
from musrenbang.models import AlasanKode, Bidang, Wilayah
from tests import factories, gambar
from tests.skenario import buat_usulan
from usulan.models import FotoUsulan, Status, Usulan
from verifikasi import transitions as t
from verifikasi.models import Pagu

pytestmark = pytest.mark.django_db

KODE_KABKOTA = "21.02"  # Kabupaten Karimun
KODE_DESA_A = "21.02.01.1003"  # Kelurahan Moro, kecamatan Moro
KODE_DESA_B = "21.02.05.2007"  # a desa in another kecamatan
RAHASIA = "Alasan-draf-RAHASIA-belum-terbit"

# The columns of every row of the table, in this order.
AKTOR = (
    "anonim",  # not signed in
    "warga_a",  # the resident who submitted the proposals in desa A
    "warga_b",  # another resident (proposer of the desa B proposal)
    "desa_a",  # desa operator of desa A (the proposals' desa)
    "desa_b",  # desa operator of desa B
    "kec_a",  # kecamatan of desa A (in area)
    "kec_b",  # kecamatan of desa B (out of area)
    "opd_a",  # OPD staff whose agency Bappeda asked for a recommendation on `rute`
    "opd_b",  # OPD staff of an agency nobody asked
    "bappeda",  # Bappeda of Karimun
    "admin",  # administrator of Karimun, staff and superuser
)
PERAN_AKTOR = {
    "desa_a": Peran.DESA,
    "desa_b": Peran.DESA,
    "kec_a": Peran.KECAMATAN,
    "kec_b": Peran.KECAMATAN,
    "opd_a": Peran.OPD,
    "opd_b": Peran.OPD,
    "bappeda": Peran.BAPPEDA,
    "admin": Peran.ADMIN,
}
HASIL_SAH = re.compile(r"^(login|302|[1-5]\d\d)$")


# --- The shared data ----------------------------------------------------------------------------
@dataclass
class Dunia:
    """Everything the URLs are built from. Proposals (by name, in the order of their codes), each
    with one photo:

    baru     desa A, diajukan (warga_a)
    rute     desa A, lolos_kecamatan, routed to opd_a by Bappeda (warga_a)
    kembali  desa A, dikembalikan by the desa (warga_a)
    draf     desa A, Bappeda's rejection drafted, unpublished (reason RAHASIA) (warga_a)
    lain     desa B, diajukan (warga_b)
    """

    pengguna: dict[str, Any]
    usulan: dict[str, Usulan]
    foto: dict[str, FotoUsulan]
    objek_admin: dict[str, int]
    titik: Any
    siklus: Any

    def kode(self, nama: str) -> str:
        return self.usulan[nama].kode_lacak


def _bangun() -> Dunia:
    karimun = Wilayah.objects.get(kode=KODE_KABKOTA)
    desa_a, desa_b = Wilayah.objects.get(kode=KODE_DESA_A), Wilayah.objects.get(kode=KODE_DESA_B)
    siklus = factories.buat_siklus(karimun)
    opd_a, opd_b = factories.buat_opd(), factories.buat_opd("DINKES", "Dinas Kesehatan")
    buat = factories.buat_pengguna
    p: dict[str, Any] = {"anonim": None}
    p["warga_a"], p["warga_b"] = buat("matriks_warga_a"), buat("matriks_warga_b")
    for nama, peran, tempat in (
        ("desa_a", Peran.DESA, {"wilayah": desa_a}),
        ("desa_b", Peran.DESA, {"wilayah": desa_b}),
        ("kec_a", Peran.KECAMATAN, {"wilayah": desa_a.induk}),
        ("kec_b", Peran.KECAMATAN, {"wilayah": desa_b.induk}),
        ("opd_a", Peran.OPD, {"opd": opd_a}),
        ("opd_b", Peran.OPD, {"opd": opd_b}),
        ("bappeda", Peran.BAPPEDA, {"wilayah": karimun}),
    ):
        p[nama] = buat(f"matriks_{nama}")
        factories.buat_penugasan(p[nama], peran, **tempat)
    # Not a column of the matrix: a desa A operator whose assignment was switched off (guessing test).
    p["desa_a_nonaktif"] = buat("matriks_desa_a_nonaktif")
    Penugasan.objects.create(pengguna=p["desa_a_nonaktif"], peran=Peran.DESA, wilayah=desa_a, aktif=False)
    p["admin"] = buat("matriks_admin", is_staff=True, is_superuser=True)
    factories.buat_penugasan(p["admin"], Peran.ADMIN, wilayah=karimun)
    alasan = AlasanKode.objects.get(kode="lokasi-tidak-jelas")

    u = {
        "baru": buat_usulan(p["warga_a"], siklus, desa_a, "Drainase Jalan Merdeka"),
        "rute": buat_usulan(p["warga_a"], siklus, desa_a, "Semenisasi gang Melati"),
        "kembali": buat_usulan(p["warga_a"], siklus, desa_a, "Lampu jalan Kenanga"),
        "draf": buat_usulan(p["warga_a"], siklus, desa_a, "Sumur bor Mawar"),
        "lain": buat_usulan(p["warga_b"], siklus, desa_b, "Jalan usaha tani Pongkar"),
    }
    for nama in ("rute", "draf"):
        t.teruskan(usulan_id=u[nama].pk, pelaku=p["desa_a"], peran=Peran.DESA, peringkat=1)
        t.teruskan(usulan_id=u[nama].pk, pelaku=p["kec_a"], peran=Peran.KECAMATAN, peringkat=1)
    t.minta_rekomendasi(usulan_id=u["rute"].pk, pelaku=p["bappeda"], peran=Peran.BAPPEDA, opd=[opd_a])
    t.kembalikan(
        usulan_id=u["kembali"].pk, pelaku=p["desa_a"], peran=Peran.DESA, alasan_kode=alasan, catatan="Foto buram"
    )
    t.putuskan(
        usulan_id=u["draf"].pk,
        pelaku=p["bappeda"],
        peran=Peran.BAPPEDA,
        hasil="ditolak",
        alasan=RAHASIA,
        alasan_kode=AlasanKode.objects.get(kode="tidak-sesuai-prioritas"),
    )
    for nama in u:
        u[nama].refresh_from_db()
    assert [u[n].status for n in u] == ["diajukan", "lolos_kecamatan", "dikembalikan", "ditolak", "diajukan"]
    assert u["draf"].status_publik == Status.LOLOS_KECAMATAN

    # One object of every model the admin shows, for its object pages.
    pemilik_perangkat = buat("matriks_pemilik_perangkat")  # not an actor: a confirmed device asks for a code
    mitra = buat("matriks_mitra")
    objek = {
        "auth/group": Group.objects.create(name="Matriks").pk,
        "otp_totp/totpdevice": TOTPDevice.objects.create(user=pemilik_perangkat, name="HP", confirmed=True).pk,
        "musrenbang/pengguna": p["warga_b"].pk,
        "musrenbang/wilayah": desa_a.pk,
        "musrenbang/siklus": siklus.pk,
        "musrenbang/perangkatdaerah": opd_b.pk,
        "musrenbang/bidang": Bidang.objects.get(kode="05.01").pk,
        "musrenbang/kamususulan": factories.buat_kamus(siklus).pk,
        "musrenbang/alasankode": alasan.pk,
        "data_terbuka/kunciapi": KunciAPI.objects.create(
            nama="Mitra", awalan="mus_matriks", hash_kunci=KunciAPI.hash("mus_matriks_rahasia"), pengguna=mitra
        ).pk,
        "akun/penugasan": Penugasan.objects.get(pengguna=p["desa_b"]).pk,
        "kabar/notifikasi": Notifikasi.objects.filter(usulan=u["kembali"]).values_list("pk", flat=True)[0],
        "verifikasi/pagu": Pagu.objects.create(siklus=siklus, wilayah=desa_b, jumlah=Decimal("1000000")).pk,
        "verifikasi/rekomendasiopd": u["rute"].rekomendasi.get().pk,
        "verifikasi/keputusanbappeda": u["draf"].keputusan.pk,
        "contenttype_wilayah": ContentType.objects.get_for_model(Wilayah).pk,
    }
    return Dunia(
        pengguna=p,
        usulan=u,
        foto={n: x.foto.get() for n, x in u.items()},
        objek_admin=objek,
        titik=desa_a.batas.point_on_surface,
        siklus=siklus,
    )


@pytest.fixture(scope="module")
def dunia(django_db_setup, django_db_blocker) -> Iterator[Dunia]:
    """Built once for the module inside a transaction that is rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _bangun()
        transaction.set_rollback(True)


# --- The table ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kasus:
    """One concrete URL of a pattern and the expected outcome per actor (the columns of `aktor`)."""

    url: Callable[[Dunia], str]
    get: str
    post: str | None = None  # only where the view changes state
    data: Callable[[Dunia, str], dict[str, Any]] = field(default=lambda d, aktor: {})
    aktor: tuple[str, ...] = AKTOR


def _peran(aktor: str) -> dict[str, str]:
    return {"peran": PERAN_AKTOR.get(aktor, "")}


def _rekomendasi(d: Dunia, aktor: str) -> dict[str, str]:
    peran = PERAN_AKTOR.get(aktor, "")
    return {"peran": peran, f"{peran}-rekomendasikan-layak": "1", f"{peran}-rekomendasikan-catatan": "Layak"}


SEMUA_200 = "200    200     200     200    200    200   200   200   200   200     200"
SEMUA_405 = "405    405     405     405    405    405   405   405   405   405     405"
MASUK_405 = "login  405     405     405    405    405   405   405   405   405     405"

# fmt: off
HARAPAN: dict[str, Kasus | tuple[Kasus, ...]] = {
    # column order:                  anonim warga_a warga_b desa_a desa_b kec_a kec_b opd_a opd_b bappeda admin
    # --- musrenbang/urls.py: home, accounts, two-factor
    "beranda": Kasus(lambda d: "/", get=SEMUA_200),
    "service_worker": Kasus(lambda d: "/sw.js", get=SEMUA_200),
    "manifest": Kasus(lambda d: "/manifest.webmanifest", get=SEMUA_200),
    "login": Kasus(
        lambda d: "/masuk/",
        get=SEMUA_200,
        post=SEMUA_200,  # an empty form: errors, nobody signed in or out
    ),
    "logout": Kasus(
        lambda d: "/keluar/",
        get=SEMUA_405,
        post=                           "302    302     302     302    302    302   302   302   302   302     302",
    ),
    "daftar": Kasus(
        lambda d: "/daftar/",
        get=                            "200    302     302     302    302    302   302   302   302   302     302",
        post=                           "200    302     302     302    302    302   302   302   302   302     302",
    ),
    "password_reset": Kasus(lambda d: "/kata-sandi/lupa/", get=SEMUA_200, post=SEMUA_200),
    "password_reset_done": Kasus(lambda d: "/kata-sandi/lupa/terkirim/", get=SEMUA_200),
    "password_reset_confirm": Kasus(
        lambda d: "/kata-sandi/atur-ulang/MQ/token-tebakan/",  # a guessed link: "invalid link" page
        get=SEMUA_200,
        post=SEMUA_200,
    ),
    "password_reset_complete": Kasus(lambda d: "/kata-sandi/selesai/", get=SEMUA_200),
    "password_change": Kasus(
        lambda d: "/akun/kata-sandi/",
        get=                            "login  200     200     200    200    200   200   200   200   200     200",
        post=                           "login  200     200     200    200    200   200   200   200   200     200",
    ),
    "password_change_done": Kasus(
        lambda d: "/akun/kata-sandi/selesai/",
        get=                            "login  200     200     200    200    200   200   200   200   200     200",
    ),
    "dua_faktor": Kasus(
        lambda d: "/akun/dua-faktor/",
        get=                            "login  200     200     200    200    200   200   200   200   200     200",
    ),
    "dua_faktor_daftar": Kasus(
        lambda d: "/akun/dua-faktor/daftar/",
        get=                            "login  200     200     200    200    200   200   200   200   200     200",
        post=                           "login  200     200     200    200    200   200   200   200   200     200",
    ),
    "dua_faktor_verifikasi": Kasus(
        lambda d: "/akun/dua-faktor/verifikasi/",  # no device enrolled: nothing to verify, go on
        get=                            "login  302     302     302    302    302   302   302   302   302     302",
        post=                           "login  302     302     302    302    302   302   302   302   302     302",
    ),
    "dua_faktor_matikan": Kasus(
        lambda d: "/akun/dua-faktor/matikan/",
        get=MASUK_405,
        post=                           "login  302     302     302    302    302   302   302   302   302     302",
    ),
    "admin/login/": Kasus(
        lambda d: "/admin/login/",  # the admin's own form is replaced by a redirect to /masuk/
        get=                            "login  login   login   login  login  login login login login login   login",
        post=                           "login  login   login   login  login  login login login login login   login",
    ),
    "set_language": Kasus(
        lambda d: "/i18n/setlang/",
        get=                            "302    302     302     302    302    302   302   302   302   302     302",
        post=                           "302    302     302     302    302    302   302   302   302   302     302",
        data=lambda d, a: {"language": "en", "next": "/"},
    ),
    # --- the admin site itself (its model pages: ADMIN_MODEL × ADMIN_HALAMAN below)
    "admin:index": Kasus(
        lambda d: "/admin/",
        get=                            "login  login   login   login  login  login login login login login   200",
    ),
    "admin:login": Kasus(
        lambda d: "/admin/login/",  # shadowed by the unnamed /admin/login/ above: the same redirect
        get=                            "login  login   login   login  login  login login login login login   login",
    ),
    "admin:logout": Kasus(
        lambda d: "/admin/logout/",  # to the admin's index for whoever is not (or no longer) signed in
        get=                            "302    302     302     302    302    302   302   302   302   302     405",
        post=                           "302    302     302     302    302    302   302   302   302   302     302",
    ),
    "admin:password_change": Kasus(
        lambda d: "/admin/password_change/",
        get=                            "login  login   login   login  login  login login login login login   200",
        post=                           "login  login   login   login  login  login login login login login   200",
    ),
    "admin:password_change_done": Kasus(
        lambda d: "/admin/password_change/done/",
        get=                            "login  login   login   login  login  login login login login login   200",
    ),
    "admin:autocomplete": Kasus(
        lambda d: "/admin/autocomplete/",  # without its parameters even the superuser is refused
        get=                            "login  login   login   login  login  login login login login login   403",
    ),
    "admin:jsi18n": Kasus(
        lambda d: "/admin/jsi18n/",
        get=                            "login  login   login   login  login  login login login login login   200",
    ),
    "admin:view_on_site": Kasus(
        lambda d: f"/admin/r/{d.objek_admin['contenttype_wilayah']}/{d.objek_admin['musrenbang/wilayah']}/",
        get=                            "login  login   login   login  login  login login login login login   404",
    ),
    "admin:app_list": Kasus(
        lambda d: "/admin/verifikasi/",
        get=                            "login  login   login   login  login  login login login login login   200",
    ),
    "admin/(?P<url>.*)$": Kasus(
        lambda d: "/admin/tidak-ada/",
        get=                            "login  login   login   login  login  login login login login login   404",
    ),
    # --- usulan/urls.py: the resident's pages (public tracking)
    "usulan:buat": Kasus(
        lambda d: "/usulan/baru/",
        get=                            "login  200     200     200    200    200   200   200   200   200     200",
        post=                           "login  400     400     400    400    400   400   400   400   400     400",
    ),
    "usulan:saya": Kasus(
        lambda d: "/usulan/saya/",
        get=                            "login  200     200     200    200    200   200   200   200   200     200",
    ),
    "usulan:cari": Kasus(lambda d: "/usulan/lacak/", get=SEMUA_200),
    "usulan:lacak": (
        Kasus(lambda d: f"/usulan/lacak/{d.kode('baru')}/", get=SEMUA_200, post=SEMUA_405),
        Kasus(lambda d: f"/usulan/lacak/{d.kode('draf')}/", get=SEMUA_200),
        Kasus(
            lambda d: "/usulan/lacak/2102-1999-99999/",
            get=                        "404    404     404     404    404    404   404   404   404   404     404",
        ),
    ),
    "usulan:serupa": Kasus(lambda d: f"/usulan/serupa/?lat={d.titik.y}&lon={d.titik.x}&judul=Drainase", get=SEMUA_200),
    # Photos uploaded before the proposal (JSON for the form's script: 401 rather than a login redirect).
    "usulan:unggah_foto": Kasus(
        lambda d: "/usulan/foto/",
        get=SEMUA_405,
        post=                           "401    400     400     400    400    400   400   400   400   400     400",
    ),
    "usulan:hapus_unggahan": Kasus(
        lambda d: "/usulan/foto/00000000-0000-4000-8000-000000000000/hapus/",
        get=SEMUA_405,
        post=                           "401    404     404     404    404    404   404   404   404   404     404",
    ),
    "usulan:unggahan_kecil": Kasus(
        lambda d: "/usulan/foto/00000000-0000-4000-8000-000000000000/kecil/",
        get=                            "404    404     404     404    404    404   404   404   404   404     404",
    ),
    "usulan:token_csrf": Kasus(lambda d: "/usulan/token/", get=SEMUA_200),
    # --- verifikasi/urls.py: officials (404 outside their area) and the proposer
    "verifikasi:antrian": Kasus(
        lambda d: "/verifikasi/",
        get=                            "login  404     404     200    200    200   200   200   200   200     200",
    ),
    "verifikasi:peringkat": Kasus(
        lambda d: "/verifikasi/peringkat/",
        get=                            "login  404     404     200    200    200   200   404   404   404     404",
        post=                           "login  404     404     302    302    302   302   404   404   404     404",
        data=lambda d, a: _peran(a),
    ),
    "verifikasi:terbitkan_semua": Kasus(
        lambda d: "/verifikasi/terbitkan/",
        get=MASUK_405,
        post=                           "login  404     404     404    404    404   404   404   404   302     302",
    ),
    "verifikasi:catat": Kasus(
        lambda d: "/verifikasi/catat/",
        get=                            "login  404     404     200    200    404   404   404   404   404     404",
        post=                           "login  404     404     400    400    404   404   404   404   404     404",
    ),
    "verifikasi:tinjau": (
        Kasus(
            lambda d: f"/verifikasi/u/{d.kode('rute')}/",  # routed to opd_a
            get=                        "login  404     404     200    404    200   404   200   404   200     200",
            post=MASUK_405,
        ),
        Kasus(
            lambda d: f"/verifikasi/u/{d.kode('baru')}/",  # routed to nobody yet
            get=                        "login  404     404     200    404    200   404   404   404   200     200",
        ),
        Kasus(
            lambda d: f"/verifikasi/u/{d.kode('lain')}/",  # desa B
            get=                        "login  404     404     404    200    404   200   404   404   200     200",
        ),
        Kasus(
            lambda d: "/verifikasi/u/2102-1999-99999/",
            get=                        "login  404     404     404    404    404   404   404   404   404     404",
        ),
    ),
    "verifikasi:aksi": (
        Kasus(
            lambda d: f"/verifikasi/u/{d.kode('baru')}/aksi/teruskan/",
            get=MASUK_405,
            post=                       "login  404     404     302    404    302   404   404   404   302     302",
            data=lambda d, a: _peran(a),
        ),
        Kasus(
            lambda d: f"/verifikasi/u/{d.kode('rute')}/aksi/rekomendasikan/",
            get=MASUK_405,
            post=                       "login  404     404     302    404    302   404   302   404   302     302",
            data=_rekomendasi,
        ),
        Kasus(
            lambda d: f"/verifikasi/u/{d.kode('baru')}/aksi/hapus/",  # no such action
            get=MASUK_405,
            post=                       "login  404     404     404    404    404   404   404   404   404     404",
            data=lambda d, a: _peran(a),
        ),
    ),
    "verifikasi:foto_asli": (
        Kasus(
            lambda d: f"/verifikasi/u/{d.kode('baru')}/foto/{d.foto['baru'].pk}/asli/",
            get=                        "login  404     404     200    404    200   404   404   404   200     200",
        ),
        Kasus(
            lambda d: f"/verifikasi/u/{d.kode('rute')}/foto/{d.foto['rute'].pk}/asli/",
            get=                        "login  404     404     200    404    200   404   200   404   200     200",
        ),
        Kasus(
            # a photo of desa B requested under the code of a desa A proposal
            lambda d: f"/verifikasi/u/{d.kode('baru')}/foto/{d.foto['lain'].pk}/asli/",
            get=                        "login  404     404     404    404    404   404   404   404   404     404",
        ),
    ),
    "verifikasi:perbaiki": (
        Kasus(
            lambda d: f"/verifikasi/pengusul/{d.kode('kembali')}/perbaiki/",
            get=                        "login  200     404     404    404    404   404   404   404   404     404",
            post=                       "login  400     404     404    404    404   404   404   404   404     404",
        ),
        Kasus(
            lambda d: f"/verifikasi/pengusul/{d.kode('baru')}/perbaiki/",  # not returned: back to tracking
            get=                        "login  302     404     404    404    404   404   404   404   404     404",
        ),
    ),
    "verifikasi:tarik": Kasus(
        lambda d: f"/verifikasi/pengusul/{d.kode('baru')}/tarik/",
        get=MASUK_405,
        post=                           "login  302     404     404    404    404   404   404   404   404     404",
    ),
    # --- peta/urls*.py: the public map, open data, Open311, the dashboard
    "peta:peta": Kasus(lambda d: "/peta/", get=SEMUA_200),
    "peta:data": Kasus(lambda d: "/peta/data/?bbox=103.2,0.6,103.8,1.2&zoom=10", get=SEMUA_200, post=SEMUA_405),
    "peta:popup": (
        Kasus(lambda d: f"/peta/usulan/{d.kode('draf')}/", get=SEMUA_200),
        Kasus(
            lambda d: "/peta/usulan/2102-1999-99999/",
            get=                        "404    404     404     404    404    404   404   404   404   404     404",
        ),
    ),
    "peta:batas": Kasus(lambda d: "/peta/batas/kecamatan/", get=SEMUA_200),
    "data:csv": Kasus(lambda d: "/data/usulan.csv", get=SEMUA_200),
    "data:geojson": Kasus(lambda d: "/data/usulan.geojson", get=SEMUA_200),
    "data:xlsx": Kasus(lambda d: "/data/usulan.xlsx", get=SEMUA_200),
    "data:sipd": Kasus(
        lambda d: "/data/sipd.xlsx",  # internal data: 404 for everyone else, signed in or not
        get=                            "404    404     404     404    404    404   404   404   404   200     200",
    ),
    "open311:discovery": Kasus(lambda d: "/open311/v2/discovery.json", get=SEMUA_200),
    "open311:services": Kasus(lambda d: "/open311/v2/services.xml", get=SEMUA_200),
    "open311:service": Kasus(lambda d: "/open311/v2/services/05.01.json", get=SEMUA_200),
    "open311:requests": Kasus(
        lambda d: "/open311/v2/requests.json",
        get=SEMUA_200,
        # Only an API key authorises a submission; a signed-in session (even the admin's) does not.
        post=                           "403    403     403     403    403    403   403   403   403   403     403",
    ),
    "open311:request": (
        Kasus(lambda d: f"/open311/v2/requests/{d.kode('draf')}.json", get=SEMUA_200, post=SEMUA_405),
        Kasus(
            lambda d: "/open311/v2/requests/2102-1999-99999.json",
            get=                        "404    404     404     404    404    404   404   404   404   404     404",
        ),
    ),
    # Any other path under /open311/v2/: the spec's 404 for everyone, whatever the method.
    "open311:tidak_dikenal": Kasus(
        lambda d: "/open311/v2/requests.csv",
        get=                            "404    404     404     404    404    404   404   404   404   404     404",
        post=                           "404    404     404     404    404    404   404   404   404   404     404",
    ),
    "dasbor:dasbor": Kasus(
        lambda d: "/dasbor/",
        get=                            "login  404     404     404    404    404   404   404   404   200     200",
    ),
    # --- public photo copies; the private originals sit in a sibling folder
    "media_publik": (
        Kasus(lambda d: f"/media/publik/{d.foto['baru'].web}", get=SEMUA_200),
        Kasus(
            # Climbing out of the public folder is refused (SuspiciousFileOperation) before any file is read.
            lambda d: f"/media/publik/../privat/{d.foto['baru'].asli}",
            get=                        "400    400     400     400    400    400   400   400   400   400     400",
        ),
    ),
}
# fmt: on


# --- The admin's model pages: one family ---------------------------------------------------------
# Every model registered in the admin (app_label/model_name); its object pages use objek_admin.
ADMIN_MODEL = (
    "auth/group",
    "otp_totp/totpdevice",
    "musrenbang/pengguna",
    "musrenbang/wilayah",
    "musrenbang/siklus",
    "musrenbang/perangkatdaerah",
    "musrenbang/bidang",
    "musrenbang/kamususulan",
    "musrenbang/alasankode",
    "data_terbuka/kunciapi",
    "akun/penugasan",
    "kabar/notifikasi",
    "verifikasi/pagu",
    "verifikasi/rekomendasiopd",
    "verifikasi/keputusanbappeda",
)


@dataclass(frozen=True)
class HalamanAdmin:
    """One kind of model page (by the route after admin/<app>/<model>/): the superuser's outcome;
    every other actor is sent to the sign-in page (no official is staff)."""

    get: str
    post: str | None = None
    data: dict[str, str] = field(default_factory=dict)
    hanya: str | None = None  # the only model with this page


ADMIN_HALAMAN = {
    "": HalamanAdmin(get="200"),
    "add/": HalamanAdmin(get="200", post="200"),  # an empty form: errors
    "<path:object_id>/": HalamanAdmin(get="302"),  # old-style URL, redirects to change/
    "<path:object_id>/change/": HalamanAdmin(get="200", post="200"),
    "<path:object_id>/history/": HalamanAdmin(get="200"),
    "<path:object_id>/delete/": HalamanAdmin(get="200", post="302", data={"post": "yes"}),
    "<id>/password/": HalamanAdmin(get="200", post="200", hanya="musrenbang/pengguna"),
    # django-otp's config/ and qrcode/ pages (a device's secret) are not offered (akun/admin.py).
}
# Where the superuser's outcome differs from ADMIN_HALAMAN: read-only models (written only by the flow
# or a management command) refuse add/change/delete; PROTECTed objects show "cannot delete".
ADMIN_PENGECUALIAN: dict[tuple[str, str, str], str] = {
    ("data_terbuka/kunciapi", "add/", "get"): "403",
    ("data_terbuka/kunciapi", "add/", "post"): "403",
    # Devices are enrolled on the site with an enrolment code only; the admin lists and deletes them.
    ("otp_totp/totpdevice", "add/", "get"): "403",
    ("otp_totp/totpdevice", "add/", "post"): "403",
    ("otp_totp/totpdevice", "<path:object_id>/change/", "post"): "403",
    ("kabar/notifikasi", "add/", "get"): "403",
    ("kabar/notifikasi", "add/", "post"): "403",
    ("kabar/notifikasi", "<path:object_id>/change/", "post"): "403",
    ("kabar/notifikasi", "<path:object_id>/delete/", "get"): "403",
    ("kabar/notifikasi", "<path:object_id>/delete/", "post"): "403",
    ("verifikasi/rekomendasiopd", "add/", "get"): "403",
    ("verifikasi/rekomendasiopd", "add/", "post"): "403",
    ("verifikasi/rekomendasiopd", "<path:object_id>/change/", "post"): "403",
    ("verifikasi/rekomendasiopd", "<path:object_id>/delete/", "get"): "403",
    ("verifikasi/rekomendasiopd", "<path:object_id>/delete/", "post"): "403",
    ("verifikasi/keputusanbappeda", "add/", "get"): "403",
    ("verifikasi/keputusanbappeda", "add/", "post"): "403",
    ("verifikasi/keputusanbappeda", "<path:object_id>/change/", "post"): "403",
    ("verifikasi/keputusanbappeda", "<path:object_id>/delete/", "get"): "403",
    ("verifikasi/keputusanbappeda", "<path:object_id>/delete/", "post"): "403",
    ("musrenbang/pengguna", "<path:object_id>/delete/", "post"): "200",
    ("musrenbang/wilayah", "<path:object_id>/delete/", "post"): "200",
    ("musrenbang/siklus", "<path:object_id>/delete/", "post"): "200",
    ("musrenbang/bidang", "<path:object_id>/delete/", "post"): "200",
    ("musrenbang/perangkatdaerah", "<path:object_id>/delete/", "post"): "200",
    ("musrenbang/alasankode", "<path:object_id>/delete/", "post"): "200",
}
POLA_MODEL_ADMIN = re.compile(r"^admin/(?P<model>[a-z0-9_]+/[a-z0-9_]+)/(?P<sisa>.*)$")


# The admin decides with one gate for all model pages (AdminSite.has_permission: an active staff
# account), whatever the person's roles: no official is staff. The site-level rows in HARAPAN check
# that gate for every actor; the model pages are requested by these columns, the non-staff ones being
# the anonymous visitor, a resident and the most powerful official who is not staff.
AKTOR_ADMIN = ("anonim", "warga_a", "bappeda", "admin")


def _hanya_admin(hasil: str) -> str:
    """A row of AKTOR_ADMIN where only the superuser gets in: the others go to the sign-in page."""
    return " ".join(["login"] * (len(AKTOR_ADMIN) - 1) + [hasil])


# --- Walking the URLconf ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Pola:
    rute: str
    nama: str | None

    @property
    def kunci(self) -> str:
        return self.nama or self.rute


def semua_pola(resolver: URLResolver | None = None, awalan: str = "", ns: str = "") -> Iterator[Pola]:
    """Every URL pattern of the project, with namespaces, the included routes joined."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from semua_pola(p, awalan + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
        else:
            assert isinstance(p, URLPattern)
            yield Pola(rute=awalan + str(p.pattern), nama=f"{ns}{p.name}" if p.name else None)


def _halaman_admin(pola: Pola) -> tuple[str, str] | None:
    """(model, page kind) of an admin model page, or None for anything else."""
    if pola.kunci in HARAPAN:
        return None
    cocok = POLA_MODEL_ADMIN.match(pola.rute)
    return (cocok["model"], cocok["sisa"]) if cocok else None


def _kasus_admin(model: str, sisa: str) -> Kasus:
    halaman = ADMIN_HALAMAN[sisa]
    get = ADMIN_PENGECUALIAN.get((model, sisa, "get"), halaman.get)
    post = ADMIN_PENGECUALIAN.get((model, sisa, "post"), halaman.post) if halaman.post else None

    def url(d: Dunia) -> str:
        obj = str(d.objek_admin[model])
        return f"/admin/{model}/" + re.sub(r"<[^>]+>", obj, sisa)

    return Kasus(
        url,
        get=_hanya_admin(get),
        post=_hanya_admin(post) if post else None,
        data=lambda d, a: dict(halaman.data),
        aktor=AKTOR_ADMIN,
    )


def daftar_kasus() -> list[tuple[str, Kasus]]:
    """Every (pattern key, case) to request: the table's rows and the admin family's pages."""
    hasil: list[tuple[str, Kasus]] = []
    for pola in semua_pola():
        if (halaman := _halaman_admin(pola)) is not None:
            hasil.append((pola.rute, _kasus_admin(*halaman)))
            continue
        entri = HARAPAN[pola.kunci]
        hasil.extend((pola.kunci, k) for k in (entri if isinstance(entri, tuple) else (entri,)))
    return hasil


# --- Requests ----------------------------------------------------------------------------------------
def _kelas(jawab) -> str:
    if jawab.status_code == 302:
        return "login" if urlsplit(jawab["Location"]).path in ("/masuk/", "/admin/login/") else "302"
    return str(jawab.status_code)


_ALAMAT = itertools.count()


class Klien:
    """One signed-in test client per actor. Every request runs inside a savepoint that is rolled back,
    with the cookies the client had right after signing in: a POST that signs out, switches the
    language or succeeds leaves nothing behind for the next request."""

    def __init__(self, d: Dunia, aktor: str):
        # Each client its own address: the per-address limits on sign-up and reset never add up.
        self.client = Client(REMOTE_ADDR=f"10.61.0.{next(_ALAMAT) % 250 + 1}")
        if d.pengguna[aktor] is not None:
            self.client.force_login(d.pengguna[aktor])
        self.kue = SimpleCookie(self.client.cookies.output(header="", sep="\n"))

    def minta(self, metode: str, url: str, data: dict[str, Any] | None = None):
        self.client.cookies = SimpleCookie(self.kue.output(header="", sep="\n"))
        with transaction.atomic():
            jawab = getattr(self.client, metode)(url, data or {})
            # The body is read here (a stream inside the savepoint); the test client then closes it and
            # its file. Never call response.close() again: outside the client it fires request_finished,
            # which closes the database connection inside the module's transaction.
            jawab.isi = b"".join(jawab.streaming_content) if jawab.streaming else jawab.content
            transaction.set_rollback(True)
        return jawab


def _kolom(baris: str, aktor: tuple[str, ...] = AKTOR) -> dict[str, str]:
    nilai = baris.split()
    assert len(nilai) == len(aktor), f"{len(nilai)} columns instead of {len(aktor)}: {baris!r}"
    assert all(HASIL_SAH.match(v) for v in nilai), baris
    return dict(zip(aktor, nilai, strict=True))


def _jalankan(d: Dunia, kasus: list[tuple[str, Kasus]]) -> list[str]:
    beda: list[str] = []
    klien = {a: Klien(d, a) for a in AKTOR}
    for kunci, k in kasus:
        url = k.url(d)
        for metode, baris in (("get", k.get), ("post", k.post)):
            if baris is None:
                continue
            for aktor, harap in _kolom(baris, k.aktor).items():
                data = k.data(d, aktor) if metode == "post" else None
                hasil = _kelas(klien[aktor].minta(metode, url, data))
                if hasil != harap:
                    beda.append(f"{metode.upper():4} {url:60} {aktor:8} expected {harap:5} got {hasil}  [{kunci}]")
    return beda


# --- Tests --------------------------------------------------------------------------------------------
def test_setiap_url_punya_entri():
    """Every pattern has a row (or an admin family rule), and every row still names a pattern."""
    pola = list(semua_pola())
    kunci = [p.kunci for p in pola]
    assert len(kunci) == len(set(kunci)), "two patterns share a key"
    tanpa_entri = []
    for p in pola:
        halaman = _halaman_admin(p)
        if halaman is None:
            if p.kunci not in HARAPAN:
                tanpa_entri.append(f"{p.kunci}  ({p.rute})")
            continue
        model, sisa = halaman
        aturan = ADMIN_HALAMAN.get(sisa)
        if model not in ADMIN_MODEL or aturan is None or aturan.hanya not in (None, model):
            tanpa_entri.append(f"admin page {model} {sisa!r}  ({p.rute})")
    assert tanpa_entri == [], "URL patterns without an entry in the matrix:\n" + "\n".join(tanpa_entri)
    basi = sorted(set(HARAPAN) - set(kunci))
    assert basi == [], f"rows for patterns that no longer exist: {basi}"
    model_terdaftar = {m["model"] for p in pola if (m := POLA_MODEL_ADMIN.match(p.rute)) and p.kunci not in HARAPAN}
    assert sorted(set(ADMIN_MODEL) - model_terdaftar) == [], "ADMIN_MODEL lists a model the admin no longer has"
    for entri in HARAPAN.values():
        for k in entri if isinstance(entri, tuple) else (entri,):
            _kolom(k.get)
            if k.post:
                _kolom(k.post)


def test_matriks_halaman(dunia):
    """Every non-admin URL × every actor, GET and (where state changes) POST."""
    cache.clear()  # rate-limit counters of earlier tests must not turn a 200 into a 429
    kasus = [(kunci, k) for kunci, k in daftar_kasus() if not kunci.startswith("admin")]
    beda = _jalankan(dunia, kasus)
    assert beda == [], f"{len(beda)} outcomes differ from the matrix:\n" + "\n".join(beda)


def test_matriks_admin(dunia):
    """Every admin URL × every actor: only the superuser gets in, and read-only models stay read-only."""
    cache.clear()
    kasus = [(kunci, k) for kunci, k in daftar_kasus() if kunci.startswith("admin")]
    assert len(kasus) > 90
    beda = _jalankan(dunia, kasus)
    assert beda == [], f"{len(beda)} outcomes differ from the matrix:\n" + "\n".join(beda)


# Which proposals each official may open (by name, see Dunia); everyone else: none.
TERLIHAT = {
    "warga_a": set(),
    "warga_b": set(),
    "desa_a": {"baru", "rute", "kembali", "draf"},
    "desa_b": {"lain"},
    "desa_a_nonaktif": set(),  # an assignment switched off grants nothing
    "kec_a": {"baru", "rute", "kembali", "draf"},
    "kec_b": {"lain"},
    "opd_a": {"rute"},
    "opd_b": set(),
    "bappeda": {"baru", "rute", "kembali", "draf", "lain"},
    "admin": {"baru", "rute", "kembali", "draf", "lain"},
}


def test_menebak_kode_dan_foto_tidak_sampai(dunia):
    """Tracking codes are sequential and photo ids are serial: trying the neighbours of what one
    knows reaches only what one may open anyway; everything else is a 404 (not a 403)."""
    cache.clear()
    d = dunia
    nama_kode = {u.kode_lacak: n for n, u in d.usulan.items()}
    awalan = d.kode("baru").rsplit("-", 1)[0]
    nomor = sorted(int(k.rsplit("-", 1)[1]) for k in nama_kode)
    tebakan_kode = [f"{awalan}-{n:05d}" for n in range(1, nomor[-1] + 2)]
    # Every photo id there is (they are consecutive) and the next one, under every code.
    id_foto = sorted(f.pk for f in d.foto.values())
    tebakan_foto = [*id_foto, id_foto[-1] + 1]
    pemilik_foto = {f.pk: n for n, f in d.foto.items()}
    beda = []
    for aktor, terlihat in TERLIHAT.items():
        klien = Klien(d, aktor)
        for kode in tebakan_kode:
            nama = nama_kode.get(kode)
            boleh = nama in terlihat
            harap = "200" if boleh else "404"
            if (hasil := _kelas(klien.minta("get", f"/verifikasi/u/{kode}/"))) != harap:
                beda.append(f"{aktor} tinjau {kode} ({nama}): expected {harap}, got {hasil}")
            jawab = klien.minta("post", f"/verifikasi/u/{kode}/aksi/teruskan/", _peran(aktor))
            if (hasil := _kelas(jawab)) != ("302" if boleh else "404"):
                beda.append(f"{aktor} aksi {kode} ({nama}): expected {'302' if boleh else '404'}, got {hasil}")
            for foto_id in tebakan_foto if nama else id_foto[:1]:
                harap = "200" if boleh and pemilik_foto.get(foto_id) == nama else "404"
                url = f"/verifikasi/u/{kode}/foto/{foto_id}/asli/"
                if (hasil := _kelas(klien.minta("get", url))) != harap:
                    beda.append(f"{aktor} foto {kode} ({nama}) #{foto_id}: expected {harap}, got {hasil}")
        # The proposer's pages answer only to the account that submitted the proposal.
        for nama, u in d.usulan.items():
            milik = u.pengguna_id == d.pengguna[aktor].pk
            url = f"/verifikasi/pengusul/{u.kode_lacak}/perbaiki/"
            hasil = _kelas(klien.minta("get", url))
            if (hasil == "404") == milik:
                beda.append(f"{aktor} perbaiki {nama}: got {hasil} (owner: {milik})")
    assert beda == [], "\n".join(beda)


def test_keputusan_belum_terbit_tidak_terlihat(dunia):
    """Bappeda's drafted rejection (status ditolak, reason RAHASIA) stays invisible to the public and
    to the proposer on every public output, until it is published."""
    cache.clear()
    d = dunia
    kode = d.kode("draf")
    for aktor in ("anonim", "warga_a", "warga_b"):
        klien = Klien(d, aktor)
        halaman = {
            "lacak": f"/usulan/lacak/{kode}/",
            "popup": f"/peta/usulan/{kode}/",
            "open311": f"/open311/v2/requests/{kode}.json",
            "csv": "/data/usulan.csv",
            "geojson": "/data/usulan.geojson",
            "serupa": f"/usulan/serupa/?lat={d.titik.y}&lon={d.titik.x}&judul=Sumur",
            "peta": "/peta/?" + urlencode({"q": "Sumur"}),
        }
        if aktor != "anonim":
            halaman["saya"] = "/usulan/saya/"
        for nama, url in halaman.items():
            jawab = klien.minta("get", url)
            assert jawab.status_code == 200, (aktor, nama)
            teks = jawab.isi.decode()
            assert RAHASIA not in teks, (aktor, nama)
            assert "lencana--ditolak" not in teks, (aktor, nama)
            if nama == "open311":
                assert json.loads(teks)[0]["status"] == "open"
            if nama == "csv":
                baris = {b["kode_lacak"]: b for b in csv.DictReader(io.StringIO(teks.lstrip("\ufeff")))}
                assert baris[kode]["status"] == Status.LOLOS_KECAMATAN
    # Out-of-area officials and the OPD nobody asked do not reach the draft either.
    for aktor in ("desa_b", "kec_b", "opd_a", "opd_b"):
        assert Klien(d, aktor).minta("get", f"/verifikasi/u/{kode}/").status_code == 404, aktor
    # The check can see a published decision: once Bappeda publishes, the reason is public.
    with transaction.atomic():
        t.terbitkan(usulan_id=d.usulan["draf"].pk, pelaku=d.pengguna["bappeda"], peran=Peran.BAPPEDA)
        teks = Client().get(f"/usulan/lacak/{kode}/").content.decode()
        transaction.set_rollback(True)
    assert RAHASIA in teks and "lencana--ditolak" in teks


def _pesan_aksi(d: Dunia, aktor: str, kode: str, nama: str, data: dict[str, Any]) -> tuple[str, list[str]]:
    """POST one action, follow to the review page, roll back; (status of the POST, messages shown)."""
    klien = Klien(d, aktor).client
    with transaction.atomic():
        jawab = klien.post(f"/verifikasi/u/{kode}/aksi/{nama}/", data)
        pesan = [str(m) for m in klien.get(jawab["Location"]).context["messages"]] if jawab.status_code == 302 else []
        transaction.set_rollback(True)
    return _kelas(jawab), pesan


def test_gabung_ke_draf_luar_wilayah_tidak_membocorkan(dunia):
    """A desa may merge a duplicate into a proposal across its border (the review page suggests
    nearby ones of any desa), so the target is looked up beyond its area. Whether that target is
    "still alive" must then be judged by its public status: the desa B operator cannot open `draf`
    and must not learn of Bappeda's unpublished rejection from the refusal of a merge."""
    cache.clear()
    d = dunia
    alasan = AlasanKode.objects.get(kode="duplikat").pk

    def gabung(peran: str, ke: str) -> dict[str, str]:
        awal = f"{peran}-gabungkan"
        return {"peran": peran, f"{awal}-alasan_kode": alasan, f"{awal}-catatan": "Sama", f"{awal}-ke_kode": ke}

    # Out of area: the draft answers exactly like another proposal the public sees at lolos_kecamatan.
    ke_draf = _pesan_aksi(d, "desa_b", d.kode("lain"), "gabungkan", gabung("desa", d.kode("draf")))
    ke_rute = _pesan_aksi(d, "desa_b", d.kode("lain"), "gabungkan", gabung("desa", d.kode("rute")))
    assert ke_draf[0] == ke_rute[0] == "302"
    assert [p.replace(d.kode("draf"), "X") for p in ke_draf[1]] == [p.replace(d.kode("rute"), "X") for p in ke_rute[1]]
    assert not any("ditolak" in p for p in ke_draf[1]), ke_draf[1]
    # In area the official sees the draft on the review page anyway, and is told it is rejected.
    status, pesan = _pesan_aksi(d, "desa_a", d.kode("baru"), "gabungkan", gabung("desa", d.kode("draf")))
    assert status == "302" and any("sudah ditolak" in p for p in pesan), pesan


def test_catat_di_luar_desa_ditolak(dunia):
    """An operator files proposals on behalf of residents of their own desa only: a point in desa A
    filed by the desa B operator is refused (and nothing is written); desa A's operator may file it."""
    cache.clear()
    d = dunia

    def isi() -> dict[str, Any]:
        foto = gambar.jpeg(lat=d.titik.y, lon=d.titik.x, penanda="catat")
        return {
            "judul": "Rehab posyandu Melati",
            "permasalahan": "Atap bocor.",
            "uraian": "Ganti atap.",
            "jenis_pengusul": "rt",
            "nama_pengusul": "RT 03",
            "bidang": Bidang.objects.get(kode="05.01").pk,
            "volume": "1",
            "satuan": "paket",
            "alamat": "Jl. Melati",
            "lat": f"{d.titik.y:.6f}",
            "lon": f"{d.titik.x:.6f}",
            "foto": [SimpleUploadedFile("c.jpg", foto, "image/jpeg")],
        }

    sebelum = Usulan.objects.count()
    jawab = Klien(d, "desa_b").minta("post", "/verifikasi/catat/", isi())
    assert jawab.status_code == 400 and "di luar desa/kelurahan Anda" in jawab.isi.decode()
    assert Usulan.objects.count() == sebelum
    jawab = Klien(d, "desa_a").minta("post", "/verifikasi/catat/", isi())
    assert _kelas(jawab) == "302" and jawab["Location"].startswith("/verifikasi/u/")
