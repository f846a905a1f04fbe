"""The map's filters mean exactly what usulan.saringan.SaringanPublik means (the exports and the
dashboard use it): every filter, alone and combined, on the prepared and on the live path."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Polygon

from musrenbang.models import Bidang
from peta import selectors
from tests.peta.bantu import baris_usulan, isi_sintetis, json_data, kotak_karimun, minta_data
from usulan.models import Usulan
from usulan.saringan import SaringanPublik

pytestmark = pytest.mark.django_db


def _harapan(siklus, query: dict, zoom: int) -> int:
    saringan = SaringanPublik.dari_query(query)
    bbox = selectors.tampilan_dari_query(",".join(map(str, kotak_karimun())), str(zoom)).bbox
    qs = Usulan.objects.filter(lokasi__within=Polygon.from_bbox(bbox))
    return saringan.terapkan(qs, siklus_bawaan=siklus.pk).count()


def test_setiap_saringan_sama_dengan_saringan_publik(client, siklus, desa, titik_moro):
    isi_sintetis(900)
    baris_usulan(siklus, desa, titik_moro, judul="Perbaikan 100% jalan_desa Moro", status="ditolak")
    contoh = Usulan.objects.filter(kode_lacak__startswith="SIN-").order_by("pk")[7]
    fungsi = Bidang.objects.get(kode="05")
    sub = Bidang.objects.get(kode="06.01")
    semua = Usulan.objects.count()
    kasus = [
        {"status": "ditolak"},
        {"status": "diajukan,lolos_desa,bukan_status"},
        {"bidang": fungsi.pk},
        {"bidang": sub.pk},
        {"kecamatan": contoh.kecamatan_id},
        {"desa": contoh.desa_id},
        {"q": "drainase"},
        {"q": contoh.kode_lacak.lower()},
        {"q": "100% jalan_desa"},  # LIKE wildcards are literal text
        {"q": "%"},
        {"status": "diterima", "bidang": fungsi.pk, "kecamatan": contoh.kecamatan_id},
        {"status": "ditolak", "q": "jalan", "desa": contoh.desa_id},
    ]
    for query in kasus:
        for zoom in (7, 12):
            data = json_data(minta_data(client, kotak_karimun(), zoom, **query))
            harapan = _harapan(siklus, query, zoom)
            assert data["total"] == harapan, (query, zoom)
            assert sum(f["jumlah"] for f in data["fitur"]) == harapan
    # The filters do filter: each case above selects fewer than everything, some select very few.
    assert all(_harapan(siklus, q, 7) < semua for q in kasus)
    assert _harapan(siklus, {"q": contoh.kode_lacak.lower()}, 7) == 1
    assert _harapan(siklus, {"q": "100% jalan_desa"}, 7) == 1
    assert _harapan(siklus, {"q": "%"}, 7) == 1


def test_siklus_lain_dan_nilai_rusak(client, karimun, siklus, desa, titik_moro):
    from tests import factories

    lama = factories.buat_siklus(karimun, tahun=siklus.tahun - 1, aktif=False)
    baris_usulan(siklus, desa, titik_moro, jumlah=2)
    baris_usulan(lama, desa, titik_moro, jumlah=5)
    # Default: the active round; another round of this deployment on request.
    assert json_data(minta_data(client, kotak_karimun(), 8))["total"] == 2
    assert json_data(minta_data(client, kotak_karimun(), 8, siklus=lama.pk))["total"] == 5
    # Unknown rounds show nothing; malformed filter values are ignored, as SaringanPublik says.
    assert json_data(minta_data(client, kotak_karimun(), 8, siklus=987654))["total"] == 0
    assert json_data(minta_data(client, kotak_karimun(), 8, bidang="abc", kecamatan="-1"))["total"] == 2
