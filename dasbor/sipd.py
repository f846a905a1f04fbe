"""Bappeda's SIPD workbook (`/data/sipd.xlsx`, Bappeda and administrators of this kabupaten/kota only;
anyone else gets 404): the columns of SIPD's Musrenbang proposal export, so nobody re-types the round.
It holds internal data Bappeda may see, so it belongs to the dashboard, not to the open data (its URL
stays in the "data" namespace beside the public downloads). Mapping:

    ID Usulan              ← kode_lacak
    Tanggal Usul           ← when it was submitted (local time)
    Pengusul               ← nama_pengusul (the name given, published or not)
    Profil                 ← jenis_pengusul (Warga, RT, RW, LPM, PKK, Karang Taruna, …)
    Usulan                 ← judul
    Masalah                ← permasalahan
    Alamat                 ← alamat, RT/RW, dusun
    Kecamatan, Kelurahan   ← the kecamatan and desa/kelurahan derived from the pin
    OPD Tujuan Awal        ← the OPD of the chosen catalogue item, else the first OPD asked for advice
    OPD Tujuan Akhir       ← the OPD of Bappeda's acceptance (published or not)
    Status                 ← the internal status, "(belum diterbitkan)" while a decision is a draft
    Catatan                ← uraian; "Kamus: …" first when a catalogue item was chosen; Bappeda's
                             decision reason last
    Rekomendasi Kelurahan  ← the last desa/kelurahan action (pass on with rank, return, reject, merge)
                             with its reason code and note
    Rekomendasi Kecamatan  ← the same at kecamatan level
    Rekomendasi SKPD       ← every OPD recommendation: feasible or not, adjusted volume and cost, note
    Volume, Anggaran       ← the volume and budget Bappeda agreed, else the proposal's volume and estimate
    Satuan                 ← satuan

Written as it is sent by musrenbang.tabel.tulis_xlsx (every text cell an inline string, never a formula).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.db.models.query import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from musrenbang.models import Wilayah
from musrenbang.selectors import LokasiTidakValid, kabkota_deployment, siklus_aktif
from musrenbang.tabel import JENIS_XLSX, UKURAN_POTONGAN, angka, nama_berkas, tulis_xlsx, unduhan
from usulan.models import Aksi, JenisPengusul, RiwayatStatus, Usulan
from usulan.saringan import SaringanPublik
from verifikasi import jenjang
from verifikasi.models import HasilKeputusan, RekomendasiOPD, StatusRekomendasi
from verifikasi.permissions import wewenang

# SIPD's own column names: they must match SIPD's export whatever the interface language.
KOLOM_SIPD = (
    "ID Usulan",
    "Tanggal Usul",
    "Pengusul",
    "Profil",
    "Usulan",
    "Masalah",
    "Alamat",
    "Kecamatan",
    "Kelurahan",
    "OPD Tujuan Awal",
    "OPD Tujuan Akhir",
    "Status",
    "Catatan",
    "Rekomendasi Kelurahan",
    "Rekomendasi Kecamatan",
    "Rekomendasi SKPD",
    "Volume",
    "Satuan",
    "Anggaran",
)


def kolom_sipd() -> tuple[str, ...]:
    """KOLOM_SIPD with one "Rekomendasi …" column per level that has one (verifikasi.jenjang)."""
    tingkat = tuple(j.kolom_sipd for j in jenjang.semua() if j.kolom_sipd)
    awal = KOLOM_SIPD.index("Rekomendasi Kelurahan")
    return (*KOLOM_SIPD[:awal], *tingkat, *KOLOM_SIPD[KOLOM_SIPD.index("Rekomendasi SKPD") :])


def _kabkota_bappeda(pengguna: Any) -> Wilayah:
    """The deployment's kabupaten/kota if the user is its Bappeda or administrator; else 404."""
    try:
        kabkota = kabkota_deployment()
    except LokasiTidakValid:
        raise Http404 from None
    w = wewenang(pengguna)
    if kabkota.pk not in (w.bappeda | w.admin):
        raise Http404
    return kabkota


_AKSI_TINGKAT = (Aksi.TERUSKAN, Aksi.KEMBALIKAN, Aksi.TOLAK, Aksi.GABUNGKAN)


def usulan_sipd(kabkota: Wilayah, saringan: SaringanPublik, *, siklus_bawaan: int | None) -> QuerySet[Usulan]:
    """Proposals of the kabupaten/kota for Bappeda's SIPD workbook, with the desa/kecamatan actions
    and the OPD recommendations prefetched (per chunk when iterated). Reads only. `saringan.status`
    filters the internal status here: Bappeda sees it."""
    qs = Usulan.objects.filter(siklus__kabkota=kabkota)
    qs = dataclasses.replace(saringan, status=()).terapkan(qs, siklus_bawaan=siklus_bawaan)
    if saringan.status:
        qs = qs.filter(status__in=saringan.status)
    return (
        qs.select_related(
            "desa", "kecamatan", "kamus__perangkat_daerah", "keputusan__perangkat_daerah", "keputusan__alasan_kode"
        )
        # Only the area names are needed; a boundary is tens of kilobytes per row.
        .defer("lokasi", "desa__batas", "kecamatan__batas")
        .prefetch_related(
            Prefetch(
                "riwayat",
                # Level is read from the status it acted on, so an administrator's action counts too.
                queryset=RiwayatStatus.objects.filter(
                    aksi__in=_AKSI_TINGKAT,
                    dari_status__in=[s for j in jenjang.semua() if j.kolom_sipd for s in j.menunggu],
                )
                .select_related("alasan_kode")
                .order_by("waktu", "pk"),
                to_attr="riwayat_tingkat",
            ),
            Prefetch(
                "rekomendasi",
                queryset=RekomendasiOPD.objects.select_related("perangkat_daerah").order_by("diminta_pada", "pk"),
                to_attr="rekomendasi_opd",
            ),
        )
        .order_by("pk")
    )


def _rupiah(nilai: Decimal) -> str:
    return "Rp " + f"{nilai:,.0f}".replace(",", ".")


def _tindakan_tingkat(u: Usulan, dari: tuple[str, ...], peringkat: int | None) -> str:
    # riwayat_tingkat and rekomendasi_opd are prefetched onto each row (usulan_sipd, to_attr).
    terakhir = [r for r in u.riwayat_tingkat if r.dari_status in dari]  # type: ignore[attr-defined]
    if not terakhir:
        return ""
    r = terakhir[-1]
    teks = str(Aksi(r.aksi).label)
    if r.aksi == Aksi.TERUSKAN and peringkat:
        teks += " " + _("(peringkat %(peringkat)s)") % {"peringkat": peringkat}
    rincian = [s for s in ((r.alasan_kode.nama if r.alasan_kode else ""), r.teks_catatan) if s]
    return f"{teks}: {' — '.join(rincian)}" if rincian else str(teks)


def _rekomendasi_skpd(u: Usulan) -> str:
    hasil = []
    for r in u.rekomendasi_opd:  # type: ignore[attr-defined]
        if r.status != StatusRekomendasi.DIBERIKAN:
            hasil.append(_("%(opd)s: belum memberi rekomendasi") % {"opd": r.perangkat_daerah.singkatan})
            continue
        bagian = [str(_("Layak") if r.layak else _("Tidak layak"))]
        if r.volume is not None:
            bagian.append(_("volume %(volume)s") % {"volume": angka(r.volume)})
        if r.biaya is not None:
            bagian.append(_("biaya %(biaya)s") % {"biaya": _rupiah(r.biaya)})
        if r.catatan.strip():
            bagian.append(r.catatan.strip())
        hasil.append(f"{r.perangkat_daerah.singkatan}: {'; '.join(bagian)}")
    return " | ".join(hasil)


def baris_sipd(u: Usulan) -> list[Any]:
    """One row in the order of KOLOM_SIPD (see the module docstring for the mapping)."""
    keputusan: Any = getattr(u, "keputusan", None)  # the decision (a reverse one-to-one), or None before one
    diterima = keputusan is not None and keputusan.hasil == HasilKeputusan.DITERIMA
    alamat = u.alamat
    if u.rt or u.rw:
        alamat += f", RT {u.rt or '-'}/RW {u.rw or '-'}"
    if u.dusun:
        alamat += f", {u.dusun}"
    opd_awal = u.kamus.perangkat_daerah.nama if u.kamus else ""
    if not opd_awal and u.rekomendasi_opd:  # type: ignore[attr-defined]
        opd_awal = u.rekomendasi_opd[0].perangkat_daerah.nama  # type: ignore[attr-defined]
    status = str(u.get_status_display())
    if keputusan is not None and keputusan.diterbitkan_pada is None:
        status += " " + _("(belum diterbitkan)")
    catatan = [u.uraian]
    if u.kamus:
        catatan.insert(0, _("Kamus: %(kamus)s.") % {"kamus": u.kamus.nama})
    if keputusan is not None:
        catatan.append(_("Keputusan Bappeda: %(alasan)s") % {"alasan": keputusan.alasan})
    volume = keputusan.volume if diterima and keputusan.volume is not None else u.volume
    anggaran = keputusan.biaya if diterima and keputusan.biaya is not None else u.perkiraan_biaya
    return [
        u.kode_lacak,
        timezone.localtime(u.dibuat),
        u.nama_pengusul,
        str(JenisPengusul(u.jenis_pengusul).label),
        u.judul,
        u.permasalahan,
        alamat,
        u.kecamatan.nama,
        u.desa.nama,
        opd_awal,
        keputusan.perangkat_daerah.nama if diterima and keputusan.perangkat_daerah else "",
        status,
        "\n".join(catatan),
        *(
            _tindakan_tingkat(u, j.menunggu, getattr(u, j.kolom_peringkat) if j.kolom_peringkat else None)
            for j in jenjang.semua()
            if j.kolom_sipd
        ),
        _rekomendasi_skpd(u),
        volume,
        u.satuan,
        anggaran,
    ]


@require_GET
def unduh_sipd(request: HttpRequest) -> StreamingHttpResponse:
    """Bappeda's XLSX in SIPD's Musrenbang column layout (internal data; Bappeda/admin only, else 404)."""
    kabkota = _kabkota_bappeda(request.user)
    saringan = SaringanPublik.dari_query(request.GET)
    siklus = siklus_aktif(kabkota)
    qs = usulan_sipd(kabkota, saringan, siklus_bawaan=siklus.pk if siklus else None)
    baris = (baris_sipd(u) for u in qs.iterator(chunk_size=UKURAN_POTONGAN))
    isi = tulis_xlsx(baris, kolom=kolom_sipd(), judul="Usulan Musrenbang")
    respons = unduhan(isi, jenis=JENIS_XLSX, nama=nama_berkas("sipd-usulan-musrenbang", "xlsx"))
    # Internal data: never kept by a shared cache.
    respons["Cache-Control"] = "private, no-store"
    return respons
