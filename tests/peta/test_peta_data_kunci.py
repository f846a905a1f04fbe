"""The map data endpoint is a whitelist: exact keys, public values only, this deployment only."""

from __future__ import annotations

import pytest

from peta.models import STATUS_AGREGAT
from tests import factories
from tests.peta.bantu import RAHASIA, baris_usulan, json_data, kotak_karimun, minta_data

pytestmark = pytest.mark.django_db

KUNCI_RESPONS = {"zoom", "jenis", "total", "bbox", "urutan_status", "fitur"}
KUNCI_KLASTER = {"lat", "lon", "jumlah", "per_status"}
KUNCI_TITIK = {"kode", "lat", "lon", "status", "judul"}


def test_klaster_hanya_berisi_kunci_yang_diizinkan(client, siklus, desa, titik_moro):
    baris_usulan(siklus, desa, titik_moro, status="ditolak", jumlah=3)
    baris_usulan(siklus, desa, titik_moro, status="diterima", jumlah=2)

    data = json_data(minta_data(client, kotak_karimun(), 9))

    assert set(data) == KUNCI_RESPONS
    assert data["jenis"] == "klaster" and data["zoom"] == 9 and data["total"] == 5
    assert data["urutan_status"] == list(STATUS_AGREGAT)
    assert len(data["bbox"]) == 4
    [klaster] = data["fitur"]
    assert set(klaster) == KUNCI_KLASTER
    assert klaster["jumlah"] == 5
    per_status = dict(zip(data["urutan_status"], klaster["per_status"], strict=True))
    assert per_status["ditolak"] == 3 and per_status["diterima"] == 2 and sum(per_status.values()) == 5


def test_titik_hanya_berisi_kunci_yang_diizinkan_tanpa_data_pribadi(client, siklus, desa, titik_moro, alur):
    baris_usulan(siklus, desa, titik_moro, status="lolos_desa", judul="J" * 150)
    sekitar = (titik_moro.x - 0.002, titik_moro.y - 0.002, titik_moro.x + 0.002, titik_moro.y + 0.002)

    respons = minta_data(client, sekitar, 16)
    data = json_data(respons)

    assert set(data) == KUNCI_RESPONS
    assert data["jenis"] == "titik" and data["total"] == len(data["fitur"]) == 5
    for f in data["fitur"]:
        assert set(f) == KUNCI_TITIK
        assert f["status"] in STATUS_AGREGAT and len(f["judul"]) <= 60
    per_kode = {f["kode"]: f for f in data["fitur"]}
    # The public status, never the internal one: Bappeda's unpublished acceptance stays hidden.
    assert alur.rahasia.status == "diterima"
    assert per_kode[alur.rahasia.kode_lacak]["status"] == "lolos_kecamatan"
    assert per_kode[alur.diterima.kode_lacak]["status"] == "diterima"
    teks = respons.content.decode()
    for nilai in (*RAHASIA.values(), "warga@contoh.test", "+6281200000001", "Siti Aminah"):
        assert nilai not in teks


def test_hanya_siklus_deployment_ini(client, karimun, siklus, desa, titik_moro):
    baris_usulan(siklus, desa, titik_moro, jumlah=2)
    # A round of another kabupaten/kota in the same database never shows on this deployment's map.
    from musrenbang.models import Tingkat, Wilayah

    lain = Wilayah.objects.create(
        kode="35.78", nama="Kota Surabaya", tingkat=Tingkat.KABUPATEN_KOTA, induk=karimun.induk
    )
    siklus_lain = factories.buat_siklus(lain)
    baris_usulan(siklus_lain, desa, titik_moro, jumlah=4)

    assert json_data(minta_data(client, kotak_karimun(), 9))["total"] == 2
    assert json_data(minta_data(client, kotak_karimun(), 9, siklus=siklus_lain.pk))["total"] == 0
    assert json_data(minta_data(client, kotak_karimun(), 9, siklus=siklus.pk))["total"] == 2
