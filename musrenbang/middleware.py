"""Site-wide middleware: the language, the Content-Security-Policy, and officials' two-factor
sign-in and session expiry (each class says what it does).

Language choice: Indonesian unless the person picked another language with the switch.

Many phones in Indonesia run an English system UI while their owners expect a government site in
Indonesian, so the browser's Accept-Language header is deliberately not consulted.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, Value
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from musrenbang.models import Pengguna


class BahasaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.pilihan = {kode for kode, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bahasa = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if bahasa not in self.pilihan:
            bahasa = settings.LANGUAGE_CODE
        translation.activate(bahasa)
        request.LANGUAGE_CODE = bahasa
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", bahasa)
        patch_vary_headers(response, ("Cookie",))
        return response


# --- Content-Security-Policy ---------------------------------------------------------------------
class _Nonce:
    """A per-request script nonce that remembers whether a template printed it.

    Only django-leaflet's admin widget needs one (its map set-up is an inline script); every other
    page gets a policy with no nonce at all, so no inline script can run there.
    """

    def __init__(self) -> None:
        self.nilai = secrets.token_urlsafe(18)
        self.dipakai = False

    def __str__(self) -> str:
        self.dipakai = True
        return self.nilai

    def __html__(self) -> str:
        return str(self)


def _asal_ubin() -> list[str]:
    """Origins of the configured map tiles ("https://{s}.tile.example.org/…" → "https://*.tile.example.org")."""
    asal = []
    for _nama, url, *_opsi in settings.LEAFLET_CONFIG.get("TILES") or []:
        bagian = urlsplit(str(url))
        if bagian.scheme in {"http", "https"} and bagian.netloc:
            host = re.sub(r"^\{[^}]*\}", "*", bagian.netloc)
            if "{" not in host:
                asal.append(f"{bagian.scheme}://{host}")
    return asal


class CSPMiddleware:
    """Adds a Content-Security-Policy to every response Django renders.

    Scripts and styles come only from this site: no inline script, no inline style, no eval. Images
    may also be data:/blob: URLs (Leaflet's icons, photo previews before upload) and map tiles from
    the MAP_TILES_URL host. Leaflet positions its layers through element.style, which CSP allows.
    The admin alone may use inline styles (Django's admin templates have a few) and gets a nonce
    for django-leaflet's inline map script; its scripts otherwise also come from this site only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        gambar = ["'self'", "data:", "blob:", *_asal_ubin()]
        self.dasar = {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": gambar,
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }
        if settings.CSP_REPORT_URI:
            self.dasar["report-uri"] = [settings.CSP_REPORT_URI]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = _Nonce()
        request.csp_nonce = nonce  # type: ignore[attr-defined]  # the name django-leaflet's admin reads
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        kebijakan = {k: list(v) for k, v in self.dasar.items()}
        if nonce.dipakai:
            kebijakan["script-src"].append(f"'nonce-{nonce.nilai}'")
        cocok = getattr(request, "resolver_match", None)
        if cocok is not None and "admin" in cocok.namespaces:
            kebijakan["style-src"].append("'unsafe-inline'")
        response["Content-Security-Policy"] = "; ".join(f"{k} {' '.join(v)}" for k, v in kebijakan.items())
        return response


# --- Officials: two-factor sign-in and session expiry ---------------------------------------------
KUNCI_SESI = "_musrenbang_sesi_petugas"
# A user's roles and enrolment are read once per sign-in and then kept in the cache for this long,
# so an ordinary page view costs no query; a role granted meanwhile takes effect within this time.
CEK_ULANG_DETIK = 300
# The idle clock is written to the session at most this often (each write is an UPDATE).
TULIS_AKTIVITAS_DETIK = 60
# Pages an official who still owes the second factor may open (URL names).
_BOLEH_TANPA_OTP = ("dua_faktor_daftar", "dua_faktor_verifikasi", "logout", "set_language")


def _kunci_cache(pengguna: Pengguna) -> str:
    # last_login is part of the key: every new sign-in (any browser) reads the current state afresh.
    masuk = pengguna.last_login.timestamp() if pengguna.last_login else 0
    return f"musrenbang:keamanan:{pengguna.pk}:{masuk}"


def status_keamanan(pengguna: Pengguna, *, segarkan: bool = False) -> dict[str, Any]:
    """The user's active roles and whether they have a confirmed TOTP device: {"peran", "perangkat"}.

    Cached per user and sign-in (see CEK_ULANG_DETIK); `segarkan` re-reads it after a change. Roles
    come through the `penugasan` relation, compared with settings.DUA_FAKTOR_PERAN_WAJIB, so this
    module imports nothing from verifikasi (dependencies point one way). One query when not cached.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    kunci = _kunci_cache(pengguna)
    data = None if segarkan else cache.get(kunci)
    if data is None:
        peran, perangkat = (
            get_user_model()
            .objects.filter(pk=pengguna.pk)
            .annotate(
                _peran=ArrayAgg("penugasan__peran", filter=Q(penugasan__aktif=True), distinct=True, default=Value([])),
                _perangkat=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            )
            .values_list("_peran", "_perangkat")
            .get()
        )
        data = {"peran": sorted(peran), "perangkat": perangkat}
        cache.set(kunci, data, CEK_ULANG_DETIK)
    return data


def dua_faktor_wajib(pengguna: Pengguna, data: dict[str, Any]) -> bool:
    """Whether this user must pass a TOTP code: staff, superusers and the roles named in settings."""
    if not settings.DUA_FAKTOR_WAJIB:
        return False
    return pengguna.is_staff or pengguna.is_superuser or bool(set(data["peran"]) & set(settings.DUA_FAKTOR_PERAN_WAJIB))


# The Open311 API never reads the session (a POST is authenticated by its api_key alone) and must answer
# in the spec's format: an official's browser (or a client sharing its cookies) signed in but not past the
# code step, or with an expired session, gets the API's answer, not a redirect to a sign-in page.
AWALAN_TANPA_SESI = ("/open311/",)


class KeamananPetugasMiddleware:
    """Two-factor sign-in and shorter sessions for officials.

    An official (any active Penugasan, or staff) is signed out settings.SESI_PETUGAS_DIAM_DETIK after
    their last request and settings.SESI_PETUGAS_MAKS_DETIK after their first request of the
    sign-in, whichever comes first; the two times live in the session. A user who must use
    two-factor sign-in (see `dua_faktor_wajib`), or who enrolled a device, reaches nothing but the
    two-factor pages and sign-out until a code is accepted: no official page and no admin page.
    Must come after django_otp's OTPMiddleware and Django's MessageMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self._jalur_bebas: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        pengguna = request.user
        if not pengguna.is_authenticated or request.path_info.startswith(AWALAN_TANPA_SESI):
            return self.get_response(request)
        data = status_keamanan(pengguna)
        if (data["peran"] or pengguna.is_staff or pengguna.is_superuser) and self._sesi_habis(request, pengguna):
            tujuan = request.get_full_path()
            logout(request)
            messages.info(request, _("Sesi Anda sudah berakhir demi keamanan. Silakan masuk lagi."))
            return redirect_to_login(tujuan)
        perlu_kode = data["perangkat"] or dua_faktor_wajib(pengguna, data)
        if perlu_kode and not pengguna.is_verified() and request.path_info not in self._bebas():
            tujuan = "dua_faktor_verifikasi" if data["perangkat"] else "dua_faktor_daftar"
            return HttpResponseRedirect(f"{reverse(tujuan)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _bebas(self) -> frozenset[str]:
        if self._jalur_bebas is None:
            self._jalur_bebas = frozenset(reverse(nama) for nama in _BOLEH_TANPA_OTP)
        return self._jalur_bebas

    @staticmethod
    def _sesi_habis(request: HttpRequest, pengguna: Pengguna) -> bool:
        """Check the official's two clocks and move the idle one on (True: the session is over)."""
        sekarang = int(time.time())
        sesi = request.session.get(KUNCI_SESI)
        if not sesi or sesi.get("uid") != str(pengguna.pk):
            request.session[KUNCI_SESI] = {"uid": str(pengguna.pk), "mulai": sekarang, "aktif": sekarang}
            return False
        if (
            sekarang - sesi["aktif"] > settings.SESI_PETUGAS_DIAM_DETIK
            or sekarang - sesi["mulai"] > settings.SESI_PETUGAS_MAKS_DETIK
        ):
            return True
        if sekarang - sesi["aktif"] >= TULIS_AKTIVITAS_DETIK:
            request.session[KUNCI_SESI] = {**sesi, "aktif": sekarang}
        return False
