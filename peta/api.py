"""The map's data endpoints: clusters/points of a viewport, one proposal's popup, the outlines.

Every response carries a validator so a phone never downloads the same thing twice: an ETag (a hash of
the body, so it can never be stale), Last-Modified where there is a change time, and a short public
max-age. A request whose If-None-Match matches gets 304 without a body. Bad input gets 400 with a JSON
{"galat": "…"} in Indonesian, never a 500. Bodies are gzipped for clients that accept it (GeoJSON and
cluster lists shrink ~4×; these public responses hold no secret, so compression leaks nothing).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import storages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from musrenbang import batas_laju
from peta import selectors
from usulan.models import Status
from usulan.saringan import SaringanPublik

# Seconds a browser may reuse a response without asking (then it revalidates with the ETag).
UMUR_DATA = 60
UMUR_POPUP = 60
UMUR_BATAS = 3600
POLA_KODE = re.compile(r"[A-Za-z0-9-]{1,24}")


def _respons_tervalidasi(
    request: HttpRequest, isi: bytes, *, content_type: str, umur: int, diperbarui: datetime | None = None
) -> HttpResponse:
    respons = HttpResponse(isi, content_type=content_type)
    etag = f'"{hashlib.blake2b(isi, digest_size=12).hexdigest()}"'
    respons["ETag"] = etag
    waktu = int(diperbarui.timestamp()) if diperbarui else None
    if waktu is not None:
        respons["Last-Modified"] = http_date(waktu)
    patch_cache_control(respons, public=True, max_age=umur)
    # Given a response, it answers with it or with a 304/412: never None.
    return get_conditional_response(request, etag=etag, last_modified=waktu, response=respons)  # type: ignore[return-value]


def _galat(pesan: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"galat": pesan}, status=status)


@gzip_page
@require_safe
@batas_laju.per_ip(
    "peta-data",
    setelan="BATAS_PETA_DATA_PER_MENIT_IP",
    jendela_detik=60,
    pesan=gettext_lazy("Peta dimuat terlalu sering dari alamat Anda. Coba lagi dalam %(waktu)s."),
)
def data(request: HttpRequest) -> HttpResponse:
    """GET /peta/data/?bbox=minlon,minlat,maxlon,maxlat&zoom=Z&<public filters>

    Answers {"zoom", "jenis": "klaster"|"titik", "total", "bbox" (the snapped box counted), "urutan_status"
    (the order of per_status), "fitur"}; see peta.selectors.data_peta for the items. One query (two
    when it answers with points), plus the per-address count (settings.BATAS_PETA_DATA_PER_MENIT_IP;
    over it: 429 with the same {"galat"} and Retry-After); the body stays within selectors.BYTE_MAKS_DATA
    (100 KB, before compression), see selectors.batas_byte_data.
    """
    try:
        tampilan = selectors.tampilan_dari_query(request.GET.get("bbox"), request.GET.get("zoom"))
    except selectors.PermintaanPetaTidakValid as exc:
        return _galat(str(exc))
    saringan = SaringanPublik.dari_query(request.GET)
    hasil = selectors.data_peta(tampilan=tampilan, saringan=saringan)
    return _respons_tervalidasi(
        request, hasil.sebagai_json(), content_type="application/json", umur=UMUR_DATA, diperbarui=hasil.diperbarui
    )


@gzip_page
@require_safe
def popup(request: HttpRequest, kode: str) -> HttpResponse:
    """GET /peta/usulan/<kode>/: the popup of one proposal as a small HTML fragment (one query):
    thumbnail, title, public status, places, published reason, link to its public page."""
    # Tracking codes are letters, digits and dashes; anything else (a NUL byte would even be refused
    # by PostgreSQL) cannot name a proposal.
    usulan = selectors.usulan_untuk_popup(kode) if POLA_KODE.fullmatch(kode) else None
    if usulan is None:
        return HttpResponse(_("Usulan tidak ditemukan."), status=404, content_type="text/plain; charset=utf-8")
    # x_riwayat and x_thumbnail come with the row (selectors.usulan_untuk_popup: prefetch and annotation).
    alasan, catatan = selectors.alasan_terbit(usulan.x_riwayat)  # type: ignore[attr-defined]
    konteks = {
        "usulan": usulan,
        "status_label": Status(usulan.status_publik).label,
        "thumbnail": storages["default"].url(usulan.x_thumbnail) if usulan.x_thumbnail else "",  # type: ignore[attr-defined]
        "alasan": alasan,
        "catatan": catatan,
    }
    isi = render(request, "peta/_popup.html", konteks).content
    return _respons_tervalidasi(request, isi, content_type="text/html; charset=utf-8", umur=UMUR_POPUP)


@gzip_page
@require_safe
def batas(request: HttpRequest, tingkat: str) -> HttpResponse:
    """GET /peta/batas/<kabkota|kecamatan|desa>/: the deployment's outlines as simplified GeoJSON.

    Built once per import of the areas and kept in the cache (one query per request to check)."""
    if tingkat not in selectors.TINGKAT_BATAS:
        raise Http404(_("Tingkat wilayah tidak dikenal."))
    kunci = f"peta-batas:{settings.MUSRENBANG_KODE_KABKOTA}:{tingkat}:{selectors.versi_batas()}"
    isi = cache.get(kunci)
    if isi is None:
        isi = selectors.batas_geojson(tingkat).encode()
        cache.set(kunci, isi, 24 * 3600)
    return _respons_tervalidasi(request, isi, content_type="application/geo+json", umur=UMUR_BATAS)
