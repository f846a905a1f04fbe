"""Accessibility of the resident and public pages (issue 13, point 8): axe-core in real Chromium at
360×640 finds no serious or critical violation on the home page, sign-up, sign-in, the proposal form,
the page after submitting, the tracking page of a returned proposal (as its proposer), "Usulan saya",
the map with a point's popup open, and the public page of a published decision.

axe-core comes with axe-playwright-python (pinned in requirements.txt; it bundles axe-core 4.12.1,
MPL-2.0). No rule is switched off: what fails is fixed in the templates, CSS or JS."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from akun.models import Peran
from musrenbang.models import AlasanKode, Bidang
from tests.skenario import buat_usulan
from usulan.models import Usulan
from verifikasi import transitions as t

pytestmark = pytest.mark.django_db(transaction=True)

FOTO_PONSEL = Path(__file__).resolve().parents[1] / "data" / "foto" / "phone-nogps" / "Samsung_SM-J327T1.jpg"
DAMPAK_DILARANG = {"serious", "critical"}
ATRIBUSI = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
_axe = Axe()


def periksa(halaman: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical violation."""
    hasil = _axe.run(halaman, options={"resultTypes": ["violations"]}).response
    assert hasil["testEngine"]["name"] == "axe-core"
    buruk = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in hasil["violations"]
        if v["impact"] in DAMPAK_DILARANG
    ]
    assert not buruk, f"{halaman.url}\n" + "\n".join(buruk)


@pytest.fixture
def ponsel(browser: Browser, settings):
    # Base tiles as a deployment has them, so the maps carry their attribution line (with links); the
    # tiles themselves are not there (no network in tests) and simply do not draw.
    settings.LEAFLET_CONFIG = {
        **settings.LEAFLET_CONFIG,
        "TILES": [("OSM", "/ubin-uji/{z}/{x}/{y}.png", {"attribution": ATRIBUSI})],
    }
    konteks = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    yield konteks.new_page()
    konteks.close()


def masuk_sebagai(halaman: Page, live_server, pengguna) -> Client:
    """Sign in with Django's test client and hand its cookies (session, messages) to the browser."""
    klien = Client()
    klien.force_login(pengguna)
    return pakai_kuki(halaman, live_server, klien)


def pakai_kuki(halaman: Page, live_server, klien: Client) -> Client:
    host = urlsplit(live_server.url).hostname
    halaman.context.add_cookies(
        [{"name": k, "value": m.value, "domain": host, "path": "/"} for k, m in klien.cookies.items() if m.value]
    )
    return klien


def test_halaman_umum_tanpa_pelanggaran_serius(ponsel: Page, live_server, alur_publik):
    for alamat, judul in (
        ("/", "Usulkan pembangunan"),
        ("/daftar/", "Daftar"),
        ("/masuk/", "Masuk"),
        (f"/usulan/lacak/{alur_publik.diterima.kode_lacak}/", alur_publik.diterima.judul),
        (f"/usulan/lacak/{alur_publik.ditolak.kode_lacak}/", alur_publik.ditolak.judul),
    ):
        ponsel.goto(live_server.url + alamat)
        expect(ponsel.get_by_role("heading", level=1)).to_contain_text(judul)
        periksa(ponsel)


def test_peta_dengan_popup_terbuka_tanpa_pelanggaran_serius(ponsel: Page, live_server, alur_publik, desa):
    titik = desa.batas.point_on_surface
    ponsel.goto(f"{live_server.url}/peta/?z=16&lat={titik.y:.5f}&lon={titik.x:.5f}")
    expect(ponsel.locator(".leaflet-marker-icon.titik")).to_have_count(2)
    expect(ponsel.locator("#daftar-tampilan .butir-peta")).to_have_count(2)
    expect(ponsel.locator(".leaflet-control-attribution a", has_text="OpenStreetMap")).to_be_visible()
    periksa(ponsel)
    ponsel.locator(f'.leaflet-marker-icon.titik[title="{alur_publik.ditolak.judul}"]').tap()
    expect(ponsel.locator(".leaflet-popup-content")).to_contain_text("Lokasi tidak jelas")
    # Read as a person does, once the popup has faded in (axe measures contrast through opacity).
    expect(ponsel.locator(".leaflet-popup")).to_have_css("opacity", "1")
    periksa(ponsel)
    # Zoomed out: clusters.
    ponsel.goto(f"{live_server.url}/peta/?z=10&lat={titik.y:.5f}&lon={titik.x:.5f}")
    expect(ponsel.locator(".klaster-ikon")).to_have_count(1)
    periksa(ponsel)


def test_halaman_warga_tanpa_pelanggaran_serius(ponsel: Page, live_server, warga, siklus, desa, operator_desa):
    klien = masuk_sebagai(ponsel, live_server, warga)
    ponsel.goto(live_server.url + reverse("usulan:buat"))
    expect(ponsel.get_by_role("heading", level=1)).to_have_text("Ajukan usulan")
    periksa(ponsel)

    # After submitting: the tracking page with its confirmation message.
    titik = desa.batas.point_on_surface
    with FOTO_PONSEL.open("rb") as foto:
        jawab = klien.post(
            reverse("usulan:buat"),
            {
                "judul": "Perbaikan drainase Jalan Merdeka",
                "permasalahan": "Saluran tersumbat.",
                "uraian": "Saluran beton 200 meter.",
                "jenis_pengusul": "warga",
                "bidang": Bidang.objects.get(kode="05.01").pk,
                "volume": "200",
                "satuan": "meter",
                "alamat": "Jl. Merdeka",
                "lat": f"{titik.y:.6f}",
                "lon": f"{titik.x:.6f}",
                "foto": [foto],
            },
        )
    assert jawab.status_code == 302, jawab.content.decode()[:2000]
    pakai_kuki(ponsel, live_server, klien)
    ponsel.goto(live_server.url + jawab["Location"])
    expect(ponsel.get_by_role("status")).to_contain_text("Simpan kode lacak ini")
    periksa(ponsel)

    # A returned proposal, as its proposer sees it, and the revise page.
    usulan = Usulan.objects.get()
    t.kembalikan(
        usulan_id=usulan.pk,
        pelaku=operator_desa,
        peran=Peran.DESA,
        alasan_kode=AlasanKode.objects.get(kode="lokasi-tidak-jelas"),
        catatan="Geser pin ke saluran yang tersumbat.",
    )
    ponsel.goto(f"{live_server.url}/usulan/lacak/{usulan.kode_lacak}/")
    expect(ponsel.locator("#alasan-status")).to_contain_text("Geser pin")
    periksa(ponsel)
    ponsel.goto(live_server.url + reverse("usulan:saya"))
    expect(ponsel.get_by_role("link", name="Perlu diperbaiki: lihat catatan")).to_be_visible()
    periksa(ponsel)


@pytest.fixture
def alur_publik(warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, opd):
    """A rejection by the desa and a published Bappeda acceptance, a few metres apart."""
    ditolak = buat_usulan(warga, siklus, desa, judul="Jalan ke kebun di tengah laut")
    t.tolak(
        usulan_id=ditolak.pk,
        pelaku=operator_desa,
        peran=Peran.DESA,
        alasan_kode=AlasanKode.objects.get(kode="lokasi-tidak-jelas"),
        catatan="Titik lokasi berada di laut, bukan di jalan kebun.",
    )
    diterima = buat_usulan(warga, siklus, desa, judul="Drainase Jalan Merdeka")
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
    t.terbitkan(usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA)

    class Alur:
        pass

    a = Alur()
    a.ditolak, a.diterima = ditolak, diterima
    return a
