"""GeoJSON download: an RFC 7946 FeatureCollection of points (lon, lat) with exactly the public
properties, which GDAL reads."""

from __future__ import annotations

import json
import re
import subprocess

from django.urls import reverse

from data_terbuka.proyeksi import KOLOM_GEOJSON
from tests.peta_data.bantu import isi_unduhan


def test_featurecollection_dengan_properti_persis(client, ronde):
    respons = client.get(reverse("data:geojson"), {"status": "ditolak,diajukan"})
    assert respons.status_code == 200 and respons.streaming
    assert respons["Content-Type"] == "application/geo+json"
    assert respons["Content-Disposition"].endswith('.geojson"')
    data = json.loads(isi_unduhan(respons))
    assert set(data) == {"type", "features"} and data["type"] == "FeatureCollection"
    fitur = {f["id"]: f for f in data["features"]}
    assert set(fitur) == {ronde.ditolak.kode_lacak, ronde.diajukan.kode_lacak}
    f = fitur[ronde.ditolak.kode_lacak]
    assert set(f) == {"type", "id", "geometry", "properties"}
    assert tuple(f["properties"]) == KOLOM_GEOJSON
    # RFC 7946: WGS84, longitude first.
    assert f["geometry"] == {
        "type": "Point",
        "coordinates": [round(ronde.ditolak.lokasi.x, 7), round(ronde.ditolak.lokasi.y, 7)],
    }
    p = f["properties"]
    assert (p["status"], p["alasan"], p["volume"], p["perkiraan_biaya"]) == (
        "ditolak",
        "Lokasi tidak jelas: Titik di laut",
        100,
        None,
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", p["diajukan"])


def test_kosong_tetap_geojson_sah(client, db):
    data = json.loads(isi_unduhan(client.get(reverse("data:geojson"))))
    assert data == {"type": "FeatureCollection", "features": []}


def test_dibaca_gdal_ogrinfo(client, ronde, tmp_path):
    berkas = tmp_path / "usulan.geojson"
    berkas.write_bytes(isi_unduhan(client.get(reverse("data:geojson"))))
    hasil = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(berkas)], capture_output=True, text=True, check=True, timeout=60
    )
    keluaran = hasil.stdout
    assert "Feature Count: 5" in keluaran
    assert "Geometry: Point" in keluaran
    assert re.search(r"^kode_lacak: String", keluaran, re.M)
    assert re.search(r"^pagu: Integer", keluaran, re.M)
    assert "WGS 84" in keluaran
    # GDAL reads the values too: the published acceptance carries its OPD.
    fitur = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", "-where", "status = 'diterima'", str(berkas)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert f"kode_lacak (String) = {ronde.diterima.kode_lacak}" in fitur
    assert "opd_pelaksana (String) = Dinas Pekerjaan Umum dan Penataan Ruang" in fitur
    assert fitur.count("OGRFeature") == 1
