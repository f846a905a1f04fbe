"""Open311 GET requests and GET a request: the spec's fields only, public status mapped to
open/closed with the published reason, the responsible agency per level, the default window and
the filters, paging and bbox extensions, in JSON and XML, with a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from data_terbuka.open311 import FIELD_PERMINTAAN
from tests.peta_data.bantu import baca_xml, buat
from usulan.models import Usulan

URL = reverse("open311:requests", kwargs={"format": "json"})


def _per_kode(data: list[dict]) -> dict[str, dict]:
    return {r["service_request_id"]: r for r in data}


def _mundur(u: Usulan, hari: int) -> None:
    Usulan.objects.filter(pk=u.pk).update(dibuat=timezone.now() - datetime.timedelta(days=hari))


def test_bidang_persis_dan_nilai(client, ronde, opd):
    respons = client.get(URL)
    assert respons.status_code == 200 and respons["Content-Type"] == "application/json; charset=utf-8"
    data = respons.json()
    assert all(tuple(r) == FIELD_PERMINTAAN for r in data)
    semua = _per_kode(data)
    assert set(semua) == {u.kode_lacak for u in ronde.semua()}
    # Newest first.
    assert [r["service_request_id"] for r in data] == [u.kode_lacak for u in reversed(ronde.semua())]

    d = semua[ronde.ditolak.kode_lacak]
    assert (d["status"], d["status_notes"]) == ("closed", "Ditolak. Lokasi tidak jelas: Titik di laut")
    assert (d["service_code"], d["service_name"]) == ("05.01", "Pekerjaan Umum")
    assert d["agency_responsible"] == "Kelurahan Moro"  # the level that closed it
    assert d["description"] == "Jalan ke kebun sawit\n\nSaluran tersumbat saat hujan.\n\nNormalisasi saluran beton."
    assert d["address"] == "Jl. Merdeka, Kelurahan Moro, Kecamatan Moro, Kabupaten Karimun"
    assert (d["lat"], d["long"]) == (round(ronde.ditolak.lokasi.y, 7), round(ronde.ditolak.lokasi.x, 7))
    assert d["requested_datetime"] == timezone.localtime(ronde.ditolak.dibuat).isoformat(timespec="seconds")
    assert d["requested_datetime"].endswith("+07:00")
    assert d["updated_datetime"] >= d["requested_datetime"]
    for kosong in ("service_notice", "expected_datetime", "address_id", "zipcode"):
        assert d[kosong] is None

    assert semua[ronde.diajukan.kode_lacak]["status"] == "open"
    assert semua[ronde.diajukan.kode_lacak]["status_notes"] == "Diajukan"
    assert semua[ronde.diajukan.kode_lacak]["agency_responsible"] == "Kelurahan Moro"
    assert semua[ronde.lolos_desa.kode_lacak]["agency_responsible"] == "Kecamatan Moro"
    # A draft decision is invisible: open, held by Bappeda, no OPD.
    r = semua[ronde.rahasia.kode_lacak]
    assert (r["status"], r["status_notes"], r["agency_responsible"]) == (
        "open",
        "Lolos kecamatan",
        "Bappeda Kabupaten Karimun",
    )
    t = semua[ronde.diterima.kode_lacak]
    assert (t["status"], t["agency_responsible"]) == ("closed", opd.nama)
    assert t["status_notes"].startswith("Diterima. Diterima dalam RKPD")


def test_media_url_foto_publik(client, ronde):
    (r,) = client.get(reverse("open311:request", kwargs={"kode": ronde.diajukan.kode_lacak, "format": "json"})).json()
    foto = ronde.diajukan.foto.get()
    assert r["media_url"] == f"http://testserver{foto.url_web}"
    gambar = client.get(r["media_url"].removeprefix("http://testserver"))
    assert gambar.status_code == 200 and gambar["Content-Type"] == "image/jpeg"


def test_xml_seperti_contoh_spesifikasi(client, ronde):
    respons = client.get(reverse("open311:requests", kwargs={"format": "xml"}), {"status": "closed"})
    assert respons["Content-Type"] == "text/xml; charset=utf-8"
    akar = baca_xml(respons.content)
    assert akar.tag == "service_requests"
    permintaan = akar.findall("request")
    assert {p.findtext("service_request_id") for p in permintaan} == {
        ronde.ditolak.kode_lacak,
        ronde.diterima.kode_lacak,
    }
    assert all([e.tag for e in p] == list(FIELD_PERMINTAAN) for p in permintaan)
    p = next(p for p in permintaan if p.findtext("service_request_id") == ronde.ditolak.kode_lacak)
    assert p.findtext("status") == "closed" and p.findtext("zipcode") == ""
    assert float(p.findtext("long")) == round(ronde.ditolak.lokasi.x, 7)


def test_xml_teks_diloloskan(client, warga, desa, siklus):
    u = buat(warga, desa, siklus, "Jalan <b>rusak</b> & berlubang", uraian="Baris\x0bkendali ]]> selesai")
    respons = client.get(reverse("open311:request", kwargs={"kode": u.kode_lacak, "format": "xml"}))
    akar = baca_xml(respons.content)
    deskripsi = akar.findtext("request/description")
    assert deskripsi.startswith("Jalan <b>rusak</b> & berlubang")
    assert deskripsi.endswith("Bariskendali ]]> selesai")


def test_saringan_status_layanan_dan_id(client, ronde):
    assert set(_per_kode(client.get(URL, {"status": "open"}).json())) == {
        ronde.diajukan.kode_lacak,
        ronde.lolos_desa.kode_lacak,
        ronde.rahasia.kode_lacak,
    }
    assert len(client.get(URL, {"status": "open,closed"}).json()) == 5
    assert client.get(URL, {"service_code": "01.01"}).json() == []
    assert len(client.get(URL, {"service_code": "01.01,05.01"}).json()) == 5
    # service_request_id overrides every other argument, the window included.
    _mundur(ronde.diajukan, 400)
    pilihan = f"{ronde.diajukan.kode_lacak},{ronde.ditolak.kode_lacak.lower()}"
    data = client.get(URL, {"service_request_id": pilihan, "status": "open", "service_code": "01.01"}).json()
    assert set(_per_kode(data)) == {ronde.diajukan.kode_lacak, ronde.ditolak.kode_lacak}


def test_jendela_90_hari(client, ronde):
    _mundur(ronde.diajukan, 100)
    _mundur(ronde.ditolak, 20)

    def kode(**query) -> set[str]:
        return set(_per_kode(client.get(URL, query).json()))

    def lalu(hari: int, bentuk: str = "%Y-%m-%dT%H:%M:%SZ") -> str:
        return timezone.localtime(timezone.now() - datetime.timedelta(days=hari), datetime.UTC).strftime(bentuk)

    bawaan = kode()
    assert ronde.ditolak.kode_lacak in bawaan and ronde.diajukan.kode_lacak not in bawaan
    assert kode(start_date=lalu(120), end_date=lalu(60)) == {ronde.diajukan.kode_lacak}
    # start_date alone: the 90 days from then; end_date alone: the 90 days before.
    assert kode(start_date=lalu(120)) == {ronde.diajukan.kode_lacak}
    assert kode(end_date=lalu(95)) == {ronde.diajukan.kode_lacak}
    # An offset written unencoded (+ turns into a space) still parses.
    akhir = timezone.localtime(timezone.now() - datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S 07:00")
    assert kode(end_date=akhir) == {ronde.ditolak.kode_lacak}
    assert kode(start_date=lalu(120, "%Y-%m-%d"), end_date=lalu(60, "%Y-%m-%d")) == {ronde.diajukan.kode_lacak}


@pytest.mark.parametrize(
    ("query", "pesan"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "paling lama 90 hari"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"}, "end_date harus sesudah"),
        ({"start_date": "kemarin"}, "start_date harus berformat W3C"),
        ({"end_date": "2026-02-30T00:00:00Z"}, "end_date harus berformat W3C"),
        ({"status": "pending"}, "status hanya boleh open atau closed"),
        ({"bbox": "1,2,3"}, "bbox harus berupa minlon,minlat,maxlon,maxlat"),
        ({"bbox": "103.6,0.8,103.3,1.1"}, "bbox harus berupa"),
        ({"page": "0"}, "page harus bilangan bulat positif"),
        ({"page_size": "²"}, "page_size harus bilangan bulat positif"),
    ],
)
def test_parameter_salah_400(client, db, query, pesan):
    respons = client.get(URL, query)
    assert respons.status_code == 400
    (galat,) = respons.json()
    assert galat["code"] == 400 and pesan in galat["description"]


def test_nul_bukan_galat_server(client, ronde):
    assert client.get(URL, {"service_code": "05.01\x00"}).json() != []
    assert client.get(URL, {"service_request_id": "2102\x00"}).json() == []
    assert len(client.get(URL, {"service_request_id": "\x00"}).json()) == 5  # empty = not given (the spec)
    assert client.get(URL, {"start_date": "2026\x00"}).status_code == 400


def test_bbox_dan_halaman(client, ronde, desa_lain, warga, siklus):
    jauh = buat(warga, desa_lain, siklus, "Lampu jalan Pongkar")
    x, y = ronde.diajukan.lokasi.x, ronde.diajukan.lokasi.y
    kotak = f"{x - 0.01},{y - 0.01},{x + 0.01},{y + 0.01}"
    dekat = _per_kode(client.get(URL, {"bbox": kotak}).json())
    assert len(dekat) == 5 and jauh.kode_lacak not in dekat
    assert len(client.get(URL).json()) == 6

    halaman = [client.get(URL, {"page_size": 4, "page": p}).json() for p in (1, 2, 3)]
    assert [len(h) for h in halaman] == [4, 2, 0]
    kode = [r["service_request_id"] for h in halaman for r in h]
    assert len(set(kode)) == 6
    # FixMyStreet's name for the page size.
    assert len(client.get(URL, {"max_requests": 2}).json()) == 2
    # More than 1000 is capped, not refused.
    assert len(client.get(URL, {"page_size": 5000}).json()) == 6


@pytest.mark.parametrize("format", ["json", "xml"])
def test_satu_permintaan(client, ronde, format):
    respons = client.get(reverse("open311:request", kwargs={"kode": ronde.ditolak.kode_lacak, "format": format}))
    assert respons.status_code == 200
    if format == "json":
        (r,) = respons.json()
        assert tuple(r) == FIELD_PERMINTAAN and r["service_request_id"] == ronde.ditolak.kode_lacak
    else:
        akar = baca_xml(respons.content)
        assert akar.tag == "service_requests" and len(akar.findall("request")) == 1
        assert akar.findtext("request/status_notes") == "Ditolak. Lokasi tidak jelas: Titik di laut"
    tidak_ada = client.get(reverse("open311:request", kwargs={"kode": "2102-1999-99999", "format": format}))
    assert tidak_ada.status_code == 404
    if format == "json":
        assert tidak_ada.json() == [{"code": 404, "description": "service_request_id 2102-1999-99999 tidak ditemukan."}]
    else:
        assert baca_xml(tidak_ada.content).findtext("error/code") == "404"


def test_jumlah_kueri_tetap(client, ronde, warga, desa, siklus, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(client.get(URL).json()) == 5
    for i in range(3):
        buat(warga, desa, siklus, f"Usulan tambahan {i}")
    with django_assert_num_queries(1):
        assert len(client.get(URL).json()) == 8
    with django_assert_num_queries(1):
        client.get(reverse("open311:request", kwargs={"kode": ronde.diajukan.kode_lacak, "format": "xml"}))
