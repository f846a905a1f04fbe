"""Figures for Bappeda's dashboard and for the public summary on the map and home pages.

Every figure is computed by PostgreSQL (GROUP BY, COUNT … FILTER, SUM, window functions,
percentile_cont); each selector runs a fixed number of queries however many proposals a round has.
Python only walks the handful of rows that come back (14 kecamatan, a few dozen sectors, the
reason codes), never the proposals.

Two audiences, two sources of truth:

* The dashboard (Bappeda and administrators) reads the internal `status`, so a decision Bappeda
  has drafted but not yet published already counts there.
* `ringkasan_publik` (anyone) reads only what is published: `status_publik`, public history rows,
  and Bappeda decisions whose `diterbitkan_pada` is set. Its keys are a whitelist.

Definitions used throughout:

* decided (*diputuskan*) = `diterima` + `ditolak` (at any level); merged and withdrawn proposals
  are neither accepted nor rejected on their merits, so they stay out of the acceptance rate;
* cost passed on at a level = the estimated cost of proposals still in the running beyond it, the
  same sum `verifikasi.transitions.cek_pagu` checks against the ceiling when officials pass on;
* days at a level = from the moment a proposal entered the level's waiting status (submission or
  resubmission; `lolos_desa`; `lolos_kecamatan`) to the next status change made at that level
  (withdrawals by the proposer are not a level's action and are left out);
* overdue (*terlambat*) = still waiting at a level whose window in the round's calendar has closed.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from akun.models import Peran
from musrenbang.models import AlasanKode, Siklus, Tingkat, Wilayah
from usulan.models import Aksi, RiwayatStatus, Status, Usulan
from verifikasi import jenjang
from verifikasi.models import HasilKeputusan, KeputusanBappeda, Pagu

STATUS = tuple(Status.values)  # the flow's order: diajukan … ditarik

# The waiting status of each level, and the calendar window in which that level acts on it.
TAHAPAN_MENUNGGU: dict[str, str] = jenjang.status_menunggu()
# Proposals counted against a desa's / a kecamatan's ceiling (as in verifikasi.transitions.cek_pagu).
LOLOS_DARI_DESA = jenjang.lolos_dari(jenjang.dengan_peran(Peran.DESA)[0])
LOLOS_DARI_KECAMATAN = jenjang.lolos_dari(jenjang.dengan_peran(Peran.KECAMATAN)[0])
# Boundaries are drawn in Web Mercator metres; 50 m is below one pixel of a kabupaten drawn
# 600 px wide and keeps Karimun's 14 kecamatan at ~25 kB of SVG.
TOLERANSI_SIMPLIFIKASI_M = 50.0


def persen(bagian: int | Decimal, keseluruhan: int | Decimal) -> float | None:
    """`bagian` as a percentage of `keseluruhan`, one decimal; None when there is nothing to divide by."""
    if not keseluruhan:
        return None
    return round(float(bagian) * 100 / float(keseluruhan), 1)


def _jumlah_status(relasi: str = "", *, kolom: str = "status", saring: Q | None = None) -> dict[str, Count]:
    """COUNT … FILTER (WHERE status = s) for every status, over `relasi` (empty: the row itself)."""
    awalan = f"{relasi}__" if relasi else ""
    dasar = saring if saring is not None else Q()
    target = relasi or "pk"
    return {s: Count(target, filter=dasar & Q(**{f"{awalan}{kolom}": s})) for s in STATUS}


def _kecamatan(siklus: Siklus) -> QuerySet[Wilayah]:
    return Wilayah.objects.filter(induk_id=siklus.kabkota_id, tingkat=Tingkat.KECAMATAN)


# --- Counts by status --------------------------------------------------------------------------
def ringkasan_status(siklus: Siklus) -> dict[str, Any]:
    """Headline figures of a round (internal status): the total, one count per status, how many
    were decided, the acceptance rate (diterima / decided, %), and how many Bappeda decisions are
    still unpublished drafts. One query."""
    hasil = Usulan.objects.filter(siklus_id=siklus.pk).aggregate(
        jumlah=Count("pk"),
        belum_terbit=Count("pk", filter=Q(keputusan__isnull=False, keputusan__diterbitkan_pada__isnull=True)),
        **_jumlah_status(),
    )
    hasil["diputuskan"] = hasil[Status.DITERIMA] + hasil[Status.DITOLAK]
    hasil["angka_penerimaan"] = persen(hasil[Status.DITERIMA], hasil["diputuskan"])
    return hasil


def status_per_kecamatan(siklus: Siklus) -> list[dict[str, Any]]:
    """Every kecamatan of the round's kabupaten/kota (also those without proposals), ordered by
    code, with a count per internal status, the total and the acceptance rate. One query."""
    dalam = Q(usulan_kecamatan__siklus_id=siklus.pk)
    baris = list(
        _kecamatan(siklus)
        .annotate(jumlah=Count("usulan_kecamatan", filter=dalam), **_jumlah_status("usulan_kecamatan", saring=dalam))
        .order_by("kode")
        .values("pk", "kode", "nama", "jumlah", *STATUS)
    )
    for b in baris:
        b["angka_penerimaan"] = persen(b[Status.DITERIMA], b[Status.DITERIMA] + b[Status.DITOLAK])
    return baris


def status_per_bidang(siklus: Siklus, *, tingkat: str = "fungsi") -> list[dict[str, Any]]:
    """Counts per internal status for each sector that has proposals in the round, ordered by code.

    `tingkat="fungsi"` groups sub-fungsi under their fungsi (Permendagri 90/2019), "subfungsi"
    keeps the sector the proposal names. One query.
    """
    if tingkat not in ("fungsi", "subfungsi"):
        raise ValueError(tingkat)
    if tingkat == "fungsi":
        kode, nama = Coalesce("bidang__induk__kode", "bidang__kode"), Coalesce("bidang__induk__nama", "bidang__nama")
    else:
        kode, nama = F("bidang__kode"), F("bidang__nama")  # type: ignore[assignment]  # expressions either way
    return list(
        Usulan.objects.filter(siklus_id=siklus.pk)  # type: ignore[arg-type]  # values() rows are plain dicts
        .order_by()
        .values(kode=kode, nama=nama)
        .annotate(jumlah=Count("pk"), **_jumlah_status())
        .order_by("kode")
    )


# --- Reasons -----------------------------------------------------------------------------------
_SQL_ALASAN = """
WITH tolak AS (
    SELECT r.alasan_kode_id AS id,
           COUNT(*) FILTER (WHERE r.dari_status = %(diajukan)s) AS desa,
           COUNT(*) FILTER (WHERE r.dari_status = %(lolos_desa)s) AS kecamatan
    FROM {riwayat} r
    JOIN {usulan} u ON u.id = r.usulan_id
    WHERE u.siklus_id = %(siklus)s AND r.aksi = %(tolak)s AND r.dari_status IN (%(diajukan)s, %(lolos_desa)s)
      AND (r.publik OR NOT %(publik)s)
    GROUP BY r.alasan_kode_id
), bappeda AS (
    SELECT k.alasan_kode_id AS id, COUNT(*) AS n
    FROM {keputusan} k
    JOIN {usulan} u ON u.id = k.usulan_id
    WHERE u.siklus_id = %(siklus)s AND k.hasil = %(ditolak)s
      AND (k.diterbitkan_pada IS NOT NULL OR NOT %(publik)s)
    GROUP BY k.alasan_kode_id
)
SELECT a.kode, a.nama, COALESCE(t.desa, 0), COALESCE(t.kecamatan, 0), COALESCE(b.n, 0),
       COALESCE(t.desa, 0) + COALESCE(t.kecamatan, 0) + COALESCE(b.n, 0) AS jumlah
FROM {alasan} a
LEFT JOIN tolak t ON t.id = a.id
LEFT JOIN bappeda b ON b.id = a.id
WHERE t.id IS NOT NULL OR b.id IS NOT NULL
ORDER BY jumlah DESC, a.urutan, a.kode
LIMIT %(batas)s
"""
_KOLOM_ALASAN = ("kode", "nama", "ditolak_desa", "ditolak_kecamatan", "ditolak_bappeda", "jumlah")


def alasan_penolakan(siklus: Siklus, *, publik: bool = False, batas: int | None = 10) -> list[dict[str, Any]]:
    """The reason codes behind rejections, most used first, split by the level that rejected:
    desa and kecamatan (their `tolak` history rows) and Bappeda (its decisions, drafts included
    unless `publik`). With `publik=True` only public history rows and published decisions count.
    `batas=None`: every code used. One query: each source is grouped once (correlated counts per
    code took 3 s at 20 000 proposals, this takes milliseconds; see bench/bench_dasbor.py)."""
    sql = _SQL_ALASAN.format(
        riwayat=RiwayatStatus._meta.db_table,
        usulan=Usulan._meta.db_table,
        keputusan=KeputusanBappeda._meta.db_table,
        alasan=AlasanKode._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "siklus": siklus.pk,
                "publik": publik,
                "batas": batas,
                "tolak": Aksi.TOLAK,
                "diajukan": Status.DIAJUKAN,
                "lolos_desa": Status.LOLOS_DESA,
                "ditolak": HasilKeputusan.DITOLAK,
            },
        )
        return [dict(zip(_KOLOM_ALASAN, baris, strict=True)) for baris in cursor.fetchall()]


# --- Cost against ceilings ---------------------------------------------------------------------
def biaya_terhadap_pagu(siklus: Siklus) -> list[dict[str, Any]]:
    """Each kecamatan and desa with a ceiling (Pagu) or with cost passed on, ordered by code (a
    kecamatan, then its desa): the ceiling, the estimated cost passed on at that level, what
    remains, the share used (%) and whether it is exceeded. One query."""
    usulan = Usulan.objects.filter(siklus_id=siklus.pk).order_by()
    nol = Value(Decimal(0), output_field=DecimalField(max_digits=17, decimal_places=2))

    def total(kolom: str, status: tuple[str, ...]) -> Subquery:
        sub = (
            usulan.filter(**{kolom: OuterRef("pk")}, status__in=status).values(kolom).annotate(t=Sum("perkiraan_biaya"))
        )
        return Subquery(sub.values("t")[:1], output_field=DecimalField(max_digits=17, decimal_places=2))

    pagu = Pagu.objects.filter(siklus_id=siklus.pk, wilayah_id=OuterRef("pk"))
    baris = list(
        Wilayah.objects.filter(
            Q(tingkat=Tingkat.KECAMATAN, induk_id=siklus.kabkota_id)
            | Q(tingkat=Tingkat.DESA_KELURAHAN, induk__induk_id=siklus.kabkota_id)
        )
        .annotate(
            jumlah_pagu=Subquery(pagu.values("jumlah")[:1]),
            blokir=Subquery(pagu.values("blokir")[:1]),
            terpakai=Coalesce(
                Case(
                    When(tingkat=Tingkat.DESA_KELURAHAN, then=total("desa_id", LOLOS_DARI_DESA)),
                    default=total("kecamatan_id", LOLOS_DARI_KECAMATAN),
                ),
                nol,
            ),
        )
        .filter(Q(jumlah_pagu__isnull=False) | Q(terpakai__gt=0))
        .order_by("kode")
        .values("kode", "nama", "tingkat", "jumlah_pagu", "blokir", "terpakai")
    )
    # values() gives plain dicts: the derived figures go in beside the columns (the stubs type them as fixed).
    for b in baris:
        ada_pagu = b["jumlah_pagu"] is not None
        b["sisa"] = b["jumlah_pagu"] - b["terpakai"] if ada_pagu else None  # type: ignore[misc]
        b["persen"] = persen(b["terpakai"], b["jumlah_pagu"]) if ada_pagu else None  # type: ignore[misc]
        b["lewat"] = ada_pagu and b["terpakai"] > b["jumlah_pagu"]  # type: ignore[misc]
        b["blokir"] = bool(b["blokir"])
    return baris  # type: ignore[return-value]


# --- Time spent at each level ------------------------------------------------------------------
# Only status changes count (internal rows such as OPD requests keep the status). Over those, the
# previous change of the same proposal is the moment it entered the status the current row leaves.
_SQL_DURASI = """
WITH perubahan AS (
    SELECT r.aksi, r.dari_status, r.waktu,
           LAG(r.waktu) OVER (PARTITION BY r.usulan_id ORDER BY r.waktu, r.id) AS masuk
    FROM {riwayat} r
    JOIN {usulan} u ON u.id = r.usulan_id
    WHERE u.siklus_id = %(siklus)s AND r.dari_status IS DISTINCT FROM r.ke_status
)
SELECT dari_status,
       COUNT(*),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM waktu - masuk) / 86400.0)
FROM perubahan
WHERE dari_status = ANY(%(status)s) AND aksi <> %(tarik)s AND masuk IS NOT NULL
GROUP BY dari_status
"""


def median_hari_per_tingkat(siklus: Siklus) -> list[dict[str, Any]]:
    """For the desa, kecamatan and Bappeda levels, in that order: how many proposals the level has
    acted on and the median days they waited for it (None when none yet). One query."""
    sql = _SQL_DURASI.format(riwayat=RiwayatStatus._meta.db_table, usulan=Usulan._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"siklus": siklus.pk, "status": list(TAHAPAN_MENUNGGU), "tarik": Aksi.TARIK})
        hasil = {status: (jumlah, median) for status, jumlah, median in cursor.fetchall()}
    baris = []
    for status, tahapan in TAHAPAN_MENUNGGU.items():
        jumlah, median = hasil.get(status, (0, None))
        baris.append(
            {
                "tahapan": tahapan,
                "status": status,
                "jumlah": jumlah,
                "median_hari": round(float(median), 1) if median is not None else None,
            }
        )
    return baris


# --- Overdue -----------------------------------------------------------------------------------
def jadwal_tertutup(siklus: Siklus, pada: datetime.datetime | None = None) -> dict[str, datetime.datetime]:
    """Waiting status → end of its level's window, for the windows already closed at `pada`.
    No query when the round's calendar is prefetched."""
    pada = pada or timezone.now()
    tutup = {}
    for status, tahapan in TAHAPAN_MENUNGGU.items():
        jadwal = siklus.jadwal(tahapan)
        if jadwal is not None and jadwal.selesai <= pada:
            tutup[status] = jadwal.selesai
    return tutup


def terlambat_per_kecamatan(siklus: Siklus, pada: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """Every kecamatan with the number of its proposals still waiting at the desa, kecamatan or
    Bappeda level after that level's window closed (keys: the waiting statuses, and `jumlah`).
    One query."""
    tutup = jadwal_tertutup(siklus, pada)
    dalam = Q(usulan_kecamatan__siklus_id=siklus.pk)
    hitung = {
        s: Count("usulan_kecamatan", filter=dalam & Q(usulan_kecamatan__status=s)) if s in tutup else Value(0)
        for s in TAHAPAN_MENUNGGU
    }
    baris = list(_kecamatan(siklus).annotate(**hitung).order_by("kode").values("kode", "nama", *TAHAPAN_MENUNGGU))
    for b in baris:
        b["jumlah"] = sum(b[s] for s in TAHAPAN_MENUNGGU)
    return baris


def usulan_terlambat(siklus: Siklus, pada: datetime.datetime | None = None) -> QuerySet[Usulan]:
    """The overdue proposals themselves, longest waiting first, each annotated with `menunggu_sejak`
    (when it entered its waiting status) and `batas_jadwal` (when the level's window closed).
    Desa and kecamatan come with them (constant queries when iterated)."""
    tutup = jadwal_tertutup(siklus, pada)
    if not tutup:
        return Usulan.objects.none()
    masuk = (
        RiwayatStatus.objects.filter(usulan_id=OuterRef("pk"), ke_status=OuterRef("status"))
        .exclude(dari_status=OuterRef("status"))
        .order_by("-waktu", "-pk")
        .values("waktu")[:1]
    )
    return (
        Usulan.objects.filter(siklus_id=siklus.pk, status__in=list(tutup))
        .annotate(
            menunggu_sejak=Subquery(masuk),
            batas_jadwal=Case(*(When(status=s, then=Value(selesai)) for s, selesai in tutup.items())),
        )
        # Only the names of desa and kecamatan: their boundaries would be parsed for every row.
        .select_related("desa", "kecamatan")
        .only("kode_lacak", "judul", "status", "desa__nama", "kecamatan__nama")
        .order_by("menunggu_sejak", "pk")
    )


# --- Choropleth --------------------------------------------------------------------------------
_SQL_PETA = """
SELECT w.kode, w.nama,
       ST_AsSVG(g.geom, 0, 0),
       ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom),
       COALESCE(h.jumlah, 0), COALESCE(h.diterima, 0), COALESCE(h.ditolak, 0),
       ST_X(ST_PointOnSurface(g.geom)), -ST_Y(ST_PointOnSurface(g.geom))
FROM {wilayah} w
CROSS JOIN LATERAL (
    SELECT ST_SimplifyPreserveTopology(ST_Transform(w.batas, 3857), %(toleransi)s) AS geom
) g
LEFT JOIN (
    SELECT kecamatan_id,
           COUNT(*) AS jumlah,
           COUNT(*) FILTER (WHERE status = %(diterima)s) AS diterima,
           COUNT(*) FILTER (WHERE status = %(ditolak)s) AS ditolak
    FROM {usulan}
    WHERE siklus_id = %(siklus)s
    GROUP BY kecamatan_id
) h ON h.kecamatan_id = w.id
WHERE w.induk_id = %(kabkota)s AND w.tingkat = %(tingkat)s AND w.batas IS NOT NULL
ORDER BY w.kode
"""


@dataclass(frozen=True)
class BentukKecamatan:
    """One kecamatan drawn for the choropleth: an SVG path in Web Mercator metres (y flipped, as
    ST_AsSVG writes it) and its internal counts."""

    kode: str
    nama: str
    path: str
    jumlah: int
    diterima: int
    ditolak: int
    label_x: float  # a point inside the shape for its name, in the same coordinates as `path`
    label_y: float

    @property
    def angka_penerimaan(self) -> float | None:
        return persen(self.diterima, self.diterima + self.ditolak)


@dataclass(frozen=True)
class PetaKecamatan:
    """The kecamatan shapes and the SVG viewBox that frames them all (`lebar`: its width)."""

    viewbox: str
    lebar: float
    bentuk: list[BentukKecamatan]


def peta_kecamatan(siklus: Siklus) -> PetaKecamatan:
    """The round's kecamatan as simplified SVG paths with their counts (total, accepted, rejected).
    One query; kecamatan without a boundary are left out."""
    sql = _SQL_PETA.format(wilayah=Wilayah._meta.db_table, usulan=Usulan._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "toleransi": TOLERANSI_SIMPLIFIKASI_M,
                "siklus": siklus.pk,
                "kabkota": siklus.kabkota_id,
                "tingkat": Tingkat.KECAMATAN,
                "diterima": Status.DITERIMA,
                "ditolak": Status.DITOLAK,
            },
        )
        baris = cursor.fetchall()
    if not baris:
        return PetaKecamatan(viewbox="0 0 1 1", lebar=1.0, bentuk=[])
    xmin, ymin = min(b[3] for b in baris), min(b[4] for b in baris)
    xmax, ymax = max(b[5] for b in baris), max(b[6] for b in baris)
    # A small margin so the outermost coastline is not cut by the frame.
    tepi = max(xmax - xmin, ymax - ymin) * 0.01
    viewbox = f"{xmin - tepi:.0f} {-ymax - tepi:.0f} {xmax - xmin + 2 * tepi:.0f} {ymax - ymin + 2 * tepi:.0f}"
    bentuk = [
        BentukKecamatan(
            kode=b[0],
            nama=b[1],
            path=b[2],
            jumlah=b[7],
            diterima=b[8],
            ditolak=b[9],
            label_x=round(b[10]),
            label_y=round(b[11]),
        )
        for b in baris
    ]
    return PetaKecamatan(viewbox=viewbox, lebar=xmax - xmin + 2 * tepi, bentuk=bentuk)


# --- Public summary ----------------------------------------------------------------------------
KUNCI_RINGKASAN_PUBLIK = (
    "siklus",
    "tahun",
    "jumlah_usulan",
    "per_status",
    "diterima",
    "ditolak",
    "angka_penerimaan",
    "pagu_diterima",
    "alasan_teratas",
    "per_kecamatan",
)


# One query for the whole summary: the round's totals over its proposals, with the per-kecamatan
# rows and the top public rejection reasons as JSON arrays beside them (the reasons are exactly
# alasan_penolakan(publik=True), embedded as a CTE). One round trip keeps the map page, which also
# shows this summary, within its query budget.
_SQL_RINGKASAN = """
WITH alasan (kode, nama, desa, kecamatan, bappeda, jumlah) AS ({alasan}),
per_kecamatan AS (
    SELECT w.kode, w.nama,
           COUNT(u.id) AS jumlah,
           COUNT(u.id) FILTER (WHERE u.status_publik = %(diterima)s) AS diterima
    FROM {wilayah} w
    LEFT JOIN {usulan} u ON u.kecamatan_id = w.id AND u.siklus_id = %(siklus)s
    WHERE w.induk_id = %(kabkota)s AND w.tingkat = %(tingkat_kecamatan)s
    GROUP BY w.id, w.kode, w.nama
)
SELECT COUNT(u.id),
       SUM(k.biaya) FILTER (WHERE u.status_publik = %(diterima)s AND k.diterbitkan_pada IS NOT NULL),
       {per_status},
       (SELECT COALESCE(json_agg(json_build_array(p.kode, p.nama, p.jumlah, p.diterima) ORDER BY p.kode), '[]')
        FROM per_kecamatan p)::text,
       (SELECT COALESCE(json_agg(json_build_array(a.kode, a.nama, a.jumlah)
                                 ORDER BY a.jumlah DESC, ak.urutan, a.kode), '[]')
        FROM alasan a JOIN {alasan_kode} ak ON ak.kode = a.kode)::text
FROM {usulan} u
LEFT JOIN {keputusan} k ON k.usulan_id = u.id
WHERE u.siklus_id = %(siklus)s
"""


def ringkasan_publik(siklus: Siklus | None) -> dict[str, Any] | None:
    """The public summary of a round for `templates/peta/_ringkasan_publik.html` (pass it to the
    template as `ringkasan_publik`); None without a round. Callers: the home page and the map page.

    Only published information: counts by `status_publik`, the acceptance rate over published
    outcomes, the agreed budget of published acceptances, the top five reasons of public
    rejections, and per-kecamatan totals. Keys are exactly KUNCI_RINGKASAN_PUBLIK (nested rows
    list theirs explicitly). One query.
    """
    if siklus is None:
        return None
    sql = _SQL_RINGKASAN.format(
        alasan=_SQL_ALASAN.format(
            riwayat=RiwayatStatus._meta.db_table,
            usulan=Usulan._meta.db_table,
            keputusan=KeputusanBappeda._meta.db_table,
            alasan=AlasanKode._meta.db_table,
        ),
        wilayah=Wilayah._meta.db_table,
        usulan=Usulan._meta.db_table,
        keputusan=KeputusanBappeda._meta.db_table,
        alasan_kode=AlasanKode._meta.db_table,
        per_status=", ".join(
            f"COUNT(u.id) FILTER (WHERE u.status_publik = %(status_{i})s)" for i in range(len(STATUS))
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "siklus": siklus.pk,
                "kabkota": siklus.kabkota_id,
                "tingkat_kecamatan": Tingkat.KECAMATAN,
                "diterima": Status.DITERIMA,
                # alasan_penolakan(publik=True, batas=5)
                "publik": True,
                "batas": 5,
                "tolak": Aksi.TOLAK,
                "diajukan": Status.DIAJUKAN,
                "lolos_desa": Status.LOLOS_DESA,
                "ditolak": HasilKeputusan.DITOLAK,
                **{f"status_{i}": s for i, s in enumerate(STATUS)},
            },
        )
        jumlah, pagu_diterima, *hitungan, per_kecamatan, alasan = cursor.fetchone()
    per_status = dict(zip(STATUS, hitungan, strict=True))
    diterima, ditolak = per_status[Status.DITERIMA], per_status[Status.DITOLAK]
    return {
        "siklus": str(siklus),
        "tahun": siklus.tahun,
        "jumlah_usulan": jumlah,
        "per_status": [
            {"status": s, "label": str(Status(s).label), "jumlah": n, "persen": persen(n, jumlah)}
            for s, n in per_status.items()
            if n
        ],
        "diterima": diterima,
        "ditolak": ditolak,
        "angka_penerimaan": persen(diterima, diterima + ditolak),
        "pagu_diterima": pagu_diterima or Decimal(0),
        "alasan_teratas": [{"kode": k, "nama": n, "jumlah": j} for k, n, j in json.loads(alasan)],
        "per_kecamatan": [
            {"kode": k, "nama": n, "jumlah": j, "diterima": d} for k, n, j, d in json.loads(per_kecamatan)
        ],
    }


# How long a kept summary may serve at most when nothing in the version key moved (a renamed reason
# code or kecamatan is seen after this).
UMUR_RINGKASAN_DETIK = 600


def ringkasan_publik_tersimpan(siklus: Siklus | None) -> dict[str, Any] | None:
    """ringkasan_publik, kept in the cache for the pages that show it on every view (the home page and
    the map page): at a million proposals the summary query takes about a second, the check below a
    fraction of a millisecond.

    Exact: the key holds the newest public history row and the newest proposal. Every change the
    summary can show (a submission, a public verification step, a publication, a withdrawal) writes a
    public history row (append-only, so its id only grows), and bulk loaders insert proposals; either
    moves the key. Internal steps (a request to an OPD, its advice, a draft decision) do not: a
    summary computed afresh right after one would tell by its slower answer that Bappeda acted.
    Per language, since the status labels are translated. One query when kept, two otherwise.
    """
    if siklus is None:
        return None
    with connection.cursor() as cursor:
        riwayat_tabel, usulan_tabel = RiwayatStatus._meta.db_table, Usulan._meta.db_table
        cursor.execute(
            f"SELECT (SELECT max(id) FROM {riwayat_tabel} WHERE publik), (SELECT max(id) FROM {usulan_tabel})"  # noqa: S608
        )
        riwayat, usulan = cursor.fetchone()
    kunci = f"ringkasan-publik:{siklus.pk}:{translation.get_language()}:{riwayat}:{usulan}"
    hasil = cache.get(kunci)
    if hasil is None:
        hasil = ringkasan_publik(siklus)
        cache.set(kunci, hasil, UMUR_RINGKASAN_DETIK)
    return hasil
