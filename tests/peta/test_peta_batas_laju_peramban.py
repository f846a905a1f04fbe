"""The map's per-address limit in a real browser (issue 6, point 5): a resident dragging and zooming the map
as fast as Chromium lets them never meets the shipped limit; over a (deliberately tiny) limit the map says
so and loads again once the window has passed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

import musrenbang.settings as produksi
from musrenbang import batas_laju

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def halaman(browser: Browser):
    konteks = browser.new_context(viewport={"width": 800, "height": 600}, locale="id-ID")
    hal = konteks.new_page()
    galat: list[str] = []
    hal.on("pageerror", lambda e: galat.append(str(e)))
    yield hal
    konteks.close()
    assert not galat, galat  # no script error, no CSP violation


def _jawaban_data(hal: Page) -> tuple[list[str], list[int]]:
    """The map data requests the page sends, and the statuses of those answered (a drag aborts the last)."""
    diminta: list[str] = []
    status: list[int] = []
    hal.on("request", lambda r: diminta.append(r.url) if "/peta/data/" in r.url else None)
    hal.on("response", lambda r: status.append(r.status) if "/peta/data/" in r.url else None)
    return diminta, status


def _geser(hal: Page, kali: int) -> None:
    """Drag the map `kali` times, alternating directions, with no pause between drags."""
    kotak = hal.locator("#peta-publik").bounding_box()
    assert kotak
    x, y = kotak["x"] + kotak["width"] / 2, kotak["y"] + kotak["height"] / 2
    for i in range(kali):
        dx = 120 if i % 2 == 0 else -100
        hal.mouse.move(x, y)
        hal.mouse.down()
        hal.mouse.move(x + dx, y + dx / 3, steps=3)
        hal.mouse.up()


def test_geser_dan_zoom_cepat_tidak_terkena_batas_bawaan(halaman: Page, live_server, siklus, settings):
    settings.BATAS_PETA_DATA_PER_MENIT_IP = produksi.BATAS_PETA_DATA_PER_MENIT_IP
    diminta, status = _jawaban_data(halaman)
    halaman.goto(f"{live_server.url}/peta/?z=11&lat=1.00000&lon=103.40000")
    expect(halaman.locator("#peta-publik")).not_to_have_attribute("aria-busy", "true")
    _geser(halaman, 40)
    for _ in range(6):
        halaman.locator(".leaflet-control-zoom-in").click()
        halaman.locator(".leaflet-control-zoom-out").click()
    expect(halaman.locator("#peta-publik")).not_to_have_attribute("aria-busy", "true")
    assert len(diminta) >= 40, len(diminta)  # the map asked after every drag (zooms mid-animation merge)
    assert 429 not in status and set(status) <= {200, 304}, status
    expect(halaman.locator("#ringkas-tampilan")).not_to_contain_text("gagal dimuat")


def _geser_dan_tunggu(hal: Page) -> int:
    """One drag; the status of the map data request it caused."""
    with hal.expect_response(lambda r: "/peta/data/" in r.url) as jawab:
        _geser(hal, 1)
    return jawab.value.status


def test_lewat_batas_kecil_peta_memberi_tahu_lalu_pulih(halaman: Page, live_server, siklus, settings, monkeypatch):
    jam = {"detik": 1_800_000_000 - 1_800_000_000 % 60 + 5.0}
    monkeypatch.setattr(batas_laju, "_sekarang", lambda: jam["detik"])
    settings.BATAS_PETA_DATA_PER_MENIT_IP = 2
    with halaman.expect_response(lambda r: "/peta/data/" in r.url) as pertama:
        halaman.goto(f"{live_server.url}/peta/?z=11&lat=1.00000&lon=103.40000")
    assert pertama.value.status == 200
    assert _geser_dan_tunggu(halaman) == 200
    assert _geser_dan_tunggu(halaman) == 429
    ringkas = halaman.locator("#ringkas-tampilan")
    # The server's own message, with how long to wait (not the generic "check your connection").
    expect(ringkas).to_contain_text("Peta dimuat terlalu sering dari alamat Anda. Coba lagi dalam 55 detik.")
    # The next minute: one more drag loads the view again.
    jam["detik"] += 60
    assert _geser_dan_tunggu(halaman) == 200
    expect(ringkas).not_to_contain_text("terlalu sering")
