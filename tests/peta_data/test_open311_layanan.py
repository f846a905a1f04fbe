"""Open311 discovery, service list and service definitions, in JSON and XML, shaped as the spec's
examples."""

from __future__ import annotations

import pytest
from django.urls import reverse

from data_terbuka.open311 import FIELD_ATRIBUT, FIELD_LAYANAN
from musrenbang.models import Bidang
from tests import factories
from tests.peta_data.bantu import baca_xml


def _xml(respons):
    assert respons["Content-Type"] == "text/xml; charset=utf-8"
    assert respons.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    return baca_xml(respons.content)


def test_discovery_json_dan_xml(client, siklus):
    data = client.get(reverse("open311:discovery", kwargs={"format": "json"})).json()
    assert set(data) == {"changeset", "contact", "key_service", "max_requests", "endpoints"}
    assert "Kabupaten Karimun" in data["contact"] and data["max_requests"] == 1000
    (titik,) = data["endpoints"]
    assert titik == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2",
        "changeset": data["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    akar = _xml(client.get(reverse("open311:discovery", kwargs={"format": "xml"})))
    assert akar.tag == "discovery"
    assert [f.text for f in akar.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]
    assert akar.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2"


def test_daftar_layanan_adalah_subbidang(client, siklus):
    factories.buat_kamus(siklus)  # "Semenisasi jalan lingkungan" in 05.01
    respons = client.get(reverse("open311:services", kwargs={"format": "json"}))
    assert respons["Content-Type"] == "application/json; charset=utf-8"
    assert respons["Access-Control-Allow-Origin"] == "*"
    data = respons.json()
    assert len(data) == Bidang.objects.filter(aktif=True, induk__isnull=False).count() == 47
    assert all(tuple(s) == FIELD_LAYANAN for s in data)
    pu = next(s for s in data if s["service_code"] == "05.01")
    assert pu == {
        "service_code": "05.01",
        "service_name": "Pekerjaan Umum",
        "description": "Usulan pembangunan bidang Pekerjaan Umum (fungsi Perumahan dan Fasilitasi Umum).",
        "metadata": True,
        "type": "realtime",
        "keywords": "Semenisasi jalan lingkungan",
        "group": "Perumahan dan Fasilitasi Umum",
    }
    akar = _xml(client.get(reverse("open311:services", kwargs={"format": "xml"})))
    assert akar.tag == "services" and len(akar.findall("service")) == 47
    layanan = next(s for s in akar.findall("service") if s.findtext("service_code") == "05.01")
    assert [e.tag for e in layanan] == list(FIELD_LAYANAN)
    assert layanan.findtext("metadata") == "true"


def test_daftar_layanan_kueri_tetap(client, siklus, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(reverse("open311:services", kwargs={"format": "json"}))


def test_definisi_layanan(client, siklus):
    kamus = factories.buat_kamus(siklus)
    data = client.get(reverse("open311:service", kwargs={"kode": "05.01", "format": "json"})).json()
    assert set(data) == {"service_code", "attributes"} and data["service_code"] == "05.01"
    assert [a["code"] for a in data["attributes"]] == ["judul", "permasalahan", "kamus", "volume", "satuan"]
    assert all(tuple(a) == FIELD_ATRIBUT for a in data["attributes"])
    assert [a["order"] for a in data["attributes"]] == [1, 2, 3, 4, 5]
    pilihan = next(a for a in data["attributes"] if a["code"] == "kamus")
    assert pilihan["datatype"] == "singlevaluelist"
    assert pilihan["values"] == [{"key": str(kamus.pk), "name": "Semenisasi jalan lingkungan (meter)"}]

    akar = _xml(client.get(reverse("open311:service", kwargs={"kode": "05.01", "format": "xml"})))
    assert akar.tag == "service_definition" and akar.findtext("service_code") == "05.01"
    assert akar.findtext("attributes/attribute[code='kamus']/values/value/key") == str(kamus.pk)


@pytest.mark.parametrize("format", ["json", "xml"])
def test_layanan_tidak_ada_404(client, db, format):
    respons = client.get(reverse("open311:service", kwargs={"kode": "99.99", "format": format}))
    assert respons.status_code == 404
    if format == "json":
        assert respons.json() == [{"code": 404, "description": "service_code 99.99 tidak ditemukan."}]
    else:
        akar = _xml(respons)
        assert akar.tag == "errors"
        assert (akar.findtext("error/code"), akar.findtext("error/description")) == (
            "404",
            "service_code 99.99 tidak ditemukan.",
        )


def test_yurisdiksi(client, db):
    url = reverse("open311:services", kwargs={"format": "json"})
    assert client.get(url, {"jurisdiction_id": "21.02"}).status_code == 200
    assert client.get(url, {"jurisdiction_id": "127.0.0.1"}).status_code == 200  # the site's host
    salah = client.get(url, {"jurisdiction_id": "sfgov.org"})
    assert salah.status_code == 404
    assert salah.json()[0]["code"] == 404 and "jurisdiction_id" in salah.json()[0]["description"]


def test_metode_lain_405(client, db):
    respons = client.delete(reverse("open311:services", kwargs={"format": "json"}))
    assert respons.status_code == 405 and respons["Allow"] == "GET"
    assert respons.json() == [{"code": 405, "description": "Metode DELETE tidak didukung."}]


def test_kamus_tidak_ditawarkan_tanpa_nilai(client, siklus):
    """A singlevaluelist without values cannot be answered: `kamus` is offered only where the round's
    catalogue has items (before: 42 of 47 services offered it with values: [])."""
    factories.buat_kamus(siklus)  # an item in 05.01 only
    tanpa_nilai = []
    for layanan in client.get(reverse("open311:services", kwargs={"format": "json"})).json():
        kode = layanan["service_code"]
        data = client.get(reverse("open311:service", kwargs={"kode": kode, "format": "json"})).json()
        tanpa_nilai += [
            (kode, a["code"]) for a in data["attributes"] if a["datatype"].endswith("valuelist") and not a["values"]
        ]
        if kode != "05.01":
            assert "kamus" not in [a["code"] for a in data["attributes"]]
    assert tanpa_nilai == []
