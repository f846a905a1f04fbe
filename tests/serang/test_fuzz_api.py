"""Property-based tests of the machine interfaces (issue 6, point 8): Open311, the map data, the open data.

Any query or POST gives an answer in the interface's own format (JSON/XML errors with a readable description,
a JSON error for the map), never a 500; a refused Open311 submission leaves no row and no file.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from data_terbuka.models import KunciAPI
from tests.serang.fuzz import (
    KOORDINAT,
    TEKS,
    angka_teks,
    aturan,
    berkas_usulan,
    jpeg_kecil,
    pesan_terbaca,
    teks_panjang,
    terisolasi,
)
from usulan.models import Usulan

FOTO = jpeg_kecil()
KUNCI = "uji-serang-kunci-api-0123456789abcdef"

TANGGAL = st.one_of(
    st.datetimes().map(lambda w: w.isoformat()),
    st.sampled_from(["2026-01-31T00:00:00Z", "2026-01-31", "2026-02-30", "9999-12-31T23:59:59+14:00", "0000-00-00"]),
    st.sampled_from(["2026-01-31T00:00:00 07:00", "2026-01-31T25:61:61Z", "1e9", "\x00", "-1"]),
    TEKS,
)
BBOX = st.one_of(
    st.lists(KOORDINAT, min_size=0, max_size=5).map(",".join),
    st.sampled_from(["-180,-90,180,90", "180,-90,-180,90", "103.3,0.8,103.6,1.1", "nan,nan,nan,nan", ",,,", ""]),
    TEKS,
)
DAFTAR = st.one_of(
    st.lists(st.one_of(TEKS, st.sampled_from(["open", "closed", "05.01", "2102-2025-00001"]))).map(",".join)
)


@pytest.fixture
def kunci_api(warga, settings) -> str:
    settings.BATAS_API_PER_JAM_KUNCI = 10**6
    KunciAPI.objects.create(nama="Uji serang", awalan=KUNCI[:8], hash_kunci=KunciAPI.hash(KUNCI), pengguna=warga)
    return KUNCI


def _uraikan(jawab, format: str):
    """The body as data: JSON, or the XML tree; failing to parse is a failure of the test."""
    isi = jawab.content
    return json.loads(isi) if format == "json" else ET.fromstring(isi)  # noqa: S314 - our own output


def _periksa_galat_open311(jawab, format: str) -> None:
    """An Open311 error: a list of {code, description} whose description a person can read."""
    data = _uraikan(jawab, format)
    if format == "json":
        assert isinstance(data, list) and data
        pesan = [(e["code"], e["description"]) for e in data]
    else:
        assert data.tag == "errors" and len(data)
        pesan = [(int(e.findtext("code")), e.findtext("description")) for e in data]
    for kode, deskripsi in pesan:
        assert kode == jawab.status_code
        assert pesan_terbaca(deskripsi), deskripsi


@aturan(80)
@given(
    format=st.sampled_from(["json", "xml"]),
    param=st.fixed_dictionaries(
        {},
        optional={
            "service_request_id": DAFTAR,
            "service_code": DAFTAR,
            "status": DAFTAR,
            "start_date": TANGGAL,
            "end_date": TANGGAL,
            "bbox": BBOX,
            "page": angka_teks(),
            "page_size": angka_teks(),
            "max_requests": angka_teks(),
            "jurisdiction_id": st.one_of(st.sampled_from(["21.02", "contoh.invalid"]), TEKS),
        },
    ),
)
def test_open311_daftar_permintaan_sembarang(db, siklus, format, param):
    with terisolasi():
        jawab = Client().get(f"/open311/v2/requests.{format}", param)
        assert jawab.status_code in (200, 400, 404), jawab.status_code
        if jawab.status_code == 200:
            data = _uraikan(jawab, format)
            assert isinstance(data, list) if format == "json" else data.tag == "service_requests"
        else:
            _periksa_galat_open311(jawab, format)


@aturan(60)
@given(
    kode=st.one_of(TEKS, st.sampled_from(["05.01", "2102-2025-00001", "..", "\x00"])),
    format=st.sampled_from(["json", "xml"]),
)
def test_open311_satu_layanan_dan_permintaan_sembarang(db, siklus, kode, format):
    k = quote(kode, safe="")
    with terisolasi():
        for url in (f"/open311/v2/services/{k}.{format}", f"/open311/v2/requests/{k}.{format}"):
            jawab = Client().get(url)
            assert jawab.status_code in (200, 404), (url, jawab.status_code)
            if jawab.status_code == 404:
                # Also where the code does not fit the URL pattern: the spec's 404, never Django's page.
                _periksa_galat_open311(jawab, format)


@aturan(80)
@given(
    format=st.sampled_from(["json", "xml"]),
    isian=st.fixed_dictionaries(
        {
            "service_code": st.one_of(st.just("05.01"), TEKS),
            "lat": st.one_of(st.just("1.0"), KOORDINAT),
            "long": st.one_of(st.just("103.4"), KOORDINAT),
        },
        optional={
            "description": teks_panjang(4000),
            "address_string": teks_panjang(200),
            "first_name": teks_panjang(70),
            "last_name": teks_panjang(70),
            "email": teks_panjang(60),
            "phone": teks_panjang(30),
            "attribute[judul]": teks_panjang(150),
            "attribute[permasalahan]": teks_panjang(2000),
            "attribute[kamus]": angka_teks(),
            "attribute[volume]": angka_teks(),
            "attribute[satuan]": teks_panjang(30),
            "media_url": TEKS,
            "jurisdiction_id": st.one_of(st.just("21.02"), TEKS),
        },
    ),
    dengan_foto=st.booleans(),
)
def test_open311_kirim_permintaan_sembarang(kunci_api, siklus, titik_moro, format, isian, dengan_foto):
    data = {"api_key": kunci_api, **isian}
    if dengan_foto:
        data["media"] = SimpleUploadedFile("foto.jpg", FOTO, "image/jpeg")
    with terisolasi() as diharapkan:
        jumlah = Usulan.objects.count()
        jawab = Client().post(f"/open311/v2/requests.{format}", data)
        assert jawab.status_code in (201, 400, 403, 404), jawab.status_code
        if jawab.status_code == 201:
            assert Usulan.objects.count() == jumlah + 1
            diharapkan |= berkas_usulan(Usulan.objects.order_by("-pk").first())
        else:
            _periksa_galat_open311(jawab, format)
            assert Usulan.objects.count() == jumlah


def test_open311_kirim_dengan_koordinat_sah_tersimpan(kunci_api, siklus, titik_moro):
    """The fuzzing above must be able to succeed: the same request with sane values is stored."""
    data = {
        "api_key": kunci_api,
        "service_code": "05.01",
        "lat": f"{titik_moro.y:.6f}",
        "long": f"{titik_moro.x:.6f}",
        "description": "Saluran tersumbat di depan masjid.",
        "media": SimpleUploadedFile("foto.jpg", FOTO, "image/jpeg"),
    }
    jawab = Client().post("/open311/v2/requests.json", data)
    assert jawab.status_code == 201, jawab.content
    assert Usulan.objects.filter(kode_lacak=jawab.json()[0]["service_request_id"]).exists()


SARINGAN = st.fixed_dictionaries(
    {},
    optional={
        "siklus": angka_teks(),
        "status": DAFTAR,
        "bidang": angka_teks(),
        "kecamatan": angka_teks(),
        "desa": angka_teks(),
        "q": teks_panjang(100),
    },
)


@aturan(100)
@given(saringan=SARINGAN, bbox=st.one_of(st.none(), BBOX), zoom=st.one_of(st.none(), angka_teks()))
def test_data_peta_sembarang(db, siklus, saringan, bbox, zoom):
    param = {**saringan, **({"bbox": bbox} if bbox is not None else {}), **({"zoom": zoom} if zoom is not None else {})}
    with terisolasi():
        jawab = Client().get("/peta/data/", param)
        assert jawab.status_code in (200, 400), jawab.status_code
        data = json.loads(b"".join(jawab) if jawab.streaming else jawab.content)
        if jawab.status_code == 400:
            assert list(data) == ["galat"] and pesan_terbaca(data["galat"]), data


@aturan(40)
@given(kode=st.one_of(TEKS.filter(lambda t: t and "/" not in t), st.sampled_from(["\x00", "2102-2025-00001"])))
def test_popup_peta_kode_sembarang(db, siklus, kode):
    with terisolasi():
        jawab = Client().get(f"/peta/usulan/{quote(kode, safe='')}/")
        assert jawab.status_code == 404, jawab.status_code


@aturan(50)
@given(saringan=SARINGAN, jenis=st.sampled_from(["usulan.csv", "usulan.geojson", "usulan.xlsx"]))
def test_unduhan_data_terbuka_sembarang(db, siklus, saringan, jenis):
    """The public downloads (sipd.xlsx is for officials and answers 404 to the public by design)."""
    with terisolasi():
        jawab = Client().get(f"/data/{jenis}", saringan)
        assert jawab.status_code in (200, 400), jawab.status_code
        isi = b"".join(jawab.streaming_content) if jawab.streaming else jawab.content  # the stream must not break
        if jenis.endswith(".geojson") and jawab.status_code == 200:
            assert json.loads(isi)["type"] == "FeatureCollection"
