"""No public output leaks personal or internal data: every download and every Open311 response is
searched for the values seeded on the private side (account, e-mail, phone, contact, an unpublished
decision with its OPD and reason, OPD advice, internal history notes)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.peta_data.bantu import RAHASIA, isi_unduhan, teks_buku_kerja


def _keluaran_publik(client, kode: str) -> dict[str, str]:
    hasil = {
        "csv": isi_unduhan(client.get(reverse("data:csv"))).decode(),
        "geojson": isi_unduhan(client.get(reverse("data:geojson"))).decode(),
        "xlsx": teks_buku_kerja(client.get(reverse("data:xlsx"))),
    }
    for format in ("json", "xml"):
        hasil[f"requests.{format}"] = client.get(
            reverse("open311:requests", kwargs={"format": format})
        ).content.decode()
        hasil[f"request.{format}"] = client.get(
            reverse("open311:request", kwargs={"kode": kode, "format": format})
        ).content.decode()
    return hasil


@pytest.mark.parametrize("masuk", [None, "warga", "bappeda"])
def test_tidak_ada_data_pribadi_atau_internal(client, request, ronde, masuk):
    # Even a signed-in official gets only the public view from the public outputs.
    if masuk:
        client.force_login(request.getfixturevalue(masuk))
    keluaran = _keluaran_publik(client, ronde.rahasia.kode_lacak)
    for nama, teks in keluaran.items():
        assert ronde.rahasia.kode_lacak in teks, nama  # the proposal itself is there …
        for jenis, nilai in RAHASIA.items():
            assert nilai not in teks, f"{jenis} bocor di {nama}"  # … its private side is not
        assert "777000000" not in teks and "777.000.000" not in teks, nama  # the draft budget
        assert "Pelebaran jembatan kampung" in teks, nama


def test_status_internal_tidak_terlihat(client, ronde):
    kode = ronde.rahasia.kode_lacak
    fitur = json.loads(isi_unduhan(client.get(reverse("data:geojson"))))["features"]
    (rahasia,) = [f for f in fitur if f["id"] == kode]
    # Internally accepted, publicly still with Bappeda.
    assert rahasia["properties"]["status"] == "lolos_kecamatan"
    (permintaan,) = client.get(reverse("open311:request", kwargs={"kode": kode, "format": "json"})).json()
    assert (permintaan["status"], permintaan["status_notes"]) == ("open", "Lolos kecamatan")
