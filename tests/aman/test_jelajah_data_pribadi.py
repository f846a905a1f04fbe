"""Issue 6 point 2: no personal or internal data reaches the public side, by any URL.

Canary values are seeded where only officials may see them: a resident's account (e-mail, phone,
username, full name; the resident did not opt in to show the name), a proposal a desa operator
recorded on behalf of someone (`catat`: private name and contact), one a partner app sent through
Open311 (name, e-mail and phone of the person), officials' internal notes (a request for OPD advice,
the OPD's technical note, a Bappeda draft reason later replaced, an unpublished decision with its OPD
and budget), and the photos' own metadata (EXIF artist/copyright/description/XPAuthor/UserComment,
GPS, XMP, JPEG comment). The proposals go through published and unpublished outcomes.

Then an anonymous visitor crawls the site: from / it follows every same-site link (href, src, GET
forms, data-* URLs, URLs in JSON/XML/CSV/XLSX bodies, and the popups/pages the map's script would
open for each code it receives), breadth-first and bounded, plus an explicit seed list of every
public URL pattern. No body (nor header) may contain a canary, in any of its common forms. The
public photo copies must carry no metadata, and the private originals must open only for officials
of the proposal's area.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import re
import zipfile
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote_plus, urlencode, urlsplit

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageCms

from akun.models import Peran
from musrenbang.models import AlasanKode, Bidang
from peta import selectors as peta_selectors
from tests import factories, gambar
from tests.skenario import usulan_pada
from usulan.models import FotoUsulan, Status, Usulan
from usulan.services import IsiUsulan, usulan_buat
from verifikasi import transitions as t

DATA_FOTO = Path(__file__).resolve().parents[1] / "data" / "foto"

# --- Canaries: values that exist only on the private side -------------------------------------------
NAMA = "Wulandari Kanarijelajah"  # the resident's full name (tampilkan_nama=False)
EMAIL = "wulan.kanarijelajah@contoh.test"
TELEPON = "+6281377712345"
USERNAME = "kanari_jelajah_wulan"
NAMA_CATAT = "Sukarno Kanaricatat"  # the person a desa operator recorded a proposal for
EMAIL_CATAT = "sukarno.kanaricatat@contoh.test"
TELEPON_CATAT = "0813-4455-6677"
NAMA_API_DEPAN, NAMA_API_BELAKANG = "Rohana", "Kanariapi"  # sent by a partner app through Open311
EMAIL_API = "rohana.kanariapi@contoh.test"
TELEPON_API = "081355500011"
CATATAN_MINTA = "KANARI-PERMINTAAN-REKOMENDASI-INTERNAL"  # Bappeda → OPD, internal history row
CATATAN_OPD = "KANARI-CATATAN-TEKNIS-OPD"  # the OPD's technical note
ALASAN_DIGANTI = "KANARI-ALASAN-DRAF-YANG-DIGANTI"  # a draft reason replaced before publication
ALASAN_DRAF = "KANARI-ALASAN-BAPPEDA-BELUM-TERBIT"  # an unpublished decision's reason
OPD_DRAF = "Dinas Kanari Rahasia"  # the OPD of that unpublished acceptance
BIAYA_DRAF = Decimal("987654321")  # and its budget
SERI_KAMERA = "SN-KANARI-00931"  # camera body serial (EXIF), identifies a device

# Public values (positive controls: the crawl does reach the places a leak would show up).
NAMA_TERBUKA = "Ketua RT Terbuka Sejahtera"  # a proposer who opted in to show the name
ALASAN_TERBIT = "Prioritas penanganan banjir rob"  # published with Bappeda's acceptance
ALASAN_TOLAK_DESA = "Titik lokasi berada di laut"  # a desa rejection, public at once

MAKS_TEMUAN = 500  # bound on the URLs discovered by the crawl (the seed list always runs in full)


def _varian_telepon(nilai: str) -> set[str]:
    angka = re.sub(r"\D", "", nilai)
    nasional = angka[2:] if angka.startswith("62") else angka.lstrip("0")
    a, b, c = nasional[:3], nasional[3:7], nasional[7:]
    return {
        nilai,
        nasional,  # what the digit-run check below finds inside +62…, 62…, 0… and 0813-… forms
        f"+62{nasional}",
        f"62{nasional}",
        f"0{nasional}",
        f"+62 {nasional}",
        f"0{a}-{b}-{c}",
        f"0{a} {b} {c}",
        f"+62 {a}-{b}-{c}",
        f"+62 {a} {b} {c}",
        f"+62-{a}-{b}-{c}",
    }


def _varian_nama(nilai: str) -> set[str]:
    # The whole name and its distinctive part on its own (a surname alone still identifies).
    return {nilai, *(bagian for bagian in nilai.split() if "kanari" in bagian.lower())}


def _varian_email(nilai: str) -> set[str]:
    return {nilai, nilai.split("@")[0]}


KANARI: dict[str, set[str]] = {
    "nama": _varian_nama(NAMA),
    "email": _varian_email(EMAIL),
    "telepon": _varian_telepon(TELEPON),
    "username": {USERNAME},
    "nama_catat": _varian_nama(NAMA_CATAT),
    "email_catat": _varian_email(EMAIL_CATAT),
    "telepon_catat": _varian_telepon(TELEPON_CATAT),
    "nama_api": _varian_nama(f"{NAMA_API_DEPAN} {NAMA_API_BELAKANG}"),
    "email_api": _varian_email(EMAIL_API),
    "telepon_api": _varian_telepon(TELEPON_API),
    "catatan_minta": {CATATAN_MINTA},
    "catatan_opd": {CATATAN_OPD},
    "alasan_diganti": {ALASAN_DIGANTI},
    "alasan_draf": {ALASAN_DRAF},
    "opd_draf": {OPD_DRAF},
    "biaya_draf": {"987654321", "987.654.321", "987,654,321"},
    "seri_kamera": {SERI_KAMERA},
}
# National numbers: also searched inside digit runs with separators removed ("0813 7771-2345").
NOMOR_NASIONAL = {jenis: min(v, key=len) for jenis, v in KANARI.items() if jenis.startswith("telepon")}


# --- Searching bodies -----------------------------------------------------------------------------
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_PEMISAH_ANGKA = re.compile(r"(?<=\d)[\s.\-()/]+(?=\d)")


def _teks_ternormalisasi(isi: bytes) -> str:
    """The body as text in every decoded form a browser or a script would see, lower-cased."""
    teks = isi.decode("utf-8", "replace")
    bentuk = [
        teks,
        html.unescape(teks),  # &#64; &amp; &#x…; (HTML and XML entities)
        unquote_plus(teks),  # %40, %2B, + in query strings
        _UNICODE_ESCAPE.sub(lambda m: chr(int(m[1], 16)), teks),  # JSON \u0040
    ]
    return "\n".join(bentuk).lower()


def temukan_kanari(isi: bytes) -> list[str]:
    """The canaries (kind: form) found in a body: as text in its decoded forms, as raw bytes in
    UTF-8 and UTF-16 (EXIF XPAuthor, ICC mluc) whatever the case, and phone numbers inside digit runs."""
    teks = _teks_ternormalisasi(isi)
    angka = _PEMISAH_ANGKA.sub("", teks)
    mentah = isi.lower()
    temuan = []
    for jenis, daftar in KANARI.items():
        for nilai in daftar:
            kecil = nilai.lower()
            if (
                kecil in teks
                or kecil.encode() in mentah
                or kecil.encode("utf-16-le") in mentah
                or kecil.encode("utf-16-be") in mentah
            ):
                temuan.append(f"{jenis}: {nilai!r}")
    for jenis, nasional in NOMOR_NASIONAL.items():
        if nasional in angka:
            temuan.append(f"{jenis}: digit run {nasional!r}")
    return temuan


def isi_respons(respons) -> bytes:
    return b"".join(respons.streaming_content) if respons.streaming else respons.content


def isi_untuk_dipindai(respons, isi: bytes) -> bytes:
    """Headers and body; an XLSX (a zip) also with every part unpacked."""
    kepala = "\n".join(f"{k}: {v}" for k, v in respons.items()).encode()
    bagian = [kepala, isi]
    if isi[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(isi)) as arsip:
            bagian.extend(arsip.read(nama) for nama in arsip.namelist())
    return b"\n".join(bagian)


# --- Photos with personal metadata ----------------------------------------------------------------
def jpeg_berkanari(lat: float, lon: float, penanda: str) -> bytes:
    """A camera-like JPEG whose metadata names the resident everywhere a phone or an editor might."""
    img = Image.open(io.BytesIO(gambar.jpeg(lat=lat, lon=lon, penanda=penanda)))
    exif = img.getexif()
    exif[0x010E] = f"Foto {NAMA} {TELEPON}"  # ImageDescription
    exif[0x013B] = NAMA  # Artist
    exif[0x8298] = f"(c) {EMAIL}"  # Copyright
    exif[0x9C9D] = (USERNAME + "\x00").encode("utf-16-le")  # XPAuthor (Windows)
    ifd = exif.get_ifd(gambar.TAG_EXIF_IFD)
    ifd[0x9286] = b"ASCII\x00\x00\x00" + f"{NAMA} {TELEPON}".encode()  # UserComment
    ifd[0xA431] = SERI_KAMERA  # BodySerialNumber
    ifd[0xA430] = NAMA  # CameraOwnerName
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator>{NAMA}</dc:creator><dc:rights>{EMAIL}</dc:rights><dc:description>{TELEPON}</dc:description>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()
    keluaran = io.BytesIO()
    img.save(keluaran, "JPEG", quality=85, exif=exif, xmp=xmp, comment=f"{USERNAME} {EMAIL}".encode())
    data = keluaran.getvalue()
    assert {"nama", "email", "telepon", "username", "seri_kamera"} <= {t.split(":")[0] for t in temukan_kanari(data)}
    return data


def profil_icc_berkanari() -> bytes:
    """An RGB colour profile whose description and copyright text name the resident (same-length
    UTF-16 text written over lcms's built-in sRGB profile, a v4 profile with mluc text tags)."""
    profil = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    for lama, baru in (("sRGB built-in", "Kanarijelajah"), ("No copyright, use freely", f"{NAMA}.")):
        lama_b, baru_b = lama.encode("utf-16-be"), baru.encode("utf-16-be")
        assert len(lama_b) == len(baru_b) and lama_b in profil
        awal = profil.index(lama_b)
        profil[awal : awal + len(lama_b)] = baru_b
    ImageCms.ImageCmsProfile(io.BytesIO(bytes(profil)))  # still a valid profile
    return bytes(profil)


def berkas(nama: str, isi: bytes, jenis: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(nama, isi, jenis)


# --- The world ------------------------------------------------------------------------------------
@dataclass
class Dunia:
    diterima_terbit: Usulan  # resident A, OPD advice, a replaced draft, accepted and published
    draf: Usulan  # resident A, accepted by Bappeda but not published (OPD, budget, reason)
    ditolak_desa: Usulan  # resident A, rejected by the desa (public reason)
    dicatat: Usulan  # recorded by the desa operator for NAMA_CATAT, passed on
    open311: Usulan  # sent by a partner app for Rohana Kanariapi
    terbuka: Usulan  # resident B, opted in to show the name
    lama: Usulan  # resident A, an earlier round, never funded (a "sebelumnya" hint)
    desa_lain: Usulan  # resident B, in another desa and kecamatan
    warga_a: object
    warga_b: object
    petugas_lain: dict[str, object] = field(default_factory=dict)

    def semua(self) -> list[Usulan]:
        return [self.diterima_terbit, self.draf, self.ditolak_desa, self.dicatat, self.open311, self.terbuka, self.lama]

    def foto(self) -> list[FotoUsulan]:
        return list(FotoUsulan.objects.filter(usulan__in=[*self.semua(), self.desa_lain]).order_by("pk"))


def _isi(titik, judul: str, **lain) -> IsiUsulan:
    data = {
        "judul": judul,
        "permasalahan": "Kondisi rusak dan membahayakan warga saat hujan.",
        "uraian": "Perbaikan dan pembangunan ulang sesuai kebutuhan lapangan.",
        "bidang": Bidang.objects.get(kode="05.01"),
        "kamus": None,
        "volume": Decimal("120"),
        "satuan": "meter",
        "alamat": "Jl. Merdeka gang 3",
        "lat": titik.y,
        "lon": titik.x,
        "rt": "002",
        "rw": "004",
    }
    data.update(lain)
    return IsiUsulan(**data)


def _catat_lewat_web(operator, titik) -> Usulan:
    """The desa operator's own form (/verifikasi/catat/), with a real photo upload."""
    klien = Client()
    klien.force_login(operator)
    respons = klien.post(
        reverse("verifikasi:catat"),
        {
            "judul": "Sumur bor untuk musala Al-Ikhlas",
            "permasalahan": "Air bersih sulit saat kemarau.",
            "uraian": "Pembuatan sumur bor dan tandon 2000 liter.",
            "jenis_pengusul": "warga",
            "nama_pengusul": NAMA_CATAT,
            "kontak_pengusul": f"{TELEPON_CATAT} / {EMAIL_CATAT}",
            "bidang": Bidang.objects.get(kode="05.01").pk,
            "volume": "1",
            "satuan": "unit",
            "alamat": "Belakang musala Al-Ikhlas",
            "lat": f"{titik.y:.7f}",
            "lon": f"{titik.x:.7f}",
            "foto": berkas("sumur.jpg", jpeg_berkanari(titik.y, titik.x, "catat")),
        },
    )
    assert respons.status_code == 302, respons.content.decode()[:2000]
    usulan = Usulan.objects.get(nama_pengusul=NAMA_CATAT)
    assert (usulan.kontak_pengusul, usulan.tampilkan_nama) == (f"{TELEPON_CATAT} / {EMAIL_CATAT}", False)
    return usulan


def _kirim_open311(titik) -> Usulan:
    factories.buat_pengguna("aplikasi_kanari", nama_lengkap="Aplikasi Lapor Kanari")
    keluaran = io.StringIO()
    call_command("buat_kunci_api", "Aplikasi Kanari", "--pengguna", "aplikasi_kanari", stdout=keluaran)
    kunci = keluaran.getvalue().splitlines()[1].strip()
    respons = Client().post(
        reverse("open311:requests", kwargs={"format": "json"}),
        {
            "api_key": kunci,
            "service_code": "05.01",
            "lat": f"{titik.y:.7f}",
            "long": f"{titik.x:.7f}",
            "description": "Gorong-gorong di depan pasar ambruk.",
            "address_string": "Depan pasar Moro",
            "first_name": NAMA_API_DEPAN,
            "last_name": NAMA_API_BELAKANG,
            "email": EMAIL_API,
            "phone": TELEPON_API,
            "media": berkas("pasar.jpg", jpeg_berkanari(titik.y, titik.x, "api")),
        },
    )
    assert respons.status_code == 201, respons.content
    return Usulan.objects.get(kode_lacak=respons.json()[0]["service_request_id"])


@pytest.fixture
def dunia(karimun, siklus, desa, desa_lain, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd) -> Dunia:
    titik = desa.batas.point_on_surface
    warga_a = factories.buat_pengguna(USERNAME, email=EMAIL, telepon=TELEPON, nama_lengkap=NAMA)
    warga_b = factories.buat_pengguna("warga_b_jelajah", nama_lengkap="Warga Biasa Dua")
    alasan = AlasanKode.objects.get(kode="lokasi-tidak-jelas")

    def ajukan(pengguna, judul: str, foto: list, **lain) -> Usulan:
        return usulan_buat(pengguna=pengguna, siklus=siklus, isi=_isi(titik, judul, **lain), foto=foto)

    # Accepted and published after OPD advice and a replaced draft reason. Real phone photos too.
    diterima = ajukan(
        warga_a,
        "Jembatan penyeberangan Sungai Moro",
        [
            berkas("jembatan.jpg", jpeg_berkanari(titik.y, titik.x, "jembatan")),
            berkas("iphone4.jpg", (DATA_FOTO / "phone-gps" / "Apple_iPhone_4.jpg").read_bytes()),
            berkas("iphone8.heic", (DATA_FOTO / "heic" / "Apple_iPhone_8_IMG_1034.heic").read_bytes(), "image/heic"),
        ],
    )
    usulan_pada(
        Status.LOLOS_KECAMATAN,
        usulan=diterima,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        peringkat=(1, 1),
    )
    t.minta_rekomendasi(usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd], catatan=CATATAN_MINTA)
    t.rekomendasikan(
        usulan_id=diterima.pk,
        pelaku=petugas_opd,
        layak=True,
        volume=Decimal(100),
        biaya=Decimal("350000000"),
        catatan=CATATAN_OPD,
    )
    keputusan = {"perangkat_daerah": opd, "volume": Decimal(100), "biaya": Decimal("350000000")}
    t.putuskan(
        usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA, hasil="diterima", alasan=ALASAN_DIGANTI, **keputusan
    )
    t.putuskan(
        usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA, hasil="diterima", alasan=ALASAN_TERBIT, **keputusan
    )
    t.terbitkan(usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA)

    # Accepted by Bappeda, not published: its OPD, budget and reason stay internal.
    draf = ajukan(
        warga_a, "Penerangan jalan Gang Kenanga", [berkas("lampu.jpg", jpeg_berkanari(titik.y, titik.x, "k"))]
    )
    usulan_pada(
        Status.LOLOS_KECAMATAN,
        usulan=draf,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        peringkat=(1, 1),
    )
    t.putuskan(
        usulan_id=draf.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan=ALASAN_DRAF,
        perangkat_daerah=factories.buat_opd("DKR", OPD_DRAF),
        volume=Decimal(12),
        biaya=BIAYA_DRAF,
    )

    ditolak = ajukan(
        warga_a, "Tanggul pantai Teluk Moro", [berkas("tanggul.jpg", jpeg_berkanari(titik.y, titik.x, "t"))]
    )
    t.tolak(usulan_id=ditolak.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan=ALASAN_TOLAK_DESA)

    dicatat = _catat_lewat_web(operator_desa, titik)
    t.teruskan(usulan_id=dicatat.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=2)

    lewat_api = _kirim_open311(titik)

    terbuka = ajukan(
        warga_b,
        "Posyandu Melati RW 04",
        [berkas("posyandu.jpg", gambar.jpeg(lat=titik.y, lon=titik.x, penanda="posyandu"))],
        jenis_pengusul="rt",
        nama_pengusul=NAMA_TERBUKA,
        tampilkan_nama=True,
    )

    # An earlier round (windows closed now): a proposal at the same point, never funded.
    siklus_lama = factories.buat_siklus(karimun, tahun=siklus.tahun - 1, terbuka=False, aktif=False)
    lama = usulan_buat(
        pengguna=warga_a,
        siklus=siklus_lama,
        isi=_isi(titik, "Jembatan penyeberangan Sungai Moro lama"),
        foto=[berkas("lama.jpg", jpeg_berkanari(titik.y, titik.x, "lama"))],
        sekarang=timezone.now() - datetime.timedelta(days=30),
    )

    # Another area, with its own officials.
    titik_lain = desa_lain.batas.point_on_surface
    lain = usulan_buat(
        pengguna=warga_b,
        siklus=siklus,
        isi=_isi(titik_lain, "Jalan usaha tani Kampung Lain"),
        foto=[berkas("lain.jpg", gambar.jpeg(lat=titik_lain.y, lon=titik_lain.x, penanda="lain"))],
    )
    assert lain.desa_id != desa.pk and lain.kecamatan_id != desa.induk_id
    petugas_lain = {
        "desa_lain": factories.buat_pengguna("operator_desa_lain"),
        "kecamatan_lain": factories.buat_pengguna("operator_kecamatan_lain"),
        "opd_lain": factories.buat_pengguna("petugas_opd_lain"),
    }
    factories.buat_penugasan(petugas_lain["desa_lain"], Peran.DESA, wilayah=lain.desa)
    factories.buat_penugasan(petugas_lain["kecamatan_lain"], Peran.KECAMATAN, wilayah=lain.kecamatan)
    factories.buat_penugasan(petugas_lain["opd_lain"], Peran.OPD, opd=factories.buat_opd("DLH", "Dinas Lingkungan"))

    hasil = Dunia(diterima, draf, ditolak, dicatat, lewat_api, terbuka, lama, lain, warga_a, warga_b, petugas_lain)
    for u in [*hasil.semua(), lain]:
        u.refresh_from_db()
    assert (hasil.diterima_terbit.status_publik, hasil.draf.status, hasil.draf.status_publik) == (
        Status.DITERIMA,
        Status.DITERIMA,
        Status.LOLOS_KECAMATAN,
    )
    assert hasil.ditolak_desa.status_publik == Status.DITOLAK and hasil.dicatat.status_publik == Status.LOLOS_DESA
    assert not any(u.tampilkan_nama for u in hasil.semua() if u != hasil.terbuka)
    return hasil


# --- NIK ------------------------------------------------------------------------------------------
def test_tidak_ada_field_nik():
    # "NIK, if collected, is stored masked or hashed" holds trivially: no model collects a NIK (the
    # national identity number) at all: no field or column is named like one. Should one be added,
    # this test fails and the NIK's masking or hashing must be tested here instead.
    pola = re.compile(r"(^|_)(nik|ktp|no_?induk|nomor_induk)($|_)", re.IGNORECASE)
    ditemukan = [
        f"{model._meta.label}.{f.name}"
        for model in django_apps.get_models()
        for f in model._meta.get_fields()
        if pola.search(f.name) or pola.search(getattr(f, "column", None) or "")
    ]
    assert ditemukan == []


# --- The crawl ------------------------------------------------------------------------------------
class _Tautan(HTMLParser):
    """Every URL an HTML page offers: href, src, srcset, GET form actions, data-* values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.url: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for nama, nilai in attrs:
            if not nilai:
                continue
            if nama in ("href", "src", "poster") or (nama.startswith("data-") and nilai.startswith(("/", "http"))):
                self.url.append(nilai)
            elif nama == "srcset":
                self.url.extend(bagian.strip().split(" ")[0] for bagian in nilai.split(","))
        if tag == "form" and (a.get("method") or "get").lower() == "get":
            self.url.append(a.get("action") or "")


_URL_DALAM_TEKS = re.compile(
    r"""(?:https?://[^\s"'<>,;]+|(?<![\w.])/(?:usulan|peta|media|data|open311)/[^\s"'<>,;]*)"""
)


@dataclass
class Kunjungan:
    url: str
    status: int
    jenis: str
    isi: bytes


class Penjelajah:
    """Breadth-first crawl of the site as one client; seeds first, then what the pages link to."""

    def __init__(self, klien: Client, *, host_situs: set[str]) -> None:
        self.klien = klien
        self.host = host_situs
        self.kunjungan: dict[str, Kunjungan] = {}
        self.antrean: deque[str] = deque()
        self.dikenal: set[str] = set()
        self.temuan = 0

    def _normal(self, url: str, dasar: str) -> str | None:
        url = html.unescape(url.strip())
        if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:", "blob:")):
            return None
        bagian = urlsplit(url)
        if bagian.scheme not in ("", "http", "https") or (bagian.netloc and bagian.netloc not in self.host):
            return None
        jalur = bagian.path
        if not jalur.startswith("/"):
            jalur = dasar.rsplit("/", 1)[0] + "/" + jalur
        return jalur + (f"?{bagian.query}" if bagian.query else "")

    def tambah(self, url: str, *, benih: bool = False, dasar: str = "/") -> None:
        url = self._normal(url, dasar)
        if url is None or url in self.dikenal:
            return
        if not benih:
            if self.temuan >= MAKS_TEMUAN:
                return
            self.temuan += 1
        self.dikenal.add(url)
        self.antrean.append(url)

    def _ikuti(self, k: Kunjungan, respons) -> None:
        if 300 <= k.status < 400 and respons.get("Location"):
            self.tambah(respons["Location"], dasar=k.url)
        if k.jenis.startswith("image/") or k.url.startswith("/static/"):
            return
        teks_bagian = [k.isi]
        if k.isi[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(k.isi)) as arsip:
                teks_bagian = [arsip.read(n) for n in arsip.namelist()]
        for bagian in teks_bagian:
            teks = bagian.decode("utf-8", "replace")
            if "html" in k.jenis:
                pengurai = _Tautan()
                pengurai.feed(teks)
                for url in pengurai.url:
                    self.tambah(url, dasar=k.url)
            if "json" in k.jenis:
                self._dari_json(json.loads(teks), k.url)
            for url in _URL_DALAM_TEKS.findall(html.unescape(teks)):
                self.tambah(url, dasar=k.url)

    def _dari_json(self, data, dasar: str) -> None:
        # Strings that are URLs, and what the map's script opens for each code it receives.
        if isinstance(data, dict):
            kode = data.get("kode")
            if isinstance(kode, str) and re.fullmatch(r"[A-Z0-9-]{5,24}", kode):
                self.tambah(reverse("peta:popup", args=[kode]), dasar=dasar)
                self.tambah(reverse("usulan:lacak", args=[kode]), dasar=dasar)
            for nilai in data.values():
                self._dari_json(nilai, dasar)
        elif isinstance(data, list):
            for nilai in data:
                self._dari_json(nilai, dasar)
        elif isinstance(data, str) and data.startswith(("/", "http")):
            self.tambah(data, dasar=dasar)

    def jalankan(self) -> dict[str, Kunjungan]:
        while self.antrean:
            url = self.antrean.popleft()
            respons = self.klien.get(url)
            isi = isi_respons(respons)
            k = Kunjungan(url, respons.status_code, respons.get("Content-Type", ""), isi_untuk_dipindai(respons, isi))
            self.kunjungan[url] = k
            assert k.status < 500, (url, k.status)
            self._ikuti(Kunjungan(url, k.status, k.jenis, isi), respons)
        return self.kunjungan


def benih_publik(d: Dunia) -> list[str]:
    """Every public URL pattern, with the world's codes, points and photos."""
    kode = [u.kode_lacak for u in [*d.semua(), d.desa_lain]]
    titik = d.diterima_terbit.lokasi
    kotak = peta_selectors.kotak_deployment()
    sekitar = (titik.x - 0.002, titik.y - 0.002, titik.x + 0.002, titik.y + 0.002)
    bbox = lambda k: ",".join(f"{v:.6f}" for v in k)  # noqa: E731
    desa, kec = d.diterima_terbit.desa_id, d.diterima_terbit.kecamatan_id
    benih = [
        "/",
        reverse("peta:peta"),
        reverse("peta:peta") + f"?z=16&lat={titik.y:.6f}&lon={titik.x:.6f}",
        reverse("peta:peta") + f"?kecamatan={kec}&desa={desa}",
        reverse("peta:peta") + "?status=diterima&status=ditolak",
        reverse("peta:peta") + f"?siklus={d.lama.siklus_id}",
        reverse("usulan:cari"),
        reverse("usulan:cari") + "?kode=" + d.draf.kode_lacak,
        reverse("dasbor:dasbor"),
        reverse("data:sipd"),  # Bappeda only: a 404 for the public
    ]
    for zoom in (peta_selectors.ZOOM_MIN, 8, 10, 12, peta_selectors.ZOOM_TITIK, 16, peta_selectors.ZOOM_MAKS):
        benih.append(reverse("peta:data") + f"?bbox={bbox(kotak)}&zoom={zoom}")
    for zoom in (peta_selectors.ZOOM_TITIK, 17, peta_selectors.ZOOM_MAKS):
        benih.append(reverse("peta:data") + f"?bbox={bbox(sekitar)}&zoom={zoom}")
    benih.append(reverse("peta:data") + f"?bbox={bbox(sekitar)}&zoom=17&status=diterima,lolos_kecamatan")
    benih.append(reverse("peta:data") + f"?bbox={bbox(kotak)}&zoom=10&desa={desa}")
    benih += [reverse("peta:batas", args=[tingkat]) for tingkat in peta_selectors.TINGKAT_BATAS]
    for k in kode:
        benih += [reverse("peta:popup", args=[k]), reverse("usulan:lacak", args=[k])]
        benih += [reverse("open311:request", kwargs={"kode": k, "format": f}) for f in ("json", "xml")]
    for u in [*d.semua(), d.desa_lain]:
        q = {"lat": f"{u.lokasi.y:.6f}", "lon": f"{u.lokasi.x:.6f}"}
        benih.append(reverse("usulan:serupa") + "?" + urlencode(q))
        benih.append(reverse("usulan:serupa") + "?" + urlencode({**q, "judul": u.judul}))
    for nama in ("csv", "geojson", "xlsx"):
        dasar = reverse(f"data:{nama}")
        benih += [dasar, f"{dasar}?siklus={d.lama.siklus_id}", f"{dasar}?status=diterima", f"{dasar}?desa={desa}"]
    for f in ("json", "xml"):
        benih += [
            reverse("open311:discovery", kwargs={"format": f}),
            reverse("open311:services", kwargs={"format": f}),
            reverse("open311:service", kwargs={"kode": "05.01", "format": f}),
        ]
        semua = reverse("open311:requests", kwargs={"format": f})
        benih += [
            semua,
            f"{semua}?status=open",
            f"{semua}?status=closed",
            f"{semua}?service_code=05.01",
            f"{semua}?service_request_id={','.join(kode)}",
            f"{semua}?bbox={bbox(sekitar)}",
            f"{semua}?page=1&page_size=2",
        ]
    for foto in d.foto():
        benih += [foto.url_web, foto.url_thumbnail]
    return benih


def test_jelajah_publik_tanpa_data_pribadi(dunia, capsys):
    klien = Client()  # an anonymous visitor
    penjelajah = Penjelajah(klien, host_situs={"testserver", urlsplit(settings.SITUS_URL).netloc})
    benih = benih_publik(dunia)
    penjelajah.tambah("/", benih=True)
    for url in benih:
        penjelajah.tambah(url, benih=True)
    kunjungan = penjelajah.jalankan()

    # The same public pages in English (the language switch sets this cookie).
    inggris = Client()
    inggris.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    dalam_inggris = {}
    for url in [u for u in benih if not u.startswith("/media/")]:
        respons = inggris.get(url)
        dalam_inggris[url] = Kunjungan(url, respons.status_code, "", isi_untuk_dipindai(respons, isi_respons(respons)))
        assert respons.status_code < 500, url

    # And once more as another resident, signed in (the pages a resident sees besides their own).
    warga_b = _klien(dunia.warga_b)
    sebagai_warga = {}
    for url in [u for u in benih if not u.startswith("/media/")]:
        respons = warga_b.get(url)
        sebagai_warga[url] = Kunjungan(url, respons.status_code, "", isi_untuk_dipindai(respons, isi_respons(respons)))

    bocor = {
        f"[{bahasa}] {url}": temuan
        for bahasa, daftar in (("id", kunjungan), ("en", dalam_inggris), ("warga B", sebagai_warga))
        for url, k in daftar.items()
        if (temuan := temukan_kanari(k.isi))
    }
    assert bocor == {}

    # The crawl did reach what matters: every seed, HTML pages found by links, and the places where a
    # leak would show (each code, the opted-in name, the published reasons, every public photo).
    assert set(benih) <= set(kunjungan)
    ditemukan = set(kunjungan) - set(benih) - {"/"}
    assert any(url.startswith(("/masuk/", "/daftar/")) for url in ditemukan), sorted(ditemukan)
    semua_teks = b"\n".join(k.isi for k in kunjungan.values()).decode("utf-8", "replace")
    for u in [*dunia.semua(), dunia.desa_lain]:
        assert u.kode_lacak in semua_teks
    for publik in (NAMA_TERBUKA, ALASAN_TERBIT, ALASAN_TOLAK_DESA):
        assert publik in semua_teks, publik
    for foto in dunia.foto():
        assert kunjungan[foto.url_web].status == 200 and kunjungan[foto.url_thumbnail].status == 200
    # The workbook was searched unpacked: its sheet XML holds the codes as text.
    assert dunia.draf.kode_lacak.encode() in kunjungan[reverse("data:xlsx")].isi
    with capsys.disabled():
        print(
            f"\n[jelajah] {len(kunjungan)} URLs crawled anonymously ({len(set(benih) | {'/'})} seeds, "
            f"{len(ditemukan)} more found by links); the seed pages again in English "
            f"({len(dalam_inggris)}) and as resident B ({len(sebagai_warga)})"
        )


def test_pemindai_mengenali_kanari(dunia, operator_desa):
    """The search does find the canaries where they legitimately are (the official's review page, the
    original photo), so an empty result above means something."""
    klien = Client()
    klien.force_login(operator_desa)
    tinjau = isi_respons(klien.get(reverse("verifikasi:tinjau", args=[dunia.dicatat.kode_lacak])))
    jenis = {t.split(":")[0] for t in temukan_kanari(tinjau)}
    assert {"nama_catat", "email_catat", "telepon_catat"} <= jenis
    asli = storages["privat"].open(dunia.dicatat.foto.get().asli).read()
    assert {"nama", "email", "telepon", "username", "seri_kamera"} <= {t.split(":")[0] for t in temukan_kanari(asli)}
    # Encoded forms are recognised too.
    for bentuk in ("nomor 0813 4455 6677", "sukarno%2Ekanaricatat%40contoh.test", "&#83;ukarno Kanaricatat"):
        assert temukan_kanari(bentuk.encode()), bentuk


def test_pencarian_publik_bukan_jalan_ke_data_pribadi(dunia):
    """Public searches look in titles and codes only: searching for a canary finds no proposal."""
    klien = Client()
    kotak = ",".join(f"{v:.6f}" for v in peta_selectors.kotak_deployment())
    for nilai in (NAMA, EMAIL, TELEPON, USERNAME, NAMA_CATAT, EMAIL_API, CATATAN_OPD, ALASAN_DRAF, OPD_DRAF):
        q = urlencode({"q": nilai})
        assert klien.get(reverse("peta:data") + f"?bbox={kotak}&zoom=16&{q}").json()["total"] == 0, nilai
        geojson = json.loads(isi_respons(klien.get(reverse("data:geojson") + f"?{q}")))
        assert geojson["features"] == [], nilai
        assert klien.get(reverse("usulan:cari"), {"kode": nilai}).status_code == 404, nilai
        halaman = klien.get(reverse("peta:peta") + f"?{q}").content.decode()
        assert not [u.kode_lacak for u in dunia.semua() if u.kode_lacak in halaman], nilai


# --- Photos ---------------------------------------------------------------------------------------
def _metadata_gambar(isi: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(isi))
    img.load()
    assert img.format == "JPEG"
    assert len(img.getexif()) == 0
    assert not img.getexif().get_ifd(gambar.TAG_GPS_IFD)
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "mp", "mpinfo"} & set(img.info)
    for penanda, isi_app in img.applist:  # only the JFIF header: no EXIF, XMP or colour profile
        assert (penanda, isi_app[:4]) == ("APP0", b"JFIF"), penanda
    return img


def test_salinan_foto_publik_tanpa_metadata(dunia):
    klien = Client()
    fotos = dunia.foto()
    assert len(fotos) >= 10
    for foto in fotos:
        asli = storages["privat"].open(foto.asli).read()
        for url in (foto.url_web, foto.url_thumbnail):
            respons = klien.get(url)
            assert respons.status_code == 200, url
            isi = isi_respons(respons)
            img = _metadata_gambar(isi)
            assert temukan_kanari(isi) == [], url
            assert isi != asli, url
            # The iPhone's Display P3 profile was applied to the pixels, not copied.
            assert "icc_profile" not in img.info, url
    # The real phone photos did carry camera metadata and GPS (now gone from the copies above).
    iphone = [f for f in fotos if f.merek_kamera.lower().startswith("apple")]
    assert iphone and all(f.lokasi_exif is not None for f in iphone)


def test_profil_warna_tanpa_teks_pengusul(siklus, desa):
    titik = desa.batas.point_on_surface
    img = Image.open(io.BytesIO(gambar.jpeg(lat=titik.y, lon=titik.x, penanda="icc")))
    keluaran = io.BytesIO()
    img.save(keluaran, "JPEG", quality=85, icc_profile=profil_icc_berkanari())
    warga = factories.buat_pengguna("warga_icc")
    u = usulan_buat(
        pengguna=warga, siklus=siklus, isi=_isi(titik, "Profil warna"), foto=[berkas("icc.jpg", keluaran.getvalue())]
    )
    foto = u.foto.get()
    klien = Client()
    for url in (foto.url_web, foto.url_thumbnail):
        isi = isi_respons(klien.get(url))
        _metadata_gambar(isi)
        assert temukan_kanari(isi) == [], url


# --- Private originals ----------------------------------------------------------------------------
def _klien(pengguna=None) -> Client:
    klien = Client()
    if pengguna is not None:
        klien.force_login(pengguna)
    return klien


def test_foto_asli_hanya_untuk_petugas_wilayahnya(dunia, operator_desa):
    orang = {
        "anonim": _klien(),
        "pengusul_lain": _klien(dunia.warga_b),
        **{nama: _klien(p) for nama, p in dunia.petugas_lain.items()},
    }
    petugas_desa = _klien(operator_desa)
    fotos = [f for f in dunia.foto() if f.usulan_id != dunia.desa_lain.pk]
    foto_lain = dunia.desa_lain.foto.get()
    for foto in fotos:
        asli = storages["privat"].open(foto.asli).read()
        url = reverse("verifikasi:foto_asli", args=[foto.usulan.kode_lacak, foto.pk])
        for nama, klien in orang.items():
            respons = klien.get(url)
            assert respons.status_code in (302, 404), (nama, url, respons.status_code)
            assert asli not in isi_respons(respons), (nama, url)
        # The area's desa operator gets the untouched original (with its metadata: it is evidence).
        respons = petugas_desa.get(url)
        assert respons.status_code == 200 and isi_respons(respons) == asli, url
        assert "no-store" in respons["Cache-Control"]
        # A photo id under another proposal's code is never served: not the other area's own code ...
        klien = orang["desa_lain"]
        assert klien.get(reverse("verifikasi:foto_asli", args=[dunia.desa_lain.kode_lacak, foto.pk])).status_code == 404
    # ... nor the desa operator's codes for the other area's photo.
    url = reverse("verifikasi:foto_asli", args=[dunia.diterima_terbit.kode_lacak, foto_lain.pk])
    assert petugas_desa.get(url).status_code == 404
    # The other area's operator does open their own area's original (the check is by area, not by role).
    url = reverse("verifikasi:foto_asli", args=[dunia.desa_lain.kode_lacak, foto_lain.pk])
    assert orang["desa_lain"].get(url).status_code == 200


def test_foto_asli_tidak_bisa_ditebak_jalurnya(dunia):
    akar = Path(settings.MEDIA_ROOT)
    orang = [_klien(), _klien(dunia.warga_b), _klien(dunia.petugas_lain["desa_lain"])]
    for foto in [dunia.diterima_terbit.foto.first(), dunia.dicatat.foto.get()]:
        asli = storages["privat"].open(foto.asli).read()
        jalur = foto.asli  # e.g. usulan/2027/<hex>.jpg, under MEDIA_ROOT/privat
        folder, nama = jalur.rsplit("/", 1)
        tebakan = [
            f"/media/privat/{jalur}",
            f"/media/{jalur}",
            f"/media/publik/{jalur}",
            f"/media/publik/{folder}/{nama.rsplit('.', 1)[0]}.jpg",
            f"/media/publik/../privat/{jalur}",
            f"/media/publik/%2e%2e/privat/{jalur}",
            f"/media/publik/..%2fprivat%2f{jalur}",
            f"/media/publik/%252e%252e/privat/{jalur}",
            f"/media/publik/....//privat/{jalur}",
            f"/media/publik/..\\privat\\{jalur}",
            f"/media/publik/usulan/../../privat/{jalur}",
            f"/media/publik/{folder}/../../../privat/{jalur}",
            f"/media/publik/{akar}/privat/{jalur}",
            f"/media/publik//{akar}/privat/{jalur}",
            f"/media/publik/%2F{str(akar).lstrip('/')}/privat/{jalur}",
            f"/media/publik/file:{akar}/privat/{jalur}",
            f"/privat/{jalur}",
            f"/{jalur}",
            f"/static/../media/privat/{jalur}",
            "/media/publik/",
            f"/media/publik/{folder}/",
            "/media/privat/",
            f"/media/publik/{jalur}%00.jpg",
            f"/media/publik/%00/../privat/{jalur}",
        ]
        for klien in orang:
            for url in tebakan:
                respons = klien.get(url)
                isi = isi_respons(respons)
                assert respons.status_code in (301, 302, 400, 403, 404), (url, respons.status_code)
                assert asli not in isi and temukan_kanari(isi) == [], url
                assert nama not in isi.decode("utf-8", "replace"), url  # no directory listing either
