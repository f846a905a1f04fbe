"""Per-address limits on the costly public reads (issue 6, point 5): the map data, the open-data downloads
and the Open311 GET resources.

Each limit is set low here explicitly (tests/settings.py turns them off for the rest of the suite). The
limiter's clock (`batas_laju._sekarang`) is held at a known second, so Retry-After is exact and the next
window is reached by moving the clock, never by sleeping.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.test import Client

import musrenbang.settings as produksi
from musrenbang import batas_laju
from musrenbang.models import BatasLaju

# 15 s after the start of an hour (so also of a minute): a 60 s window has 45 s left, an hour 3585 s.
AWAL = 1_800_000_000 - 1_800_000_000 % 3600 + 15
BBOX = "103.2,0.7,103.7,1.2"


class Jam:
    def __init__(self) -> None:
        self.detik = float(AWAL)

    def maju(self, detik: float) -> None:
        self.detik += detik


@pytest.fixture
def jam(monkeypatch) -> Jam:
    jam = Jam()
    monkeypatch.setattr(batas_laju, "_sekarang", lambda: jam.detik)
    return jam


@dataclass(frozen=True)
class Titik:
    """One limited endpoint: its URL, the setting holding its limit, its window and its error format."""

    url: str
    setelan: str
    jendela: int
    format: str  # "galat" ({"galat": ...} JSON), "json" or "xml" (Open311's errors)
    tunggu: str  # the wait as the message words it, with the clock at AWAL


PETA = Titik(f"/peta/data/?bbox={BBOX}&zoom=10", "BATAS_PETA_DATA_PER_MENIT_IP", 60, "galat", "45 detik")
EKSPOR = [
    Titik(f"/data/usulan.{jenis}", "BATAS_EKSPOR_PER_JAM_IP", 3600, "galat", "60 menit")
    for jenis in ("csv", "geojson", "xlsx")
]
OPEN311 = [
    Titik(f"/open311/v2/{sumber}", "BATAS_OPEN311_BACA_PER_MENIT_IP", 60, sumber.rsplit(".", 1)[1], "45 detik")
    for sumber in ("requests.json", "requests.xml", "services.json", "discovery.xml", "services/05.01.json")
]
SEMUA = [PETA, *EKSPOR, *OPEN311]


def _ambil(klien: Client, url: str, ip: str = "203.0.113.10"):
    jawab = klien.get(url, REMOTE_ADDR=ip)
    if jawab.streaming:
        b"".join(jawab.streaming_content)  # a download's body runs to its end
    return jawab


def _pesan_429(jawab, format: str) -> str:
    if format == "galat":
        assert jawab["Content-Type"] == "application/json"
        data = json.loads(jawab.content)
        assert list(data) == ["galat"]
        return data["galat"]
    if format == "json":
        assert jawab["Content-Type"].startswith("application/json")
        [galat] = json.loads(jawab.content)
        assert galat["code"] == 429
        return galat["description"]
    assert jawab["Content-Type"].startswith("text/xml")
    akar = ET.fromstring(jawab.content)  # noqa: S314 - our own output
    assert akar.tag == "errors" and [e.tag for e in akar] == ["error"]
    assert akar.findtext("error/code") == "429"
    return akar.findtext("error/description")


def _id(t: Titik) -> str:
    return t.url.split("?")[0]


@pytest.mark.parametrize("titik", SEMUA, ids=_id)
def test_lewat_batas_429_dengan_pesan_dan_retry_after_lalu_pulih(client, siklus, settings, jam, titik):
    setattr(settings, titik.setelan, 3)
    for _ in range(3):
        assert _ambil(client, titik.url).status_code == 200
    jawab = _ambil(client, titik.url)
    assert jawab.status_code == 429
    assert jawab["Retry-After"] == str(titik.jendela - 15)
    assert jawab["Cache-Control"] == "no-store"  # a shared cache must not answer others with it
    pesan = _pesan_429(jawab, titik.format)
    assert "dari alamat Anda" in pesan and f"Coba lagi dalam {titik.tunggu}." in pesan, pesan
    if titik in EKSPOR or titik in OPEN311:
        assert jawab["Access-Control-Allow-Origin"] == "*"  # a script on another site can read the refusal

    # Another address is not affected.
    assert _ambil(client, titik.url, ip="198.51.100.20").status_code == 200
    # Still refused up to the window's last second; the next window starts afresh.
    jam.maju(titik.jendela - 16)
    tolak = _ambil(client, titik.url)
    assert tolak.status_code == 429 and tolak["Retry-After"] == "1"
    jam.maju(1)
    assert _ambil(client, titik.url).status_code == 200


def test_tiga_unduhan_berbagi_satu_batas(client, siklus, settings, jam):
    settings.BATAS_EKSPOR_PER_JAM_IP = 3
    for t in EKSPOR:
        assert _ambil(client, t.url).status_code == 200
    assert [_ambil(client, t.url).status_code for t in EKSPOR] == [429, 429, 429]


def test_semua_sumber_get_open311_berbagi_satu_batas(client, siklus, settings, jam):
    settings.BATAS_OPEN311_BACA_PER_MENIT_IP = len(OPEN311)
    for t in OPEN311:
        assert _ambil(client, t.url).status_code == 200
    assert _ambil(client, "/open311/v2/requests/2102-2025-99999.json").status_code == 429


def test_batas_terpisah_per_titik(client, siklus, settings, jam):
    """Hitting the map's limit leaves the downloads and Open311 untouched, and the other way round."""
    settings.BATAS_PETA_DATA_PER_MENIT_IP = settings.BATAS_EKSPOR_PER_JAM_IP = 1
    settings.BATAS_OPEN311_BACA_PER_MENIT_IP = 1
    assert [_ambil(client, PETA.url).status_code for _ in range(2)] == [200, 429]
    assert [_ambil(client, EKSPOR[0].url).status_code for _ in range(2)] == [200, 429]
    assert [_ambil(client, OPEN311[0].url).status_code for _ in range(2)] == [200, 429]


def test_post_open311_tidak_memakai_batas_baca(client, siklus, settings, jam):
    """The submission has its own limit per API key; a client that used up its reads can still submit."""
    settings.BATAS_OPEN311_BACA_PER_MENIT_IP = 1
    _ambil(client, "/open311/v2/requests.json")
    assert _ambil(client, "/open311/v2/requests.json").status_code == 429
    jawab = client.post("/open311/v2/requests.json", {"api_key": "salah"}, REMOTE_ADDR="203.0.113.10")
    assert jawab.status_code == 403  # the key check answers, not the read limit


def test_metode_ditolak_tidak_dihitung(client, siklus, settings, jam):
    settings.BATAS_PETA_DATA_PER_MENIT_IP = settings.BATAS_EKSPOR_PER_JAM_IP = 1
    assert client.post(PETA.url).status_code == 405
    assert client.post(EKSPOR[0].url).status_code == 405
    assert not BatasLaju.objects.exists()


def test_nol_berarti_tanpa_batas_dan_tanpa_kueri(client, siklus, settings, jam, django_assert_max_num_queries):
    settings.BATAS_PETA_DATA_PER_MENIT_IP = 0
    for _ in range(5):
        with django_assert_max_num_queries(1):  # the map's own single query, no count
            assert _ambil(client, PETA.url).status_code == 200
    assert not BatasLaju.objects.exists()


def test_batas_menambah_tepat_satu_kueri(client, siklus, settings, jam, django_assert_max_num_queries):
    settings.BATAS_PETA_DATA_PER_MENIT_IP = 10
    with django_assert_max_num_queries(2):
        assert _ambil(client, PETA.url).status_code == 200


def test_kunci_tidak_menyimpan_alamat(client, siklus, settings, jam):
    settings.BATAS_PETA_DATA_PER_MENIT_IP = settings.BATAS_EKSPOR_PER_JAM_IP = 5
    settings.BATAS_OPEN311_BACA_PER_MENIT_IP = 5
    for t in (PETA, EKSPOR[0], OPEN311[0]):
        _ambil(client, t.url)
    kunci = sorted(BatasLaju.objects.values_list("kunci", flat=True))
    assert [k.split(":ip:")[0] for k in kunci] == ["ekspor", "open311-baca", "peta-data"]
    assert not [k for k in kunci if "203.0.113" in k]


def test_bawaan_produksi_longgar_dan_bisa_diatur():
    """The shipped values: far above what a person does, each configurable (tests/settings turns them off)."""
    assert produksi.BATAS_PETA_DATA_PER_MENIT_IP == 1800  # 30 a second for a whole minute (phones behind one CGNAT)
    assert produksi.BATAS_OPEN311_BACA_PER_MENIT_IP == 120
    assert produksi.BATAS_EKSPOR_PER_JAM_IP == 60


def test_warga_menggeser_peta_cepat_tidak_terkena_batas_bawaan(client, siklus, settings, jam):
    """Residents panning and zooming without pause: 240 map requests inside one minute's window (more than
    five a second; a person dragging a map fires one per drag), under the shipped limit."""
    settings.BATAS_PETA_DATA_PER_MENIT_IP = produksi.BATAS_PETA_DATA_PER_MENIT_IP
    for i in range(240):
        bbox = f"{103.2 + i * 0.001:.3f},0.7,{103.7 + i * 0.001:.3f},1.2"
        jawab = client.get("/peta/data/", {"bbox": bbox, "zoom": 9 + i % 6}, REMOTE_ADDR="203.0.113.10")
        assert jawab.status_code == 200, (i, jawab.content)
        jam.maju(0.18)  # 15 s + 240 × 0.18 s = 58 s: all inside one window
