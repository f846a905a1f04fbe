"""The public map page (/peta/). The map itself is drawn by static/peta/peta.js from peta.api."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from musrenbang import ringkasan
from peta import selectors
from peta.models import STATUS_AGREGAT
from usulan.models import Status
from usulan.saringan import SaringanPublik


def _angka(nilai: str | None, minimum: float, maksimum: float) -> float | None:
    try:
        n = float(nilai or "")
    except ValueError:
        return None
    return n if math.isfinite(n) and minimum <= n <= maksimum else None


def _query_unduhan(saringan: SaringanPublik, siklus_id: int | None) -> dict[str, str]:
    """The page's filters as the open-data downloads read them. The round is always named: the map
    falls back to the newest round when none is active, the downloads only to the active one."""
    query = saringan.sebagai_query()
    if siklus_id is not None:
        query["siklus"] = str(siklus_id)
    return {"siklus": query.pop("siklus"), **query} if "siklus" in query else query


@require_safe
def peta(request: HttpRequest) -> HttpResponse:
    """The map with outlines, clusters/points, legend, filters and the list of what is in view.

    The query string holds the filters (SaringanPublik) and the view (z, lat, lon), so a copied link
    shows the same thing. The filter form is a plain GET form: it also works without JavaScript, and
    the list below the map is rendered here first (the newest matching proposals). Below the map: the
    open-data links carrying the filters, and the public summary of the round shown
    (musrenbang.ringkasan, filled by dasbor). Constant queries (six when the summary is kept, seven
    otherwise).
    """
    saringan = SaringanPublik.dari_query(request.GET)
    semua_siklus = selectors.siklus_deployment()
    siklus = next((s for s in semua_siklus if s.pk == saringan.siklus), None)
    if siklus is None and not saringan.siklus and semua_siklus:
        siklus = semua_siklus[0]
    siklus_id = siklus.pk if siklus else None
    z = _angka(request.GET.get("z"), selectors.ZOOM_MIN, selectors.ZOOM_MAKS)
    lat = _angka(request.GET.get("lat"), -selectors.BATAS_LINTANG, selectors.BATAS_LINTANG)
    lon = _angka(request.GET.get("lon"), -180, 180)
    tampilan = (int(z), lat, lon) if None not in (z, lat, lon) else None  # type: ignore[arg-type]  # z is set there
    pusat = settings.LEAFLET_CONFIG.get("DEFAULT_CENTER", (0.0, 0.0))
    unduhan = _query_unduhan(saringan, siklus_id)
    konteks = {
        "saringan": saringan,
        "ada_saringan": bool(saringan.status or saringan.bidang or saringan.kecamatan or saringan.desa or saringan.q),
        "semua_siklus": semua_siklus,
        "siklus": siklus,
        "status_pilihan": [(s, Status(s).label) for s in STATUS_AGREGAT],
        "label_status": {s: str(Status(s).label) for s in STATUS_AGREGAT},
        "bidang_pilihan": selectors.pilihan_bidang(),
        "wilayah_pilihan": selectors.pilihan_wilayah(),
        "daftar": selectors.usulan_daftar_awal(saringan, siklus_id=siklus_id),
        "kotak": selectors.kotak_deployment(),
        "tampilan": tampilan,
        "pusat": pusat,
        "zoom_bawaan": settings.LEAFLET_CONFIG.get("DEFAULT_ZOOM", 10),
        "zoom_min": selectors.ZOOM_MIN,
        "zoom_maks": selectors.ZOOM_MAKS,
        "zoom_titik": selectors.ZOOM_TITIK,
        "url_popup": reverse("peta:popup", args=["KODE"]),
        "url_lacak": reverse("usulan:lacak", args=["KODE"]),
        "url_batas": {t: reverse("peta:batas", args=[t]) for t in selectors.TINGKAT_BATAS},
        "unduhan_query": f"?{urlencode(unduhan)}" if unduhan else "",
        "unduhan_siklus": unduhan.get("siklus", ""),
        "ringkasan_publik": ringkasan.ringkasan_publik(siklus),
    }
    return render(request, "peta/peta.html", konteks)
