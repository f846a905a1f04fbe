"""Site-wide middleware: the language and the Content-Security-Policy (each class says what it does).
Officials' two-factor sign-in and session expiry are accounts' business: akun.middleware.

Language choice: Indonesian unless the person picked another language with the switch.

Many phones in Indonesia run an English system UI while their owners expect a government site in
Indonesian, so the browser's Accept-Language header is deliberately not consulted.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
