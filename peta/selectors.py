"""Reads for the public map: clusters or points of a viewport, one proposal's popup, the outlines.

Only public data leaves here: the public status (`status_publik`, never `status`), title, tracking
code, sector, desa/kecamatan names, the first photo's thumbnail and the published reason. The viewport
query never loops over proposals in Python: PostgreSQL groups them into ~60 px grid cells, from the
prepared aggregates (peta.models.AgregatPeta) or live, and returns at most a few hundred cells.

The viewport is snapped outward to whole grid cells, so a cluster is never cut at the screen's edge,
the prepared and the live path count exactly the same proposals, and "total" (the sum of the cluster
counts) is the number of proposals matching the filters in the returned, snapped `bbox`.
"""

# ruff: noqa: S608 - SQL here is assembled from constants and the status list only; every value a
# request supplies (bbox, zoom, filters, round) travels as a query parameter.
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, JSONField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils.translation import gettext as _

from musrenbang.models import Bidang, Siklus, Tingkat, Wilayah
from peta.models import STATUS_AGREGAT, UKURAN_SEL_PX, ZOOM_AGREGAT
from usulan.kalimat import teks_catatan
from usulan.models import AKSI_BERALASAN, FotoUsulan, RiwayatStatus, Status, Usulan
from usulan.saringan import SaringanPublik

# The map's zoom range (Leaflet MIN_ZOOM/MAX_ZOOM); a request outside it is clamped.
ZOOM_MIN, ZOOM_MAKS = 4, 19
# From this zoom up a viewport with at most MAKS_TITIK proposals is answered with single points.
ZOOM_TITIK = 14
MAKS_TITIK = 500
# A bbox larger than this many cells per side (1800 px; the page's map is at most ~700 × 670 px) is
# shrunk around its centre, so the response stays small whatever the client asks for. 30 is the
# largest side for which batas_byte_data() proves a body of at most BYTE_MAKS_DATA (34 gave ~117 KB).
MAKS_SEL_SISI = 30
# The size target of one /peta/data/ body (uncompressed, so it holds for clients without gzip too).
BYTE_MAKS_DATA = 100_000
# The number of proposals in one view up to which the cluster bound is proven: ten times the
# national benchmark (DESIGN.md "Map at scale"); the bound grows only with its logarithm.
USULAN_MAKS_TAMPILAN = 10_000_000
PANJANG_JUDUL_TITIK = 60
BATAS_LINTANG = 85.0511  # Web Mercator's limit


class PermintaanPetaTidakValid(ValueError):
    """A malformed map request; the message is for a person to read."""


# --- Viewport ---------------------------------------------------------------------------------------
def _lebar_dunia_sel(zoom: int) -> float:
    return 256 * 2**zoom / UKURAN_SEL_PX


def _sel_x(lon: float, zoom: int) -> int:
    return math.floor((lon + 180.0) / 360.0 * _lebar_dunia_sel(zoom))


def _sel_y(lat: float, zoom: int) -> int:
    lat = max(-BATAS_LINTANG, min(BATAS_LINTANG, lat))
    return math.floor((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * _lebar_dunia_sel(zoom))


def _lon_sel(x: int, zoom: int) -> float:
    return x / _lebar_dunia_sel(zoom) * 360.0 - 180.0


def _lat_sel(y: int, zoom: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / _lebar_dunia_sel(zoom)))))


@dataclass(frozen=True)
class Tampilan:
    """A viewport snapped to whole grid cells of its zoom level (x grows east, y grows south)."""

    zoom: int
    x0: int
    x1: int
    y0: int
    y1: int

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """minlon, minlat, maxlon, maxlat of the snapped cells."""
        return (
            _lon_sel(self.x0, self.zoom),
            _lat_sel(self.y1 + 1, self.zoom),
            _lon_sel(self.x1 + 1, self.zoom),
            _lat_sel(self.y0, self.zoom),
        )


def tampilan_dari_query(bbox: str | None, zoom: str | None) -> Tampilan:
    """Validate `bbox=minlon,minlat,maxlon,maxlat` and `zoom`; clamp them to the world and the map's
    zoom range, snap outward to grid cells, and shrink a box wider than MAKS_SEL_SISI cells around its
    centre. Raises PermintaanPetaTidakValid with an Indonesian message."""
    try:
        z = int(zoom or "")
    except ValueError:
        raise PermintaanPetaTidakValid(_("Parameter zoom harus bilangan bulat, mis. zoom=12.")) from None
    z = max(ZOOM_MIN, min(ZOOM_MAKS, z))
    bagian = (bbox or "").split(",")
    try:
        if len(bagian) != 4:
            raise ValueError
        minlon, minlat, maxlon, maxlat = (float(b) for b in bagian)
    except ValueError:
        raise PermintaanPetaTidakValid(
            _("Parameter bbox harus empat angka: bujur_min,lintang_min,bujur_maks,lintang_maks.")
        ) from None
    if not all(math.isfinite(v) for v in (minlon, minlat, maxlon, maxlat)):
        raise PermintaanPetaTidakValid(_("Parameter bbox harus berisi angka terhingga."))
    if minlon > maxlon or minlat > maxlat:
        raise PermintaanPetaTidakValid(_("Pada bbox, nilai minimum harus lebih kecil dari nilai maksimum."))
    # A map panned past the antimeridian sends longitudes beyond ±180: clamp to the one world.
    minlon, maxlon = max(-180.0, minlon), min(180.0 - 1e-9, maxlon)
    minlat, maxlat = max(-BATAS_LINTANG, minlat), min(BATAS_LINTANG, maxlat)
    if minlon > maxlon or minlat > maxlat:
        raise PermintaanPetaTidakValid(_("Parameter bbox berada di luar peta dunia."))
    x0, x1 = _sel_x(minlon, z), _sel_x(maxlon, z)
    y0, y1 = _sel_y(maxlat, z), _sel_y(minlat, z)
    if x1 - x0 + 1 > MAKS_SEL_SISI:
        x0 = (x0 + x1) // 2 - MAKS_SEL_SISI // 2
        x1 = x0 + MAKS_SEL_SISI - 1
    if y1 - y0 + 1 > MAKS_SEL_SISI:
        y0 = (y0 + y1) // 2 - MAKS_SEL_SISI // 2
        y1 = y0 + MAKS_SEL_SISI - 1
    return Tampilan(zoom=z, x0=x0, x1=x1, y0=y0, y1=y1)


# --- The round shown ---------------------------------------------------------------------------------
def siklus_deployment() -> list[Siklus]:
    """The deployment's planning rounds, active first, then newest (one query)."""
    return list(
        Siklus.objects.filter(kabkota__kode=settings.MUSRENBANG_KODE_KABKOTA).order_by("-aktif", "-tahun", "-pk")
    )


def _sql_siklus(diminta: int | None, p: dict[str, Any]) -> str:
    """A scalar subquery for the round the map shows: the requested one if it belongs to this
    deployment, else (none requested) the active round, else the newest; NULL (nothing shown) when
    there is none. Inside the data query, so a viewport costs one round trip, not two."""
    p["kode_kabkota"] = settings.MUSRENBANG_KODE_KABKOTA
    syarat = ""
    if diminta:
        p["siklus_diminta"] = diminta
        syarat = " AND s.id = %(siklus_diminta)s"
    return (
        "(SELECT s.id FROM musrenbang_siklus s JOIN musrenbang_wilayah w ON w.id = s.kabkota_id "
        f"WHERE w.kode = %(kode_kabkota)s{syarat} ORDER BY s.aktif DESC, s.tahun DESC, s.id DESC LIMIT 1)"
    )


# --- Clusters and points -----------------------------------------------------------------------------
@dataclass
class HasilPeta:
    zoom: int
    jenis: str  # "klaster" | "titik"
    total: int
    bbox: tuple[float, float, float, float]
    fitur_json: str  # the items as JSON, without the enclosing brackets (built by PostgreSQL)
    diperbarui: datetime | None  # the newest change among what is shown (Last-Modified)
    sumber: str  # "agregat" | "langsung": where the clusters came from (benchmarks, tests)

    @property
    def fitur(self) -> list[dict[str, Any]]:
        return json.loads(f"[{self.fitur_json}]")

    def sebagai_json(self) -> bytes:
        """The response body: {"zoom", "jenis", "total", "bbox", "urutan_status", "fitur"}."""
        kepala = {
            "zoom": self.zoom,
            "jenis": self.jenis,
            "total": self.total,
            "bbox": [round(v, 6) for v in self.bbox],
            "urutan_status": list(STATUS_AGREGAT),
        }
        # The items arrive from PostgreSQL as ready JSON; only the head is encoded here.
        return (json.dumps(kepala, separators=(",", ":"))[:-1] + ',"fitur":[' + self.fitur_json + "]}").encode()


def batas_byte_data(*, usulan: int = USULAN_MAKS_TAMPILAN, sel_sisi: int = MAKS_SEL_SISI) -> int:
    """An upper bound, in bytes, of a cluster answer of /peta/data/ for a view holding at most
    `usulan` proposals and cut to at most `sel_sisi` × `sel_sisi` cells (tests/peta/test_peta_ukuran_maks.py
    checks it against BYTE_MAKS_DATA and against a view with every cell full). A point answer is
    given only when it fits in BYTE_MAKS_DATA (data_peta), so this bounds every answer.

    Why it holds. One cluster item is {"lat":A,"lon":B,"jumlah":J,"per_status":[n1,…,n8]} plus a comma:
    fixed punctuation, A ≤ 9 characters (a latitude with 5 decimals, "-89.99999"), B ≤ 10
    ("-179.99999"), and the digits of J and the eight n. A count n has ≤ 1 + log10(n + 1) digits (also
    for 0). For a cell of m proposals, Σ log10(n_s + 1) ≤ 8·log10(m/8 + 1) (log is concave, Jensen),
    so the digits of a cell are ≤ 9 + g(m) with g(m) = log10(m + 1) + 8·log10(m/8 + 1), concave and
    increasing. Over k non-empty cells holding M ≤ `usulan` proposals, Σ g(m) ≤ k·g(M/k), and
    k·(c + g(N/k)) grows with k for any c ≥ 0 (g(x) ≥ x·g'(x) since g is concave with g(0) = 0), so
    all C = sel_sisi² cells sharing `usulan` equally is the worst case. The head is bounded by the
    longest head possible (zoom 19, "klaster", total = `usulan`, bbox values of maximal length).
    """
    sel = sel_sisi * sel_sisi
    k = len(STATUS_AGREGAT)
    tanda = len('{"lat":,"lon":,"jumlah":,"per_status":[]},') + (k - 1)  # punctuation and separators
    koordinat = len("-89.99999") + len("-179.99999")
    m = usulan / sel
    angka = (1 + k) + math.log10(m + 1) + k * math.log10(m / k + 1)
    kotak_terpanjang = (-179.999999, -89.999999, -179.999999, -89.999999)
    kepala = len(HasilPeta(ZOOM_MAKS, "klaster", usulan, kotak_terpanjang, "", None, "").sebagai_json())
    return math.floor(kepala + sel * (tanda + koordinat + angka))


def _bisa_dari_agregat(saringan: SaringanPublik, zoom: int) -> bool:
    # Only round, status and sector are prepared; kecamatan, desa and text narrow the data enough.
    return zoom in ZOOM_AGREGAT and not (saringan.kecamatan or saringan.desa or saringan.q)


def _escape_like(teks: str) -> str:
    return teks.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _syarat_langsung(saringan: SaringanPublik, t: Tampilan, p: dict[str, Any]) -> str:
    """WHERE clause over usulan_usulan u: the round, the viewport's envelope and the public filters.

    The same meaning as SaringanPublik.terapkan (tests/peta/test_peta_saringan.py compares the two);
    written as SQL so the text filter can use the trigram index (ILIKE) and the tracking-code index.
    """
    minlon, minlat, maxlon, maxlat = t.bbox
    e = 1e-9  # the envelope only prefilters through the GiST index; the cell range decides exactly
    p.update(
        zoom=t.zoom, x0=t.x0, x1=t.x1, y0=t.y0, y1=t.y1,
        minlon=minlon - e, minlat=minlat - e, maxlon=maxlon + e, maxlat=maxlat + e,
    )  # fmt: skip
    syarat = [
        f"u.siklus_id = {_sql_siklus(saringan.siklus, p)}",
        "u.lokasi && ST_MakeEnvelope(%(minlon)s, %(minlat)s, %(maxlon)s, %(maxlat)s, 4326)",
    ]
    if saringan.status:
        p["status"] = list(saringan.status)
        syarat.append("u.status_publik = ANY(%(status)s)")
    if saringan.bidang:
        p["bidang"] = saringan.bidang
        syarat.append(
            "u.bidang_id IN (SELECT id FROM musrenbang_bidang WHERE id = %(bidang)s OR induk_id = %(bidang)s)"
        )
    if saringan.kecamatan:
        p["kecamatan"] = saringan.kecamatan
        syarat.append("u.kecamatan_id = %(kecamatan)s")
    if saringan.desa:
        p["desa"] = saringan.desa
        syarat.append("u.desa_id = %(desa)s")
    if saringan.q:
        # Tracking codes are stored in capitals, so equality with upper(q) is SaringanPublik's iexact.
        p["q"], p["q_pola"] = saringan.q, f"%{_escape_like(saringan.q)}%"
        syarat.append("(u.judul ILIKE %(q_pola)s OR u.kode_lacak = upper(%(q)s))")
    return " AND ".join(syarat)


def _sql_sel(saringan: SaringanPublik, t: Tampilan, p: dict[str, Any], kolom: str) -> str:
    """The matching proposals with their grid cell (sx, sy), restricted exactly to the viewport's cells.

    OFFSET 0 keeps PostgreSQL from inlining the subquery, so each cell is computed once per row."""
    return f"""
        SELECT * FROM (
            SELECT peta_sel_x(ST_X(u.lokasi), %(zoom)s) AS sx, peta_sel_y(ST_Y(u.lokasi), %(zoom)s) AS sy, {kolom}
            FROM usulan_usulan u
            WHERE {_syarat_langsung(saringan, t, p)}
            OFFSET 0
        ) AS s
        WHERE sx BETWEEN %(x0)s AND %(x1)s AND sy BETWEEN %(y0)s AND %(y1)s
    """


def _sql_klaster_langsung(saringan: SaringanPublik, t: Tampilan, p: dict[str, Any]) -> str:
    baris = _sql_sel(
        saringan,
        t,
        p,
        "round(ST_X(u.lokasi) * 1e6)::bigint AS x, round(ST_Y(u.lokasi) * 1e6)::bigint AS y, "
        "u.status_publik, u.diperbarui_publik AS diperbarui",
    )
    per_status = ", ".join(f"count(*) FILTER (WHERE status_publik = '{s}')" for s in STATUS_AGREGAT)
    return f"""
        SELECT count(*) AS n, sum(x)::bigint AS x, sum(y)::bigint AS y, max(diperbarui) AS diperbarui,
               concat_ws(',', {per_status}) AS per_status
        FROM ({baris}) AS t
        GROUP BY sx, sy
    """


def _sql_klaster_agregat(saringan: SaringanPublik, t: Tampilan, p: dict[str, Any]) -> str:
    dipilih = [s for s in STATUS_AGREGAT if not saringan.status or s in saringan.status]
    p.update(zoom=t.zoom, x0=t.x0, x1=t.x1, y0=t.y0, y1=t.y1)
    syarat = (
        f"zoom = %(zoom)s AND siklus_id = {_sql_siklus(saringan.siklus, p)} "
        "AND sel_x BETWEEN %(x0)s AND %(x1)s AND sel_y BETWEEN %(y0)s AND %(y1)s"
    )
    if saringan.bidang:
        p["bidang"] = saringan.bidang
        syarat += " AND bidang_id IN (SELECT id FROM musrenbang_bidang WHERE id = %(bidang)s OR induk_id = %(bidang)s)"
    n = " + ".join(f"n_{s}" for s in dipilih)
    x = " + ".join(f"x_{s}" for s in dipilih)
    y = " + ".join(f"y_{s}" for s in dipilih)
    per_status = ", ".join(f"sum(n_{s})" if s in dipilih else "0" for s in STATUS_AGREGAT)
    return f"""
        SELECT sum({n})::bigint AS n, sum({x})::bigint AS x, sum({y})::bigint AS y, max(diperbarui) AS diperbarui,
               concat_ws(',', {per_status}) AS per_status
        FROM peta_agregat
        WHERE {syarat}
        GROUP BY sel_x, sel_y
        HAVING sum({n}) > 0
    """


def _sql_klaster(saringan: SaringanPublik, t: Tampilan, *, paksa_langsung: bool) -> tuple[str, str, dict[str, Any]]:
    """One query answering total, newest change and the cluster items as compact JSON, built by
    PostgreSQL in a stable order (same data → same bytes → same ETag). Cluster positions are the mean
    of the members, from whole-microdegree sums."""
    p: dict[str, Any] = {}
    if not paksa_langsung and _bisa_dari_agregat(saringan, t.zoom):
        sumber, sel = "agregat", _sql_klaster_agregat(saringan, t, p)
    else:
        sumber, sel = "langsung", _sql_klaster_langsung(saringan, t, p)
    sql = f"""
        SELECT coalesce(sum(n), 0)::bigint, max(diperbarui),
               coalesce(string_agg(format('{{"lat":%%s,"lon":%%s,"jumlah":%%s,"per_status":[%%s]}}',
                   trim_scale(round(y::numeric / n / 1e6, 5)), trim_scale(round(x::numeric / n / 1e6, 5)),
                   n, per_status), ',' ORDER BY x, y), '')
        FROM ({sel}) AS k
    """
    return sumber, sql, p


def _sql_titik(saringan: SaringanPublik, t: Tampilan) -> tuple[str, dict[str, Any]]:
    p: dict[str, Any] = {"panjang": PANJANG_JUDUL_TITIK, "batas": MAKS_TITIK}
    baris = _sql_sel(
        saringan,
        t,
        p,
        "u.id, u.kode_lacak, ST_Y(u.lokasi) AS lat, ST_X(u.lokasi) AS lon, u.status_publik, "
        "left(u.judul, %(panjang)s) AS judul",
    )
    sql = f"""
        SELECT coalesce(string_agg(format('{{"kode":%%s,"lat":%%s,"lon":%%s,"status":%%s,"judul":%%s}}',
                   to_json(kode_lacak), trim_scale(round(lat::numeric, 6)), trim_scale(round(lon::numeric, 6)),
                   to_json(status_publik), to_json(judul)), ',' ORDER BY id), '')
        FROM ({baris} ORDER BY id LIMIT %(batas)s) AS t
    """
    return sql, p


def data_peta(*, tampilan: Tampilan, saringan: SaringanPublik, paksa_langsung: bool = False) -> HasilPeta:
    """Clusters (or, zoomed in far enough on few proposals, single points) of one viewport.

    Public callers: peta.api.data. One query (round + clusters); a second for the points when the
    viewport holds at most MAKS_TITIK proposals at zoom ≥ ZOOM_TITIK. The points are answered only
    when their body fits in BYTE_MAKS_DATA (long titles in many scripts could pass it; the clusters,
    already at hand, are bounded by batas_byte_data). Cluster items: lat, lon (mean
    position), jumlah, per_status (counts in the order of STATUS_AGREGAT); point items: kode, lat,
    lon, status, judul (shortened). The round is saringan.siklus if it is this deployment's, else the
    active one. `paksa_langsung` skips the prepared aggregates (tests, benchmarks).
    """
    sumber, sql, p = _sql_klaster(saringan, tampilan, paksa_langsung=paksa_langsung)
    with connection.cursor() as cursor:
        cursor.execute(sql, p)
        total, diperbarui, fitur = cursor.fetchone()
        klaster = HasilPeta(tampilan.zoom, "klaster", total, tampilan.bbox, fitur, diperbarui, sumber)
        if tampilan.zoom >= ZOOM_TITIK and total <= MAKS_TITIK:
            if total:
                sql, p = _sql_titik(saringan, tampilan)
                cursor.execute(sql, p)
                fitur = cursor.fetchone()[0]
            titik = HasilPeta(tampilan.zoom, "titik", total, tampilan.bbox, fitur, diperbarui, sumber)
            if len(titik.sebagai_json()) <= BYTE_MAKS_DATA:
                return titik
    return klaster


# --- One proposal's popup --------------------------------------------------------------------------
def usulan_untuk_popup(kode: str) -> Usulan | None:
    """One proposal of this deployment with what its map popup shows (one query): title, public
    status, desa/kecamatan/sector names, the first photo's thumbnail (`x_thumbnail`), the last public
    history row (`x_riwayat`: aksi, alasan, catatan) and the proposal it was merged into."""
    return (
        Usulan.objects.filter(
            kode_lacak=kode.strip().upper()[:24], siklus__kabkota__kode=settings.MUSRENBANG_KODE_KABKOTA
        )
        .select_related("desa", "kecamatan", "bidang", "digabung_ke")
        .only(
            "kode_lacak",
            "judul",
            "status_publik",
            "desa__nama",
            "kecamatan__nama",
            "bidang__nama",
            "digabung_ke__kode_lacak",
        )
        .annotate(
            x_thumbnail=Subquery(
                FotoUsulan.objects.filter(usulan=OuterRef("pk")).order_by("urutan", "pk").values("thumbnail")[:1]
            ),
            x_riwayat=Subquery(
                RiwayatStatus.objects.filter(usulan=OuterRef("pk"), publik=True)
                .order_by("-waktu", "-pk")
                .values(
                    j=JSONObject(
                        aksi="aksi",
                        alasan="alasan_kode__nama",
                        catatan="catatan",
                        kalimat="kalimat",
                        kalimat_data="kalimat_data",
                    )
                )[:1],
                output_field=JSONField(),
            ),
        )
        .first()
    )


def alasan_terbit(riwayat: dict[str, Any] | None) -> tuple[str, str]:
    """(reason code name, note) published with the current public status; empty when it has none."""
    if not riwayat or riwayat.get("aksi") not in AKSI_BERALASAN:
        return "", ""
    catatan = teks_catatan(riwayat.get("kalimat") or "", riwayat.get("kalimat_data"), riwayat.get("catatan") or "")
    return (riwayat.get("alasan") or "").strip(), catatan


# --- The page's filter choices and first list ---------------------------------------------------------
def pilihan_bidang() -> list[tuple[Bidang, list[Bidang]]]:
    """Fungsi with their sub-fungsi, for the sector filter (one query)."""
    semua = list(Bidang.objects.filter(aktif=True).order_by("kode"))
    anak: dict[int, list[Bidang]] = {}
    for b in semua:
        if b.induk_id:
            anak.setdefault(b.induk_id, []).append(b)
    return [(b, anak.get(b.pk, [])) for b in semua if b.induk_id is None]


def pilihan_wilayah() -> list[tuple[Wilayah, list[Wilayah]]]:
    """The deployment's kecamatan with their desa/kelurahan, for the area filters (one query)."""
    semua = list(
        Wilayah.objects.filter(
            Q(tingkat=Tingkat.KECAMATAN, induk__kode=settings.MUSRENBANG_KODE_KABKOTA)
            | Q(tingkat=Tingkat.DESA_KELURAHAN, induk__induk__kode=settings.MUSRENBANG_KODE_KABKOTA)
        )
        .only("kode", "nama", "tingkat", "induk_id")
        .order_by("kode")
    )
    desa: dict[int, list[Wilayah]] = {}
    for w in semua:
        if w.tingkat == Tingkat.DESA_KELURAHAN:
            desa.setdefault(w.induk_id, []).append(w)  # type: ignore[arg-type]  # a desa always has a kecamatan
    return [(k, sorted(desa.get(k.pk, []), key=lambda d: d.nama)) for k in semua if k.tingkat == Tingkat.KECAMATAN]


def usulan_daftar_awal(saringan: SaringanPublik, *, siklus_id: int | None, batas: int = 20) -> list[dict[str, Any]]:
    """The newest proposals under the filters, for the list shown before (or without) JavaScript."""
    if siklus_id is None:
        return []
    # siklus_id is the round already resolved for this deployment (peta.views), so filter by it alone.
    qs: QuerySet[Usulan] = saringan.terapkan(Usulan.objects.filter(siklus_id=siklus_id), siklus_bawaan=siklus_id)
    daftar = list(qs.order_by("-pk").values("kode_lacak", "judul", "status_publik", nama_desa=F("desa__nama"))[:batas])
    # values() gives plain dicts: the label goes in beside the columns (the stubs type them as fixed).
    for u in daftar:
        u["label_status"] = Status(u["status_publik"]).label  # type: ignore[misc]
    return daftar  # type: ignore[return-value]


def kotak_deployment() -> tuple[float, float, float, float] | None:
    """The bounding box of the deployment's kabupaten/kota boundary (None before import)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM "
            "(SELECT batas::box2d AS b FROM musrenbang_wilayah WHERE kode = %s AND batas IS NOT NULL) s",
            [settings.MUSRENBANG_KODE_KABKOTA],
        )
        baris = cursor.fetchone()
    return tuple(round(v, 5) for v in baris) if baris else None


# --- Outlines ----------------------------------------------------------------------------------------
TINGKAT_BATAS = {
    "kabkota": Tingkat.KABUPATEN_KOTA,
    "kecamatan": Tingkat.KECAMATAN,
    "desa": Tingkat.DESA_KELURAHAN,
}
# Simplification in degrees (0.0005° ≈ 55 m) and 4 decimals (≈ 11 m): outlines, not survey data. For
# Karimun (an archipelago: most of the bytes are small islands) desa go from 557 KB to ~82 KB.
TOLERANSI_BATAS = 0.0005
DESIMAL_BATAS = 4


def versi_batas() -> str:
    """Changes whenever the deployment's areas are re-imported (one query): the outlines' cache key."""
    nilai = Wilayah.objects.filter(
        Q(kode=settings.MUSRENBANG_KODE_KABKOTA) | Q(kode__startswith=settings.MUSRENBANG_KODE_KABKOTA + ".")
    ).aggregate(n=Count("pk"), t=Max("diperbarui"))
    return f"{nilai['n']}-{nilai['t'].timestamp() if nilai['t'] else 0}"


def batas_geojson(tingkat: str) -> str:
    """The deployment's outlines at one level as a GeoJSON FeatureCollection (properties kode, nama),
    simplified, built by PostGIS in one query."""
    kode = settings.MUSRENBANG_KODE_KABKOTA
    syarat = {
        "kabkota": "w.kode = %(kode)s",
        "kecamatan": "w.tingkat = 'kecamatan' "
        "AND w.induk_id = (SELECT id FROM musrenbang_wilayah WHERE kode = %(kode)s)",
        "desa": "w.tingkat = 'desa_kelurahan' AND w.induk_id IN (SELECT k.id FROM musrenbang_wilayah k "
        "JOIN musrenbang_wilayah kk ON kk.id = k.induk_id WHERE kk.kode = %(kode)s)",
    }[tingkat]
    sql = f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
            'type', 'Feature',
            'properties', json_build_object('kode', w.kode, 'nama', w.nama),
            'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(w.batas, %(toleransi)s), %(desimal)s)::json
        ) ORDER BY w.kode), '[]'::json))::text
        FROM musrenbang_wilayah w
        WHERE w.batas IS NOT NULL AND {syarat}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"kode": kode, "toleransi": TOLERANSI_BATAS, "desimal": DESIMAL_BATAS})
        return cursor.fetchone()[0]
