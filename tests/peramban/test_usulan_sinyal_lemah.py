"""A resident on a weak signal (issue 13): Chromium at 360×640 under emulated slow 3G (400 ms latency,
400 kbit/s down and up). Two real phone photos are made small on the phone, keep their EXIF and go up
as soon as they are chosen; a form error never loses them; without a signal the form is saved as a
draft, opens again offline, and is sent exactly once when the signal returns."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.storage import storages
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tests.factories import KATA_SANDI, buat_kamus
from usulan.foto import baca_exif
from usulan.models import FotoUsulan, UnggahanFoto, Usulan

pytestmark = pytest.mark.django_db(transaction=True)
FOTO = Path(__file__).resolve().parents[1] / "data" / "foto"
# Real phone photos: an iPhone 5 (2.4 MB, 3264×2448, GPS in Seattle, "Rotated 180") and a Samsung
# (0.9 MB, 2576×1932, no GPS, "Rotated 90 CW").
IPHONE = FOTO / "phone-gps" / "Apple_iPhone_5.jpg"
SAMSUNG = FOTO / "phone-nogps" / "Samsung_SM-J327T1.jpg"
LAMBAT = 60_000  # ms: what a person on 3G waits for two photos, with slack for a busy test machine


def _3g_lambat(halaman: Page) -> None:
    cdp = halaman.context.new_cdp_session(halaman)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8},
    )


@pytest.fixture
def ponsel(browser: Browser, live_server, settings, desa):
    titik = desa.batas.point_on_surface
    settings.LEAFLET_CONFIG = {**settings.LEAFLET_CONFIG, "DEFAULT_CENTER": (titik.y, titik.x), "DEFAULT_ZOOM": 16}
    konteks = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    halaman = konteks.new_page()
    _3g_lambat(halaman)
    yield halaman
    konteks.close()


def _masuk(halaman: Page, url: str) -> None:
    halaman.goto(url + "/masuk/?next=/usulan/baru/")
    halaman.get_by_label("E-mail, nomor telepon, atau nama pengguna").fill("0812 0000 0001")
    halaman.locator("#id_password").fill(KATA_SANDI)
    halaman.get_by_role("button", name="Masuk").click()
    expect(halaman.get_by_role("heading", name="Ajukan usulan")).to_be_visible(timeout=LAMBAT)


def _isi_teks(halaman: Page, *, volume: str = "120") -> None:
    halaman.get_by_label("Judul usulan").fill("Perbaikan jalan setapak ke dermaga")
    halaman.get_by_label("Permasalahan saat ini").fill("Jalan berlubang, licin saat hujan.")
    halaman.get_by_label("Usulan kegiatan").fill("Semenisasi jalan setapak.")
    peta = halaman.locator("#peta-usulan")
    peta.scroll_into_view_if_needed()
    peta.click()  # the pin in the middle of the map, inside Kelurahan Moro
    expect(halaman.locator("#id_lat")).not_to_have_value("")
    halaman.get_by_label("Alamat atau patokan").fill("Jalan ke dermaga")
    halaman.get_by_label("Bidang").select_option(label="Pekerjaan Umum")
    halaman.get_by_label("Volume").fill(volume)
    halaman.get_by_label("Satuan").fill("meter")


def _foto_terunggah(halaman: Page, jumlah: int) -> None:
    expect(halaman.locator(".foto-unggah--selesai")).to_have_count(jumlah, timeout=LAMBAT)


def test_dua_foto_ponsel_dikecilkan_dengan_exif_dan_galat_tidak_menghilangkan_foto(
    ponsel: Page, live_server, warga, siklus, desa
):
    kamus = buat_kamus(siklus, harga="450000")
    _masuk(ponsel, live_server.url)
    # One camera button, one gallery button; the raw file inputs are not shown.
    expect(ponsel.get_by_text("Ambil foto dengan kamera")).to_be_visible()
    expect(ponsel.get_by_text("Pilih dari galeri")).to_be_visible()
    for input_berkas in ("#id_foto", "#id_foto_kamera"):
        kotak = ponsel.locator(input_berkas).bounding_box()
        assert kotak is not None and kotak["width"] <= 1 and kotak["height"] <= 1
    ponsel.locator("#id_foto").set_input_files([str(IPHONE), str(SAMSUNG)])
    # Each photo shows its own progress while the resident writes the rest.
    expect(ponsel.locator(".foto-unggah")).to_have_count(2)
    _isi_teks(ponsel)
    _foto_terunggah(ponsel, 2)
    # The iPhone's GPS is in Seattle: mentioned, never applied (the pin stays where it was put).
    expect(ponsel.locator("#pesan-foto-gps")).to_contain_text("di luar wilayah")
    expect(ponsel.get_by_role("button", name="Pakai lokasi foto")).to_be_hidden()
    assert float(ponsel.locator("#id_lat").input_value()) == pytest.approx(desa.batas.point_on_surface.y, abs=0.01)

    # What the server received: small upright JPEGs whose EXIF still carries the evidence.
    diterima = {u.model_kamera: u for u in UnggahanFoto.objects.all()}
    assert set(diterima) == {"iPhone 5", "SM-J327T1"}
    for u in diterima.values():
        with storages["privat"].open(u.asli, "rb") as f:
            data = f.read()
        with Image.open(io.BytesIO(data)) as img:
            assert img.format == "JPEG" and max(img.size) <= 2048
            assert img.getexif().get(0x0112, 1) == 1  # already upright
        exif = baca_exif(data)
        assert exif.diambil_pada is not None and exif.merek and exif.model
    iphone = diterima["iPhone 5"]
    assert (iphone.lebar, iphone.tinggi) == (2048, 1536)
    assert iphone.lat == pytest.approx(47.627167, abs=1e-4) and iphone.lon == pytest.approx(-122.337333, abs=1e-4)
    assert diterima["SM-J327T1"].lebar < diterima["SM-J327T1"].tinggi  # portrait, as the phone showed it
    assert sum(u.ukuran_byte for u in diterima.values()) <= 900 * 1024

    # A catalogue item withdrawn while the resident was typing: only the server can know. The page
    # comes back with the error in view and the photos still attached.
    ponsel.get_by_label("Jenis kegiatan (kamus usulan)").select_option(label="Semenisasi jalan lingkungan (meter)")
    kamus.aktif = False
    kamus.save()
    ponsel.get_by_role("button", name="Kirim usulan").click()
    ringkasan = ponsel.locator("#ringkasan-galat")
    expect(ringkasan).to_contain_text("Pilih Jenis kegiatan (kamus usulan) dari daftar.", timeout=LAMBAT)
    expect(ringkasan).to_be_in_viewport()
    expect(ponsel.locator("#id_kamus")).to_be_focused()
    expect(ponsel.locator(".foto-unggah--selesai")).to_have_count(2)
    assert not Usulan.objects.exists() and UnggahanFoto.objects.count() == 2

    # A mistake the page catches itself: named after its field, focused, summary in view.
    ponsel.get_by_label("Jenis kegiatan (kamus usulan)").select_option(label="— tidak ada yang cocok —")
    ponsel.get_by_label("Satuan").fill("meter")
    ponsel.get_by_label("Volume").fill("")
    ponsel.get_by_role("button", name="Kirim usulan").click()
    expect(ponsel.locator("#id_volume_galat_klien")).to_have_text("Volume wajib diisi.")
    expect(ponsel.locator("#ringkasan-galat-klien")).to_be_in_viewport()
    expect(ponsel.locator("#id_volume")).to_be_focused()

    # Fixed and sent without picking the photos again.
    ponsel.get_by_label("Volume").fill("120")
    ponsel.get_by_role("button", name="Kirim usulan").click()
    expect(ponsel.get_by_text("Simpan kode lacak ini")).to_be_visible(timeout=LAMBAT)
    usulan = Usulan.objects.get()
    expect(ponsel.get_by_text(usulan.kode_lacak).first).to_be_visible()
    foto = {f.model_kamera: f for f in FotoUsulan.objects.filter(usulan=usulan)}
    assert set(foto) == {"iPhone 5", "SM-J327T1"}
    # The verifiers' flags still work on the small copies: far from the pin, taken years ago.
    assert foto["iPhone 5"].bendera_jauh and foto["iPhone 5"].jarak_dari_pin_m > 10_000_000
    assert foto["iPhone 5"].bendera_lama and foto["iPhone 5"].merek_kamera == "Apple"
    assert foto["SM-J327T1"].lokasi_exif is None and not foto["SM-J327T1"].bendera_jauh
    assert not UnggahanFoto.objects.exists()
    assert ponsel.evaluate("document.documentElement.scrollWidth") <= 360


def test_draf_tanpa_sinyal_dibuka_lagi_lalu_terkirim_sekali(ponsel: Page, live_server, warga, siklus):
    _masuk(ponsel, live_server.url)
    # The service worker installs and takes over the page (it caches the form and its assets).
    ponsel.wait_for_function("() => navigator.serviceWorker.controller !== null", polling=250, timeout=LAMBAT)
    expect(ponsel.get_by_role("button", name="Simpan draf")).to_be_visible()

    ponsel.context.set_offline(True)
    _isi_teks(ponsel)
    ponsel.locator("#id_foto").set_input_files(str(SAMSUNG))
    # No signal: the small copy waits on the phone, with a retry button.
    expect(ponsel.locator(".foto-unggah--gagal")).to_have_count(1, timeout=LAMBAT)
    ponsel.get_by_role("button", name="Simpan draf").click()
    draf = ponsel.locator("#isi-draf li")
    expect(draf).to_have_count(1)
    expect(draf).to_contain_text("Perbaikan jalan setapak ke dermaga")
    expect(draf).to_contain_text("Menunggu sinyal")

    # Still offline: the page opens again from the phone, with the draft waiting.
    ponsel.reload()
    expect(ponsel.get_by_role("heading", name="Ajukan usulan")).to_be_visible()
    expect(ponsel.locator("#isi-draf li")).to_contain_text("Menunggu sinyal")
    assert not Usulan.objects.exists()

    # The signal returns: the draft goes by itself, once, and shows its tracking code.
    ponsel.context.set_offline(False)
    expect(ponsel.locator("#isi-draf li")).to_contain_text("Terkirim. Kode lacak:", timeout=LAMBAT)
    usulan = Usulan.objects.get()
    expect(ponsel.locator("#isi-draf li")).to_contain_text(usulan.kode_lacak)
    assert usulan.judul == "Perbaikan jalan setapak ke dermaga" and usulan.foto.count() == 1
    assert usulan.kunci_idempoten is not None

    # Another visit sends nothing again.
    ponsel.reload()
    expect(ponsel.locator("#isi-draf li")).to_contain_text(usulan.kode_lacak, timeout=LAMBAT)
    ponsel.wait_for_load_state("networkidle")
    assert Usulan.objects.count() == 1
