"""Clustering is correct: cluster counts add up to the filtered total in the view (Ushahidi's map
once showed clusters that did not), the total is what a plain count finds in the returned box, each
cluster sits at the mean of its proposals, and the prepared aggregates give exactly the live answer."""

from __future__ import annotations

import random

import pytest
from django.contrib.gis.geos import Polygon

from musrenbang.models import Bidang
from peta import selectors
from peta.models import STATUS_AGREGAT, ZOOM_AGREGAT
from tests.peta.bantu import isi_sintetis, json_data, kotak_karimun, minta_data
from usulan.models import Usulan
from usulan.saringan import SaringanPublik

pytestmark = pytest.mark.django_db


def _hitung_di_kotak(siklus, bbox, **filter_orm) -> int:
    return Usulan.objects.filter(siklus=siklus, lokasi__within=Polygon.from_bbox(bbox), **filter_orm).count()


def _kotak_acak(acak: random.Random, zoom: int) -> tuple[float, float, float, float]:
    # A phone-sized view (360×640 px) somewhere over Karimun.
    minlon, minlat, maxlon, maxlat = kotak_karimun()
    lon, lat = acak.uniform(minlon, maxlon), acak.uniform(minlat, maxlat)
    derajat_per_px = 360 / (256 * 2**zoom)
    return (
        lon - 180 * derajat_per_px,
        lat - 320 * derajat_per_px,
        lon + 180 * derajat_per_px,
        lat + 320 * derajat_per_px,
    )


def test_jumlah_klaster_sama_dengan_total_di_setiap_zoom(client, siklus):
    isi_sintetis(1500)
    acak = random.Random(7)
    for zoom in range(5, 19):
        for bbox in [kotak_karimun(), _kotak_acak(acak, zoom), _kotak_acak(acak, zoom)]:
            data = json_data(minta_data(client, bbox, zoom))
            dihitung = _hitung_di_kotak(siklus, selectors.tampilan_dari_query(",".join(map(str, bbox)), str(zoom)).bbox)
            assert data["total"] == dihitung, (zoom, bbox)
            if data["jenis"] == "klaster":
                assert sum(f["jumlah"] for f in data["fitur"]) == data["total"]
                assert all(sum(f["per_status"]) == f["jumlah"] > 0 for f in data["fitur"])
            else:
                assert len(data["fitur"]) == data["total"] and zoom >= selectors.ZOOM_TITIK


def test_jumlah_klaster_sama_dengan_total_tersaring(client, siklus):
    isi_sintetis(1200)
    bidang = Bidang.objects.get(kode="05")  # a fungsi: its sub-fungsi count too
    kecamatan = Usulan.objects.values_list("kecamatan_id", flat=True).first()
    for saringan, orm in [
        ({"status": "ditolak,dikembalikan"}, {"status_publik__in": ["ditolak", "dikembalikan"]}),
        ({"bidang": bidang.pk}, {"bidang__induk": bidang}),
        ({"kecamatan": kecamatan}, {"kecamatan_id": kecamatan}),
        ({"status": "diterima", "kecamatan": kecamatan}, {"status_publik": "diterima", "kecamatan_id": kecamatan}),
    ]:
        for zoom in (6, 10, 13):
            data = json_data(minta_data(client, kotak_karimun(), zoom, **saringan))
            bbox = selectors.tampilan_dari_query(",".join(map(str, kotak_karimun())), str(zoom)).bbox
            assert 0 < data["total"] == _hitung_di_kotak(siklus, bbox, **orm) < Usulan.objects.count(), saringan
            assert sum(f["jumlah"] for f in data["fitur"]) == data["total"]
            if "status" in saringan:
                dipilih = saringan["status"].split(",")
                for f in data["fitur"]:
                    for status, n in zip(STATUS_AGREGAT, f["per_status"], strict=True):
                        assert n == 0 or status in dipilih


def test_klaster_di_rata_rata_posisi_anggotanya(client, siklus, desa, desa_lain):
    from tests.peta.bantu import baris_usulan

    # Two groups far apart (different kecamatan) never share a cluster at zoom 12; each cluster's
    # position is the mean of its members.
    a, b = desa.batas.point_on_surface, desa_lain.batas.point_on_surface
    baris_usulan(siklus, desa, a, jumlah=2)
    from django.contrib.gis.geos import Point

    baris_usulan(siklus, desa, Point(a.x + 0.0001, a.y + 0.0002, srid=4326), jumlah=1)
    baris_usulan(siklus, desa_lain, b, jumlah=4)
    data = json_data(minta_data(client, kotak_karimun(), 12))
    fitur = sorted(data["fitur"], key=lambda f: f["jumlah"])
    assert [f["jumlah"] for f in fitur] == [3, 4]
    assert fitur[0]["lon"] == pytest.approx((2 * a.x + a.x + 0.0001) / 3, abs=2e-5)
    assert fitur[0]["lat"] == pytest.approx((2 * a.y + a.y + 0.0002) / 3, abs=2e-5)
    assert (fitur[1]["lon"], fitur[1]["lat"]) == pytest.approx((b.x, b.y), abs=2e-5)


def test_agregat_sama_persis_dengan_klaster_langsung(siklus):
    isi_sintetis(1500)
    bidang = Bidang.objects.get(kode="06")
    kotak = ",".join(map(str, kotak_karimun()))
    for zoom in ZOOM_AGREGAT:
        tampilan = selectors.tampilan_dari_query(kotak, str(zoom))
        for saringan in (
            SaringanPublik(),
            SaringanPublik(status=("ditolak", "digabung")),
            SaringanPublik(bidang=bidang.pk),
        ):
            agregat = selectors.data_peta(tampilan=tampilan, saringan=saringan)
            langsung = selectors.data_peta(tampilan=tampilan, saringan=saringan, paksa_langsung=True)
            assert (agregat.sumber, langsung.sumber) == ("agregat", "langsung")
            assert agregat.total > 0
            # Same cells, same counts, same mean positions, same per-status split: the same bytes.
            assert agregat.fitur_json == langsung.fitur_json, (zoom, saringan)
            assert agregat.total == sum(f["jumlah"] for f in agregat.fitur)


def test_saringan_yang_tidak_disiapkan_dihitung_langsung(siklus):
    isi_sintetis(300)
    kotak = selectors.tampilan_dari_query(",".join(map(str, kotak_karimun())), "8")
    desa = Usulan.objects.values_list("desa_id", flat=True).first()
    for saringan in (SaringanPublik(desa=desa), SaringanPublik(q="drainase"), SaringanPublik(kecamatan=1)):
        assert selectors.data_peta(tampilan=kotak, saringan=saringan).sumber == "langsung"
    assert selectors.data_peta(tampilan=kotak, saringan=SaringanPublik()).sumber == "agregat"
