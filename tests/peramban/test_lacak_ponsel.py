"""The tracking page is light on a phone (issue 13, point 7): on a 360×640 screen over emulated slow 3G
it loads the thumbnails of two real phone photos (never the web copies, which open when a photo is
tapped); the reason of a return or rejection stands right under the status badge in the first screen;
the revise page opens with the official's note; the header leaves the screen to the content."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from akun.models import Peran
from musrenbang.models import AlasanKode, Bidang
from tests.factories import KATA_SANDI
from usulan.models import FotoUsulan, Usulan
from usulan.services import IsiUsulan, usulan_buat
from verifikasi import transitions as t

pytestmark = pytest.mark.django_db(transaction=True)

FOTO = Path(__file__).resolve().parents[1] / "data" / "foto"
FOTO_PONSEL = (FOTO / "phone-nogps" / "Samsung_SM-J327T1.jpg", FOTO / "phone-gps" / "Apple_iPhone_4.jpg")
CATATAN = "Pin berada di tengah jalan raya; geser ke saluran yang tersumbat dan tambahkan foto saluran."

# Chrome DevTools' own figures for slow 3G, as the issue measured: 400 ms, 400 kbit/s each way.
LAMBAT_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8}


def usulan_dengan_foto(warga, siklus, desa, judul: str) -> Usulan:
    titik = desa.batas.point_on_surface
    isi = IsiUsulan(
        judul=judul,
        permasalahan="Saluran tersumbat, air meluap ke rumah warga.",
        uraian="Saluran beton 200 meter.",
        bidang=Bidang.objects.get(kode="05.01"),
        kamus=None,
        volume=Decimal(200),
        satuan="meter",
        alamat="Jl. Merdeka",
        lat=titik.y,
        lon=titik.x,
    )
    foto = [SimpleUploadedFile(p.name, p.read_bytes(), "image/jpeg") for p in FOTO_PONSEL]
    return usulan_buat(pengguna=warga, siklus=siklus, isi=isi, foto=foto)


@pytest.fixture
def ponsel(browser: Browser):
    konteks = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    halaman = konteks.new_page()
    galat: list[str] = []
    halaman.on("pageerror", lambda e: galat.append(str(e)))
    halaman.on("console", lambda m: galat.append(m.text) if m.type == "error" else None)
    yield halaman
    konteks.close()
    assert not galat, galat


def masuk(halaman: Page, url: str, lanjut: str) -> None:
    halaman.goto(f"{url}/masuk/?next={lanjut}")
    halaman.get_by_label("E-mail, nomor telepon, atau nama pengguna").fill("0812 0000 0001")
    halaman.locator("#id_password").fill(KATA_SANDI)
    halaman.get_by_role("button", name="Masuk").click()


def test_lacak_di_3g_memuat_thumbnail_dan_web_hanya_saat_diketuk(ponsel: Page, live_server, warga, siklus, desa):
    usulan = usulan_dengan_foto(warga, siklus, desa, "Drainase Jalan Merdeka")
    foto = list(FotoUsulan.objects.filter(usulan=usulan).order_by("urutan"))
    gambar: dict[str, int] = {}
    ponsel.on(
        "requestfinished",
        lambda r: gambar.__setitem__(r.url, r.sizes()["responseBodySize"]) if "/media/" in r.url else None,
    )
    cdp = ponsel.context.new_cdp_session(ponsel)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LAMBAT_3G)

    ponsel.goto(f"{live_server.url}/usulan/lacak/{usulan.kode_lacak}/")
    galeri = ponsel.locator(".galeri img")
    expect(galeri).to_have_count(2)
    for i in range(2):
        galeri.nth(i).scroll_into_view_if_needed()
        expect(galeri.nth(i)).to_be_visible()
    ponsel.wait_for_function(
        "[...document.querySelectorAll('.galeri img')].every((i) => i.complete && i.naturalWidth > 0)"
    )
    # What the browser fetched: both thumbnails, small; no web copy.
    nama_kecil = {f.thumbnail.rsplit("/", 1)[-1] for f in foto}
    nama_web = {f.web.rsplit("/", 1)[-1] for f in foto}
    diambil = {url.rsplit("/", 1)[-1]: ukuran for url, ukuran in gambar.items()}
    assert set(diambil) == nama_kecil, diambil
    assert all(ukuran < 60_000 for ukuran in diambil.values()), diambil
    # The page states each thumbnail's real size (no layout jump while it loads; srcset's width).
    for i, f in enumerate(foto):
        with storages["default"].open(f.thumbnail) as berkas, Image.open(berkas) as img:
            lebar, tinggi = img.size
        expect(galeri.nth(i)).to_have_attribute("width", str(lebar))
        expect(galeri.nth(i)).to_have_attribute("height", str(tinggi))
        expect(galeri.nth(i)).to_have_attribute("srcset", f"{f.url_thumbnail} {lebar}w")

    # Tapping a photo opens the web copy.
    with ponsel.expect_response(f"{live_server.url}{foto[0].url_web}") as jawaban:
        galeri.first.tap()
    assert jawaban.value.ok and jawaban.value.url.rsplit("/", 1)[-1] in nama_web
    expect(ponsel).to_have_url(f"{live_server.url}{foto[0].url_web}")


def test_alasan_pengembalian_di_samping_status_dan_di_atas_halaman_perbaiki(
    ponsel: Page, live_server, warga, siklus, desa, operator_desa
):
    usulan = usulan_dengan_foto(warga, siklus, desa, "Drainase Jalan Merdeka")
    t.kembalikan(
        usulan_id=usulan.pk,
        pelaku=operator_desa,
        peran=Peran.DESA,
        alasan_kode=AlasanKode.objects.get(kode="lokasi-tidak-jelas"),
        catatan=CATATAN,
    )
    masuk(ponsel, live_server.url, f"/usulan/lacak/{usulan.kode_lacak}/")
    expect(ponsel.get_by_role("heading", level=1)).to_have_text("Drainase Jalan Merdeka")
    alasan = ponsel.locator("#alasan-status")
    # In the first screen, right under the badge, without scrolling.
    expect(alasan).to_be_in_viewport(ratio=1)
    expect(alasan).to_contain_text("Catatan untuk diperbaiki: Lokasi tidak jelas")
    expect(alasan).to_contain_text(CATATAN)
    lencana = ponsel.locator(".status-usulan .lencana").bounding_box()
    kotak = alasan.bounding_box()
    assert lencana and kotak and 0 <= kotak["y"] - (lencana["y"] + lencana["height"]) < 24
    expect(ponsel.get_by_text("Baca catatannya di riwayat")).to_have_count(0)

    ponsel.get_by_role("link", name="Perbaiki dan ajukan ulang").tap()
    expect(ponsel.get_by_role("heading", level=1)).to_have_text("Perbaiki usulan")
    catatan = ponsel.get_by_role("region", name="Catatan dari petugas")
    expect(catatan).to_contain_text(CATATAN)
    expect(catatan).to_be_in_viewport(ratio=1)


def test_penolakan_dan_keputusan_terbit_di_samping_status(
    ponsel: Page, live_server, warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, opd
):
    ditolak = usulan_dengan_foto(warga, siklus, desa, "Jalan ke kebun di tengah laut")
    t.tolak(
        usulan_id=ditolak.pk,
        pelaku=operator_desa,
        peran=Peran.DESA,
        alasan_kode=AlasanKode.objects.get(kode="lokasi-tidak-jelas"),
        catatan="Titik lokasi berada di laut, bukan di jalan kebun.",
    )
    diterima = usulan_dengan_foto(warga, siklus, desa, "Drainase Jalan Merdeka")
    t.teruskan(usulan_id=diterima.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)
    t.teruskan(usulan_id=diterima.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=1)
    t.putuskan(
        usulan_id=diterima.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas penanganan banjir",
        perangkat_daerah=opd,
        volume=Decimal(80),
        biaya=Decimal("125000000"),
    )
    # Decided, not yet published: nothing of the decision beside the badge.
    ponsel.goto(f"{live_server.url}/usulan/lacak/{diterima.kode_lacak}/")
    expect(ponsel.locator(".status-usulan .lencana")).to_have_text("Lolos kecamatan")
    expect(ponsel.locator("#alasan-status")).to_have_count(0)
    t.terbitkan(usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA)

    for usulan, teks in (
        (ditolak, ("Alasan penolakan: Lokasi tidak jelas", "Titik lokasi berada di laut")),
        (diterima, ("Keputusan Bappeda", "Diterima dalam RKPD", "Prioritas penanganan banjir")),
    ):
        ponsel.goto(f"{live_server.url}/usulan/lacak/{usulan.kode_lacak}/")
        alasan = ponsel.locator("#alasan-status")
        expect(alasan).to_be_in_viewport(ratio=1)
        for bagian in teks:
            expect(alasan).to_contain_text(bagian)


def test_kepala_ringkas_di_ponsel(ponsel: Page, live_server, warga, siklus):
    masuk(ponsel, live_server.url, "/usulan/saya/")
    expect(ponsel.get_by_role("heading", level=1)).to_have_text("Usulan saya")
    kepala = ponsel.locator(".kepala").bounding_box()
    assert kepala and kepala["height"] <= 640 / 6, kepala
    assert ponsel.evaluate("document.documentElement.scrollWidth") <= 360
    # Every link is still there, reachable by swiping the row or with the keyboard.
    navigasi = ponsel.get_by_role("navigation", name="Navigasi utama")
    for nama in ("Beranda", "Ajukan usulan", "Lacak", "Peta", "Usulan saya", "Kata sandi"):
        expect(navigasi.get_by_role("link", name=nama, exact=True)).to_have_count(1)
    keluar = navigasi.get_by_role("button", name="Keluar")
    keluar.focus()
    expect(keluar).to_be_in_viewport()
