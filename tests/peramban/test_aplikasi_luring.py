"""The installable app in Chromium at 360×640: the service worker keeps residents' pages for offline use,
never officials' pages, and signing out (phones are shared in families) warns about unsent drafts and
then clears the drafts and the cached pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import KATA_SANDI

pytestmark = pytest.mark.django_db(transaction=True)
TUNGGU = 60_000

ISI_CACHE = """async () => {
  const hasil = [];
  for (const nama of await caches.keys()) {
    for (const req of await (await caches.open(nama)).keys()) hasil.push(new URL(req.url).pathname);
  }
  return hasil;
}"""


@pytest.fixture
def ponsel(browser: Browser):
    konteks = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    halaman = konteks.new_page()
    yield halaman
    konteks.close()


def _masuk(halaman: Page, url: str, identitas: str, tujuan: str) -> None:
    halaman.goto(f"{url}/masuk/?next={tujuan}")
    halaman.get_by_label("E-mail, nomor telepon, atau nama pengguna").fill(identitas)
    halaman.locator("#id_password").fill(KATA_SANDI)
    halaman.get_by_role("button", name="Masuk").click()
    halaman.wait_for_url(f"**{tujuan}")
    _dikendalikan(halaman)


def _dikendalikan(halaman: Page) -> None:
    """Wait until the service worker is active and this page goes through it (a page loaded while it
    was still installing is only taken over by clients.claim(), or on the next visit)."""
    halaman.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not halaman.evaluate("() => navigator.serviceWorker.controller !== null"):
        halaman.reload()
    halaman.wait_for_function("() => navigator.serviceWorker.controller !== null", polling=250, timeout=TUNGGU)
    halaman.wait_for_function("() => typeof DrafUsulan === 'object'", polling=250, timeout=TUNGGU)


def test_halaman_petugas_tidak_disimpan_luring(ponsel: Page, live_server, operator_desa, siklus):
    _masuk(ponsel, live_server.url, "operator_desa", "/verifikasi/")
    ponsel.reload()  # now through the worker
    _dikendalikan(ponsel)
    expect(ponsel.get_by_role("heading", level=1)).to_be_visible()
    isi = ponsel.evaluate(ISI_CACHE)
    assert "/usulan/baru/" in isi and any(p.endswith("usulan_form.js") for p in isi)
    assert not [p for p in isi if p.startswith(("/verifikasi/", "/dasbor/", "/admin/", "/akun/"))], isi
    # Offline, an official's page is simply not there (the browser's own offline error).
    ponsel.context.set_offline(True)
    with pytest.raises(Exception, match=r"ERR_INTERNET_DISCONNECTED|ERR_FAILED"):
        ponsel.goto(live_server.url + "/verifikasi/")


def test_keluar_memperingatkan_draf_lalu_membersihkan(ponsel: Page, live_server, warga, siklus):
    _masuk(ponsel, live_server.url, "0812 0000 0001", "/usulan/saya/")
    ponsel.reload()
    _dikendalikan(ponsel)
    # The worker stores a page after answering with it: wait for the store, as a later offline visit would.
    ponsel.wait_for_function(
        f"async () => (await ({ISI_CACHE})()).includes('/usulan/saya/')", polling=250, timeout=TUNGGU
    )
    ponsel.evaluate(
        """() => DrafUsulan.simpan({id: crypto.randomUUID(), dibuat: Date.now(), judul: "Lampu gang", isian: [],
        foto: [], url: {}, status: "menunggu"})"""
    )
    # Cancelled: still signed in, the draft stays. The page asks once the drafts are counted (after
    # the click); a handler answers at once, since a dialog left open while the click is still being
    # acted on would hold the click up, and the click is only done when the question was asked.
    ponsel.once("dialog", lambda d: d.dismiss())
    with ponsel.expect_event("dialog") as tanya:
        ponsel.get_by_role("button", name="Keluar").click()
    assert "1 draf usulan yang belum terkirim" in tanya.value.message
    expect(ponsel.get_by_role("button", name="Keluar")).to_be_visible()
    assert ponsel.evaluate("DrafUsulan.semua().then(d => d.length)") == 1

    # Confirmed: signed out, and the phone keeps neither the draft nor this person's pages.
    ponsel.once("dialog", lambda d: d.accept())
    ponsel.get_by_role("button", name="Keluar").click()
    expect(ponsel.get_by_role("link", name="Masuk")).to_be_visible(timeout=TUNGGU)
    ponsel.wait_for_load_state("load")  # the new page's own scripts have run
    ponsel.wait_for_function("() => typeof DrafUsulan === 'object'", polling=250, timeout=TUNGGU)
    assert ponsel.evaluate("DrafUsulan.semua().then(d => d.length)") == 0
    assert "/usulan/saya/" not in ponsel.evaluate(ISI_CACHE)
