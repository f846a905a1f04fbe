"""Open data: the published proposals as CSV, GeoJSON and XLSX, and Bappeda's SIPD workbook.

Public downloads (anyone, `/data/usulan.{csv,geojson,xlsx}`) take the same query string as the map
(peta.saringan.SaringanPublik; the round defaults to the active one) and contain exactly the
columns of KOLOM_PUBLIK, nothing else:

    kode_lacak, tahun, judul, permasalahan, uraian, status (the public status), status_label,
    bidang_kode, bidang, kamus, volume, satuan, perkiraan_biaya, alamat, desa_kode, desa,
    kecamatan_kode, kecamatan, lat, lon (WGS84), jenis_pengusul, nama_pengusul (only when the
    proposer opted in), diajukan, diperbarui (the last public event), alasan (the published reason:
    reason code + note of the last return/rejection/merge, or the text Bappeda published with its
    decision), digabung_ke, opd_pelaksana and pagu (only from a published Bappeda acceptance), tautan.

Never: the submitting account, e-mail, phone, kontak_pengusul, the internal status, internal
history rows, OPD advice, unpublished decisions. Unpublished values are cut off in SQL (CASE on
`diterbitkan_pada`), so they never reach Python.

Rows are read with a server-side cursor (`.values(...).iterator(chunk_size=2000)`) inside a read
transaction, one query for the whole download, and every format is written while it is sent
(StreamingHttpResponse): memory stays flat however many rows there are, and the first bytes leave at
once. XLSX too: the workbook is written part by part into a zip stream here (see tulis_xlsx) rather
than with openpyxl, whose write-only mode must finish the file on disk before a byte can be sent.
Measured with bench/bench_ekspor.py at 200 k rows: openpyxl 247 s before the first byte; here 0.25 s
to the first byte and 40 s in all, with the same 12.6 MB peak as CSV (16 s) and GeoJSON (21 s).

Free text comes from residents. CSV: a cell starting with = + - @ or a tab/CR gets a leading
apostrophe, so a spreadsheet opening the file never runs it as a formula (OWASP "CSV injection").
XLSX: every text cell is an inline string cell, never a formula, and characters XML cannot carry are
dropped. GeoJSON (RFC 7946): a FeatureCollection of Points in lon/lat order, no `crs`.

SIPD workbook (`/data/sipd.xlsx`, Bappeda and administrators of this kabupaten/kota only; anyone
else gets 404): the columns of SIPD's Musrenbang proposal export, so nobody re-types the round.
It holds internal data Bappeda may see. Mapping:

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
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    FloatField,
    Func,
    JSONField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import JSONObject
from django.db.models.query import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from musrenbang import batas_laju
from musrenbang.models import Wilayah
from musrenbang.selectors import LokasiTidakValid, kabkota_deployment, siklus_aktif
from peta.saringan import SaringanPublik
from usulan.kalimat import teks_catatan
from usulan.models import AKSI_BERALASAN, Aksi, JenisPengusul, RiwayatStatus, Status, Usulan
from verifikasi.models import HasilKeputusan, RekomendasiOPD, StatusRekomendasi
from verifikasi.permissions import wewenang

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from musrenbang.models import Pengguna

UKURAN_POTONGAN = 2000  # rows per fetch from the server-side cursor
T = TypeVar("T")

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


# --- Reading the public rows ---------------------------------------------------------------------
def usulan_publik(saringan: SaringanPublik, *, siklus_bawaan: int | None) -> QuerySet[Usulan]:
    """The deployment's proposals under the public filters (the round defaults to `siklus_bawaan`).

    Callers: the downloads here and the Open311 API. Reads only; filters only public fields.
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


# --- Formatting ------------------------------------------------------------------------------------
def angka(nilai: Decimal | None) -> int | float | None:
    """A Decimal as a JSON/spreadsheet number: whole rupiah and volumes as integers."""
    if nilai is None:
        return None
    return int(nilai) if nilai == nilai.to_integral_value() else float(nilai)


def waktu_w3c(nilai: datetime.datetime) -> str:
    """ISO 8601 in the deployment's time zone, with its offset (W3C-DTF, as Open311 requires)."""
    return timezone.localtime(nilai).isoformat(timespec="seconds")


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry (XLSX and Open311 XML are XML).
KARAKTER_TERLARANG_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# The writers take times already in the deployment's time zone (baris_publik, baris_sipd).
def _sel_csv(nilai: Any) -> Any:
    if nilai is None:
        return ""
    if isinstance(nilai, str):
        return "'" + nilai if nilai.startswith(_FORMULA) else nilai
    if isinstance(nilai, Decimal):
        return angka(nilai)
    if isinstance(nilai, datetime.datetime):
        return nilai.isoformat(timespec="seconds")
    return nilai


def _sel_json(nilai: Any) -> Any:
    if isinstance(nilai, Decimal):
        return angka(nilai)
    if isinstance(nilai, datetime.datetime):
        return nilai.isoformat(timespec="seconds")
    return nilai


class _Gema:
    """A file-like object whose write() returns what it was given (csv.writer → string)."""

    def write(self, teks: str) -> str:
        return teks


def _gabungkan(potongan: Iterable[str], ukuran: int = 64 * 1024) -> Iterator[str]:
    # One write per row would mean one socket write per row; send ~64 KB at a time.
    wadah: list[str] = []
    jumlah = 0
    for p in potongan:
        wadah.append(p)
        jumlah += len(p)
        if jumlah >= ukuran:
            yield "".join(wadah)
            wadah, jumlah = [], 0
    if wadah:
        yield "".join(wadah)


# A UTF-8 byte-order mark opens every CSV: without it Excel on Windows (what Bappeda uses) reads
# the file as the local code page and garbles names such as "Tanjung Balai Karimun – Meral". Python
# reads it with encoding="utf-8-sig", GDAL's CSV driver skips it.
BOM = "\ufeff"


def tulis_csv(baris: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV (RFC 4180, UTF-8 with a byte-order mark) with a header row of the public column names."""
    penulis = csv.writer(_Gema())
    yield BOM + penulis.writerow(KOLOM_PUBLIK)
    for b in baris:
        yield penulis.writerow([_sel_csv(b[k]) for k in KOLOM_PUBLIK])


def tulis_geojson(baris: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A GeoJSON FeatureCollection (RFC 7946), written feature by feature."""
    yield '{"type":"FeatureCollection","features":[\n'
    pemisah = ""
    for b in baris:
        fitur = {
            "type": "Feature",
            "id": b["kode_lacak"],
            "geometry": {"type": "Point", "coordinates": [b["lon"], b["lat"]]},
            "properties": {k: _sel_json(b[k]) for k in KOLOM_GEOJSON},
        }
        yield pemisah + json.dumps(fitur, ensure_ascii=False, separators=(",", ":"))
        pemisah = ",\n"
    yield "\n]}\n"


# --- XLSX, streamed ---------------------------------------------------------------------------------
# An XLSX file is a zip of XML parts. It is written here part by part into a zip stream (zipfile on an
# unseekable sink, entries with data descriptors), and each ~64 KB of compressed output is sent as soon
# as it exists: constant memory, no temporary file, the first byte leaves at once. Strings are inline
# (no shared-strings table to keep in memory). The worksheet parts come first and the workbook part,
# which lists them, last: only then is their number known.
BARIS_MAKS_LEMBAR = 1_048_575  # Excel's 1,048,576 rows, one of them the header
# Each sheet stays below zipfile's 2 GiB limit for an entry without Zip64 (which old Excel dislikes).
BYTE_MAKS_LEMBAR = 1_900_000_000
JENIS_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PAKET = "http://schemas.openxmlformats.org/package/2006"
_JENIS_BAGIAN = (
    f'{_XML}<Types xmlns="{_NS_PAKET}/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    # Every other .xml part is a worksheet: how many is known only at the end.
    '<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_RELASI_PAKET = (
    f'{_XML}<Relationships xmlns="{_NS_PAKET}/relationships">'
    f'<Relationship Id="rId1" Type="{_NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
# Cell styles: 0 plain, 1 bold (header row), 2 date and time.
_GAYA = (
    f'{_XML}<styleSheet xmlns="{_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
# The header row stays visible while scrolling.
_AWAL_LEMBAR = (
    f'{_XML}<worksheet xmlns="{_NS}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
_AKHIR_LEMBAR = b"</sheetData></worksheet>"
_EPOCH_EXCEL = datetime.datetime(1899, 12, 30)
_SATU_HARI = datetime.timedelta(days=1)


def _huruf_kolom(indeks: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    nama = ""
    indeks += 1
    while indeks:
        indeks, sisa = divmod(indeks - 1, 26)
        nama = chr(65 + sisa) + nama
    return nama


def _teks_xml(nilai: str) -> str:
    return escape(KARAKTER_TERLARANG_XML.sub("", nilai))


def _sel_xlsx(ref: str, nilai: Any) -> str:
    if nilai is None or nilai == "":
        return ""
    if isinstance(nilai, bool):
        return f'<c r="{ref}" t="b"><v>{int(nilai)}</v></c>'
    if isinstance(nilai, int | float | Decimal):
        return f'<c r="{ref}"><v>{nilai}</v></c>'
    if isinstance(nilai, datetime.datetime):
        # Excel has no time zones: the wall-clock time (the deployment's), as a serial day number.
        hari = (nilai.replace(tzinfo=None) - _EPOCH_EXCEL) / _SATU_HARI
        return f'<c r="{ref}" s="2"><v>{hari:.8f}</v></c>'
    # Always a string cell: text starting with "=" stays text, never a formula.
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_teks_xml(str(nilai))}</t></is></c>'


class _Wadah:
    """An unseekable file for zipfile: holds what was written until the generator sends it on."""

    def __init__(self) -> None:
        self.potongan: list[bytes] = []
        self.ukuran = 0

    def write(self, data: bytes) -> int:
        self.potongan.append(bytes(data))
        self.ukuran += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def ambil(self) -> bytes:
        data = b"".join(self.potongan)
        self.potongan.clear()
        self.ukuran = 0
        return data


def tulis_xlsx(baris: Iterable[list[Any]], *, kolom: Iterable[str], judul: str) -> Iterator[bytes]:
    """An XLSX workbook of `baris` (lists in the order of `kolom`), streamed in ~64 KB pieces.

    A bold, frozen header row on every sheet; numbers and dates typed; beyond BARIS_MAKS_LEMBAR rows
    (or BYTE_MAKS_LEMBAR bytes) the data continues on "judul (2)", ….
    """
    kolom = list(kolom)
    huruf = [_huruf_kolom(i) for i in range(len(kolom))]
    kepala = "".join(
        f'<c r="{h}1" t="inlineStr" s="1"><is><t>{_teks_xml(k)}</t></is></c>' for h, k in zip(huruf, kolom, strict=True)
    )
    awal = f'{_AWAL_LEMBAR}<row r="1">{kepala}</row>'.encode()
    wadah = _Wadah()
    # A write-only stream: ZipFile in "w" mode calls only write(), tell() and flush() on it.
    arsip = zipfile.ZipFile(wadah, "w", compression=zipfile.ZIP_DEFLATED)  # type: ignore[call-overload]
    lembar: list[str] = []
    berkas = None
    try:
        arsip.writestr("[Content_Types].xml", _JENIS_BAGIAN)
        arsip.writestr("_rels/.rels", _RELASI_PAKET)
        arsip.writestr("xl/styles.xml", _GAYA)
        nomor = ditulis = 0
        for nilai in baris:
            if berkas is None or nomor > BARIS_MAKS_LEMBAR or ditulis > BYTE_MAKS_LEMBAR:
                if berkas is not None:
                    berkas.write(_AKHIR_LEMBAR)
                    berkas.close()
                lembar.append(judul if not lembar else f"{judul} ({len(lembar) + 1})")
                berkas = arsip.open(f"xl/worksheets/sheet{len(lembar)}.xml", "w")
                berkas.write(awal)
                nomor, ditulis = 1, len(awal)
            nomor += 1
            sel = "".join(_sel_xlsx(f"{h}{nomor}", n) for h, n in zip(huruf, nilai, strict=True))
            data = f'<row r="{nomor}">{sel}</row>'.encode()
            berkas.write(data)
            ditulis += len(data)
            if wadah.ukuran >= 64 * 1024:
                yield wadah.ambil()
        if berkas is None:  # no rows: one sheet with the header
            lembar.append(judul)
            berkas = arsip.open("xl/worksheets/sheet1.xml", "w")
            berkas.write(awal)
        berkas.write(_AKHIR_LEMBAR)
        berkas.close()
        daftar = "".join(
            f'<sheet name="{_teks_xml(nama)}" sheetId="{i}" r:id="rId{i}"/>' for i, nama in enumerate(lembar, start=1)
        )
        arsip.writestr(
            "xl/workbook.xml", f'{_XML}<workbook xmlns="{_NS}" xmlns:r="{_NS_R}"><sheets>{daftar}</sheets></workbook>'
        )
        relasi = "".join(
            f'<Relationship Id="rId{i}" Type="{_NS_R}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(lembar) + 1)
        )
        relasi += f'<Relationship Id="rId{len(lembar) + 1}" Type="{_NS_R}/styles" Target="styles.xml"/>'
        arsip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML}<Relationships xmlns="{_NS_PAKET}/relationships">{relasi}</Relationships>',
        )
    finally:
        # Also when the client went away mid-download: the open entry must close before the archive.
        if berkas is not None:
            berkas.close()
        arsip.close()
    yield wadah.ambil()


# --- Views: public downloads ----------------------------------------------------------------------
def _nama_berkas(awalan: str, ekstensi: str) -> str:
    kode = settings.MUSRENBANG_KODE_KABKOTA.replace(".", "")
    return f"{awalan}-{kode}-{timezone.localdate():%Y-%m-%d}.{ekstensi}"


def _baris_dari_permintaan(request: HttpRequest) -> Iterator[dict[str, Any]]:
    saringan = SaringanPublik.dari_query(request.GET)
    siklus = siklus_aktif()
    qs = usulan_publik(saringan, siklus_bawaan=siklus.pk if siklus else None).order_by("pk")
    return _petakan(nilai_publik(qs), pembuat_tautan(request))


def _petakan(nilai: QuerySet[Usulan, dict[str, Any]], tautan: Callable[[str], str]) -> Iterator[dict[str, Any]]:
    # Runs while the body is sent (inside _alirkan's language and transaction).
    konteks = KonteksBaris.sekarang(tautan)
    for v in nilai.iterator(chunk_size=UKURAN_POTONGAN):
        yield baris_publik(v, konteks)


def _alirkan(potongan: Iterable[T], bahasa: str) -> Iterator[T]:
    """Run a body generator as it is sent: in the request's language (labels are produced after the
    view returned) and inside a read transaction. Outside a transaction Django declares its server-side
    cursor WITH HOLD, and PostgreSQL then computes the whole result before the first row (measured:
    ~5 s for 200 k rows); inside one, rows flow as they are fetched, from one consistent snapshot."""
    with translation.override(bahasa), transaction.atomic():
        yield from potongan


def _unduhan(isi: Iterable[str] | Iterable[bytes], *, jenis: str, nama: str) -> StreamingHttpResponse:
    bahasa = translation.get_language() or settings.LANGUAGE_CODE
    respons = StreamingHttpResponse(_alirkan(isi, bahasa), content_type=jenis)
    respons["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=nama)
    return respons


def _unduhan_publik(isi: Iterable[str] | Iterable[bytes], *, jenis: str, ekstensi: str) -> StreamingHttpResponse:
    respons = _unduhan(isi, jenis=jenis, nama=_nama_berkas("usulan-musrenbang", ekstensi))
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
    isi = _gabungkan(tulis_csv(_baris_dari_permintaan(request)))
    return _unduhan_publik(isi, jenis="text/csv; charset=utf-8", ekstensi="csv")


@require_GET
@batas_unduhan
def unduh_geojson(request: HttpRequest) -> StreamingHttpResponse:
    """The published proposals under the map's filters as a GeoJSON FeatureCollection, streamed."""
    isi = _gabungkan(tulis_geojson(_baris_dari_permintaan(request)))
    return _unduhan_publik(isi, jenis="application/geo+json", ekstensi="geojson")


@require_GET
@batas_unduhan
def unduh_xlsx(request: HttpRequest) -> StreamingHttpResponse:
    """The published proposals under the map's filters as an XLSX workbook, streamed."""
    baris = ([b[k] for k in KOLOM_PUBLIK] for b in _baris_dari_permintaan(request))
    isi = tulis_xlsx(baris, kolom=KOLOM_PUBLIK, judul=_("Usulan"))
    return _unduhan_publik(isi, jenis=JENIS_XLSX, ekstensi="xlsx")


# --- Bappeda: SIPD workbook -----------------------------------------------------------------------
def _kabkota_bappeda(pengguna: Pengguna | AnonymousUser) -> Wilayah:
    """The deployment's kabupaten/kota if the user is its Bappeda or administrator; else 404."""
    try:
        kabkota = kabkota_deployment()
    except LokasiTidakValid:
        raise Http404 from None
    w = wewenang(pengguna)
    if kabkota.pk not in (w.bappeda | w.admin):
        raise Http404
    return kabkota


_TINGKAT_DESA = (Status.DIAJUKAN,)
_TINGKAT_KECAMATAN = (Status.LOLOS_DESA,)
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
                    aksi__in=_AKSI_TINGKAT, dari_status__in=(*_TINGKAT_DESA, *_TINGKAT_KECAMATAN)
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
        _tindakan_tingkat(u, _TINGKAT_DESA, u.peringkat_desa),
        _tindakan_tingkat(u, _TINGKAT_KECAMATAN, u.peringkat_kecamatan),
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
    isi = tulis_xlsx(baris, kolom=KOLOM_SIPD, judul="Usulan Musrenbang")
    respons = _unduhan(isi, jenis=JENIS_XLSX, nama=_nama_berkas("sipd-usulan-musrenbang", "xlsx"))
    # Internal data: never kept by a shared cache.
    respons["Cache-Control"] = "private, no-store"
    return respons
