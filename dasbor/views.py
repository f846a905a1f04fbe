"""Bappeda's dashboard: the round's figures as tables, bar charts and a kecamatan choropleth, every
table downloadable as CSV (`?format=csv&tabel=<name>`).

For Bappeda and administrators of the deployment's kabupaten/kota only; anyone else signed in gets
a 404, anonymous visitors the sign-in page. The figures come from dasbor.statistik (SQL aggregates);
this module only chooses the round, lays the figures out for the charts and writes CSV (through
musrenbang.tabel, the writer and cell sanitiser the open data uses too). The page
runs the same number of queries whatever the number of proposals.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dasbor import statistik
from musrenbang.models import Siklus, Tahapan
from musrenbang.selectors import LokasiTidakValid, kabkota_deployment
from musrenbang.tabel import tulis_csv
from usulan.models import Status
from usulan.saringan import SaringanPublik
from verifikasi.permissions import wewenang

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# One colour per status, in the flow's order; the same hues as the status badges (lencana).
WARNA_STATUS: dict[str, str] = {
    Status.DIAJUKAN: "#1d4f91",
    Status.DIKEMBALIKAN: "#c77700",
    Status.LOLOS_DESA: "#5fa8c6",
    Status.LOLOS_KECAMATAN: "#0c5a72",
    Status.DITERIMA: "#1b6e20",
    Status.DITOLAK: "#b00020",
    Status.DIGABUNG: "#6f6f6f",
    Status.DITARIK: "#bdbdbd",
}
# ColorBrewer sequential palettes (5 classes): Blues for counts, YlGn for acceptance rates.
PALET_JUMLAH = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
PALET_PENERIMAAN = ("#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837")
WARNA_KOSONG = "#d9d9d9"  # no proposals / nothing decided yet
JUMLAH_TERLAMBAT_DI_HALAMAN = 20


# --- Access and the round ----------------------------------------------------------------------
def _siklus_diminta(request: HttpRequest) -> tuple[Siklus | None, list[Siklus]]:
    """The round to show (?siklus=<id>, default the active one, else the latest) and all rounds of
    the deployment's kabupaten/kota. 404 for anyone who is not its Bappeda or administrator, and for
    a round id that is not one of its rounds."""
    try:
        kabkota = kabkota_deployment()
    except LokasiTidakValid:
        raise Http404(_("Data wilayah belum dimuat.")) from None
    w = wewenang(request.user)
    if kabkota.pk not in (w.bappeda | w.admin):
        raise Http404(_("Dasbor hanya untuk Bappeda dan administrator."))
    daftar = list(
        Siklus.objects.filter(kabkota=kabkota).select_related("kabkota").prefetch_related("jadwaltahapan_set")
    )
    # The shared public parser reads ?siklus= (malformed values are ignored, like on the map).
    diminta = SaringanPublik.dari_query(request.GET).siklus
    if diminta:
        siklus = next((s for s in daftar if s.pk == diminta), None)
        if siklus is None:
            raise Http404(_("Siklus tidak ditemukan."))
        return siklus, daftar
    return next((s for s in daftar if s.aktif), daftar[0] if daftar else None), daftar


# --- Charts ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Segmen:
    x: float  # left edge, % of the chart's width
    lebar: float  # % of the chart's width
    warna: str
    label: StrOrPromise
    nilai: float


@dataclass(frozen=True)
class Batang:
    """One row of a horizontal bar chart: its label, value text, segments and a sentence for
    screen readers (the SVG's aria-label and <title>)."""

    label: str
    teks: str
    segmen: tuple[Segmen, ...]
    uraian: str


def _batang_bertumpuk(baris: Sequence[dict[str, Any]], kunci_label: str) -> list[Batang]:
    """Stacked bars of the status counts of each row, scaled to the largest total."""
    maks = max((b["jumlah"] for b in baris), default=0) or 1
    hasil = []
    for b in baris:
        x, segmen = 0.0, []
        for s in statistik.STATUS:
            if b[s]:
                lebar = b[s] * 100 / maks
                segmen.append(
                    Segmen(
                        x=round(x, 3), lebar=round(lebar, 3), warna=WARNA_STATUS[s], label=Status(s).label, nilai=b[s]
                    )
                )
                x += lebar
        rincian = ", ".join(f"{s.label} {s.nilai}" for s in segmen) or _("tidak ada usulan")
        hasil.append(
            Batang(
                label=b[kunci_label],
                teks=number_format(b["jumlah"], force_grouping=True),
                segmen=tuple(segmen),
                uraian=_("%(nama)s: %(jumlah)s usulan (%(rincian)s)")
                % {"nama": b[kunci_label], "jumlah": b["jumlah"], "rincian": rincian},
            )
        )
    return hasil


def _batang_tunggal(butir: Iterable[tuple[str, float | int | None, str]], *, warna: str = "#0b5d3b") -> list[Batang]:
    """Simple bars from (label, value, value text), scaled to the largest value."""
    butir = list(butir)
    skala = max((n or 0 for _l, n, _t in butir), default=0) or 1
    hasil = []
    for label, nilai, teks in butir:
        lebar = round((nilai or 0) * 100 / skala, 3)
        segmen = (Segmen(x=0, lebar=lebar, warna=warna, label=label, nilai=nilai or 0),) if nilai else ()
        hasil.append(Batang(label=label, teks=teks, segmen=segmen, uraian=f"{label}: {teks}"))
    return hasil


def _dengan_hitungan(baris: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Adds the status counts as a list in the flow's order (templates cannot index by a variable)."""
    for b in baris:
        b["hitungan"] = [b[s] for s in statistik.STATUS]
    return baris


def _angka(nilai: float | None, akhiran: str = "") -> str:
    """A figure for people: locale decimal separator, one decimal; a dash when there is none."""
    if nilai is None:
        return "–"
    return number_format(nilai, decimal_pos=1, force_grouping=True) + akhiran


# --- Choropleth --------------------------------------------------------------------------------
def _kelas_jumlah(maks: int) -> list[tuple[int, int]]:
    """Up to five equal-interval classes (lower, upper) covering 1…maks, without empty duplicates."""
    batas, bawah = [], 1
    for k in range(1, 6):
        atas = -(-maks * k // 5)  # ceil
        if atas >= bawah:
            batas.append((bawah, atas))
            bawah = atas + 1
    return batas


def _peta(siklus: Siklus, ukuran: str) -> dict[str, Any]:
    """The choropleth's shapes with fill colours and tooltips, and its legend."""
    peta = statistik.peta_kecamatan(siklus)
    bentuk, legenda = [], []
    if ukuran == "penerimaan":
        kelas = [(i * 20, (i + 1) * 20) for i in range(5)]
        legenda = [(PALET_PENERIMAAN[i], f"{b}–{a} %") for i, (b, a) in enumerate(kelas)]
        legenda.append((WARNA_KOSONG, _("belum ada keputusan")))
        for k in peta.bentuk:
            nilai = k.angka_penerimaan
            indeks = None if nilai is None else min(int(nilai // 20), 4)
            bentuk.append(
                {
                    "kode": k.kode,
                    "nama": k.nama,
                    "path": k.path,
                    "label_x": k.label_x,
                    "label_y": k.label_y,
                    "warna": WARNA_KOSONG if indeks is None else PALET_PENERIMAAN[indeks],
                    "judul": _("%(nama)s: penerimaan %(persen)s (%(diterima)s diterima, %(ditolak)s ditolak)")
                    % {"nama": k.nama, "persen": _angka(nilai, " %"), "diterima": k.diterima, "ditolak": k.ditolak},
                }
            )
    else:
        kelas = _kelas_jumlah(max((k.jumlah for k in peta.bentuk), default=0))
        # Fewer than five classes take the darker end of the palette: the top class is the darkest.
        palet = PALET_JUMLAH[len(PALET_JUMLAH) - len(kelas) :]
        legenda = [(palet[i], f"{b}–{a}" if a > b else f"{b}") for i, (b, a) in enumerate(kelas)]
        legenda.append((WARNA_KOSONG, _("tidak ada usulan")))
        for k in peta.bentuk:
            indeks = next((i for i, (_b, a) in enumerate(kelas) if k.jumlah <= a), None) if k.jumlah else None
            bentuk.append(
                {
                    "kode": k.kode,
                    "nama": k.nama,
                    "path": k.path,
                    "label_x": k.label_x,
                    "label_y": k.label_y,
                    "warna": WARNA_KOSONG if indeks is None else palet[indeks],
                    "judul": _("%(nama)s: %(jumlah)s usulan") % {"nama": k.nama, "jumlah": k.jumlah},
                }
            )
    return {
        "viewbox": peta.viewbox,
        "bentuk": bentuk,
        "legenda": legenda,
        "ukuran": ukuran,
        # Names about 1/50 of the map's width: ~16 px when the map is 800 px wide.
        "ukuran_huruf": round(peta.lebar / 50),
        "garis_halo": round(peta.lebar / 250),
    }


# --- CSV ---------------------------------------------------------------------------------------
def _bentuk(nilai: Any) -> Any:
    """A dashboard CSV cell before musrenbang.tabel.sel_aman guards it: local ISO time to the minute,
    plain decimals, ya/tidak."""
    if nilai is None:
        return ""
    if isinstance(nilai, bool):
        return "ya" if nilai else "tidak"
    if isinstance(nilai, datetime.datetime):
        return timezone.localtime(nilai).isoformat(timespec="minutes")
    return nilai


@dataclass(frozen=True)
class TabelCSV:
    """A downloadable table: stable column names (the CSV header) and a function giving its rows."""

    kolom: tuple[str, ...]
    baris: Callable[[Siklus], Iterable[Sequence[Any]]]


def _csv_kecamatan(siklus: Siklus) -> Iterator[list[Any]]:
    for b in statistik.status_per_kecamatan(siklus):
        yield [b["kode"], b["nama"], *(b[s] for s in statistik.STATUS), b["jumlah"], b["angka_penerimaan"]]


def _csv_bidang(tingkat: str) -> Callable[[Siklus], Iterator[list[Any]]]:
    def baris(siklus: Siklus) -> Iterator[list[Any]]:
        for b in statistik.status_per_bidang(siklus, tingkat=tingkat):
            yield [b["kode"], b["nama"], *(b[s] for s in statistik.STATUS), b["jumlah"]]

    return baris


def _csv_alasan(siklus: Siklus) -> Iterator[list[Any]]:
    for b in statistik.alasan_penolakan(siklus, batas=None):
        yield [b["kode"], b["nama"], b["ditolak_desa"], b["ditolak_kecamatan"], b["ditolak_bappeda"], b["jumlah"]]


def _csv_pagu(siklus: Siklus) -> Iterator[list[Any]]:
    for b in statistik.biaya_terhadap_pagu(siklus):
        yield [
            b["tingkat"],
            b["kode"],
            b["nama"],
            b["jumlah_pagu"],
            b["terpakai"],
            b["sisa"],
            b["persen"],
            b["lewat"],
            b["blokir"],
        ]


def _csv_durasi(siklus: Siklus) -> Iterator[list[Any]]:
    for b in statistik.median_hari_per_tingkat(siklus):
        yield [b["tahapan"], b["status"], b["jumlah"], b["median_hari"]]


def _csv_terlambat(siklus: Siklus) -> Iterator[list[Any]]:
    for b in statistik.terlambat_per_kecamatan(siklus):
        yield [b["kode"], b["nama"], *(b[s] for s in statistik.TAHAPAN_MENUNGGU), b["jumlah"]]


def _csv_usulan_terlambat(siklus: Siklus) -> Iterator[list[Any]]:
    sekarang = timezone.now()
    for u in statistik.usulan_terlambat(siklus, sekarang).iterator(chunk_size=2000):
        # menunggu_sejak and batas_jadwal are annotated by statistik.usulan_terlambat.
        hari = (sekarang - u.menunggu_sejak).days if u.menunggu_sejak else None  # type: ignore[attr-defined]
        yield [u.kode_lacak, u.judul, u.status, u.desa.nama, u.kecamatan.nama, u.menunggu_sejak, u.batas_jadwal, hari]  # type: ignore[attr-defined]


TABEL_CSV: dict[str, TabelCSV] = {
    "kecamatan": TabelCSV(
        ("kode_kecamatan", "kecamatan", *statistik.STATUS, "jumlah", "angka_penerimaan_persen"), _csv_kecamatan
    ),
    "fungsi": TabelCSV(("kode_bidang", "bidang", *statistik.STATUS, "jumlah"), _csv_bidang("fungsi")),
    "subfungsi": TabelCSV(("kode_bidang", "bidang", *statistik.STATUS, "jumlah"), _csv_bidang("subfungsi")),
    "alasan": TabelCSV(
        ("kode_alasan", "alasan", "ditolak_desa", "ditolak_kecamatan", "ditolak_bappeda", "jumlah"), _csv_alasan
    ),
    "pagu": TabelCSV(
        ("tingkat", "kode_wilayah", "wilayah", "pagu", "biaya_diteruskan", "sisa", "persen", "lewat", "blokir"),
        _csv_pagu,
    ),
    "durasi": TabelCSV(("tahapan", "status_menunggu", "jumlah_usulan", "median_hari"), _csv_durasi),
    "terlambat": TabelCSV(("kode_kecamatan", "kecamatan", *statistik.TAHAPAN_MENUNGGU, "jumlah"), _csv_terlambat),
    "usulan-terlambat": TabelCSV(
        ("kode_lacak", "judul", "status", "desa", "kecamatan", "menunggu_sejak", "batas_jadwal", "hari_menunggu"),
        _csv_usulan_terlambat,
    ),
}


def _unduh_csv(siklus: Siklus, nama: str) -> HttpResponse | StreamingHttpResponse:
    tabel = TABEL_CSV.get(nama)
    if tabel is None:
        return _galat(
            _("Tabel “%(nama)s” tidak ada. Pilihan: %(pilihan)s.")
            % {"nama": nama[:50], "pilihan": ", ".join(TABEL_CSV)}
        )
    # The byte-order mark (for Excel) and the formula guard are the open data's (musrenbang.tabel).
    isi = tulis_csv(tabel.kolom, tabel.baris(siklus), bentuk=_bentuk)
    respons = StreamingHttpResponse(isi, content_type="text/csv; charset=utf-8")
    respons["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"dasbor-{nama}-{siklus.tahun}.csv"
    )
    # Internal figures: never kept by a shared cache.
    respons["Cache-Control"] = "private, no-store"
    return respons


def _galat(pesan: str) -> HttpResponse:
    return HttpResponse(pesan, status=400, content_type="text/plain; charset=utf-8")


# --- The page ----------------------------------------------------------------------------------
LABEL_TAHAPAN: dict[str, StrOrPromise] = {
    Tahapan.DESA: gettext_lazy("Desa/kelurahan"),
    Tahapan.KECAMATAN: gettext_lazy("Kecamatan"),
    Tahapan.BAPPEDA: gettext_lazy("Bappeda"),
}


@login_required
@require_GET
def dasbor(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The dashboard of one round, or one of its tables as CSV (?format=csv&tabel=…)."""
    siklus, daftar = _siklus_diminta(request)
    format_ = request.GET.get("format")
    if format_:
        if format_ != "csv":
            return _galat(_("Format “%(format)s” tidak dikenal. Gunakan format=csv.") % {"format": format_[:20]})
        if siklus is None:
            return _galat(_("Belum ada siklus perencanaan."))
        return _unduh_csv(siklus, request.GET.get("tabel", ""))
    if siklus is None:
        return render(request, "dasbor/dasbor.html", {"siklus": None, "daftar_siklus": daftar})

    sekarang = timezone.now()
    ukuran = "penerimaan" if request.GET.get("warna") == "penerimaan" else "jumlah"
    ringkasan = statistik.ringkasan_status(siklus)
    kecamatan = _dengan_hitungan(statistik.status_per_kecamatan(siklus))
    fungsi = _dengan_hitungan(statistik.status_per_bidang(siklus, tingkat="fungsi"))
    alasan = statistik.alasan_penolakan(siklus)
    durasi = statistik.median_hari_per_tingkat(siklus)
    terlambat = statistik.terlambat_per_kecamatan(siklus, sekarang)
    tutup = statistik.jadwal_tertutup(siklus, sekarang)
    for d in durasi:
        d["label"] = LABEL_TAHAPAN[d["tahapan"]]
    konteks = {
        "siklus": siklus,
        "daftar_siklus": daftar,
        "ringkasan": ringkasan,
        "ringkasan_hitungan": [ringkasan[s] for s in statistik.STATUS],
        "status_pilihan": [(s, Status(s).label, WARNA_STATUS[s]) for s in statistik.STATUS],
        "kecamatan": kecamatan,
        "grafik_kecamatan": _batang_bertumpuk(kecamatan, "nama"),
        "fungsi": fungsi,
        "grafik_fungsi": _batang_bertumpuk(fungsi, "nama"),
        "subfungsi": _dengan_hitungan(statistik.status_per_bidang(siklus, tingkat="subfungsi")),
        "alasan": alasan,
        "grafik_alasan": _batang_tunggal(
            ((a["nama"], a["jumlah"], number_format(a["jumlah"], force_grouping=True)) for a in alasan),
            warna=WARNA_STATUS[Status.DITOLAK],
        ),
        "pagu": statistik.biaya_terhadap_pagu(siklus),
        "durasi": durasi,
        "grafik_durasi": _batang_tunggal(
            (d["label"], d["median_hari"], _("%(hari)s hari") % {"hari": _angka(d["median_hari"])}) for d in durasi
        ),
        "terlambat": terlambat,
        "terlambat_total": {s: sum(b[s] for b in terlambat) for s in [*statistik.TAHAPAN_MENUNGGU, "jumlah"]},
        "terlambat_tingkat": [
            {"status": s, "label": LABEL_TAHAPAN[t], "selesai": tutup.get(s)}
            for s, t in statistik.TAHAPAN_MENUNGGU.items()
        ],
        "usulan_terlambat": statistik.usulan_terlambat(siklus, sekarang)[:JUMLAH_TERLAMBAT_DI_HALAMAN],
        "jumlah_terlambat_di_halaman": JUMLAH_TERLAMBAT_DI_HALAMAN,
        "peta": _peta(siklus, ukuran),
        "sekarang": sekarang,
    }
    konteks["angka_penerimaan_teks"] = _angka(ringkasan["angka_penerimaan"], " %")
    return render(request, "dasbor/dasbor.html", konteks)
