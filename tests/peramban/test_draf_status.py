"""What a resident sees of each waiting draft when the signal returns (Chromium, 360×640): refused with the
reason when the window closed meanwhile (and it can be opened again), or "sign in again" when the session
ended, after which it goes on by itself."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import KATA_SANDI
from tests.peramban.test_usulan_sinyal_lemah import SAMSUNG, _isi_teks, _masuk, ponsel  # noqa: F401
from usulan.models import Usulan

pytestmark = pytest.mark.django_db(transaction=True)
TUNGGU = 60_000


def _draf_luring(halaman: Page) -> None:
    halaman.wait_for_function("() => navigator.serviceWorker.controller !== null", polling=250, timeout=TUNGGU)
    halaman.context.set_offline(True)
    _isi_teks(halaman)
    halaman.locator("#id_foto").set_input_files(str(SAMSUNG))
    expect(halaman.locator(".foto-unggah--gagal")).to_have_count(1, timeout=TUNGGU)
    halaman.get_by_role("button", name="Simpan draf").click()
    expect(halaman.locator("#isi-draf li")).to_contain_text("Menunggu sinyal")


def test_draf_ditolak_karena_jendela_tutup_dengan_alasan(ponsel: Page, live_server, warga, siklus):  # noqa: F811
    _masuk(ponsel, live_server.url)
    _draf_luring(ponsel)
    siklus.jadwaltahapan_set.update(selesai=timezone.now() - datetime.timedelta(minutes=1))
    ponsel.context.set_offline(False)
    draf = ponsel.locator("#isi-draf li")
    expect(draf).to_contain_text("Ditolak: Tahapan pengajuan usulan warga sudah ditutup pada", timeout=TUNGGU)
    assert not Usulan.objects.exists()
    # It can be opened again: the text and the photo come back into the form.
    ponsel.get_by_role("button", name="Buka untuk diperbaiki").click()
    expect(ponsel.get_by_label("Judul usulan")).to_have_value("Perbaikan jalan setapak ke dermaga")
    expect(ponsel.locator(".foto-unggah")).to_have_count(1)
    expect(ponsel.locator("#isi-draf li")).to_have_count(0)


def test_draf_menunggu_masuk_lalu_terkirim(ponsel: Page, live_server, warga, siklus):  # noqa: F811
    _masuk(ponsel, live_server.url)
    _draf_luring(ponsel)
    Session.objects.all().delete()  # the session ended while the phone was offline
    ponsel.context.set_offline(False)
    expect(ponsel.locator("#isi-draf li")).to_contain_text("Anda belum masuk", timeout=TUNGGU)
    assert not Usulan.objects.exists()
    # Signing in again is all it takes: the draft goes on by itself, once.
    ponsel.goto(live_server.url + "/masuk/?next=/usulan/baru/")
    ponsel.get_by_label("E-mail, nomor telepon, atau nama pengguna").fill("0812 0000 0001")
    ponsel.locator("#id_password").fill(KATA_SANDI)
    ponsel.get_by_role("button", name="Masuk").click()
    usulan_li = ponsel.locator("#isi-draf li")
    expect(usulan_li).to_contain_text("Terkirim. Kode lacak:", timeout=TUNGGU)
    usulan = Usulan.objects.get()
    expect(usulan_li).to_contain_text(usulan.kode_lacak)
    assert usulan.foto.count() == 1
