"""Bad map requests get a clear 400 in Indonesian, never a 500; huge or odd boxes are clamped; the
response stays small however many proposals there are."""

from __future__ import annotations

import json

import pytest

from peta import selectors
from tests.peta.bantu import baris_usulan, isi_sintetis, json_data, kotak_karimun, minta_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("bbox", "zoom", "pesan"),
    [
        ("103,0,104", "10", "empat angka"),
        ("a,b,c,d", "10", "empat angka"),
        ("", "10", "empat angka"),
        ("103,0,104,1", "", "zoom"),
        ("103,0,104,1", "9.5", "zoom"),
        ("103,0,104,1", "sepuluh", "zoom"),
        ("104,0,103,1", "10", "minimum"),
        ("103,nan,104,1", "10", "terhingga"),
        ("103,0,inf,1", "10", "terhingga"),
        ("190,0,200,1", "10", "di luar"),
    ],
)
def test_permintaan_rusak_400_dengan_pesan(client, siklus, bbox, zoom, pesan):
    respons = client.get("/peta/data/", {"bbox": bbox, "zoom": zoom})
    assert respons.status_code == 400
    assert respons["Content-Type"] == "application/json"
    assert pesan in json.loads(respons.content)["galat"]


def test_zoom_dan_kotak_dijepit(client, siklus, desa, titik_moro):
    baris_usulan(siklus, desa, titik_moro, jumlah=2)
    assert json_data(minta_data(client, kotak_karimun(), 1))["zoom"] == selectors.ZOOM_MIN
    assert json_data(minta_data(client, kotak_karimun(), 40))["zoom"] == selectors.ZOOM_MAKS
    # The whole world at street level: shrunk around its centre to at most MAKS_SEL_SISI cells a side.
    data = json_data(minta_data(client, "-720,-100,720,100", 18))
    tampilan = selectors.tampilan_dari_query("-720,-100,720,100", "18")
    assert tampilan.x1 - tampilan.x0 + 1 == tampilan.y1 - tampilan.y0 + 1 == selectors.MAKS_SEL_SISI
    assert data["bbox"] == pytest.approx(list(tampilan.bbox), abs=1e-6)
    # Centred on the Karimun box, a wide request still counts what is there.
    minlon, minlat, maxlon, maxlat = kotak_karimun()
    pusat = ((minlon + maxlon) / 2, (minlat + maxlat) / 2)
    lebar = f"{pusat[0] - 50},{pusat[1] - 40},{pusat[0] + 50},{pusat[1] + 40}"
    assert json_data(minta_data(client, lebar, 6))["total"] == 2


def test_respons_tetap_kecil_dan_titik_dibatasi(client, siklus, desa, titik_moro):
    isi_sintetis(3000)
    # 600 proposals on one spot: more than MAKS_TITIK, so clusters even at the deepest zoom.
    baris_usulan(siklus, desa, titik_moro, jumlah=selectors.MAKS_TITIK + 100)
    sekitar = (titik_moro.x - 0.0005, titik_moro.y - 0.0005, titik_moro.x + 0.0005, titik_moro.y + 0.0005)
    data = json_data(minta_data(client, sekitar, 19))
    assert data["jenis"] == "klaster" and data["total"] >= selectors.MAKS_TITIK + 100
    assert sum(f["jumlah"] for f in data["fitur"]) == data["total"]
    for zoom in range(selectors.ZOOM_MIN, selectors.ZOOM_MAKS + 1):
        respons = minta_data(client, "90,-12,145,8", zoom)
        assert respons.status_code == 200
        assert len(respons.content) <= 100_000, zoom
