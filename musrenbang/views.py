"""Pages that belong to no single app: the home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from musrenbang import ringkasan
from musrenbang.selectors import siklus_aktif


def beranda(request: HttpRequest) -> HttpResponse:
    """Home page: what this round is, where it stands, its public figures, and the ways in."""
    siklus = siklus_aktif()
    return render(
        request,
        "beranda.html",
        {
            "siklus": siklus,
            "jadwal": siklus.jadwaltahapan_set.all() if siklus else [],
            "ringkasan_publik": ringkasan.ringkasan_publik(siklus),
        },
    )
