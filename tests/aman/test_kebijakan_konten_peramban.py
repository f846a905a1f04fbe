"""In real Chromium, the Content-Security-Policy blocks nothing the pages need: the maps draw, the
photo preview (a blob: image) shows, and the admin's Leaflet boundary editor starts (its inline
script runs with the nonce). Any violation the browser reports fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from tests.skenario import buat_usulan

pytestmark = pytest.mark.django_db(transaction=True)
FOTO = Path(__file__).resolve().parents[1] / "data" / "foto" / "phone-nogps" / "Samsung_SM-J327T1.jpg"

# Recorded before any page script runs; Chromium fires this event for every blocked resource or script.
PENCATAT = """
window.__pelanggaran = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__pelanggaran.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _halaman(browser: Browser, url: str, pengguna=None) -> tuple[Page, list[str]]:
    konteks = browser.new_context(viewport={"width": 1024, "height": 800})
    if pengguna is not None:
        client = Client()
        client.force_login(pengguna)
        konteks.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}])
    konteks.add_init_script(PENCATAT)
    halaman = konteks.new_page()
    konsol: list[str] = []
    halaman.on("console", lambda pesan: konsol.append(pesan.text) if pesan.type == "error" else None)
    return halaman, konsol


def _tanpa_pelanggaran(halaman: Page, konsol: list[str]) -> None:
    assert halaman.evaluate("window.__pelanggaran") == []
    assert [k for k in konsol if "Content Security Policy" in k] == []


def test_peta_dan_pratinjau_foto_jalan_dengan_csp(browser: Browser, live_server, warga, siklus, desa):
    usulan = buat_usulan(warga, siklus, desa)
    halaman, konsol = _halaman(browser, live_server.url, warga)

    halaman.goto(f"{live_server.url}/usulan/lacak/{usulan.kode_lacak}/")
    expect(halaman.locator("#peta-lacak.leaflet-container path.leaflet-interactive")).to_have_count(1)
    _tanpa_pelanggaran(halaman, konsol)

    halaman.goto(f"{live_server.url}/usulan/baru/")
    expect(halaman.locator("#peta-usulan.leaflet-container")).to_be_visible()
    halaman.locator("#id_foto").set_input_files(str(FOTO))
    pratinjau = halaman.locator("#pratinjau-foto img")
    expect(pratinjau).to_have_count(1)
    assert pratinjau.get_attribute("src").startswith("blob:")
    # Decoded, so the blob: address was allowed (a blocked image never gets a width).
    halaman.wait_for_function("document.querySelector('#pratinjau-foto img').naturalWidth > 0")
    _tanpa_pelanggaran(halaman, konsol)


def test_peta_batas_di_admin_jalan_dengan_nonce(browser: Browser, live_server, admin_user, desa):
    halaman, konsol = _halaman(browser, live_server.url, admin_user)
    halaman.goto(f"{live_server.url}/admin/musrenbang/wilayah/{desa.pk}/change/")
    # The boundary is drawn only if django-leaflet's inline set-up script ran.
    expect(halaman.locator(".leaflet-container path.leaflet-interactive").first).to_be_visible()
    _tanpa_pelanggaran(halaman, konsol)


def test_skrip_sebaris_sisipan_diblokir(browser: Browser, live_server, db):
    # The control: an inline script slipped into a page is blocked, and the browser reports it.
    halaman, _konsol = _halaman(browser, live_server.url)
    halaman.goto(f"{live_server.url}/")
    halaman.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__jalan = 1';"
        " document.body.appendChild(s); }"
    )
    expect(halaman.locator("body")).to_be_visible()
    halaman.wait_for_function("window.__pelanggaran.length > 0")
    assert halaman.evaluate("window.__jalan") is None
    assert halaman.evaluate("window.__pelanggaran")[0].startswith("script-src")
