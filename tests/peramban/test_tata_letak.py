"""The base layout in real Chromium at a phone's width: no sideways scrolling, keyboard reachable."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ponsel(page: Page) -> Page:
    page.set_viewport_size({"width": 360, "height": 640})
    return page


def test_beranda_muat_di_360_piksel_tanpa_geser_samping(ponsel: Page, live_server, siklus):
    ponsel.goto(live_server.url + "/")
    expect(ponsel.get_by_role("heading", level=1)).to_contain_text("Usulkan pembangunan")
    lebar = ponsel.evaluate("document.documentElement.scrollWidth")
    assert lebar <= 360
    # The stylesheet really loaded (served locally): the header has the brand colour.
    warna = ponsel.evaluate("getComputedStyle(document.querySelector('.kepala')).backgroundColor")
    assert warna == "rgb(11, 93, 59)"


def test_papan_ketik_lompat_ke_isi_dan_ganti_bahasa(ponsel: Page, live_server, siklus):
    ponsel.goto(live_server.url + "/")
    ponsel.keyboard.press("Tab")
    lompat = ponsel.get_by_role("link", name="Langsung ke isi")
    expect(lompat).to_be_focused()
    expect(lompat).to_be_in_viewport()
    ponsel.get_by_label("Bahasa").select_option("en")
    ponsel.get_by_role("button", name="Ganti").click()
    expect(ponsel.get_by_role("heading", level=1)).to_contain_text("Propose development")
    expect(ponsel.locator("html")).to_have_attribute("lang", "en")
