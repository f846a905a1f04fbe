"""The map's outline layers: /peta/batas/<kabkota|kecamatan|desa>/ serves the deployment's real
boundaries (Karimun: 1 kabupaten, 14 kecamatan, 71 desa/kelurahan) as small GeoJSON with exactly
`kode` and `nama`, and the map page shows them as three layers a person can switch off."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry
from playwright.sync_api import Browser, Page, expect

from musrenbang.models import Tingkat, Wilayah

KABKOTA = "21.02"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tingkat", "jumlah", "tingkat_model"),
    [
        ("kabkota", 1, Tingkat.KABUPATEN_KOTA),
        ("kecamatan", 14, Tingkat.KECAMATAN),
        ("desa", 71, Tingkat.DESA_KELURAHAN),
    ],
)
def test_batas_tiap_tingkat_lengkap_dan_hanya_kode_nama(client, karimun, tingkat, jumlah, tingkat_model):
    jawab = client.get(f"/peta/batas/{tingkat}/")
    assert jawab.status_code == 200 and jawab["Content-Type"] == "application/geo+json"
    data = json.loads(jawab.content)
    assert data["type"] == "FeatureCollection"
    fitur = data["features"]
    assert len(fitur) == jumlah
    assert all(set(f) == {"type", "properties", "geometry"} for f in fitur)
    assert all(set(f["properties"]) == {"kode", "nama"} for f in fitur)
    # The same areas as the database holds under the deployment's kabupaten, each where it really is.
    wilayah = {w.kode: w for w in Wilayah.objects.filter(tingkat=tingkat_model, kode__startswith=KABKOTA)}
    assert {f["properties"]["kode"] for f in fitur} == set(wilayah)
    for f in fitur:
        w = wilayah[f["properties"]["kode"]]
        assert f["properties"]["nama"] == w.nama
        bentuk = GEOSGeometry(json.dumps(f["geometry"]), srid=4326)
        assert bentuk.geom_type in ("Polygon", "MultiPolygon")
        # Simplified (~55 m): the same place and, even for the smallest kelurahan, nearly the same area.
        assert w.batas.buffer(0.001).contains(bentuk.point_on_surface), w.kode
        assert abs(bentuk.area - w.batas.area) <= 0.15 * w.batas.area, w.kode


@pytest.mark.django_db
def test_batas_desa_kecil_untuk_ponsel(client, karimun):
    """All 71 desa outlines are one small download (gzip for phones)."""
    mentah = client.get("/peta/batas/desa/").content
    terkompres = client.get("/peta/batas/desa/", HTTP_ACCEPT_ENCODING="gzip").content
    assert len(mentah) < 400_000 and len(terkompres) < 120_000, (len(mentah), len(terkompres))


@pytest.mark.django_db
def test_tingkat_tak_dikenal_404(client, karimun):
    assert client.get("/peta/batas/provinsi/").status_code == 404


@pytest.fixture
def halaman(browser: Browser):
    konteks = browser.new_context(viewport={"width": 360, "height": 640}, locale="id-ID")
    hal = konteks.new_page()
    galat: list[str] = []
    hal.on("pageerror", lambda e: galat.append(str(e)))
    yield hal
    konteks.close()
    assert not galat, galat


@pytest.mark.django_db(transaction=True)
def test_lapisan_batas_bisa_dimatikan_dan_dinyalakan(halaman: Page, live_server, siklus):
    halaman.goto(f"{live_server.url}/peta/?z=10&lat=0.90000&lon=103.40000")
    garis = {t: halaman.locator(f"path.batas--{t}") for t in ("kabkota", "kecamatan", "desa")}
    expect(garis["kecamatan"]).to_have_count(14)
    expect(garis["desa"]).to_have_count(71)
    expect(garis["kabkota"]).to_have_count(1)
    # Leaflet's layer control: collapsed on a phone, opened with the keyboard-focusable toggle.
    halaman.locator(".leaflet-control-layers").hover()
    for nama in ("Batas kabupaten/kota", "Batas kecamatan", "Batas desa/kelurahan"):
        expect(halaman.get_by_role("checkbox", name=nama)).to_be_checked()
    desa = halaman.get_by_role("checkbox", name="Batas desa/kelurahan")
    expect(desa).to_be_checked()
    desa.uncheck()
    expect(garis["desa"]).to_have_count(0)
    expect(garis["kecamatan"]).to_have_count(14)  # the others stay
    desa.check()
    expect(garis["desa"]).to_have_count(71)
