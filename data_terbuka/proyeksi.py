"""The one public projection of a proposal, read by the open-data downloads (data_terbuka.views) and
the Open311 API (data_terbuka.open311).

Public rows take the same query string as the map (usulan.saringan.SaringanPublik; the round defaults
to the active one) and contain exactly the columns of KOLOM_PUBLIK, nothing else:

    kode_lacak, tahun, judul, permasalahan, uraian, status (the public status), status_label,
    bidang_kode, bidang, kamus, volume, satuan, perkiraan_biaya, alamat, desa_kode, desa,
    kecamatan_kode, kecamatan, lat, lon (WGS84), jenis_pengusul, nama_pengusul (only when the
    proposer opted in), diajukan, diperbarui (the last public event), alasan (the published reason:
    reason code + note of the last return/rejection/merge, or the text Bappeda published with its
    decision), digabung_ke, opd_pelaksana and pagu (only from a published Bappeda acceptance), tautan.

Never: the submitting account, e-mail, phone, kontak_pengusul, the internal status, internal
history rows, OPD advice, unpublished decisions. Unpublished values are cut off in SQL (CASE on
`diterbitkan_pada`), so they never reach Python. Bappeda's internal SIPD workbook is not public and
lives with the dashboard (dasbor.sipd).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    FloatField,
    Func,
    JSONField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject
from django.db.models.query import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from usulan.kalimat import teks_catatan
from usulan.models import AKSI_BERALASAN, RiwayatStatus, Status, Usulan
from usulan.saringan import SaringanPublik
from verifikasi.models import HasilKeputusan

KOLOM_PUBLIK = (
    "kode_lacak",
    "tahun",
    "judul",
    "permasalahan",
    "uraian",
    "status",
    "status_label",
    "bidang_kode",
    "bidang",
    "kamus",
    "volume",
    "satuan",
    "perkiraan_biaya",
    "alamat",
    "desa_kode",
    "desa",
    "kecamatan_kode",
    "kecamatan",
    "lat",
    "lon",
    "jenis_pengusul",
    "nama_pengusul",
    "diajukan",
    "diperbarui",
    "alasan",
    "digabung_ke",
    "opd_pelaksana",
    "pagu",
    "tautan",
)
# GeoJSON carries the position in the geometry.
KOLOM_GEOJSON = tuple(k for k in KOLOM_PUBLIK if k not in ("lat", "lon"))


# --- Reading the public rows ---------------------------------------------------------------------
def usulan_publik(saringan: SaringanPublik, *, siklus_bawaan: int | None) -> QuerySet[Usulan]:
    """The deployment's proposals under the public filters (the round defaults to `siklus_bawaan`).

    Callers: the downloads (data_terbuka.views) and the Open311 API. Reads only; filters only public fields.
    """
    qs = Usulan.objects.filter(siklus__kabkota__kode=settings.MUSRENBANG_KODE_KABKOTA)
    return saringan.terapkan(qs, siklus_bawaan=siklus_bawaan)


def _riwayat_publik_terakhir() -> Subquery:
    """The last public history row of each proposal as one JSON object (one index lookup per row)."""
    return Subquery(
        RiwayatStatus.objects.filter(usulan=OuterRef("pk"), publik=True)
        .order_by("-waktu", "-pk")
        .values(
            j=JSONObject(
                waktu="waktu",
                aksi="aksi",
                dari="dari_status",
                kode="alasan_kode__nama",
                catatan="catatan",
                kalimat="kalimat",
                kalimat_data="kalimat_data",
            )
        )[:1],
        output_field=JSONField(),
    )


def _terbit(then: Any, output_field: Any) -> Case:
    # Bappeda's acceptance is public only once published; until then the column is NULL in SQL.
    return Case(
        When(
            keputusan__diterbitkan_pada__isnull=False,
            keputusan__hasil=HasilKeputusan.DITERIMA,
            then=then,
        ),
        default=None,
        output_field=output_field,
    )


# The only columns a public output may read. Annotation names start with x_ so they never shadow a
# model field (nama_pengusul must not be readable under its own name).
NILAI_PUBLIK = (
    "kode_lacak",
    "siklus__tahun",
    "siklus__kabkota__nama",
    "judul",
    "permasalahan",
    "uraian",
    "status_publik",
    "bidang__kode",
    "bidang__nama",
    "kamus__nama",
    "volume",
    "satuan",
    "perkiraan_biaya",
    "alamat",
    "desa__kode",
    "desa__nama",
    "kecamatan__kode",
    "kecamatan__nama",
    "jenis_pengusul",
    "dibuat",
    "digabung_ke__kode_lacak",
    "x_lat",
    "x_lon",
    "x_nama",
    "x_riwayat",
    "x_opd",
    "x_pagu",
)


def nilai_publik(qs: QuerySet[Usulan], **tambahan: Any) -> QuerySet[Usulan, dict[str, Any]]:
    """The whitelisted public values of each proposal, computed in one query (`tambahan`: further
    annotations a caller needs, e.g. the first photo for Open311)."""
    return qs.annotate(
        x_lat=Func("lokasi", function="ST_Y", output_field=FloatField()),
        x_lon=Func("lokasi", function="ST_X", output_field=FloatField()),
        x_nama=Case(When(tampilkan_nama=True, then=F("nama_pengusul")), default=Value(""), output_field=CharField()),
        x_riwayat=_riwayat_publik_terakhir(),
        x_opd=_terbit(F("keputusan__perangkat_daerah__nama"), CharField()),
        x_pagu=_terbit(F("keputusan__biaya"), DecimalField(max_digits=17, decimal_places=2)),
        **tambahan,
    ).values(*NILAI_PUBLIK, *tambahan)


def riwayat_terakhir(v: dict[str, Any]) -> dict[str, Any] | None:
    """The last public history row of a value row, with its time parsed."""
    r = v.get("x_riwayat")
    if not r:
        return None
    if isinstance(r.get("waktu"), str):
        r = {**r, "waktu": datetime.datetime.fromisoformat(r["waktu"])}
    return r


def alasan_publik(r: dict[str, Any] | None) -> str:
    """The published reason of the current status: reason code and note of a return, rejection or
    merge, or the text Bappeda published with its decision. Empty otherwise."""
    if not r or r.get("aksi") not in AKSI_BERALASAN:
        return ""
    kode = (r.get("kode") or "").strip()
    catatan = teks_catatan(r.get("kalimat") or "", r.get("kalimat_data"), r.get("catatan") or "")
    return f"{kode}: {catatan}" if kode and catatan else kode or catatan


@dataclasses.dataclass(frozen=True)
class KonteksBaris:
    """What every row of one download shares, looked up once (time zone and labels cost a
    thread-local lookup each time otherwise)."""

    tautan: Callable[[str], str]
    zona: datetime.tzinfo
    label_status: dict[str, str]

    @classmethod
    def sekarang(cls, tautan: Callable[[str], str]) -> KonteksBaris:
        """For the active time zone and language (call it where the rows are produced)."""
        label = {s.value: str(s.label) for s in Status}
        return cls(tautan=tautan, zona=timezone.get_current_timezone(), label_status=label)


def baris_publik(v: dict[str, Any], konteks: KonteksBaris) -> dict[str, Any]:
    """One public row with exactly the keys of KOLOM_PUBLIK (native types, times in the deployment's
    time zone; writers format them)."""
    r = riwayat_terakhir(v)
    diperbarui = r["waktu"] if r else v["dibuat"]
    return {
        "kode_lacak": v["kode_lacak"],
        "tahun": v["siklus__tahun"],
        "judul": v["judul"],
        "permasalahan": v["permasalahan"],
        "uraian": v["uraian"],
        "status": v["status_publik"],
        "status_label": konteks.label_status[v["status_publik"]],
        "bidang_kode": v["bidang__kode"],
        "bidang": v["bidang__nama"],
        "kamus": v["kamus__nama"] or "",
        "volume": v["volume"],
        "satuan": v["satuan"],
        "perkiraan_biaya": v["perkiraan_biaya"],
        "alamat": v["alamat"],
        "desa_kode": v["desa__kode"],
        "desa": v["desa__nama"],
        "kecamatan_kode": v["kecamatan__kode"],
        "kecamatan": v["kecamatan__nama"],
        "lat": round(v["x_lat"], 7),
        "lon": round(v["x_lon"], 7),
        "jenis_pengusul": v["jenis_pengusul"],
        "nama_pengusul": v["x_nama"],
        "diajukan": v["dibuat"].astimezone(konteks.zona),
        "diperbarui": diperbarui.astimezone(konteks.zona),
        "alasan": alasan_publik(r),
        "digabung_ke": v["digabung_ke__kode_lacak"] or "",
        "opd_pelaksana": v["x_opd"] or "",
        "pagu": v["x_pagu"],
        "tautan": konteks.tautan(v["kode_lacak"]),
    }


def pembuat_tautan(request: HttpRequest) -> Callable[[str], str]:
    """Absolute links to public proposal pages; one reverse() for the whole download."""
    contoh = request.build_absolute_uri(reverse("usulan:lacak", args=["KODE-LACAK"]))
    awal, akhir = contoh.split("KODE-LACAK", 1)
    return lambda kode: f"{awal}{kode}{akhir}"


def waktu_w3c(nilai: datetime.datetime) -> str:
    """ISO 8601 in the deployment's time zone, with its offset (W3C-DTF, as Open311 requires)."""
    return timezone.localtime(nilai).isoformat(timespec="seconds")
