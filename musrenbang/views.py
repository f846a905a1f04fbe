"""Pages that belong to no single app: the home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from musrenbang.selectors import siklus_aktif


def beranda(request: HttpRequest) -> HttpResponse:
    """Home page: what this round is, where it stands, its public figures, and the ways in."""
    # The home page is project-level (like the root URLconf), so it may show peta's public summary.
    from peta.statistik import ringkasan_publik_tersimpan

    siklus = siklus_aktif()
    return render(
        request,
        "beranda.html",
        {
            "siklus": siklus,
            "jadwal": siklus.jadwaltahapan_set.all() if siklus else [],
            "ringkasan_publik": ringkasan_publik_tersimpan(siklus),
        },
    )
