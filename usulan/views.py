"""Resident pages: submit a proposal, follow it by its tracking code, list one's own."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from musrenbang import batas_laju
from musrenbang.models import Tahapan
from musrenbang.selectors import LokasiTidakValid, siklus_aktif, titik_dari_koordinat
from musrenbang.tipe import PermintaanMasuk
from usulan.forms import FormUsulan
from usulan.foto import FotoDitolak
from usulan.models import UnggahanFoto, Usulan
from usulan.selectors import (
    jendela_pesan_tertutup,
    unggahan_milik,
    usulan_dengan_kunci,
    usulan_milik,
    usulan_serupa,
    usulan_untuk_lacak,
)
from usulan.services import usulan_buat
from usulan.unggahan import unggahan_buat, unggahan_hapus


def tempel_galat(form: FormUsulan, galat: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (location errors on `lat`)."""
    if not hasattr(galat, "error_dict"):
        form.add_error(None, galat)
        return
    for nama, daftar in galat.error_dict.items():
        field = {"lokasi": "lat"}.get(nama, nama)
        for g in daftar:
            form.add_error(field if field in form.fields else None, g)


def _mau_json(request: HttpRequest) -> bool:
    """The page's script (sending a draft, uploading a photo) asks for JSON; a plain form gets HTML."""
    return "application/json" in request.headers.get("Accept", "")


def _galat_json(pesan: str, *, kode: str, status: int, galat: dict[str, list[str]] | None = None) -> JsonResponse:
    return JsonResponse({"kode": kode, "pesan": pesan, "galat": galat or {}}, status=status)


def _belum_masuk() -> JsonResponse:
    return _galat_json(
        _("Anda belum masuk atau sesi Anda berakhir. Masuk lagi; draf dikirim setelah itu."),
        kode="belum_masuk",
        status=401,
    )


def _lewat_batas_unggah(request: HttpRequest) -> bool:
    return not (
        batas_laju.hitung(f"unggah:akun:{request.user.pk}", batas=settings.BATAS_UNGGAH_FOTO_PER_JAM_AKUN)
        & batas_laju.hitung(batas_laju.kunci_ip(request, "unggah"), batas=settings.BATAS_UNGGAH_FOTO_PER_JAM_IP)
    )


def _pesan_batas_unggah() -> str:
    return _("Terlalu banyak foto diunggah dalam satu jam. Coba lagi nanti.")


def _token_dari(data: Any) -> list[uuid.UUID]:
    hasil = []
    for teks in data.getlist("unggahan"):
        try:
            hasil.append(uuid.UUID(teks))
        except ValueError:
            continue
    return hasil


def _berkas_jadi_unggahan(request: HttpRequest) -> tuple[QueryDict, list[str]]:
    """A full-page POST's files become pending uploads first, so a refused form keeps them attached.

    Returns the POST data with their tokens added, and the refusals to show under the photo field."""
    data = request.POST.copy()
    berkas = [*request.FILES.getlist("foto"), *request.FILES.getlist("foto_kamera")]
    if not berkas:
        return data, []
    if len(berkas) + len(data.getlist("unggahan")) > settings.FOTO_JUMLAH_MAKS:
        return data, [_("Paling banyak %(jumlah)d foto per usulan.") % {"jumlah": settings.FOTO_JUMLAH_MAKS}]
    galat = []
    for b in berkas:
        if _lewat_batas_unggah(request):
            galat.append(_pesan_batas_unggah())
            break
        try:
            # Only buat() calls this, for a signed-in resident.
            u = unggahan_buat(pengguna=request.user, berkas=b)  # type: ignore[arg-type]
        except FotoDitolak as exc:
            galat.append(f"{b.name}: {exc}")
        else:
            data.appendlist("unggahan", str(u.token))
    return data, galat


@require_http_methods(["GET", "POST"])
def buat(request: HttpRequest) -> HttpResponse:
    """The proposal form. One service call on POST; the page says when the window is closed.

    Photos arrive beforehand through `unggah_foto` (their tokens in the form) or, without JavaScript,
    as files in this POST, which are kept as uploads first. With `Accept: application/json` (an
    offline draft sent by the page's script) it answers JSON: the tracking code, or the reasons.
    """
    json_diminta = _mau_json(request)
    if not request.user.is_authenticated:
        return _belum_masuk() if json_diminta else redirect_to_login(request.get_full_path())
    siklus = siklus_aktif()
    tertutup = jendela_pesan_tertutup(siklus, Tahapan.PENGAJUAN)
    status = 200
    if request.method == "POST" and json_diminta and tertutup:
        kunci = request.POST.get("kunci_idempoten", "")
        sudah = usulan_dengan_kunci(request.user, kunci)
        if sudah is not None:
            return _jawaban_terkirim(sudah)
        return _galat_json(tertutup, kode="jendela_tertutup", status=409)
    if request.method == "POST" and not tertutup:
        data, galat_foto = _berkas_jadi_unggahan(request)
        # A refused photo has its own message; "attach at least one photo" would only add noise.
        form = FormUsulan(data, siklus=siklus, foto_wajib=not galat_foto)
        valid = form.is_valid()
        for g in galat_foto:
            form.add_error("foto", g)
        if valid and not galat_foto:
            # Count only well-formed attempts: a resident fixing a typo is not an abuser.
            boleh = batas_laju.hitung(
                f"usulan:akun:{request.user.pk}", batas=settings.BATAS_USULAN_PER_JAM_AKUN
            ) & batas_laju.hitung(batas_laju.kunci_ip(request, "usulan"), batas=settings.BATAS_USULAN_PER_JAM_IP)
            if not boleh:
                form.add_error(None, _("Terlalu banyak usulan dikirim dalam satu jam. Coba lagi nanti."))
                status = 429
            else:
                try:
                    usulan = usulan_buat(
                        pengguna=request.user,
                        siklus=siklus,
                        isi=form.isi(),
                        unggahan=form.cleaned_data["unggahan"],
                        kunci_idempoten=form.cleaned_data.get("kunci_idempoten"),
                    )
                except ValidationError as exc:
                    tempel_galat(form, exc)
                    if getattr(exc, "code", None) == "jendela_tertutup":
                        status = 409
                else:
                    if json_diminta:
                        return _jawaban_terkirim(usulan)
                    messages.success(
                        request,
                        _("Usulan Anda sudah terkirim. Simpan kode lacak ini: %(kode)s") % {"kode": usulan.kode_lacak},
                    )
                    return redirect("usulan:lacak", kode=usulan.kode_lacak)
        if status == 200 and form.errors:
            status = 400
        terlampir = unggahan_milik(request.user, _token_dari(data))
        if json_diminta:
            galat = {nama: [str(g) for g in daftar] for nama, daftar in form.errors.items()}
            pesan = " ".join(p for daftar in galat.values() for p in daftar)
            kode = {409: "jendela_tertutup", 429: "terlalu_sering"}.get(status, "tidak_valid")
            if "foto" in form.errors and any(g.code == "unggahan_hilang" for g in form.errors.as_data()["foto"]):
                kode = "unggahan_hilang"
            return _galat_json(pesan, kode=kode, status=status, galat=galat)
    else:
        form = FormUsulan(siklus=siklus)
        terlampir = []
    konteks = {
        "form": form,
        "siklus": siklus,
        "tertutup": tertutup,
        "leaflet": settings.LEAFLET_CONFIG,
        "foto_maks": settings.FOTO_JUMLAH_MAKS,
        "terlampir": [data_unggahan(u) for u in terlampir],
        "warga": True,
        "toleransi_batas_m": settings.MUSRENBANG_TOLERANSI_BATAS_M,
        "jarak_gps_maks_m": settings.FOTO_JARAK_GPS_MAKS_M,
    }
    return render(request, "usulan/buat.html", konteks, status=status)


def _jawaban_terkirim(usulan: Usulan) -> JsonResponse:
    url = reverse("usulan:lacak", kwargs={"kode": usulan.kode_lacak})
    return JsonResponse({"kode_lacak": usulan.kode_lacak, "url": url})


def data_unggahan(u: UnggahanFoto) -> dict[str, Any]:
    """What the form shows of a pending upload (its owner's own photo and its GPS)."""
    return {
        "token": str(u.token),
        "nama": u.nama_berkas,
        "url_kecil": reverse("usulan:unggahan_kecil", kwargs={"token": u.token}),
        "lat": u.lat,
        "lon": u.lon,
        "lebar": u.lebar,
        "tinggi": u.tinggi,
        "ukuran_byte": u.ukuran_byte,
    }


@require_POST
def unggah_foto(request: HttpRequest) -> JsonResponse:
    """POST /usulan/foto/: one photo, checked by the pipeline and kept pending for the signed-in resident.

    Answers 201 with the upload's token (the form refers to it), 400 with a message for a photo to
    replace, 401 when signed out, 429 over the hourly limit. CSRF applies as to any form.
    """
    if not request.user.is_authenticated:
        return _belum_masuk()
    if _lewat_batas_unggah(request):
        respons = _galat_json(_pesan_batas_unggah(), kode="terlalu_sering", status=429)
        respons["Retry-After"] = str(batas_laju.sisa_detik())
        return respons
    berkas = request.FILES.get("foto")
    if berkas is None:
        return _galat_json(_("Pilih foto untuk diunggah."), kode="tidak_valid", status=400)
    try:
        u = unggahan_buat(pengguna=request.user, berkas=berkas)
    except FotoDitolak as exc:
        return _galat_json(str(exc), kode=exc.kode, status=400)
    return JsonResponse(data_unggahan(u), status=201)


@require_POST
def hapus_unggahan(request: HttpRequest, token: uuid.UUID) -> JsonResponse:
    """POST /usulan/foto/<token>/hapus/: the owner takes a pending photo off the form."""
    if not request.user.is_authenticated:
        return _belum_masuk()
    if not unggahan_hapus(pengguna=request.user, token=token):
        raise Http404(_("Foto itu tidak ditemukan."))
    return JsonResponse({"token": str(token)})


@require_GET
def unggahan_kecil(request: HttpRequest, token: uuid.UUID) -> FileResponse:
    """The thumbnail of a pending upload, for its owner only (private: it is not published yet)."""
    u = unggahan_milik(request.user, [token])
    if not u:
        raise Http404(_("Foto itu tidak ditemukan."))
    respons = FileResponse(storages["privat"].open(u[0].thumbnail, "rb"), content_type="image/jpeg")
    respons["Cache-Control"] = "private, max-age=86400"
    return respons


@require_GET
def token_csrf(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token and whether the visitor is signed in: a page opened offline holds a stale
    token (signing in again rotates it), so the draft sender asks here before sending."""
    respons = JsonResponse({"csrf": get_token(request), "masuk": request.user.is_authenticated})
    respons["Cache-Control"] = "no-store"
    return respons


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
def saya(request: PermintaanMasuk) -> HttpResponse:
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
