"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the civic-reporting standard, so any
Open311 client (apps, dashboards, journalists' scripts) can read the round and submit proposals.

Endpoints under /open311/v2/, each as .json and .xml:
    discovery                     the Service Discovery document
    services                      the service list
    services/{service_code}       a service definition (the optional attributes a POST understands)
    requests                      GET: service requests; POST: submit a proposal (API key)
    requests/{service_request_id} one service request

Decisions:
- Services are the sub-sectors (Bidang with a parent: Permendagri 90/2019 sub-fungsi). Every proposal
  has one, and their codes ("05.01") stay the same from round to round, unlike the round's catalogue
  (KamusUsulan), whose items are offered as the optional `kamus` attribute and listed as keywords.
  `group` is the parent fungsi.
- service_request_id is the public tracking code (kode_lacak). Only public data is served: the public
  status, published reasons, and the OPD only from a published acceptance (see data_terbuka.proyeksi).
- status: "open" until the public status is final (diterima, ditolak, digabung, ditarik), then
  "closed". status_notes: the public status and its published reason. agency_responsible: the OPD of
  a published acceptance, else the level holding (or, once closed, last holding) the proposal:
  "Desa/Kelurahan …", "Kecamatan …" or "Bappeda …". media_url: the first photo's public web copy.
  zipcode, address_id, expected_datetime, service_notice: null (not kept).
- GET requests: the spec's defaults (requested in the last 90 days, at most 1000) and filters
  (service_request_id, service_code, status, start_date, end_date; a range may span at most 90 days)
  plus the common extensions (as FixMyStreet and others): `page` (from 1), `page_size` or
  `max_requests` (at most 1000), `bbox=minlon,minlat,maxlon,maxlat`. Newest first.
- POST requests (multipart/form-data or urlencoded): `api_key` (KunciAPI; the proposal belongs to the
  key's account), service_code, lat + long (required: address_string alone cannot be placed in a desa),
  description (required, at most 4000 characters as the spec allows: the proposal's uraian, stored
  once; the problem only from attribute[permasalahan]), photos as one or more
  multipart files named `media` (required: every proposal needs a photo; a remote media_url is never
  fetched), optional address_string, first_name/last_name (proposer's name, not published),
  email/phone (kept as the private contact, where status news is sent: the proposal is filed on
  the person's behalf) and attribute[judul|permasalahan|kamus|volume|satuan] (`kamus` only where the
  round's catalogue has items for the sub-sector; any other attribute is a 400).
  It goes through usulan.services.usulan_buat, exactly as the web form. Rate-limited per key
  (settings.BATAS_API_PER_JAM_KUNCI). Answer: 201 with service_request_id, service_notice, account_id.
- Errors as the spec defines, of any cause, on any path and method under /open311/v2/: a list of
  {code, description} (XML <errors><error>), HTTP 400 for bad input (also a body Django cannot parse),
  403 for a missing or wrong api_key, 404 for an unknown service, request, jurisdiction_id or path,
  405 for a method the resource does not offer, 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE or
  DATA_UPLOAD_MAX_NUMBER_FIELDS,
  429 (with Retry-After) when a key exceeds its hourly limit or an address its per-minute GET limit
  (settings.BATAS_OPEN311_BACA_PER_MENIT_IP, all GET resources together). Descriptions are in
  Indonesian (the site's language).
- jurisdiction_id is optional (one jurisdiction per deployment); when given it must be the
  kabupaten/kota code (settings.MUSRENBANG_KODE_KABKOTA) or the site's host name.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import re
import xml.etree.ElementTree as ET  # only builds documents, never parses input
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.core.files.storage import storages
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from data_terbuka.models import KunciAPI
from data_terbuka.proyeksi import alasan_publik, nilai_publik, riwayat_terakhir, usulan_publik, waktu_w3c
from musrenbang import batas_laju
from musrenbang.models import Bidang, KamusUsulan
from musrenbang.permintaan import charset_teks
from musrenbang.selectors import LokasiTidakValid, siklus_aktif, titik_dari_koordinat
from musrenbang.tabel import KARAKTER_TERLARANG_XML
from usulan.models import STATUS_FINAL, FotoUsulan, JenisPengusul, Status, Usulan
from usulan.saringan import SaringanPublik
from usulan.services import IsiUsulan, usulan_buat
from verifikasi.jenjang import sebut
from verifikasi.transitions import jenjang_pemegang

logger = logging.getLogger(__name__)

SPESIFIKASI = "http://wiki.open311.org/GeoReport_v2"
# Changeset of the discovery document: when the service list or definitions last changed shape.
PERUBAHAN = "2026-11-23T00:00:00Z"
JENDELA_HARI = 90
MAKS_DESKRIPSI = 4000  # the spec's limit on description
MAKS_PERMINTAAN = 1000

FIELD_LAYANAN = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
FIELD_PERMINTAAN = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
FIELD_ATRIBUT = (
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
)

JENIS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element name of one item in each list, as in the spec's XML (Spark convention for JSON).
ANAK_XML = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}


class GalatOpen311(Exception):
    """A request the API refuses: HTTP status and one or more descriptions for the client's user."""

    def __init__(self, kode: int, *pesan: str):
        super().__init__(*pesan)
        self.kode = kode
        self.pesan = pesan


# --- Output -----------------------------------------------------------------------------------------
def _isi_xml(elemen: ET.Element, nama: str, nilai: Any) -> None:
    if isinstance(nilai, dict):
        for kunci, isi in nilai.items():
            _isi_xml(ET.SubElement(elemen, kunci), kunci, isi)
    elif isinstance(nilai, list):
        for isi in nilai:
            _isi_xml(ET.SubElement(elemen, ANAK_XML[nama]), ANAK_XML[nama], isi)
    elif isinstance(nilai, bool):
        elemen.text = "true" if nilai else "false"
    elif nilai is not None:
        # ElementTree escapes markup but would write characters XML cannot carry.
        elemen.text = KARAKTER_TERLARANG_XML.sub("", str(nilai))


def sebagai_xml(akar: str, data: Any) -> bytes:
    """The spec's XML: declaration with UTF-8, no namespace, lists as repeated child elements."""
    elemen = ET.Element(akar)
    _isi_xml(elemen, akar, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(elemen, encoding="unicode").encode()


def _respons(data: Any, format: str, akar: str, *, status: int = 200) -> HttpResponse:
    isi = json.dumps(data, ensure_ascii=False).encode() if format == "json" else sebagai_xml(akar, data)
    respons = HttpResponse(isi, content_type=JENIS[format], status=status)
    respons["Access-Control-Allow-Origin"] = "*"  # public data; the POST is authenticated by its key only
    return respons


PESAN_BATAS_BACA = gettext_lazy("Terlalu banyak permintaan ke API Open311 dari alamat Anda. Coba lagi dalam %(waktu)s.")


def _lewat_batas_baca(request: HttpRequest) -> int | None:
    """Every GET resource shares one per-address limit (settings.BATAS_OPEN311_BACA_PER_MENIT_IP)."""
    batas = settings.BATAS_OPEN311_BACA_PER_MENIT_IP
    return batas_laju.lewat_batas_ip(request, "open311-baca", batas=batas, jendela_detik=60)


def _galat(format: str, kode: int, *pesan: str) -> HttpResponse:
    return _respons([{"code": kode, "description": p} for p in pesan], format, "errors", status=kode)


def _baca_masukan(request: HttpRequest) -> None:
    """Parse the query string and the body now, so that Django's refusals of a request it cannot
    read (too large, too many fields, a broken multipart body) become the spec's errors here instead
    of Django's HTML 400 page wherever the data is read first."""
    charset = (request.content_params or {}).get("charset")
    if charset is not None and not charset_teks(charset):
        # A codec that is no text encoding (rot13, base64) or none at all: the body cannot be read as
        # the client says it is written, and guessing UTF-8 would store what the client did not mean.
        raise GalatOpen311(400, _("Isi permintaan tidak dapat dibaca dengan charset yang disebut: kirim dalam UTF-8."))
    try:
        request.GET  # noqa: B018 (parsing is the point)
        if request.method == "POST":
            request.POST  # noqa: B018
            request.FILES  # noqa: B018
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        raise GalatOpen311(
            413,
            _("Permintaan terlalu besar: paling banyak %(mb)s MB isian (di luar foto) dan %(jumlah)d isian.")
            % {
                "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
                "jumlah": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
            },
        ) from None
    except (
        MultiPartParserError,
        UnreadablePostError,
        SuspiciousOperation,
        BadRequest,  # a urlencoded body declared in another charset than UTF-8
        LookupError,  # a multipart part's own charset that is no text encoding
        UnicodeError,
        ValueError,
    ):
        raise GalatOpen311(
            400, _("Isi permintaan tidak dapat dibaca: kirim multipart/form-data atau x-www-form-urlencoded.")
        ) from None


def _api(*metode: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Wrap an endpoint: allowed methods, readable input, the read limit, jurisdiction_id, and every
    error, of any cause, in the spec's format (never Django's HTML pages).

    CSRF does not apply: no endpoint uses the session (a POST is authenticated by its api_key alone),
    and a method the endpoint does not offer must get the spec's 405, not Django's CSRF page.
    """

    def hias(fungsi: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(fungsi)
        def bungkus(request: HttpRequest, *args: Any, format: str, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in metode:
                    respons = _galat(format, 405, _("Metode %(metode)s tidak didukung.") % {"metode": request.method})
                    respons["Allow"] = ", ".join(m for m in metode if m != "HEAD")
                    return respons
                _baca_masukan(request)
                if request.method in ("GET", "HEAD") and (detik := _lewat_batas_baca(request)):
                    respons = _galat(format, 429, batas_laju.pesan_tunggu(PESAN_BATAS_BACA, detik))
                    return batas_laju.tandai_429(respons, detik)
                _cek_yurisdiksi(request)
                respons = fungsi(request, *args, format=format, **kwargs)
            except GalatOpen311 as galat:
                return _galat(format, galat.kode, *galat.pesan)
            except Exception:
                # A fault of ours (the database down, a bug): logged with its traceback, answered in
                # the spec's format all the same.
                logger.exception("Open311 %s %s failed", request.method, request.path)
                return _galat(format, 500, _("Terjadi kesalahan di server. Coba lagi nanti."))
            if request.method in ("GET", "HEAD"):
                respons["Cache-Control"] = "public, max-age=60"
            return respons

        return csrf_exempt(bungkus)

    return hias


def _format_dari_jalur(jalur: str) -> str:
    return "xml" if jalur.lower().endswith(".xml") else "json"


@csrf_exempt
def tidak_dikenal(request: HttpRequest, jalur: str) -> HttpResponse:
    """Any other path under /open311/v2/ (an unknown resource or format): the spec's 404, in XML when
    the path asks for .xml, else JSON."""
    return _galat(
        _format_dari_jalur(jalur),
        404,
        _("Sumber daya tidak dikenal. Lihat %(url)s untuk daftar layanan.")
        % {"url": request.build_absolute_uri(reverse("open311:services", kwargs={"format": "json"}))},
    )


def _cek_yurisdiksi(request: HttpRequest) -> None:
    nilai = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    dikenal = {settings.MUSRENBANG_KODE_KABKOTA, urlsplit(settings.SITUS_URL).hostname or ""}
    if nilai and nilai not in dikenal:
        raise GalatOpen311(
            404,
            _("jurisdiction_id %(nilai)s tidak dikenal; layanan ini melayani %(kode)s.")
            % {"nilai": _tanpa_nul(nilai)[:50], "kode": settings.MUSRENBANG_KODE_KABKOTA},
        )


# --- Discovery and services -------------------------------------------------------------------------
@_api("GET", "HEAD")
def discovery(request: HttpRequest, *, format: str) -> HttpResponse:
    """The Service Discovery document: where the v2 endpoint is and how to get a key."""
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"format": format}))
    data = {
        "changeset": PERUBAHAN,
        "contact": _("Bappeda %(kabkota)s melalui %(situs)s")
        % {"kabkota": _nama_kabkota(), "situs": settings.SITUS_URL},
        "key_service": _(
            "Membaca data terbuka tanpa kunci. Untuk mengirim usulan, minta kunci API kepada administrator "
            "e-Musrenbang (manage.py buat_kunci_api)."
        ),
        "max_requests": MAKS_PERMINTAAN,
        "endpoints": [
            {
                "specification": SPESIFIKASI,
                "url": url.rsplit("/", 1)[0],
                "changeset": PERUBAHAN,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return _respons(data, format, "discovery")


def _nama_kabkota() -> str:
    siklus = siklus_aktif()
    return siklus.kabkota.nama if siklus else settings.MUSRENBANG_KODE_KABKOTA


def _kamus_aktif() -> QuerySet[KamusUsulan]:
    return KamusUsulan.objects.filter(
        siklus__kabkota__kode=settings.MUSRENBANG_KODE_KABKOTA, siklus__aktif=True, aktif=True
    ).order_by("nama", "pk")


def _bidang_layanan() -> QuerySet[Bidang]:
    # The same sub-sectors the proposal form offers.
    return Bidang.objects.filter(aktif=True, induk__isnull=False).select_related("induk").order_by("kode")


def _layanan(bidang: Bidang, kamus: list[str]) -> dict[str, Any]:
    # A service is a sub-sector: its induk is the function it belongs to.
    return {
        "service_code": bidang.kode,
        "service_name": bidang.nama,
        "description": _("Usulan pembangunan bidang %(bidang)s (fungsi %(fungsi)s).")
        % {"bidang": bidang.nama, "fungsi": bidang.induk.nama},  # type: ignore[union-attr]
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(kamus),
        "group": bidang.induk.nama,  # type: ignore[union-attr]
    }


@_api("GET", "HEAD")
def layanan(request: HttpRequest, *, format: str) -> HttpResponse:
    """GET Service List: one service per sub-sector, the round's catalogue items as keywords (2 queries)."""
    kamus: dict[int, list[str]] = {}
    for bidang_id, nama in _kamus_aktif().values_list("bidang_id", "nama"):
        kamus.setdefault(bidang_id, []).append(nama)
    data = [_layanan(b, kamus.get(b.pk, [])) for b in _bidang_layanan()]
    return _respons(data, format, "services")


def _atribut(kamus: list[KamusUsulan]) -> list[dict[str, Any]]:
    """The optional attributes of a sub-sector's POST. `kamus` is offered only when the round's
    catalogue has items for it: a singlevaluelist without values is one a client cannot answer."""

    def atribut(kode: str, jenis: str, urutan: int, keterangan: str, petunjuk: str | None = None, nilai=None):
        return {
            "variable": True,
            "code": kode,
            "datatype": jenis,
            "required": False,
            "datatype_description": petunjuk,
            "order": urutan,
            "description": keterangan,
            "values": nilai or [],
        }

    daftar = [
        atribut(
            "judul",
            "string",
            1,
            _("Judul singkat usulan. Bila kosong: nama layanan dan awal deskripsi."),
            _("Paling banyak 150 karakter."),
        ),
        atribut(
            "permasalahan",
            "text",
            2,
            _("Permasalahan saat ini (bila ada; deskripsi memuat usulan kegiatannya)."),
            _("Paling banyak 2000 karakter."),
        ),
    ]
    if kamus:
        daftar.append(
            atribut(
                "kamus",
                "singlevaluelist",
                3,
                _("Jenis kegiatan dari kamus usulan; satuan dan perkiraan biaya mengikuti kamus."),
                nilai=[{"key": str(k.pk), "name": f"{k.nama} ({k.satuan})"} for k in kamus],
            )
        )
    daftar += [
        atribut("volume", "number", 4, _("Volume kegiatan (bawaan 1)."), _("Angka lebih dari 0, mis. 200.")),
        atribut(
            "satuan",
            "string",
            5,
            _("Satuan volume, mis. meter, unit, paket (bawaan: satuan kamus, atau paket)."),
            _("Paling banyak 30 karakter."),
        ),
    ]
    return daftar


@_api("GET", "HEAD")
def definisi_layanan(request: HttpRequest, kode: str, *, format: str) -> HttpResponse:
    """GET Service Definition: the optional attributes a POST for this sub-sector understands."""
    bidang = _bidang_layanan().filter(kode=kode).first()
    if bidang is None:
        raise GalatOpen311(404, _("service_code %(kode)s tidak ditemukan.") % {"kode": kode[:20]})
    data = {"service_code": bidang.kode, "attributes": _atribut(list(_kamus_aktif().filter(bidang=bidang)))}
    return _respons(data, format, "service_definition")


# --- Service requests (GET) -------------------------------------------------------------------------
def _nama_desa(kode: str, nama: str) -> str:
    # Kemendagri: the last block 1xxx is a kelurahan, 2xxx a desa.
    if kode.rsplit(".", 1)[-1].startswith("1"):
        return _("Kelurahan %(nama)s") % {"nama": nama}
    return _("Desa %(nama)s") % {"nama": nama}


def pemegang(v: dict[str, Any], r: dict[str, Any] | None) -> str:
    """agency_responsible: the OPD of a published acceptance, else the level holding the proposal (or,
    once it is closed, the level that closed it)."""
    if v.get("x_opd"):
        return v["x_opd"]
    tingkat = v["status_publik"]
    if tingkat in STATUS_FINAL and r:
        tingkat = r.get("dari") or ""
    j = jenjang_pemegang(tingkat)  # from the level and transition tables
    return sebut(j, kode=v.get(f"{j.wilayah}__kode") or "", nama=v[f"{j.wilayah}__nama"])


def _url_media(request: HttpRequest) -> Callable[[str | None], str | None]:
    penyimpanan = storages["default"]
    return lambda jalur: request.build_absolute_uri(penyimpanan.url(jalur)) if jalur else None


def judul_turunan(*, bidang: str, deskripsi: str) -> str:
    """The title a POST without attribute[judul] gets: the service's name and the description's start."""
    return _singkat(f"{bidang}: {deskripsi}", 150)


def deskripsi_publik(*, judul: str, permasalahan: str, uraian: str, bidang: str) -> str:
    """`description`: title, problem and proposed work, each text once and at most 4000 characters (the
    spec's limit). A title derived from the description (judul_turunan) and an empty or repeated part
    are left out, so what a client sent as description comes back as it was sent. When the three do
    not fit, the leading parts go first: the proposed work (at most 4000 characters) always stays."""
    bagian: list[str] = []
    for teks in (judul, permasalahan, uraian):
        if teks and teks not in bagian:
            bagian.append(teks)
    if bagian and bagian[0] == judul and judul == judul_turunan(bidang=bidang, deskripsi=uraian):
        bagian.pop(0)
    while len(bagian) > 1 and len("\n\n".join(bagian)) > MAKS_DESKRIPSI:
        bagian.pop(0)
    return "\n\n".join(bagian)[:MAKS_DESKRIPSI]


def permintaan_publik(v: dict[str, Any], *, url_media: Callable[[str | None], str | None]) -> dict[str, Any]:
    """One service request with exactly the spec's fields, from a row of data_terbuka.proyeksi.nilai_publik."""
    r = riwayat_terakhir(v)
    label = str(Status(v["status_publik"]).label)
    alasan = alasan_publik(r)
    deskripsi = deskripsi_publik(
        judul=v["judul"], permasalahan=v["permasalahan"], uraian=v["uraian"], bidang=v["bidang__nama"]
    )
    alamat = ", ".join(
        [
            v["alamat"],
            _nama_desa(v["desa__kode"], v["desa__nama"]),
            _("Kecamatan %(nama)s") % {"nama": v["kecamatan__nama"]},
            v["siklus__kabkota__nama"],
        ]
    )
    return {
        "service_request_id": v["kode_lacak"],
        "status": "closed" if v["status_publik"] in STATUS_FINAL else "open",
        "status_notes": f"{label}. {alasan}" if alasan else label,
        "service_name": v["bidang__nama"],
        "service_code": v["bidang__kode"],
        "description": deskripsi,
        "agency_responsible": pemegang(v, r),
        "service_notice": None,
        "requested_datetime": waktu_w3c(v["dibuat"]),
        "updated_datetime": waktu_w3c(r["waktu"] if r else v["dibuat"]),
        "expected_datetime": None,
        "address": alamat,
        "address_id": None,
        "zipcode": None,
        "lat": round(v["x_lat"], 7),
        "long": round(v["x_lon"], 7),
        "media_url": url_media(v["x_foto"]),
    }


def _nilai_open311(qs: QuerySet[Usulan]) -> QuerySet[Usulan, dict[str, Any]]:
    foto = FotoUsulan.objects.filter(usulan=OuterRef("pk")).order_by("urutan", "pk").values("web")[:1]
    return nilai_publik(qs, x_foto=Subquery(foto))


def _tanpa_nul(teks: str) -> str:
    # PostgreSQL refuses NUL in text: a "%00" must be "no match" or "invalid", not a server error.
    return teks.replace("\x00", "")


def _daftar_param(request: HttpRequest, nama: str) -> list[str]:
    bagian = (s.strip() for nilai in request.GET.getlist(nama) for s in _tanpa_nul(nilai).split(","))
    return [s for s in bagian if s]


_ZONA_SPASI = re.compile(r" (\d{2}:?\d{2})$")
_ANGKA = re.compile(r"[0-9]{1,9}")


def _waktu_param(request: HttpRequest, nama: str) -> datetime.datetime | None:
    teks = (request.GET.get(nama) or "").strip()
    if not teks:
        return None
    # An unencoded "+07:00" in a query string arrives as " 07:00".
    teks = _ZONA_SPASI.sub(r"+\1", teks)
    try:
        nilai = parse_datetime(teks)
        if nilai is None and (tanggal := parse_date(teks)) is not None:
            nilai = datetime.datetime.combine(tanggal, datetime.time())
    except ValueError:
        nilai = None
    if nilai is None:
        raise GalatOpen311(400, _("%(nama)s harus berformat W3C, mis. 2026-01-31T00:00:00Z.") % {"nama": nama})
    return nilai if timezone.is_aware(nilai) else timezone.make_aware(nilai)


def _bilangan_param(request: HttpRequest, *nama: str, bawaan: int, maks: int | None = None) -> int:
    for n in nama:
        teks = (request.GET.get(n) or "").strip()
        if not teks:
            continue
        if not _ANGKA.fullmatch(teks) or int(teks) < 1:
            raise GalatOpen311(400, _("%(nama)s harus bilangan bulat positif.") % {"nama": n})
        return min(int(teks), maks) if maks else int(teks)
    return bawaan


def _bbox(request: HttpRequest) -> Polygon | None:
    teks = (request.GET.get("bbox") or "").strip()
    if not teks:
        return None
    try:
        minlon, minlat, maxlon, maxlat = (float(b) for b in teks.split(","))
    except ValueError:
        minlon = minlat = maxlon = maxlat = float("nan")
    sah = -180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90
    if not sah:
        raise GalatOpen311(
            400, _("bbox harus berupa minlon,minlat,maxlon,maxlat dalam derajat WGS84, mis. 103.3,0.8,103.6,1.1.")
        )
    return Polygon.from_bbox((minlon, minlat, maxlon, maxlat))


def _geser(waktu: datetime.datetime, selisih: datetime.timedelta) -> datetime.datetime | None:
    """waktu + selisih, or None (no bound on that side) past the calendar's end: start_date=9999-12-31
    asks for nothing later, end_date=0001-01-01 for nothing earlier."""
    try:
        return waktu + selisih
    except OverflowError:
        return None


def saring_permintaan(request: HttpRequest) -> QuerySet[Usulan]:
    """The proposals a GET requests call asks for (the spec's filters and window, plus bbox).

    Raises GalatOpen311 (400) for a malformed parameter. Paging is the caller's.
    """
    qs = usulan_publik(SaringanPublik(), siklus_bawaan=None)
    kode = _daftar_param(request, "service_request_id")
    if kode:
        # The spec: this overrides all other arguments.
        return qs.filter(kode_lacak__in=[k.upper() for k in kode[:MAKS_PERMINTAAN]])
    if layanan_diminta := _daftar_param(request, "service_code"):
        qs = qs.filter(bidang__kode__in=layanan_diminta)
    status = set(_daftar_param(request, "status"))
    if status - {"open", "closed"}:
        raise GalatOpen311(400, _("status hanya boleh open atau closed."))
    if status == {"open"}:
        qs = qs.exclude(status_publik__in=STATUS_FINAL)
    elif status == {"closed"}:
        qs = qs.filter(status_publik__in=STATUS_FINAL)
    mulai, akhir = _waktu_param(request, "start_date"), _waktu_param(request, "end_date")
    jendela = datetime.timedelta(days=JENDELA_HARI)
    if mulai and akhir:
        if akhir < mulai:
            raise GalatOpen311(400, _("end_date harus sesudah start_date."))
        if akhir - mulai > jendela:
            raise GalatOpen311(400, _("Rentang start_date sampai end_date paling lama %(hari)d hari.") % {"hari": 90})
    elif mulai:
        akhir = _geser(mulai, jendela)
    elif akhir:
        mulai = _geser(akhir, -jendela)
    else:
        mulai = timezone.now() - jendela
    if mulai:
        qs = qs.filter(dibuat__gte=mulai)
    if akhir:
        qs = qs.filter(dibuat__lte=akhir)
    if (kotak := _bbox(request)) is not None:
        qs = qs.filter(lokasi__coveredby=kotak)
    return qs


def _daftar_permintaan(request: HttpRequest, format: str) -> HttpResponse:
    qs = saring_permintaan(request)
    halaman = _bilangan_param(request, "page", bawaan=1)
    ukuran = _bilangan_param(request, "page_size", "max_requests", bawaan=MAKS_PERMINTAAN, maks=MAKS_PERMINTAAN)
    awal = (halaman - 1) * ukuran
    url_media = _url_media(request)
    baris = _nilai_open311(qs.order_by("-dibuat", "-pk"))[awal : awal + ukuran]
    return _respons([permintaan_publik(v, url_media=url_media) for v in baris], format, "service_requests")


@_api("GET", "HEAD")
def satu_permintaan(request: HttpRequest, kode: str, *, format: str) -> HttpResponse:
    """GET Service Request: one proposal by its tracking code (a list of one, as the spec shows)."""
    qs = usulan_publik(SaringanPublik(), siklus_bawaan=None).filter(kode_lacak=kode.strip().upper())
    baris = list(_nilai_open311(qs))
    if not baris:
        raise GalatOpen311(404, _("service_request_id %(kode)s tidak ditemukan.") % {"kode": kode[:30]})
    return _respons([permintaan_publik(baris[0], url_media=_url_media(request))], format, "service_requests")


# --- Service requests (POST) ------------------------------------------------------------------------
def _kunci_api(request: HttpRequest) -> KunciAPI:
    teks = (request.POST.get("api_key") or "").strip()
    if not teks:
        raise GalatOpen311(403, _("api_key wajib diisi untuk mengirim usulan."))
    kunci = KunciAPI.objects.select_related("pengguna").filter(hash_kunci=KunciAPI.hash(teks[:200]), aktif=True).first()
    if kunci is None or not kunci.pengguna.is_active:
        raise GalatOpen311(403, _("api_key tidak valid atau sudah dinonaktifkan."))
    return kunci


def _teks(data: Any, nama: str, maks: int, galat: list[str]) -> str:
    nilai = _tanpa_nul(data.get(nama) or "").strip()
    if len(nilai) > maks:
        galat.append(_("%(nama)s paling banyak %(maks)d karakter.") % {"nama": nama, "maks": maks})
    return nilai


def _singkat(teks: str, maks: int) -> str:
    teks = " ".join(teks.split())
    return teks if len(teks) <= maks else teks[: maks - 1].rstrip() + "…"


def isi_dari_post(request: HttpRequest, bidang: Bidang) -> IsiUsulan:
    """Map the POST fields onto the proposal form's content. Raises GalatOpen311 (400) listing every
    problem found."""
    data = request.POST
    galat: list[str] = []
    atribut: dict[str, Any] = {
        k[len("attribute[") : -1]: v for k, v in data.items() if k.startswith("attribute[") and k.endswith("]")
    }
    dikenal = {a["code"] for a in _atribut(list(_kamus_aktif().filter(bidang=bidang)))}
    for nama in sorted(set(atribut) - dikenal):
        galat.append(
            _("attribute[%(nama)s] tidak dikenal untuk layanan %(kode)s; lihat definisinya di services/%(kode)s.json.")
            % {"nama": _singkat(_tanpa_nul(nama), 40), "kode": bidang.kode}
        )
    deskripsi = _teks(data, "description", MAKS_DESKRIPSI, galat)
    if not deskripsi:
        galat.append(_("description wajib diisi: uraikan usulan kegiatan."))
    lat, lon = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    if not (lat and lon):
        galat.append(_("lat dan long wajib diisi (WGS84); alamat saja belum bisa ditempatkan di desa/kelurahan."))
    else:
        try:
            titik_dari_koordinat(lat, lon)
        except LokasiTidakValid as exc:
            galat.append(str(exc))
    judul = _teks(atribut, "judul", 150, galat) or judul_turunan(bidang=bidang.nama, deskripsi=deskripsi)
    # Stored once: the description is the proposed work; the problem only when the client names one.
    permasalahan = _teks(atribut, "permasalahan", 2000, galat)
    kamus = None
    if "kamus" in dikenal and (kode_kamus := (atribut.get("kamus") or "").strip()):
        sah = _ANGKA.fullmatch(kode_kamus)
        kamus = _kamus_aktif().filter(bidang=bidang, pk=int(kode_kamus)).first() if sah else None
        if kamus is None:
            galat.append(_("attribute[kamus] tidak ada di kamus usulan bidang ini untuk siklus yang aktif."))
    try:
        volume = Decimal((atribut.get("volume") or "1").strip().replace(",", "."))
        if not (Decimal("0") < volume <= Decimal("9999999999")) or volume != round(volume, 2):
            raise InvalidOperation
    except InvalidOperation:
        galat.append(_("attribute[volume] harus angka lebih dari 0 dengan paling banyak 2 desimal."))
        volume = Decimal(1)
    satuan = _teks(atribut, "satuan", 30, galat) or (kamus.satuan if kamus else "paket")
    alamat = _teks(data, "address_string", 200, galat) or f"{lat}, {lon}"[:200]
    nama = " ".join(p for p in (_teks(data, "first_name", 70, galat), _teks(data, "last_name", 70, galat)) if p)
    kontak = " / ".join(p for p in (_teks(data, "email", 60, galat), _teks(data, "phone", 30, galat)) if p)
    if galat:
        raise GalatOpen311(400, *galat)
    return IsiUsulan(
        judul=judul,
        permasalahan=permasalahan,
        uraian=deskripsi,
        bidang=bidang,
        kamus=kamus,
        volume=volume,
        satuan=satuan,
        alamat=alamat,
        lat=float(lat),
        lon=float(lon),
        jenis_pengusul=JenisPengusul.WARGA,
        nama_pengusul=nama,
        kontak_pengusul=kontak,
        tampilkan_nama=False,
    )


def _buat_permintaan(request: HttpRequest, format: str) -> HttpResponse:
    kunci = _kunci_api(request)
    # Counted before the photos are decoded: that is the expensive part a runaway client repeats.
    if not batas_laju.hitung(f"open311:kunci:{kunci.pk}", batas=settings.BATAS_API_PER_JAM_KUNCI):
        pesan = _("Terlalu banyak usulan dikirim dengan kunci ini dalam satu jam. Coba lagi nanti.")
        respons = _respons([{"code": 429, "description": pesan}], format, "errors", status=429)
        respons["Retry-After"] = str(batas_laju.sisa_detik())
        return respons
    # An uploaded file's size is always known (the stubs allow None).
    if any(berkas.size > settings.FOTO_UKURAN_MAKS for berkas in request.FILES.getlist("media")):  # type: ignore[operator]
        # Before anything reads the photos: the spec's 413, not the photo service's 400 further on.
        raise GalatOpen311(
            413,
            _("Foto terlalu besar: paling banyak %(mb)s MB per foto.")
            % {"mb": settings.FOTO_UKURAN_MAKS // (1024 * 1024)},
        )
    kode = _tanpa_nul(request.POST.get("service_code") or "").strip()
    if not kode:
        raise GalatOpen311(400, _("service_code wajib diisi; lihat daftar di services.json."))
    bidang = _bidang_layanan().filter(kode=kode).first()
    if bidang is None:
        raise GalatOpen311(404, _("service_code %(kode)s tidak ditemukan.") % {"kode": kode[:20]})
    isi = isi_dari_post(request, bidang)
    foto = request.FILES.getlist("media")
    if not foto:
        pesan = _("Lampirkan minimal satu foto lokasi sebagai berkas multipart bernama media.")
        if request.POST.get("media_url"):
            pesan += " " + _("media_url tidak diunduh oleh server ini.")
        raise GalatOpen311(400, pesan)
    try:
        usulan = usulan_buat(pengguna=kunci.pengguna, atas_nama=True, siklus=siklus_aktif(), isi=isi, foto=foto)
    except ValidationError as exc:
        raise GalatOpen311(400, *exc.messages) from None
    KunciAPI.objects.filter(pk=kunci.pk).update(terakhir_dipakai=timezone.now())
    tautan = request.build_absolute_uri(reverse("usulan:lacak", args=[usulan.kode_lacak]))
    data = [
        {
            "service_request_id": usulan.kode_lacak,
            "service_notice": _(
                "Usulan tercatat dengan kode lacak %(kode)s dan menunggu verifikasi desa/kelurahan. "
                "Pantau statusnya di %(tautan)s"
            )
            % {"kode": usulan.kode_lacak, "tautan": tautan},
            "account_id": None,
        }
    ]
    return _respons(data, format, "service_requests", status=201)


@_api("GET", "HEAD", "POST")
def permintaan(request: HttpRequest, *, format: str) -> HttpResponse:
    """GET Service Requests (public, 1 query) or POST Service Request (API key)."""
    if request.method == "POST":
        return _buat_permintaan(request, format)
    return _daftar_permintaan(request, format)
