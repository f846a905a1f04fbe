"""Open data downloads under /data/: the published proposals as CSV, GeoJSON and XLSX (anyone).

Each download takes the same query string as the map (usulan.saringan.SaringanPublik; the round
defaults to the active one) and holds exactly the public projection (data_terbuka.proyeksi,
KOLOM_PUBLIK). Rows are read with a server-side cursor (`.values(...).iterator(chunk_size=2000)`)
inside a read transaction, one query for the whole download, and written while they are sent by the
writers of musrenbang.tabel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db.models.query import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from data_terbuka.proyeksi import (
    KOLOM_GEOJSON,
    KOLOM_PUBLIK,
    KonteksBaris,
    baris_publik,
    nilai_publik,
    pembuat_tautan,
    usulan_publik,
)
from musrenbang import batas_laju
from musrenbang.selectors import siklus_aktif
from musrenbang.tabel import (
    JENIS_XLSX,
    UKURAN_POTONGAN,
    gabungkan,
    nama_berkas,
    tulis_csv,
    tulis_geojson,
    tulis_xlsx,
    unduhan,
)
from usulan.saringan import SaringanPublik

if TYPE_CHECKING:
    from usulan.models import Usulan


def csv_publik(baris: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Public rows (baris_publik) as CSV with a header row of the public column names."""
    return tulis_csv(KOLOM_PUBLIK, ([b[k] for k in KOLOM_PUBLIK] for b in baris))


def geojson_publik(baris: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Public rows (baris_publik) as a GeoJSON FeatureCollection, the tracking code as each feature's id."""
    return tulis_geojson(baris, kolom=KOLOM_GEOJSON, kunci_id="kode_lacak")


def _baris_dari_permintaan(request: HttpRequest) -> Iterator[dict[str, Any]]:
    saringan = SaringanPublik.dari_query(request.GET)
    siklus = siklus_aktif()
    qs = usulan_publik(saringan, siklus_bawaan=siklus.pk if siklus else None).order_by("pk")
    return _petakan(nilai_publik(qs), pembuat_tautan(request))


def _petakan(nilai: QuerySet[Usulan, dict[str, Any]], tautan: Callable[[str], str]) -> Iterator[dict[str, Any]]:
    # Runs while the body is sent (inside the language and transaction of musrenbang.tabel.unduhan).
    konteks = KonteksBaris.sekarang(tautan)
    for v in nilai.iterator(chunk_size=UKURAN_POTONGAN):
        yield baris_publik(v, konteks)


def _unduhan_publik(isi: Iterable[str] | Iterable[bytes], *, jenis: str, ekstensi: str) -> StreamingHttpResponse:
    respons = unduhan(isi, jenis=jenis, nama=nama_berkas("usulan-musrenbang", ekstensi))
    respons["Access-Control-Allow-Origin"] = "*"  # open data, no credentials involved
    return respons


# One limit for the three public downloads together: each may stream every published proposal.
batas_unduhan = batas_laju.per_ip(
    "ekspor",
    setelan="BATAS_EKSPOR_PER_JAM_IP",
    jendela_detik=3600,
    pesan=gettext_lazy("Terlalu banyak unduhan data terbuka dari alamat Anda. Coba lagi dalam %(waktu)s."),
    cors=True,
)


@require_GET
@batas_unduhan
def unduh_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The published proposals under the map's filters as CSV, streamed."""
    isi = gabungkan(csv_publik(_baris_dari_permintaan(request)))
    return _unduhan_publik(isi, jenis="text/csv; charset=utf-8", ekstensi="csv")


@require_GET
@batas_unduhan
def unduh_geojson(request: HttpRequest) -> StreamingHttpResponse:
    """The published proposals under the map's filters as a GeoJSON FeatureCollection, streamed."""
    isi = gabungkan(geojson_publik(_baris_dari_permintaan(request)))
    return _unduhan_publik(isi, jenis="application/geo+json", ekstensi="geojson")


@require_GET
@batas_unduhan
def unduh_xlsx(request: HttpRequest) -> StreamingHttpResponse:
    """The published proposals under the map's filters as an XLSX workbook, streamed."""
    baris = ([b[k] for k in KOLOM_PUBLIK] for b in _baris_dari_permintaan(request))
    isi = tulis_xlsx(baris, kolom=KOLOM_PUBLIK, judul=_("Usulan"))
    return _unduhan_publik(isi, jenis=JENIS_XLSX, ekstensi="xlsx")
