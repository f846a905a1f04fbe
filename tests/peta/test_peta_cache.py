"""A phone never downloads the same view twice: ETag + Last-Modified + a short public max-age, 304
on revalidation, a new ETag as soon as what is shown changes; bodies gzipped when asked."""

from __future__ import annotations

import gzip
import json

import pytest
from django.utils.http import http_date

from tests.peta.bantu import baris_usulan, kotak_karimun, minta_data
from usulan.models import Usulan

pytestmark = pytest.mark.django_db


def test_etag_304_dan_etag_baru_setelah_perubahan(client, siklus, desa, titik_moro):
    [u, *_] = baris_usulan(siklus, desa, titik_moro, jumlah=3)
    terbaru = Usulan.objects.order_by("-diperbarui_publik").values_list("diperbarui_publik", flat=True).first()
    pertama = minta_data(client, kotak_karimun(), 9)
    etag = pertama["ETag"]
    assert pertama.status_code == 200 and etag.startswith('"') and len(etag) > 10
    assert pertama["Cache-Control"] == "public, max-age=60"
    # Last-Modified is the newest change among what is shown (the rows may straddle a second).
    assert pertama["Last-Modified"] == http_date(int(terbaru.timestamp()))

    lagi = client.get("/peta/data/", {"bbox": ",".join(map(str, kotak_karimun())), "zoom": 9}, HTTP_IF_NONE_MATCH=etag)
    assert lagi.status_code == 304 and lagi.content == b"" and lagi["ETag"] == etag

    # The same view with another filter is another resource.
    assert minta_data(client, kotak_karimun(), 9, status="ditolak")["ETag"] != etag
    # A status change inside the view: the old ETag no longer matches, the new body says so.
    Usulan.objects.filter(pk=u.pk).update(status_publik="ditolak", status="ditolak")
    baru = client.get("/peta/data/", {"bbox": ",".join(map(str, kotak_karimun())), "zoom": 9}, HTTP_IF_NONE_MATCH=etag)
    assert baru.status_code == 200 and baru["ETag"] != etag
    assert json.loads(baru.content)["fitur"][0]["per_status"][5] == 1  # ditolak


def test_if_modified_since(client, siklus, desa, titik_moro):
    baris_usulan(siklus, desa, titik_moro)
    pertama = minta_data(client, kotak_karimun(), 12)
    kedua = client.get(
        "/peta/data/",
        {"bbox": ",".join(map(str, kotak_karimun())), "zoom": 12},
        HTTP_IF_MODIFIED_SINCE=pertama["Last-Modified"],
    )
    assert kedua.status_code == 304


def test_popup_dan_batas_juga_tervalidasi_dan_gzip(client, siklus, desa, titik_moro):
    [u] = baris_usulan(siklus, desa, titik_moro)
    for url in (f"/peta/usulan/{u.kode_lacak}/", "/peta/batas/kecamatan/"):
        pertama = client.get(url)
        assert pertama.status_code == 200 and "public" in pertama["Cache-Control"]
        assert client.get(url, HTTP_IF_NONE_MATCH=pertama["ETag"]).status_code == 304
    terkompres = client.get("/peta/batas/desa/", HTTP_ACCEPT_ENCODING="gzip")
    assert terkompres["Content-Encoding"] == "gzip"
    isi = gzip.decompress(terkompres.content)
    assert len(terkompres.content) < len(isi) / 3
    assert json.loads(isi)["type"] == "FeatureCollection"
    # Weak after compression, and still good for revalidation.
    assert (
        client.get("/peta/batas/desa/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=terkompres["ETag"]).status_code
        == 304
    )
