"""Fixtures for the public map: synthetic proposals inside Karimun's real desa polygons (the real
command, small N), proposals at hand-picked points, and a few proposals taken through the real flow
(with photos, reasons, a published and an unpublished Bappeda decision)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import Browser

from akun.models import Peran
from musrenbang.models import AlasanKode
from tests.peta.bantu import RAHASIA
from tests.skenario import buat_usulan, usulan_pada
from usulan.models import Status, Usulan
from verifikasi import transitions as t


@pytest.fixture
def alasan(db) -> AlasanKode:
    return AlasanKode.objects.get(kode="lokasi-tidak-jelas")


@dataclass
class Alur:
    ditolak: Usulan  # rejected by the desa with a reason code and a note
    diterima: Usulan  # accepted by Bappeda and published
    rahasia: Usulan  # accepted by Bappeda, not yet published; full of private data
    diajukan: Usulan


@pytest.fixture
def alur(warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, opd, alasan) -> Alur:
    ditolak = buat_usulan(warga, siklus, desa, judul="Jalan ke kebun di tengah laut")
    t.tolak(
        usulan_id=ditolak.pk,
        pelaku=operator_desa,
        peran=Peran.DESA,
        alasan_kode=alasan,
        catatan="Titik lokasi berada di laut, bukan di jalan kebun.",
    )
    diterima = buat_usulan(warga, siklus, desa, judul="Drainase Jalan Merdeka")
    rahasia = buat_usulan(warga, siklus, desa, judul="Pelebaran jembatan kampung")
    Usulan.objects.filter(pk=rahasia.pk).update(nama_pengusul=RAHASIA["nama"], kontak_pengusul=RAHASIA["kontak"])
    for u in (diterima, rahasia):
        usulan_pada(
            Status.LOLOS_KECAMATAN,
            usulan=u,
            operator_desa=operator_desa,
            operator_kecamatan=operator_kecamatan,
            peringkat=(1, 1),
        )
    for u, alasan_putus in ((diterima, "Prioritas penanganan banjir"), (rahasia, RAHASIA["keputusan"])):
        t.putuskan(
            usulan_id=u.pk,
            pelaku=bappeda,
            peran=Peran.BAPPEDA,
            hasil="diterima",
            alasan=alasan_putus,
            perangkat_daerah=opd,
            volume=Decimal(80),
            biaya=Decimal("125000000"),
        )
    t.terbitkan(usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    diajukan = buat_usulan(warga, siklus, desa, judul="Lampu jalan gang Melati")
    for u in (ditolak, diterima, rahasia, diajukan):
        u.refresh_from_db()
    return Alur(ditolak=ditolak, diterima=diterima, rahasia=rahasia, diajukan=diajukan)


@pytest.fixture
def ponsel(browser: Browser):
    """A phone (360×640, touch) in Chromium that fails the test on any script error or CSP violation."""
    konteks = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, locale="id-ID"
    )
    halaman = konteks.new_page()
    galat: list[str] = []
    halaman.on("pageerror", lambda e: galat.append(str(e)))
    halaman.on("console", lambda m: galat.append(m.text) if m.type == "error" else None)
    yield halaman
    konteks.close()
    assert not galat, galat  # no script error, no CSP violation
