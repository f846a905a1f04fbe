"""Without JavaScript (real Chromium, scripts off, phone width): the plain latitude/longitude fields
and the file input are enough to submit a proposal and reach its tracking page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.factories import KATA_SANDI
from usulan.models import Usulan

pytestmark = pytest.mark.django_db(transaction=True)
FOTO_PONSEL = Path(__file__).resolve().parents[1] / "data" / "foto" / "phone-nogps" / "Samsung_SM-J327T1.jpg"


@pytest.fixture
def tanpa_js(browser: Browser):
    konteks = browser.new_context(viewport={"width": 360, "height": 640}, java_script_enabled=False, locale="id-ID")
    halaman = konteks.new_page()
    yield halaman
    konteks.close()


def test_usulan_terkirim_tanpa_javascript(tanpa_js, live_server, warga, siklus, desa):
    halaman = tanpa_js
    halaman.goto(live_server.url + "/masuk/?next=/usulan/baru/")
    halaman.get_by_label("E-mail, nomor telepon, atau nama pengguna").fill("0812 0000 0001")
    halaman.locator("#id_password").fill(KATA_SANDI)
    halaman.get_by_role("button", name="Masuk").click()
    expect(halaman.get_by_role("heading", name="Ajukan usulan")).to_be_visible()
    # The map needs JavaScript; its buttons stay hidden and the coordinates are typed instead.
    expect(halaman.get_by_role("button", name="Pakai lokasi saya")).to_be_hidden()
    titik = desa.batas.point_on_surface
    halaman.get_by_label("Judul usulan").fill("Lampu jalan gang mati")
    halaman.get_by_label("Permasalahan saat ini").fill("Gang gelap pada malam hari.")
    halaman.get_by_label("Usulan kegiatan").fill("Pemasangan dua lampu jalan.")
    halaman.locator("#id_foto").set_input_files(str(FOTO_PONSEL))
    halaman.get_by_label("Lintang").fill(f"{titik.y:.6f}")
    halaman.get_by_label("Bujur").fill(f"{titik.x:.6f}")
    halaman.get_by_label("Alamat atau patokan").fill("Gang Melati")
    halaman.get_by_label("Bidang").select_option(label="Pekerjaan Umum")
    halaman.get_by_label("Volume").fill("2")
    halaman.get_by_label("Satuan").fill("unit")
    halaman.get_by_role("button", name="Kirim usulan").click()

    expect(halaman.get_by_text("Simpan kode lacak ini")).to_be_visible(timeout=20000)
    usulan = Usulan.objects.get()
    assert usulan.desa == desa and usulan.foto.count() == 1
    assert halaman.url.endswith(f"/usulan/lacak/{usulan.kode_lacak}/")
    expect(halaman.locator(".galeri img").first).to_be_visible()
    assert halaman.locator("html").evaluate("e => e.scrollWidth") <= 360


def test_tanpa_javascript_galat_tidak_menghilangkan_foto(tanpa_js, live_server, warga, siklus, desa):
    """A full-page POST with a photo and a missing volume: the page comes back with the photo attached,
    and the fixed form is sent without choosing the photo again."""
    halaman = tanpa_js
    halaman.goto(live_server.url + "/masuk/?next=/usulan/baru/")
    halaman.get_by_label("E-mail, nomor telepon, atau nama pengguna").fill("0812 0000 0001")
    halaman.locator("#id_password").fill(KATA_SANDI)
    halaman.get_by_role("button", name="Masuk").click()
    titik = desa.batas.point_on_surface
    halaman.get_by_label("Judul usulan").fill("Lampu jalan gang mati")
    halaman.get_by_label("Permasalahan saat ini").fill("Gang gelap pada malam hari.")
    halaman.get_by_label("Usulan kegiatan").fill("Pemasangan dua lampu jalan.")
    # Without JavaScript the raw file input is there to use.
    expect(halaman.locator("#id_foto")).to_be_visible()
    halaman.locator("#id_foto").set_input_files(str(FOTO_PONSEL))
    halaman.get_by_label("Lintang").fill(f"{titik.y:.6f}")
    halaman.get_by_label("Bujur").fill(f"{titik.x:.6f}")
    halaman.get_by_label("Alamat atau patokan").fill("Gang Melati")
    halaman.get_by_label("Bidang").select_option(label="Pekerjaan Umum")
    halaman.get_by_label("Satuan").fill("unit")
    halaman.get_by_role("button", name="Kirim usulan").click()

    expect(halaman.locator("#ringkasan-galat")).to_contain_text("Volume wajib diisi.")
    expect(halaman.locator("#id_volume_galat")).to_have_text("Volume wajib diisi.")
    foto = halaman.locator("#pratinjau-foto li img")
    expect(foto).to_have_count(1)
    assert foto.evaluate("img => img.complete && img.naturalWidth > 0")
    assert not Usulan.objects.exists()
    halaman.get_by_label("Volume").fill("2")
    halaman.get_by_role("button", name="Kirim usulan").click()
    expect(halaman.get_by_text("Simpan kode lacak ini")).to_be_visible(timeout=20000)
    usulan = Usulan.objects.get()
    assert usulan.foto.count() == 1 and usulan.volume == 2
