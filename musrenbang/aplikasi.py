"""The installable web app: its manifest and the service worker that opens residents' pages offline.

Both are served from the site root (the worker's scope is the directory it is served from) and are
rendered, not static: the worker names the hashed static URLs of this deployment, so a deploy that
changes an asset changes the worker, which replaces its caches.
"""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Assets every resident page needs; they are cached when the worker installs.
ASET = (
    "css/musrenbang.css",
    "img/favicon.svg",
    "img/ikon-192.png",
    "img/ikon-512.png",
    "leaflet/leaflet.css",
    "leaflet/leaflet.js",
    "leaflet/images/marker-icon.png",
    "leaflet/images/marker-icon-2x.png",
    "leaflet/images/marker-shadow.png",
    "usulan/usulan_form.js",
    "usulan/foto_kecil.js",
    "usulan/draf.js",
    "usulan/peta_kecil.js",
    "aplikasi/pasang.js",
)


def halaman_warga() -> list[str]:
    """Residents' pages opened offline: home, the form, "Usulan saya", the tracking search. Tracking
    pages (/usulan/lacak/KODE/) are kept once visited. Officials' pages never: they hold others' data."""
    return [reverse("beranda"), reverse("usulan:buat"), reverse("usulan:saya"), reverse("usulan:cari")]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """GET /sw.js: the service worker (scope: the whole site; it caches only what halaman_warga names)."""
    aset = [static(a) for a in ASET]
    halaman = halaman_warga()
    batas = reverse("peta:batas", args=["kabkota"])
    versi = hashlib.sha256(json.dumps([aset, halaman, batas]).encode() + _SW_VERSI).hexdigest()[:16]
    teks = render_to_string(
        "aplikasi/sw.js",
        {
            "versi": versi,
            "aset_json": json.dumps(aset),
            "halaman_json": json.dumps(halaman),
            "batas_json": json.dumps(batas),
            "lacak_json": json.dumps(reverse("usulan:cari")),
            "draf_js": static("usulan/draf.js"),
        },
    )
    respons = HttpResponse(teks, content_type="application/javascript; charset=utf-8")
    # The browser checks for a new worker on navigation; never let a cache answer for it.
    respons["Cache-Control"] = "no-cache"
    return respons


# Bump when sw.js itself changes in a way the asset list does not show.
_SW_VERSI = b"2"


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """GET /manifest.webmanifest: name, icons and start page of the installable app."""
    isi = {
        "name": _("e-Musrenbang"),
        "short_name": _("Musrenbang"),
        "description": _("Ajukan usulan pembangunan, juga tanpa sinyal, dan ikuti keputusannya."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("beranda"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f6",
        "theme_color": "#0b5d3b",
        "icons": [
            {"src": static("img/ikon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
            {"src": static("img/ikon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    respons = JsonResponse(isi, content_type="application/manifest+json")
    respons["Cache-Control"] = "public, max-age=3600"
    return respons
