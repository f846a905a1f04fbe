"""A resident on a phone (360×640, real Chromium): signs in, drops the pin, attaches a real phone
photo, submits, and lands on the tracking page showing the photo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import gambar
from tests.factories import KATA_SANDI
from usulan.models import Usulan

pytestmark = pytest.mark.django_db(transaction=True)
FOTO_PONSEL = Path(__file__).resolve().parents[1] / "data" / "foto" / "phone-nogps" / "Samsung_SM-J327T1.jpg"

# Records what each photo's progress bar and status line show while it uploads (as soon as it is chosen,
# before the form is sent). Observes the real DOM, changes nothing.
CATAT_KEMAJUAN = """
document.addEventListener("DOMContentLoaded", () => {
  const daftar = document.getElementById("pratinjau-foto");
  if (!daftar) return;
  new MutationObserver(() => {
    const log = JSON.parse(sessionStorage.getItem("kemajuan") || "[]");
    daftar.querySelectorAll(".foto-unggah").forEach((li) => {
      const bar = li.querySelector("progress"), status = li.querySelector(".foto-unggah__status");
      log.push({terlihat: !!bar && !bar.hidden, nilai: bar ? bar.value : null, teks: status ? status.textContent : ""});
    });
    sessionStorage.setItem("kemajuan", JSON.stringify(log));
  }).observe(daftar, {attributes: true, childList: true, characterData: true, subtree: true});
});
"""
# Holds the real geolocation request until the test releases it, so the "finding you" state can be
# seen; the position itself still comes from the browser's geolocation.
TAHAN_LOKASI = """
(() => {
  const asli = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
  const tertahan = [];
  navigator.geolocation.getCurrentPosition = (ok, gagal, opsi) => tertahan.push(() => asli(ok, gagal, opsi));
  window.lepasLokasi = () => tertahan.splice(0).forEach((f) => f());
})();
"""


@pytest.fixture
def ponsel(browser: Browser, live_server, settings, desa):
    # The deployment's map opens on Kelurahan Moro, so a tap in the middle drops the pin there.
    titik = desa.batas.point_on_surface
    settings.LEAFLET_CONFIG = {**settings.LEAFLET_CONFIG, "DEFAULT_CENTER": (titik.y, titik.x), "DEFAULT_ZOOM": 16}
    konteks = browser.new_context(
        viewport={"width": 360, "height": 640},
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        geolocation={"latitude": titik.y, "longitude": titik.x},
    )
    halaman = konteks.new_page()
    yield halaman
    konteks.close()


def _masuk(halaman: Page, url: str) -> None:
    halaman.goto(url + "/masuk/?next=/usulan/baru/")
    halaman.get_by_label("E-mail, nomor telepon, atau nama pengguna").fill("0812 0000 0001")
    halaman.locator("#id_password").fill(KATA_SANDI)
    halaman.get_by_role("button", name="Masuk").click()
    expect(halaman.get_by_role("heading", name="Ajukan usulan")).to_be_visible()


def test_warga_mengirim_usulan_dari_ponsel(ponsel: Page, live_server, warga, orang_luar, siklus, desa):
    from tests.factories import buat_kamus
    from tests.skenario import buat_usulan

    buat_kamus(siklus, harga="450000")
    sudah_ada = buat_usulan(orang_luar, siklus, desa, judul="Perbaikan drainase dekat masjid")
    ponsel.add_init_script(CATAT_KEMAJUAN)
    _masuk(ponsel, live_server.url)
    ponsel.get_by_label("Judul usulan").fill("Perbaikan drainase depan masjid")
    ponsel.get_by_label("Permasalahan saat ini").fill("Air meluap ke jalan setiap hujan.")
    ponsel.get_by_label("Usulan kegiatan").fill("Pembangunan saluran beton.")
    ponsel.locator("#id_foto").set_input_files(str(FOTO_PONSEL))
    expect(ponsel.locator("#pratinjau-foto img")).to_have_count(1)
    # The photo goes up on its own while the resident writes on, and says when it is done.
    expect(ponsel.locator(".foto-unggah--selesai .foto-unggah__status")).to_have_text("Terunggah", timeout=20000)
    # The preview is the small copy the phone sent: upright (the file is stored landscape with EXIF
    # "Rotated 90 CW") and at most 2048 px on its long side.
    pratinjau = ponsel.locator("#pratinjau-foto img").evaluate(
        "img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])"
    )
    assert pratinjau == [1536, 2048]
    peta = ponsel.locator("#peta-usulan")
    peta.scroll_into_view_if_needed()
    peta.click()  # drop the pin in the middle of the map
    expect(ponsel.locator("#id_lat")).not_to_have_value("")
    ponsel.get_by_label("Alamat atau patokan").fill("Depan Masjid Raya")
    # The same problem was already proposed nearby: the form says so (the resident may still send).
    expect(ponsel.locator("#usulan-serupa")).to_contain_text("Mungkin sudah diusulkan")
    expect(ponsel.locator("#usulan-serupa")).to_contain_text(sudah_ada.judul)
    ponsel.get_by_label("Bidang").select_option(label="Pekerjaan Umum")
    ponsel.get_by_label("Jenis kegiatan (kamus usulan)").select_option(label="Semenisasi jalan lingkungan (meter)")
    ponsel.get_by_label("Volume").fill("150")
    # Unit from the catalogue, cost = 150 × Rp 450.000 shown while typing.
    expect(ponsel.locator("#id_satuan")).to_have_value("meter")
    expect(ponsel.locator("#nilai-biaya")).to_have_text("Rp 67.500.000")
    ponsel.get_by_role("button", name="Kirim usulan").click()

    expect(ponsel.get_by_text("Simpan kode lacak ini")).to_be_visible(timeout=20000)
    # The photo's upload showed its progress: its bar appeared and its status counted up to 100 %.
    kemajuan = json.loads(ponsel.evaluate("sessionStorage.getItem('kemajuan')") or "[]")
    assert any(k["terlihat"] and k["teks"].startswith("Mengunggah…") for k in kemajuan), kemajuan
    assert any(k["teks"] == "Mengunggah… 100%" and k["nilai"] == 100 for k in kemajuan), kemajuan
    usulan = Usulan.objects.exclude(pk=sudah_ada.pk).get()
    assert usulan.desa.kode == "21.02.01.1003" and usulan.perkiraan_biaya == 67_500_000
    expect(ponsel.get_by_text(usulan.kode_lacak).first).to_be_visible()
    foto = ponsel.locator(".galeri img").first
    expect(foto).to_be_visible()
    # The web copy really loaded, upright: the Samsung photo is stored "Rotated 90 CW" (2576×1932).
    ukuran = foto.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert ukuran[0] < ukuran[1] and max(ukuran) <= 1600
    assert ponsel.evaluate("document.documentElement.scrollWidth") <= 360


def test_pakai_lokasi_saya_dan_lokasi_foto(ponsel: Page, live_server, warga, siklus, desa, tmp_path):
    ponsel.context.grant_permissions(["geolocation"])
    ponsel.add_init_script(TAHAN_LOKASI)
    _masuk(ponsel, live_server.url)
    tombol_saya = ponsel.get_by_role("button", name="Pakai lokasi saya")
    tombol_saya.click()
    # While the phone looks for a fix, the page says so and the button cannot be pressed twice.
    expect(ponsel.locator("#status-lokasi")).to_have_text("Mencari lokasi Anda…")
    expect(tombol_saya).to_be_disabled()
    ponsel.evaluate("window.lepasLokasi()")
    expect(ponsel.locator("#status-lokasi")).to_have_text("Lokasi Anda ditemukan. Geser pin bila perlu.")
    expect(tombol_saya).to_be_enabled()
    titik = desa.batas.point_on_surface
    assert abs(float(ponsel.locator("#id_lat").input_value()) - titik.y) < 1e-5

    # A photo with GPS elsewhere in Karimun offers "use the photo's location".
    lain = tmp_path / "foto-gps.jpg"
    lain.write_bytes(gambar.jpeg(lat=1.124183, lon=103.359401))
    ponsel.locator("#id_foto").set_input_files(str(lain))
    tombol = ponsel.get_by_role("button", name="Pakai lokasi foto")
    expect(tombol).to_be_visible()
    # It asks, with the distance, and leaves the pin alone until the resident says yes.
    expect(ponsel.locator("#pesan-foto-gps")).to_have_text(
        re.compile(r"^GPS foto berjarak [\d,]+ km dari pin\. Pakai lokasi foto\?$")
    )
    assert abs(float(ponsel.locator("#id_lat").input_value()) - titik.y) < 1e-5
    tombol.click()
    expect(ponsel.locator("#id_lat")).to_have_value("1.124183")
    expect(ponsel.locator("#id_lon")).to_have_value("103.359401")


def test_izin_lokasi_ditolak_pesan_jelas(ponsel: Page, live_server, warga, siklus):
    ponsel.context.clear_permissions()
    _masuk(ponsel, live_server.url)
    ponsel.get_by_role("button", name="Pakai lokasi saya").click()
    expect(ponsel.locator("#status-lokasi")).to_contain_text("Izin lokasi ditolak")


def test_pin_di_luar_kabupaten_dicegah_sebelum_dikirim(ponsel: Page, live_server, warga, siklus):
    """The outline of the kabupaten is known to the page: a pin in Jakarta is refused before any request."""
    _masuk(ponsel, live_server.url)
    kiriman = []
    ponsel.on("request", lambda r: kiriman.append(r.url) if r.method == "POST" else None)
    ponsel.get_by_label("Lintang").fill("-6.2")
    ponsel.get_by_label("Bujur").fill("106.8")
    ponsel.get_by_label("Bujur").dispatch_event("change")
    ponsel.get_by_role("button", name="Kirim usulan").click()
    expect(ponsel.locator("#id_lat_galat_klien")).to_have_text(
        "Lokasi ini berada di luar wilayah kabupaten/kota ini. Pilih titik di dalam wilayahnya."
    )
    expect(ponsel.locator("#ringkasan-galat-klien")).to_contain_text("Judul usulan wajib diisi.")
    expect(ponsel.locator("#id_judul")).to_be_focused()
    assert kiriman == [] and not Usulan.objects.exists()


def test_png_dikecilkan_dengan_exif_heic_dikirim_apa_adanya(ponsel: Page, live_server, warga, siklus, tmp_path):
    """A large PNG carrying EXIF becomes a ≤ 2048 px JPEG that keeps its GPS, time and camera; a HEIC the
    browser cannot decode goes up as it is and the server reads it."""
    import datetime
    import io

    from PIL import Image

    from usulan.models import UnggahanFoto

    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "TestCam", "Png-1"
    exif[0x0112] = 1
    exif.get_ifd(gambar.TAG_GPS_IFD).update({1: "N", 2: gambar._dms(1.0), 3: "E", 4: gambar._dms(103.4)})
    exif.get_ifd(gambar.TAG_EXIF_IFD)[gambar.TAG_DATETIME_ORIGINAL] = (
        datetime.datetime.now() - datetime.timedelta(days=2)
    ).strftime("%Y:%m:%d %H:%M:%S")
    png = tmp_path / "layar.png"
    keluaran = io.BytesIO()
    Image.radial_gradient("L").resize((3000, 2000)).convert("RGB").save(keluaran, "PNG", exif=exif)
    png.write_bytes(keluaran.getvalue())
    heic = Path(__file__).resolve().parents[1] / "data" / "foto" / "heic" / "Apple_iPhone_8_IMG_1034.heic"

    _masuk(ponsel, live_server.url)
    ponsel.locator("#id_foto").set_input_files([str(png), str(heic)])
    expect(ponsel.locator(".foto-unggah--selesai")).to_have_count(2, timeout=30000)
    dari_png = UnggahanFoto.objects.get(model_kamera="Png-1")
    assert dari_png.format == "JPEG" and (dari_png.lebar, dari_png.tinggi) == (2048, 1365)
    assert dari_png.lat == pytest.approx(1.0, abs=1e-4) and dari_png.lon == pytest.approx(103.4, abs=1e-4)
    assert dari_png.diambil_pada is not None and dari_png.merek_kamera == "TestCam"
    dari_heic = UnggahanFoto.objects.exclude(pk=dari_png.pk).get()
    assert dari_heic.format == "HEIF" and dari_heic.ukuran_byte == heic.stat().st_size
