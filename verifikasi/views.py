"""Officials' pages (queues, review, actions, ranking) and the proposer's revise/withdraw pages.

Views parse input, call one transition or service, and render or redirect. An official outside the
proposal's area gets a 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from akun.models import Peran
from musrenbang.models import Bidang, Tahapan, Wilayah
from musrenbang.selectors import siklus_aktif
from musrenbang.tipe import PermintaanMasuk
from usulan.forms import FormUsulan
from usulan.models import Aksi, FotoUsulan, Status, Usulan
from usulan.selectors import jendela_pesan_tertutup, usulan_serupa
from usulan.services import usulan_buat
from usulan.views import tempel_galat
from verifikasi import jenjang, selectors, services, transitions
from verifikasi.aksi import AKSI_PETUGAS
from verifikasi.permissions import boleh_bertindak, usulan_terlihat, wewenang
from verifikasi.selectors import (
    Saringan,
    antrian_verifikasi,
    keputusan_belum_terbit,
    usulan_jumlah_per_status,
    usulan_untuk_peringkat,
    usulan_untuk_tinjau,
)


def _peran_aktif(request: PermintaanMasuk) -> tuple[list[str], str]:
    daftar = wewenang(request.user).peran
    if not daftar:
        raise Http404(_("Halaman ini hanya untuk petugas."))
    diminta = request.GET.get("peran") or request.POST.get("peran") or ""
    return daftar, diminta if diminta in daftar else daftar[0]


def _angka(nilai: str | None) -> int | None:
    try:
        return int(nilai) if nilai else None
    except ValueError:
        return None


@login_required
@require_GET
def antrian(request: PermintaanMasuk) -> HttpResponse:
    """The queue of one of the official's roles: counts per status, filters, sort, a small map."""
    daftar_peran, peran = _peran_aktif(request)
    saring = Saringan(
        status=request.GET.get("status", ""),
        desa=_angka(request.GET.get("desa")),
        bidang=_angka(request.GET.get("bidang")),
        bendera=request.GET.get("bendera") == "1",
        q=(request.GET.get("q") or "").strip()[:100],
        urut=request.GET.get("urut", "peringkat"),
    )
    halaman = Paginator(antrian_verifikasi(request.user, peran, saring), 50).get_page(request.GET.get("hal"))
    titik = [
        {"kode": u.kode_lacak, "judul": u.judul, "status": u.status, "lat": u.lokasi.y, "lon": u.lokasi.x}
        for u in halaman
    ]
    konteks = {
        "daftar_peran": [(p, Peran(p).label) for p in daftar_peran],
        "peran": peran,
        "saring": saring,
        "halaman": halaman,
        "jumlah": usulan_jumlah_per_status(request.user, peran),
        "status_pilihan": Status.choices,
        "desa_pilihan": Wilayah.objects.filter(usulan_desa__in=usulan_terlihat(request.user, peran))
        .distinct()
        .order_by("nama")
        .only("pk", "nama"),
        "bidang_pilihan": Bidang.objects.filter(induk__isnull=False, aktif=True).order_by("nama").only("pk", "nama"),
        "titik": titik,
    }
    if peran in (Peran.BAPPEDA, Peran.ADMIN) and (siklus := siklus_aktif()) is not None:
        # Publishing: the whole round at once, or one kecamatan at a time (with what each still holds).
        per_kecamatan = keputusan_belum_terbit(request.user, peran, siklus.pk)
        konteks["terbit_per_kecamatan"] = per_kecamatan
        konteks["terbit_jumlah"] = sum(k["n"] for k in per_kecamatan)
    return render(request, "verifikasi/antrian.html", konteks)


def _peran_untuk(request: PermintaanMasuk, usulan: Usulan) -> list[str]:
    """The roles in which this user may act on this proposal now."""
    return [p for p in wewenang(request.user).peran if boleh_bertindak(request.user, usulan, p)]


@login_required
@require_GET
def tinjau(request: PermintaanMasuk, kode: str) -> HttpResponse:
    """The review page: photos (with the private originals), flags, duplicates, OPD advice,
    cost against the ceiling, the full history, and the action forms this user may use."""
    usulan = usulan_untuk_tinjau(request.user, kode)
    if usulan is None:
        raise Http404(_("Usulan tidak ditemukan."))
    aksi: list[dict[str, Any]] = []
    admin = Peran.ADMIN in wewenang(request.user).peran
    for peran in _peran_untuk(request, usulan):
        for nama in transitions.aksi_tersedia(usulan, peran):
            form = AKSI_PETUGAS[nama].form(prefix=f"{peran}-{nama}")
            if not admin and "paksa_jadwal" in form.fields:
                del form.fields["paksa_jadwal"]
            aksi.append({"peran": peran, "label_peran": Peran(peran).label, "nama": nama, "form": form})
    serupa = usulan_serupa(titik=usulan.lokasi, judul=usulan.judul, siklus=usulan.siklus)
    serupa["siklus_ini"] = [u for u in serupa["siklus_ini"] if u.pk != usulan.pk]
    konteks = {
        "usulan": usulan,
        "foto": list(usulan.foto.all()),
        "riwayat": list(usulan.riwayat.all()),
        "rekomendasi": list(usulan.rekomendasi.all()),
        "keputusan": getattr(usulan, "keputusan", None),
        "serupa": serupa,
        "aksi": aksi,
        "pagu": [
            (Peran(j.peran).label, c)
            for j in jenjang.semua()
            if j.pagu and (c := transitions.cek_pagu(usulan, j.peran))
        ],
    }
    return render(request, "verifikasi/tinjau.html", konteks)


@login_required
@require_POST
def aksi(request: PermintaanMasuk, kode: str, nama: str) -> HttpResponse:
    """Run one official's action (POST only), as declared in verifikasi.aksi. Errors come back as
    messages on the review page: the form's next to their field labels, the transition's refusal."""
    usulan = get_object_or_404(usulan_terlihat(request.user), kode_lacak=kode)
    peran = request.POST.get("peran", "")
    tindakan = AKSI_PETUGAS.get(nama)
    if tindakan is None or peran not in wewenang(request.user).peran:
        raise Http404
    form = tindakan.form(request.POST, prefix=f"{peran}-{nama}")
    if not form.is_valid():
        for field, galat in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            # An ErrorList iterates as its messages (str).
            messages.error(request, f"{label}: {' '.join(galat)}" if label else " ".join(galat))  # type: ignore[arg-type]
        return redirect("verifikasi:tinjau", kode=kode)
    try:
        hasil = tindakan.jalankan(usulan_id=usulan.pk, pelaku=request.user, peran=peran, data=form.cleaned_data)
    except transitions.TransisiDitolak as exc:
        messages.error(request, str(exc))
        return redirect("verifikasi:tinjau", kode=kode)
    messages.success(request, _("Tersimpan: %(aksi)s untuk %(kode)s.") % {"aksi": nama.replace("_", " "), "kode": kode})
    if tindakan.peringatan is not None and (peringatan := tindakan.peringatan(hasil)):
        messages.warning(request, peringatan)
    return redirect("verifikasi:tinjau", kode=kode)


@login_required
@require_GET
def foto_asli(request: PermintaanMasuk, kode: str, foto_id: int) -> FileResponse:
    """The private original photo, for officials of the proposal's area only (evidence)."""
    usulan = get_object_or_404(usulan_terlihat(request.user), kode_lacak=kode)
    foto = get_object_or_404(FotoUsulan, pk=foto_id, usulan=usulan)
    berkas = storages["privat"].open(foto.asli, "rb")
    jenis = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}.get(foto.format)
    respons = FileResponse(berkas, content_type=jenis or "application/octet-stream")
    respons["Content-Disposition"] = (
        f'inline; filename="{usulan.kode_lacak}-{foto.urutan}.{foto.asli.rsplit(".", 1)[-1]}"'
    )
    respons["Cache-Control"] = "private, no-store"
    return respons


@login_required
@require_http_methods(["GET", "POST"])
def peringkat(request: PermintaanMasuk) -> HttpResponse:
    """Desa or kecamatan orders what it passed on; the next level sees these ranks."""
    daftar_peran, peran = _peran_aktif(request)
    pemeringkat = selectors.peran_pemeringkat()
    if peran not in pemeringkat:
        peran = next((p for p in daftar_peran if p in pemeringkat), "")
        if not peran:
            raise Http404
    daftar = usulan_untuk_peringkat(request.user, peran)
    if request.method == "POST":
        urutan = {}
        for u in daftar:
            nilai = _angka(request.POST.get(f"peringkat-{u.pk}"))
            urutan[u.pk] = nilai
        try:
            jumlah = services.peringkat_atur(pelaku=request.user, peran=peran, urutan=urutan)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Peringkat %(n)d usulan disimpan.") % {"n": jumlah})
            return redirect(f"{request.path}?peran={peran}")
    return render(request, "verifikasi/peringkat.html", {"daftar": daftar, "peran": peran, "label": Peran(peran).label})


@login_required
@require_POST
def terbitkan_semua(request: PermintaanMasuk) -> HttpResponse:
    """Bappeda publishes every decided proposal of the active round (or of one kecamatan) at once."""
    daftar_peran, _peran = _peran_aktif(request)
    peran = Peran.BAPPEDA if Peran.BAPPEDA in daftar_peran else Peran.ADMIN
    if peran not in daftar_peran:
        raise Http404
    siklus = siklus_aktif()
    if siklus is None:
        raise Http404
    mentah = (request.POST.get("kecamatan") or "").strip()
    kecamatan = _angka(mentah)
    if mentah and kecamatan is None:
        # A garbled choice must not widen to the whole round.
        raise Http404
    try:
        jumlah = transitions.terbitkan_semua(
            pelaku=request.user, peran=peran, siklus_id=siklus.pk, kecamatan_id=kecamatan
        )
    except transitions.TransisiDitolak as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)d keputusan diterbitkan.") % {"n": jumlah})
    return redirect(f"/verifikasi/?peran={peran}")


# --- The proposer -------------------------------------------------------------------------------
def _milik(request: PermintaanMasuk, kode: str) -> Usulan:
    return get_object_or_404(Usulan.objects.select_related("siklus__kabkota"), kode_lacak=kode, pengguna=request.user)


def _isi_awal(u: Usulan) -> dict[str, Any]:
    return {
        "judul": u.judul,
        "permasalahan": u.permasalahan,
        "uraian": u.uraian,
        "jenis_pengusul": u.jenis_pengusul,
        "nama_pengusul": u.nama_pengusul,
        "tampilkan_nama": u.tampilkan_nama,
        "bidang": u.bidang_id,
        "kamus": u.kamus_id,
        "volume": u.volume,
        "satuan": u.satuan,
        "alamat": u.alamat,
        "dusun": u.dusun,
        "rt": u.rt,
        "rw": u.rw,
        "lat": round(u.lokasi.y, 6),
        "lon": round(u.lokasi.x, 6),
    }


@login_required
@require_http_methods(["GET", "POST"])
def perbaiki(request: PermintaanMasuk, kode: str) -> HttpResponse:
    """After a return, the proposer edits the proposal (and may add photos) and resubmits it."""
    usulan = _milik(request, kode)
    if Aksi.AJUKAN_ULANG not in transitions.aksi_tersedia(usulan, transitions.PENGUSUL):
        messages.info(request, _("Usulan ini tidak sedang dikembalikan untuk diperbaiki."))
        return redirect("usulan:lacak", kode=kode)
    catatan = usulan.riwayat.filter(aksi="kembalikan").select_related("alasan_kode").order_by("-waktu").first()
    foto_lama = list(usulan.foto.order_by("urutan"))
    status = 200
    if request.method == "POST":
        form = FormUsulan(request.POST, request.FILES, siklus=usulan.siklus, foto_wajib=False, foto_lama=foto_lama)
        if form.is_valid():
            try:
                services.usulan_perbaiki(
                    usulan_id=usulan.pk,
                    pelaku=request.user,
                    isi=form.isi(),
                    foto=form.semua_foto(),
                    hapus_foto=form.cleaned_data.get("hapus_foto") or (),
                )
            except ValidationError as galat:
                tempel_galat(form, galat)
            except transitions.TransisiDitolak as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Usulan sudah diperbaiki dan diajukan ulang."))
                return redirect("usulan:lacak", kode=kode)
        status = 400
    else:
        form = FormUsulan(initial=_isi_awal(usulan), siklus=usulan.siklus, foto_wajib=False, foto_lama=foto_lama)
    konteks = {
        "form": form,
        "usulan": usulan,
        "catatan": catatan,
        "leaflet": settings.LEAFLET_CONFIG,
        "foto_maks": settings.FOTO_JUMLAH_MAKS - len(foto_lama),
        "foto_lama": foto_lama,
        "perbaiki": True,
    }
    return render(request, "usulan/buat.html", konteks, status=status)


@login_required
@require_POST
def tarik(request: PermintaanMasuk, kode: str) -> HttpResponse:
    """The proposer withdraws the proposal before a final decision."""
    usulan = _milik(request, kode)
    try:
        transitions.tarik(usulan_id=usulan.pk, pelaku=request.user, catatan=(request.POST.get("catatan") or "")[:2000])
    except transitions.TransisiDitolak as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Usulan sudah ditarik."))
    return redirect("usulan:lacak", kode=kode)


@login_required
@require_http_methods(["GET", "POST"])
def catat(request: PermintaanMasuk) -> HttpResponse:
    """A desa operator files a proposal on behalf of a resident or a community body."""
    w = wewenang(request.user)
    if not w.desa:
        raise Http404
    siklus = siklus_aktif()
    status = 200
    if request.method == "POST":
        form = FormUsulan(request.POST, request.FILES, siklus=siklus, operator=True)
        if form.is_valid():
            try:
                usulan = usulan_buat(
                    pengguna=request.user,
                    dicatat_oleh=request.user,
                    siklus=siklus,
                    isi=form.isi(),
                    foto=form.semua_foto(),
                    hanya_desa=w.desa,
                )
            except ValidationError as galat:
                tempel_galat(form, galat)
            else:
                messages.success(request, _("Usulan dicatat dengan kode lacak %(kode)s.") % {"kode": usulan.kode_lacak})
                return redirect("verifikasi:tinjau", kode=usulan.kode_lacak)
        status = 400
    else:
        form = FormUsulan(siklus=siklus, operator=True)
    # Operators may record proposals during the residents' window or their own desa window.
    tertutup = jendela_pesan_tertutup(siklus, Tahapan.PENGAJUAN) and jendela_pesan_tertutup(siklus, Tahapan.DESA)
    konteks = {
        "form": form,
        "siklus": siklus,
        "tertutup": tertutup,
        "leaflet": settings.LEAFLET_CONFIG,
        "foto_maks": settings.FOTO_JUMLAH_MAKS,
        "catat": True,
    }
    return render(request, "usulan/buat.html", konteks, status=status)
