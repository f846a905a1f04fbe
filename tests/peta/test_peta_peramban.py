"""A resident on a phone (360×640, real Chromium, no base tiles): opens the map, filters by status,
zooms into a cluster, opens a popup and reads the decision's reason; the URL then reproduces the view."""

from __future__ import annotations

import re

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import Page, expect

from tests.peta.bantu import baris_usulan

pytestmark = pytest.mark.django_db(transaction=True)


def _tanpa_gulir_samping(halaman: Page) -> None:
    assert halaman.evaluate("document.documentElement.scrollWidth") <= 360


def test_warga_membaca_alasan_penolakan_di_peta(ponsel: Page, live_server, alur, siklus, desa, desa_lain):
    titik = desa.batas.point_on_surface
    # Three more rejections a few hundred metres around the rejected proposal, other statuses elsewhere.
    for dx, dy in ((0.003, 0.0), (-0.003, 0.002), (0.0, -0.003)):
        baris_usulan(siklus, desa, Point(titik.x + dx, titik.y + dy, srid=4326), status="ditolak", judul="Tolak lain")
    baris_usulan(siklus, desa_lain, desa_lain.batas.point_on_surface, status="diterima", jumlah=6)

    ponsel.goto(f"{live_server.url}/peta/?z=11&lat={titik.y:.5f}&lon={titik.x:.5f}")
    klaster = ponsel.locator(".klaster-ikon")
    expect(klaster.first).to_be_visible()
    expect(ponsel.locator("#ringkas-tampilan")).to_contain_text("7 usulan di tampilan ini")
    _tanpa_gulir_samping(ponsel)

    ponsel.get_by_text("Saring usulan").click()
    ponsel.get_by_role("checkbox", name="Ditolak", exact=True).check()
    expect(ponsel).to_have_url(re.compile(r"status=ditolak"))
    expect(ponsel.locator("#ringkas-tampilan")).to_contain_text("4 usulan di tampilan ini")
    expect(klaster).to_have_count(1)
    _tanpa_gulir_samping(ponsel)

    klaster.click()
    penanda = ponsel.locator(".titik--ditolak")
    expect(penanda).to_have_count(4)
    expect(ponsel).to_have_url(re.compile(r"z=14"))
    ponsel.get_by_title(alur.ditolak.judul).click()
    popup = ponsel.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Titik lokasi berada di laut, bukan di jalan kebun.")
    expect(popup).to_contain_text("Lokasi tidak jelas")
    expect(popup.get_by_role("link", name="Lihat halaman usulan")).to_have_attribute(
        "href", f"/usulan/lacak/{alur.ditolak.kode_lacak}/"
    )
    # The list follows the view: the four rejections, each linked to its public page.
    expect(ponsel.locator("#daftar-tampilan .butir-peta")).to_have_count(4)
    _tanpa_gulir_samping(ponsel)

    # The address reproduces what was seen: same zoom, same filter, same markers.
    ponsel.goto(ponsel.url)
    expect(ponsel.locator(".titik--ditolak")).to_have_count(4)
    expect(ponsel.get_by_role("checkbox", name="Ditolak", exact=True)).to_be_checked()
