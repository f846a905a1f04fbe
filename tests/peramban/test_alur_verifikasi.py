"""One proposal walks the whole chain in real Chromium: desa passes it on, the kecamatan passes it
on, Bappeda asks an OPD, the OPD advises, Bappeda accepts and publishes; an anonymous visitor then
reads the decision and its reason on the public page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import KATA_SANDI
from tests.skenario import buat_usulan
from usulan.models import Status

pytestmark = pytest.mark.django_db(transaction=True)


def _sebagai(browser: Browser, url: str, username: str) -> Page:
    halaman = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    halaman.goto(url + "/masuk/")
    halaman.locator("#id_username").fill(username)
    halaman.locator("#id_password").fill(KATA_SANDI)
    halaman.locator("main button[type=submit]").click()
    expect(halaman.locator("main")).not_to_contain_text("Identitas atau kata sandi salah")
    return halaman


def _aksi(halaman: Page, nama: str) -> object:
    form = halaman.locator(f'form[action$="/aksi/{nama}/"]')
    ringkas = form.locator("xpath=..").locator("summary")
    if not form.is_visible():
        ringkas.click()
    return form


def test_satu_usulan_melewati_seluruh_rantai(
    browser: Browser, live_server, warga, siklus, desa, operator_desa, operator_kecamatan, petugas_opd, bappeda, opd
):
    usulan = buat_usulan(warga, siklus, desa)
    url = live_server.url
    tinjau = f"{url}/verifikasi/u/{usulan.kode_lacak}/"

    desa_hal = _sebagai(browser, url, "operator_desa")
    desa_hal.goto(url + "/verifikasi/")
    desa_hal.get_by_role("link", name=usulan.judul).click()
    form = _aksi(desa_hal, "teruskan")
    form.get_by_label("Peringkat").fill("1")
    form.get_by_role("button", name="Teruskan").click()
    expect(desa_hal.locator(".pesan")).to_contain_text("Tersimpan")
    expect(desa_hal.locator("main")).to_contain_text("Lolos desa/kelurahan")

    kec = _sebagai(browser, url, "operator_kecamatan")
    kec.goto(tinjau)
    expect(kec.locator("main")).to_contain_text("Peringkat desa")
    form = _aksi(kec, "teruskan")
    form.get_by_label("Peringkat").fill("2")
    form.get_by_role("button", name="Teruskan").click()
    expect(kec.locator(".pesan")).to_contain_text("Tersimpan")

    bap = _sebagai(browser, url, "bappeda")
    bap.goto(tinjau)
    form = _aksi(bap, "minta_rekomendasi")
    form.get_by_label(f"{opd.singkatan} — {opd.nama}").check()
    form.get_by_role("button", name="Minta rekomendasi OPD").click()
    expect(bap.locator(".pesan")).to_contain_text("Tersimpan")

    dinas = _sebagai(browser, url, "petugas_opd")
    dinas.goto(url + "/verifikasi/")
    expect(dinas.locator("main")).to_contain_text("Menunggu rekomendasi Anda")
    dinas.goto(tinjau)
    form = _aksi(dinas, "rekomendasikan")
    form.get_by_label("Layak", exact=True).check()
    form.get_by_label("Volume disesuaikan").fill("90")
    form.get_by_label("Biaya disesuaikan (Rp)").fill("112500000")
    form.get_by_label("Catatan teknis").fill("Layak: saluran U-ditch 90 m, lahan milik pemda.")
    form.get_by_role("button", name="Beri rekomendasi").click()
    expect(dinas.locator(".pesan")).to_contain_text("Tersimpan")

    bap.goto(tinjau)
    expect(bap.locator("main")).to_contain_text("lahan milik pemda")
    form = _aksi(bap, "putuskan")
    form.get_by_label("Diterima").check()
    form.get_by_label("OPD pelaksana").select_option(label=opd.singkatan)
    form.get_by_label("Volume disepakati").fill("90")
    form.get_by_label("Pagu disepakati (Rp)").fill("112500000")
    form.get_by_label("Alasan keputusan (akan diumumkan)").fill("Banjir tahunan, sesuai prioritas RKPD.")
    form.get_by_role("button", name="Putuskan").click()
    expect(bap.locator(".pesan")).to_contain_text("Tersimpan")

    # Not public yet: the anonymous visitor still sees the kecamatan outcome.
    publik = browser.new_context().new_page()
    publik.goto(f"{url}/usulan/lacak/{usulan.kode_lacak}/")
    expect(publik.locator(".usulan-publik > p .lencana")).to_have_text("Lolos kecamatan")
    expect(publik.locator("main")).not_to_contain_text("Banjir tahunan")

    bap.goto(url + "/verifikasi/?peran=bappeda")
    # Publish Moro's decisions only (the whole round is the other choice).
    bap.get_by_label("Cakupan").select_option(label=f"Kecamatan {usulan.kecamatan.nama} (1)")
    bap.get_by_role("button", name="Terbitkan semua keputusan").click()
    expect(bap.locator(".pesan")).to_contain_text("1 keputusan diterbitkan")

    publik.reload()
    expect(publik.locator(".usulan-publik > p .lencana")).to_have_text("Diterima")
    expect(publik.locator(".riwayat")).to_contain_text("Banjir tahunan, sesuai prioritas RKPD.")
    expect(publik.locator(".riwayat")).to_contain_text(opd.nama)
    expect(publik.locator("main")).not_to_contain_text("lahan milik pemda")  # OPD advice stays internal
    usulan.refresh_from_db()
    assert usulan.status == usulan.status_publik == Status.DITERIMA
