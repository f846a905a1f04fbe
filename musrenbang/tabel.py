"""The one home of tabular output: streaming CSV, GeoJSON and XLSX writers, the one spreadsheet-cell
sanitiser, and the streamed download response. Open data (data_terbuka) and the dashboard with its SIPD
workbook (dasbor) both write through here; it sits in the bottom layer so both may import it and
neither imports the other.

Free text comes from residents. CSV: every cell passes sel_aman, which puts a leading apostrophe before
text starting with = + - @ or a tab/CR, so a spreadsheet opening the file never runs it as a formula
(OWASP "CSV injection"); lazy translated text is checked as the text it becomes. The writer applies it
after the caller's formatting, so no caller can skip it. XLSX: every text cell is an inline string
cell, never a formula, and characters XML cannot carry are dropped. GeoJSON (RFC 7946): a
FeatureCollection of Points in lon/lat order, no `crs`.

Everything is written while it is sent (StreamingHttpResponse through `unduhan`): memory stays flat
however many rows there are, and the first bytes leave at once. XLSX too: the workbook is written part
by part into a zip stream here (see tulis_xlsx) rather than with openpyxl, whose write-only mode must
finish the file on disk before a byte can be sent. Measured with bench/bench_ekspor.py at 200 k rows:
openpyxl 247 s before the first byte; here 0.25 s to the first byte and 40 s in all, with the same
12.6 MB peak as CSV (16 s) and GeoJSON (21 s).
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, TypeVar
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

T = TypeVar("T")

UKURAN_POTONGAN = 2000  # rows per fetch from the server-side cursor


# --- Cells ---------------------------------------------------------------------------------------
def angka(nilai: Decimal | None) -> int | float | None:
    """A Decimal as a JSON/spreadsheet number: whole rupiah and volumes as integers."""
    if nilai is None:
        return None
    return int(nilai) if nilai == nilai.to_integral_value() else float(nilai)


# What a spreadsheet reads as the start of a formula (OWASP "CSV injection").
AWALAN_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry (XLSX and Open311 XML are XML).
KARAKTER_TERLARANG_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def sel_aman(nilai: Any) -> Any:
    """The one formula-injection guard for a CSV cell: text (also lazy translated text, checked as the
    string it becomes) starting with = + - @, a tab or a CR gets a leading apostrophe; anything else
    is returned as it is."""
    if isinstance(nilai, Promise):
        nilai = str(nilai)
    if isinstance(nilai, str) and nilai.startswith(AWALAN_FORMULA):
        return "'" + nilai
    return nilai


# The writers take times already in the deployment's time zone (baris_publik, baris_sipd).
def bentuk_csv(nilai: Any) -> Any:
    """The default CSV formatting: empty for None, Decimals as numbers, times in ISO 8601 to the second."""
    if nilai is None:
        return ""
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


# --- CSV and GeoJSON -----------------------------------------------------------------------------
class _Gema:
    """A file-like object whose write() returns what it was given (csv.writer → string)."""

    def write(self, teks: str) -> str:
        return teks


def gabungkan(potongan: Iterable[str], ukuran: int = 64 * 1024) -> Iterator[str]:
    """Text pieces joined into ~64 KB chunks: one write per row would mean one socket write per row."""
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


def tulis_csv(
    kolom: Sequence[str], baris: Iterable[Sequence[Any]], *, bentuk: Callable[[Any], Any] = bentuk_csv
) -> Iterator[str]:
    """CSV (RFC 4180, UTF-8 with a byte-order mark): a header row of `kolom`, then one line per row
    (values in the order of `kolom`), each cell formatted by `bentuk` and then passed through sel_aman."""
    penulis = csv.writer(_Gema())
    yield BOM + penulis.writerow(kolom)
    for b in baris:
        yield penulis.writerow([sel_aman(bentuk(n)) for n in b])


def tulis_geojson(baris: Iterable[dict[str, Any]], *, kolom: Sequence[str], kunci_id: str) -> Iterator[str]:
    """A GeoJSON FeatureCollection (RFC 7946) of points, written feature by feature: each row's "lon"
    and "lat" make the geometry, `kunci_id` the feature id, `kolom` the properties."""
    yield '{"type":"FeatureCollection","features":[\n'
    pemisah = ""
    for b in baris:
        fitur = {
            "type": "Feature",
            "id": b[kunci_id],
            "geometry": {"type": "Point", "coordinates": [b["lon"], b["lat"]]},
            "properties": {k: _sel_json(b[k]) for k in kolom},
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


# --- The streamed download -----------------------------------------------------------------------
def nama_berkas(awalan: str, ekstensi: str) -> str:
    """A download's file name: `awalan`, the deployment's kabupaten/kota code and today's date."""
    kode = settings.MUSRENBANG_KODE_KABKOTA.replace(".", "")
    return f"{awalan}-{kode}-{timezone.localdate():%Y-%m-%d}.{ekstensi}"


def _alirkan(potongan: Iterable[T], bahasa: str) -> Iterator[T]:
    """Run a body generator as it is sent: in the request's language (labels are produced after the
    view returned) and inside a read transaction. Outside a transaction Django declares its server-side
    cursor WITH HOLD, and PostgreSQL then computes the whole result before the first row (measured:
    ~5 s for 200 k rows); inside one, rows flow as they are fetched, from one consistent snapshot."""
    with translation.override(bahasa), transaction.atomic():
        yield from potongan


def unduhan(isi: Iterable[str] | Iterable[bytes], *, jenis: str, nama: str) -> StreamingHttpResponse:
    """An attachment named `nama` of content type `jenis` whose body `isi` is produced while it is sent
    (in the request's language, inside one read transaction)."""
    bahasa = translation.get_language() or settings.LANGUAGE_CODE
    respons = StreamingHttpResponse(_alirkan(isi, bahasa), content_type=jenis)
    respons["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=nama)
    return respons
