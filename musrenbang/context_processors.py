"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def peta(request: HttpRequest) -> dict[str, str]:
    """The base-map tiles for the page's small maps (empty when the deployment has none)."""
    tiles = settings.LEAFLET_CONFIG.get("TILES") or []
    if not tiles:
        return {"PETA_TILES": "", "PETA_ATRIBUSI": ""}
    _nama, url, opsi = tiles[0]
    return {"PETA_TILES": url, "PETA_ATRIBUSI": opsi.get("attribution", "")}
