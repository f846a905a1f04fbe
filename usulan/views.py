"""Resident pages: submit a proposal, follow it by its tracking code, list one's own."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from musrenbang import batas_laju
from musrenbang.models import Tahapan
from musrenbang.selectors import LokasiTidakValid, siklus_aktif, titik_dari_koordinat
from usulan.forms import FormUsulan
from usulan.selectors import usulan_milik, usulan_serupa, usulan_untuk_lacak
from usulan.services import pesan_jendela_tertutup, usulan_buat


def tempel_galat(form: FormUsulan, galat: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (location errors on `lat`)."""
    if not hasattr(galat, "error_dict"):
        form.add_error(None, galat)
        return
    for nama, daftar in galat.error_dict.items():
        field = {"lokasi": "lat"}.get(nama, nama)
        for g in daftar:
            form.add_error(field if field in form.fields else None, g)


@login_required
@require_http_methods(["GET", "POST"])
def buat(request: HttpRequest) -> HttpResponse:
    """The proposal form. One service call on POST; the page says when the window is closed."""
    siklus = siklus_aktif()
    tertutup = pesan_jendela_tertutup(siklus, Tahapan.PENGAJUAN)
    status = 200
    if request.method == "POST" and not tertutup:
        form = FormUsulan(request.POST, request.FILES, siklus=siklus)
        if form.is_valid():
            # Count only well-formed attempts: a resident fixing a typo is not an abuser.
            boleh = batas_laju.hitung(
                f"usulan:akun:{request.user.pk}", batas=settings.BATAS_USULAN_PER_JAM_AKUN
            ) & batas_laju.hitung(batas_laju.kunci_ip(request, "usulan"), batas=settings.BATAS_USULAN_PER_JAM_IP)
            if not boleh:
                form.add_error(None, _("Terlalu banyak usulan dikirim dalam satu jam. Coba lagi nanti."))
                status = 429
            else:
                try:
                    usulan = usulan_buat(pengguna=request.user, siklus=siklus, isi=form.isi(), foto=form.semua_foto())
                except ValidationError as galat:
                    tempel_galat(form, galat)
                else:
                    messages.success(
                        request,
                        _("Usulan Anda sudah terkirim. Simpan kode lacak ini: %(kode)s") % {"kode": usulan.kode_lacak},
                    )
                    return redirect("usulan:lacak", kode=usulan.kode_lacak)
        if status == 200 and form.errors:
            status = 400
    else:
        form = FormUsulan(siklus=siklus)
    konteks = {
        "form": form,
        "siklus": siklus,
        "tertutup": tertutup,
        "leaflet": settings.LEAFLET_CONFIG,
        "foto_maks": settings.FOTO_JUMLAH_MAKS,
    }
    return render(request, "usulan/buat.html", konteks, status=status)


@require_GET
def lacak(request: HttpRequest, kode: str) -> HttpResponse:
    """The public page of one proposal: photos, map, public status and history, no personal data."""
    usulan = usulan_untuk_lacak(kode)
    if usulan is None:
        raise Http404(_("Usulan dengan kode itu tidak ditemukan."))
    return render(request, "usulan/lacak.html", {"usulan": usulan, "foto": list(usulan.foto.all())})


@require_GET
def cari(request: HttpRequest) -> HttpResponse:
    """Find a proposal by its tracking code (the box on the home page)."""
    kode = (request.GET.get("kode") or "").strip().upper()[:24]
    if kode and usulan_untuk_lacak(kode) is not None:
        return redirect("usulan:lacak", kode=kode)
    pesan = _("Kode lacak %(kode)s tidak ditemukan. Periksa lagi penulisannya.") % {"kode": kode} if kode else ""
    return render(request, "usulan/cari.html", {"kode": kode, "pesan": pesan}, status=404 if kode else 200)


@login_required
@require_GET
def saya(request: HttpRequest) -> HttpResponse:
    """The resident's own proposals with their status."""
    return render(request, "usulan/saya.html", {"daftar": usulan_milik(request.user)})


@require_GET
def serupa(request: HttpRequest) -> HttpResponse:
    """Duplicate hints for a pin (HTML fragment for the form's JS). Public fields only."""
    try:
        titik = titik_dari_koordinat(request.GET.get("lat", ""), request.GET.get("lon", ""))
    except LokasiTidakValid as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    # PostgreSQL text cannot hold NUL: a typed "%00" would otherwise be a server error, not a hint.
    judul = (request.GET.get("judul") or "").replace("\x00", "")[:150]
    hasil = usulan_serupa(titik=titik, judul=judul, siklus=siklus_aktif())
    respons = render(request, "usulan/_serupa.html", {"hasil": hasil, "url_lacak": reverse("usulan:cari")})
    respons["Cache-Control"] = "public, max-age=60"
    return respons
