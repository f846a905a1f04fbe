"""Issue 9 point 1: every answer under /open311/v2/ is the spec's, whatever went wrong.

The cases independent testers broke with real GeoReport v2 clients: dates at the calendar's ends
(a 500 page), bodies Django refuses to parse (its HTML 400 page), methods a resource does not offer
(the CSRF page) and unknown paths or formats (Django's HTML 404). Each must be a list of
{code, description} in JSON, or <errors> in XML, with the matching HTTP status.
"""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from tests import factories
from tests.serang.fuzz import panggil_wsgi

SEMUA_URL = [
    "/open311/v2/discovery.{f}",
    "/open311/v2/services.{f}",
    "/open311/v2/services/05.01.{f}",
    "/open311/v2/requests.{f}",
    "/open311/v2/requests/2102-2027-00001.{f}",
]


def galat(respons) -> list[tuple[int, str]]:
    """The spec's error list as (code, description) pairs; anything else fails the test."""
    jenis = respons["Content-Type"]
    if jenis.startswith("application/json"):
        data = json.loads(respons.content)
        assert isinstance(data, list) and data and all(set(e) == {"code", "description"} for e in data), data
        return [(e["code"], e["description"]) for e in data]
    assert jenis.startswith("text/xml"), jenis
    akar = ET.fromstring(respons.content)  # noqa: S314 - our own output
    assert akar.tag == "errors" and len(akar), respons.content
    assert all([c.tag for c in e] == ["code", "description"] for e in akar)
    return [(int(e.findtext("code")), e.findtext("description")) for e in akar]


def periksa(respons, status: int, format: str = "json") -> str:
    assert respons.status_code == status, (respons.status_code, respons.content[:300])
    assert respons["Content-Type"].startswith("application/json" if format == "json" else "text/xml")
    daftar = galat(respons)
    assert all(kode == status and len(teks) > 10 for kode, teks in daftar), daftar
    return " ".join(teks for _, teks in daftar)


@pytest.fixture
def kunci(db) -> str:
    factories.buat_pengguna("aplikasi_uji")
    keluaran = io.StringIO()
    call_command("buat_kunci_api", "Aplikasi Uji", "--pengguna", "aplikasi_uji", stdout=keluaran)
    return keluaran.getvalue().splitlines()[1]


@pytest.mark.parametrize("format", ["json", "xml"])
@pytest.mark.parametrize(
    "param",
    [
        {"start_date": "9999-12-31"},
        {"end_date": "0001-01-01"},
        {"start_date": "9999-12-31T23:59:59+14:00"},
        {"end_date": "0001-01-01T00:00:00-12:00"},
        {"start_date": "0001-01-01", "end_date": "0001-01-02"},
        {"start_date": "9999-12-30", "end_date": "9999-12-31"},
    ],
)
def test_tanggal_di_ujung_kalender_bukan_500(client, siklus, format, param):
    respons = client.get(f"/open311/v2/requests.{format}", param)
    assert respons.status_code == 200, respons.content[:300]
    if format == "json":
        assert respons.json() == []
    else:
        assert ET.fromstring(respons.content).tag == "service_requests"  # noqa: S314


def _multipart(bagian: list[tuple[str, bytes]], batas: str = "batasuji") -> tuple[bytes, str]:
    isi = b"".join(
        f'--{batas}\r\nContent-Disposition: form-data; name="{nama}"\r\n\r\n'.encode() + nilai + b"\r\n"
        for nama, nilai in bagian
    )
    return isi + f"--{batas}--\r\n".encode(), f"multipart/form-data; boundary={batas}"


@pytest.mark.parametrize("format", ["json", "xml"])
def test_isi_terlalu_besar_413(client, kunci, format):
    url = f"/open311/v2/requests.{format}"
    sepuluh_mb = b"x" * (10 * 1024 * 1024)
    urlencoded = b"api_key=" + kunci.encode() + b"&description=" + sepuluh_mb
    pesan = periksa(client.generic("POST", url, urlencoded, "application/x-www-form-urlencoded"), 413, format)
    assert "terlalu besar" in pesan
    isi, jenis = _multipart([("api_key", kunci.encode()), ("description", sepuluh_mb)])
    periksa(client.generic("POST", url, isi, jenis), 413, format)
    banyak = "&".join(f"attribute[a{i}]=1" for i in range(1200)).encode()
    periksa(client.generic("POST", url, banyak, "application/x-www-form-urlencoded"), 413, format)
    isi, jenis = _multipart([(f"a{i}", b"1") for i in range(1200)])
    periksa(client.generic("POST", url, isi, jenis), 413, format)
    # The query string too.
    periksa(client.get(url + "?" + "&".join(f"a{i}=1" for i in range(1200))), 413, format)


@pytest.mark.parametrize("format", ["json", "xml"])
def test_isi_rusak_400(client, kunci, format):
    url = f"/open311/v2/requests.{format}"
    pesan = periksa(client.generic("POST", url, b"api_key=x", "multipart/form-data"), 400, format)  # no boundary
    assert "tidak dapat dibaca" in pesan
    periksa(client.generic("POST", url, b"--\xc3\xbc\r\n", "multipart/form-data; boundary=\u00fc"), 400, format)
    periksa(client.generic("POST", url, b"--x\r\n", "multipart/form-data; boundary=" + "x" * 300), 400, format)


@pytest.mark.parametrize("format", ["json", "xml"])
def test_metode_lain_405_tanpa_halaman_csrf(db, format):
    client = Client(enforce_csrf_checks=True)  # as a real client: no CSRF token, ever
    for url in SEMUA_URL:
        url = url.format(f=format)
        for metode in ("PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"):
            respons = client.generic(metode, url)
            assert f"Metode {metode} tidak didukung" in periksa(respons, 405, format), url
            assert respons["Allow"] in ("GET", "GET, POST")
        if "/requests." not in url:
            respons = client.post(url, {"a": "b"})
            periksa(respons, 405, format)
            assert respons["Allow"] == "GET"


@pytest.mark.parametrize(
    ("jalur", "format"),
    [
        ("requests.csv", "json"),
        ("requests/%00.json", "json"),
        ("requests/%00.xml", "xml"),
        ("requests/%0a.json", "json"),
        ("services/05.01.csv", "json"),
        ("", "json"),
        ("discovery", "json"),
        ("tidak/ada/sama/sekali.xml", "xml"),
        ("requests.json/", "json"),
        ("REQUESTS.JSON", "json"),
    ],
)
def test_jalur_tidak_dikenal_404(db, jalur, format):
    client = Client(enforce_csrf_checks=True)
    for metode in ("GET", "POST", "DELETE"):
        pesan = periksa(client.generic(metode, "/open311/v2/" + jalur), 404, format)
        assert "services.json" in pesan


def test_batas_baca_429_dalam_format_spesifikasi(client, db, settings):
    settings.BATAS_OPEN311_BACA_PER_MENIT_IP = 1
    assert client.get("/open311/v2/services.xml").status_code == 200
    respons = client.get("/open311/v2/services.xml")
    periksa(respons, 429, "xml")
    assert int(respons["Retry-After"]) >= 1


@pytest.mark.parametrize("format", ["json", "xml"])
@pytest.mark.parametrize(
    ("metode", "jalur", "jenis", "isi"),
    [
        ("POST", "requests", "application/x-www-form-urlencoded; charset=rot13", b"api_key=x&description=y"),
        ("POST", "requests", "multipart/form-data; boundary=batasuji; charset=base64", None),
        ("POST", "requests", "application/x-www-form-urlencoded; charset=utf-16", b"api_key=x"),
        ("POST", "requests", "application/x-www-form-urlencoded; charset=tidak-ada", b"api_key=x"),
        ("GET", "discovery", "text/plain; charset=rot13", b""),
        ("GET", "services", "text/plain; charset=base64", b""),
    ],
)
def test_charset_pilihan_klien_400_bukan_500(db, format, metode, jalur, jenis, isi):
    """A client names the charset: Django looks it up as a codec, and rot13 or base64 are codecs that
    cannot decode text (LookupError), utf-16 of ASCII bytes is a UnicodeDecodeError. Each is bad input."""
    if isi is None:
        isi, _ = _multipart([("api_key", b"x"), ("description", b"y")])
    # Through the real WSGI entry point: Django fails on this charset while building the request,
    # before the test Client's handler would run anything of ours.
    respons = panggil_wsgi(metode, f"/open311/v2/{jalur}.{format}", isi, jenis, "a=%C3%BC")
    assert "tidak dapat dibaca" in periksa(respons, 400, format)


@pytest.mark.parametrize("format", ["json", "xml"])
def test_foto_terlalu_besar_413(client, kunci, siklus, settings, format):
    settings.FOTO_UKURAN_MAKS = 2 * 1024 * 1024
    foto = SimpleUploadedFile("besar.jpg", b"\xff\xd8" + b"\x00" * (3 * 1024 * 1024), content_type="image/jpeg")
    respons = client.post(
        f"/open311/v2/requests.{format}",
        {"api_key": kunci, "service_code": "05.01", "lat": "0.8", "long": "103.4", "media": foto},
    )
    assert "Foto terlalu besar: paling banyak 2 MB per foto." in periksa(respons, 413, format)
