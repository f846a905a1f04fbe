"""Property-based tests with exact oracles (issue 6, point 8), completing tests/serang/: numbers at the edges of
the world (poles, antimeridian, Web Mercator's limit, NaN, infinities, 1e308, subnormals) in the map's bbox
and zoom, in Open311's bbox and in Open311 submissions; repeated and oddly named query parameters and odd
headers on every public read API, with the per-address limits switched on. Never a 500; an answer is right
(inside the box, at the point given) or a clear message in the interface's own format.

Examples are kept few (the suite runs in minutes) and derandomized; see tests/serang/fuzz.py.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from data_terbuka.models import KunciAPI
from musrenbang.models import Wilayah
from peta.selectors import BATAS_LINTANG, ZOOM_MAKS, ZOOM_MIN
from tests.peta.bantu import baris_usulan
from tests.serang.fuzz import (
    HURUF,
    SEKITAR_KARIMUN,
    TEKS,
    angka_teks,
    aturan,
    berkas_usulan,
    jpeg_kecil,
    pesan_terbaca,
    terisolasi,
)
from usulan.models import Usulan

FOTO = jpeg_kecil()
KUNCI = "uji-tepi-dunia-kunci-api-0123456789abcdef"

# Values at and just past every edge a longitude or latitude has, plus the floats that break naive code.
TEPI = [
    0.0,
    -0.0,
    90.0,
    -90.0,
    180.0,
    -180.0,
    math.nextafter(180.0, math.inf),
    math.nextafter(-180.0, -math.inf),
    math.nextafter(90.0, math.inf),
    math.nextafter(-90.0, -math.inf),
    179.9999999,
    -179.9999999,
    BATAS_LINTANG,
    -BATAS_LINTANG,
    85.05112878,
    360.0,
    -540.0,
    1e308,
    -1e308,
    5e-324,
    math.inf,
    -math.inf,
    math.nan,
]
ANGKA = st.one_of(st.sampled_from(TEPI), st.floats(-200, 200), st.floats(allow_nan=True, allow_infinity=True))
# How a client may spell the number: Python's repr, fixed point (1e308 has 309 digits), exponent.
EJAAN = st.sampled_from(["{!r}", "{:.6f}", "{:e}", "{:.17g}"])


def _eja(nilai: float, ejaan: str) -> str:
    return ejaan.format(nilai)


@pytest.fixture
def batas_nyala(settings):
    """The per-address read limits on, but far above what the examples do: the count itself runs too."""
    settings.BATAS_PETA_DATA_PER_MENIT_IP = settings.BATAS_OPEN311_BACA_PER_MENIT_IP = 10**6
    settings.BATAS_EKSPOR_PER_JAM_IP = 10**6


@aturan(120)
@given(
    angka=st.tuples(ANGKA, ANGKA, ANGKA, ANGKA), ejaan=EJAAN, zoom=st.integers(-(10**20), 10**20) | st.integers(0, 25)
)
def test_bbox_dan_zoom_peta_di_tepi_dunia(db, siklus, batas_nyala, angka, ejaan, zoom):
    teks = [_eja(v, ejaan) for v in angka]
    minlon, minlat, maxlon, maxlat = (float(t) for t in teks)  # what the server reads
    with terisolasi():
        jawab = Client().get("/peta/data/", {"bbox": ",".join(teks), "zoom": str(zoom)})
        data = json.loads(b"".join(jawab) if jawab.streaming else jawab.content)
    event(f"HTTP {jawab.status_code}")  # --hypothesis-show-statistics: both outcomes are reached
    hingga = all(math.isfinite(v) for v in (minlon, minlat, maxlon, maxlat))
    urut = minlon <= maxlon and minlat <= maxlat
    # A map panned past the antimeridian or the poles is clamped to the one world (peta.selectors).
    dalam_dunia = max(-180.0, minlon) <= min(180.0 - 1e-9, maxlon) and max(-BATAS_LINTANG, minlat) <= min(
        BATAS_LINTANG, maxlat
    )
    if not (hingga and urut and dalam_dunia):
        assert jawab.status_code == 400, (teks, data)
        assert list(data) == ["galat"] and pesan_terbaca(data["galat"]) and "bbox" in data["galat"], data
        return
    assert jawab.status_code == 200, (teks, zoom, data)
    assert data["zoom"] == max(ZOOM_MIN, min(ZOOM_MAKS, zoom))
    bx0, by0, bx1, by1 = data["bbox"]
    # The box counted: inside the one world, and over the part of the request that is on the map.
    assert -180 <= bx0 < bx1 <= 180 and -85.06 <= by0 < by1 <= 85.06, data["bbox"]
    assert bx0 <= min(maxlon, 180) + 1e-6 and bx1 >= max(minlon, -180) - 1e-6, (teks, data["bbox"])
    assert by0 <= min(maxlat, 85.06) + 1e-6 and by1 >= max(minlat, -85.06) - 1e-6, (teks, data["bbox"])
    assert data["total"] >= 0 and isinstance(data["fitur"], list)


@pytest.fixture
def usulan_tersebar(siklus, desa):
    """Published proposals at a few points (the Open311 bbox must return exactly those inside it)."""
    tengah = desa.batas.point_on_surface
    for dx, dy in ((0, 0), (0.02, 0.01), (-0.03, 0.02), (0.05, -0.04)):
        baris_usulan(siklus, desa, Point(tengah.x + dx, tengah.y + dy, srid=4326), status="diterima")
    return tengah


@aturan(80)
@given(
    angka=st.tuples(ANGKA, ANGKA, ANGKA, ANGKA)
    | st.tuples(st.floats(103.2, 103.7), st.floats(0.7, 1.2)).map(
        lambda t: (t[0] - 0.05, t[1] - 0.05, t[0] + 0.05, t[1] + 0.05)
    ),
    ejaan=EJAAN,
    format=st.sampled_from(["json", "xml"]),
)
def test_bbox_open311_di_tepi_dunia(batas_nyala, usulan_tersebar, angka, ejaan, format):
    teks = [_eja(v, ejaan) for v in angka]
    minlon, minlat, maxlon, maxlat = (float(t) for t in teks)
    with terisolasi():
        jawab = Client().get(f"/open311/v2/requests.{format}", {"bbox": ",".join(teks)})
    event(f"HTTP {jawab.status_code}")
    sah = -180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90  # NaN compares false: refused
    if format == "json":
        data = json.loads(jawab.content)
        titik = [(r["long"], r["lat"]) for r in data] if jawab.status_code == 200 else []
        galat = [e["description"] for e in data] if jawab.status_code != 200 else []
    else:
        akar = ET.fromstring(jawab.content)  # noqa: S314 - our own output
        galat = [e.findtext("description") for e in akar] if akar.tag == "errors" else []
        titik = [] if galat else [(float(r.findtext("long")), float(r.findtext("lat"))) for r in akar]
    if not sah:
        assert jawab.status_code == 400, (teks, jawab.content)
        assert galat and all(pesan_terbaca(p) and "bbox" in p for p in galat), galat
        return
    assert jawab.status_code == 200, (teks, jawab.content)
    # Every request answered lies in the box (coordinates are rounded to 7 decimals in the output).
    for lon, lat in titik:
        assert minlon - 1e-7 <= lon <= maxlon + 1e-7 and minlat - 1e-7 <= lat <= maxlat + 1e-7, (teks, lon, lat)


@pytest.fixture
def kunci_api(warga, settings) -> str:
    settings.BATAS_API_PER_JAM_KUNCI = 10**6
    KunciAPI.objects.create(nama="Uji tepi", awalan=KUNCI[:8], hash_kunci=KunciAPI.hash(KUNCI), pengguna=warga)
    return KUNCI


PESAN_LOKASI = ("Koordinat", "Lintang", "Bujur", "Lokasi", "wilayah")


@pytest.fixture
def titik_darat(karimun) -> list[tuple[float, float]]:
    """A point inside every desa/kelurahan of the kabupaten (lat, lon), so that acceptance is reached too."""
    desa = Wilayah.objects.filter(tingkat="desa_kelurahan", induk__induk=karimun)
    return [(d.batas.point_on_surface.y, d.batas.point_on_surface.x) for d in desa]


@aturan(36)
@given(
    asal=st.sampled_from(["tepi", "sekitar", "darat", "antimeridian"]),
    ejaan=EJAAN,
    format=st.sampled_from(["json", "xml"]),
    data=st.data(),
)
def test_open311_kirim_koordinat_tepi_dunia(kunci_api, siklus, titik_darat, asal, ejaan, format, data):
    """Accepted only as a point of the kabupaten, stored exactly as sent; else 400 naming the location."""
    titik = data.draw(
        {
            "tepi": st.tuples(st.sampled_from(TEPI), st.sampled_from(TEPI)),
            "sekitar": SEKITAR_KARIMUN,
            "darat": st.sampled_from(titik_darat),
            # Karimun's latitudes on the antimeridian and at the edges of the world's longitudes.
            "antimeridian": st.tuples(st.floats(0.3, 1.3), st.sampled_from([180.0, -180.0, 179.9999999, -540.0])),
        }[asal]
    )
    lat, lon = (_eja(v, ejaan) for v in titik)
    isian = {
        "api_key": kunci_api,
        "service_code": "05.01",
        "lat": lat,
        "long": lon,
        "description": "Saluran tersumbat.",
        "media": SimpleUploadedFile("foto.jpg", FOTO, "image/jpeg"),
    }
    with terisolasi() as diharapkan:
        jumlah = Usulan.objects.count()
        jawab = Client().post(f"/open311/v2/requests.{format}", isian)
        event(f"{asal} HTTP {jawab.status_code}")
        assert jawab.status_code in (201, 400), (lat, lon, jawab.status_code, jawab.content)
        if jawab.status_code == 201:
            usulan = Usulan.objects.order_by("-pk").first()
            diharapkan |= berkas_usulan(usulan)
            assert (usulan.lokasi.y, usulan.lokasi.x) == (float(lat), float(lon))
            assert usulan.desa.kode.startswith("21.02.")
            return
        assert Usulan.objects.count() == jumlah
        if format == "json":
            pesan = [e["description"] for e in json.loads(jawab.content)]
        else:
            pesan = [e.findtext("description") for e in ET.fromstring(jawab.content)]  # noqa: S314
        assert pesan and all(pesan_terbaca(p) for p in pesan), pesan
        assert any(k in p for p in pesan for k in PESAN_LOKASI), pesan


NAMA_PARAM = st.one_of(
    st.sampled_from(
        [
            *("bbox", "zoom", "siklus", "status", "bidang", "kecamatan", "desa", "q", "page", "page_size"),
            *("max_requests", "service_code", "service_request_id", "start_date", "end_date", "jurisdiction_id"),
            *("format", "api_key"),
        ]
    ),
    st.text(alphabet=HURUF, min_size=1, max_size=20),
)
# Repeated names (Django reads the last, getlist reads all), Unicode and controls in names and values.
PASANGAN = st.lists(st.tuples(NAMA_PARAM, st.one_of(angka_teks(), TEKS)), max_size=8)
KEPALA = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_IF_NONE_MATCH": st.one_of(st.just("*"), st.just('W/"x", "y"'), TEKS),
        "HTTP_IF_MODIFIED_SINCE": st.one_of(st.just("Sat, 29 Feb 2025 00:00:00 GMT"), TEKS),
        "HTTP_ACCEPT_ENCODING": st.one_of(st.just("gzip;q=0, br"), TEKS),
        "HTTP_ACCEPT_LANGUAGE": st.one_of(st.just("en-US,id;q=0.5"), st.just("*;q=-1"), TEKS),
        "HTTP_X_FORWARDED_FOR": st.one_of(st.just("::1, 2001:db8::1, 300.1.1.1"), TEKS),
        "REMOTE_ADDR": st.one_of(st.sampled_from(["", "::ffff:1.2.3.4", "fe80::1%eth0", "1.2.3.4:80"]), TEKS),
    },
)
BACA = [
    ("/peta/data/", "galat"),
    ("/data/usulan.csv", "unduhan"),
    ("/data/usulan.geojson", "unduhan"),
    ("/data/usulan.xlsx", "unduhan"),
    ("/open311/v2/requests.json", "json"),
    ("/open311/v2/requests.xml", "xml"),
    ("/open311/v2/services.xml", "xml"),
]


@aturan(80)
@given(
    sasaran=st.sampled_from(BACA),
    pasangan=PASANGAN,
    kepala=KEPALA,
    proxy=st.sampled_from([0, 1, 3]),
)
def test_parameter_berulang_dan_kepala_aneh_di_api_baca(
    db, siklus, settings, batas_nyala, sasaran, pasangan, kepala, proxy
):
    """Also the rate limiter's address parsing: any REMOTE_ADDR and X-Forwarded-For, behind 0-3 proxies."""
    settings.JUMLAH_PROXY_TEPERCAYA = proxy
    url, jenis = sasaran
    with terisolasi():
        jawab = Client().get(f"{url}?{urlencode(pasangan)}", **kepala)
        isi = b"".join(jawab.streaming_content) if jawab.streaming else jawab.content
    event(f"{url} HTTP {jawab.status_code}")
    assert jawab.status_code in (200, 304, 400, 404), (url, pasangan, kepala, jawab.status_code)
    if jawab.status_code in (200, 304):
        return
    if jenis == "galat":
        data = json.loads(isi)
        assert list(data) == ["galat"] and pesan_terbaca(data["galat"]), data
    elif jenis == "unduhan":
        raise AssertionError(f"unduhan menolak {pasangan}: {isi[:200]!r}")  # filters never refuse, they narrow
    else:
        daftar = json.loads(isi) if jenis == "json" else ET.fromstring(isi)  # noqa: S314 - our own output
        pesan = [e["description"] for e in daftar] if jenis == "json" else [e.findtext("description") for e in daftar]
        assert pesan and all(pesan_terbaca(p) for p in pesan), pesan


@aturan(25)
@given(tingkat=st.one_of(st.sampled_from(["kabkota", "kecamatan", "desa", "KABKOTA", "desa/", ".."]), TEKS))
def test_garis_batas_tingkat_sembarang(db, tingkat):
    with terisolasi():
        jawab = Client().get(f"/peta/batas/{quote(tingkat, safe='')}/")
    assert jawab.status_code in (200, 404), (tingkat, jawab.status_code)
    if jawab.status_code == 200:
        assert json.loads(jawab.content)["type"] == "FeatureCollection"
