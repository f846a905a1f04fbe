"""The round's public summary for the pages below the app that computes it.

The home page (musrenbang.views) and the map page (peta.views) show the public summary of a round;
the summary is computed with the dashboard's figures in dasbor.statistik, an app above both. Rather
than import upwards, they ask this registry, which dasbor fills in its AppConfig.ready(). Without a
registered source (dasbor not installed) the pages show no summary, as for a deployment with no round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from musrenbang.models import Siklus

SumberRingkasan = Callable[[Siklus | None], dict[str, Any] | None]

_sumber: SumberRingkasan | None = None


def daftarkan(sumber: SumberRingkasan) -> None:
    """Register the function that gives the (cached) public summary of a round; the last one wins."""
    global _sumber
    _sumber = sumber


def ringkasan_publik(siklus: Siklus | None) -> dict[str, Any] | None:
    """The public summary of `siklus` for templates/peta/_ringkasan_publik.html, or None (no round,
    or no source registered). Published information only; see dasbor.statistik.ringkasan_publik."""
    if _sumber is None or siklus is None:
        return None
    return _sumber(siklus)
