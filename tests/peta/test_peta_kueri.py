"""The map's pages and endpoints run a constant number of queries, however many proposals exist."""

from __future__ import annotations

import pytest

from tests.peta.bantu import baris_usulan, isi_sintetis, kotak_karimun, minta_data

pytestmark = pytest.mark.django_db


def _kueri_data(client, django_assert_max_num_queries, **saringan) -> None:
    kotak = kotak_karimun()
    with django_assert_max_num_queries(1):  # round and clusters (prepared) in one query
        assert minta_data(client, kotak, 9, **saringan).status_code == 200
    with django_assert_max_num_queries(1):  # round and clusters (live) in one query
        assert minta_data(client, kotak, 13, kecamatan=1, **saringan).status_code == 200


def test_jumlah_kueri_data_tetap(client, siklus, desa, titik_moro, django_assert_max_num_queries):
    baris_usulan(siklus, desa, titik_moro, jumlah=3)
    _kueri_data(client, django_assert_max_num_queries)
    isi_sintetis(600)
    _kueri_data(client, django_assert_max_num_queries, status="ditolak,diterima")
    sekitar = (titik_moro.x - 0.001, titik_moro.y - 0.001, titik_moro.x + 0.001, titik_moro.y + 0.001)
    with django_assert_max_num_queries(2):  # clusters (the count), then the points
        respons = minta_data(client, sekitar, 17)
    assert b'"jenis":"titik"' in respons.content


def test_jumlah_kueri_halaman_popup_dan_batas_tetap(client, siklus, alur, django_assert_max_num_queries):
    for jumlah in (0, 400):
        if jumlah:
            isi_sintetis(jumlah)
        # Seven: the summary is computed (new proposals moved its key); six once it is kept.
        with django_assert_max_num_queries(7):
            assert client.get("/peta/", {"status": "ditolak"}).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get("/peta/", {"status": "ditolak"}).status_code == 200
        with django_assert_max_num_queries(1):
            assert client.get(f"/peta/usulan/{alur.ditolak.kode_lacak}/").status_code == 200
        with django_assert_max_num_queries(2):
            assert client.get("/peta/batas/desa/").status_code == 200
