"""Shared fixtures: Karimun's real boundaries, a planning round, and the named actors of every test."""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import translation

from akun.models import Peran
from musrenbang.models import AlasanKode, Wilayah
from tests import factories

# Proposal fixtures (points and photos in Kelurahan Moro) are shared by several test folders.
pytest_plugins = ["tests.fixtures_usulan"]

KODE_KABKOTA = "21.02"  # Kabupaten Karimun
KODE_KECAMATAN = "21.02.01"  # Moro
KODE_DESA = "21.02.01.1003"  # Kelurahan Moro
KODE_DESA_LAIN = "21.02.05.2007"  # a desa in another kecamatan


def _pastikan_data_acuan() -> None:
    """Karimun and the seeded sectors/reasons. Transactional tests flush every table, so re-create."""
    if not AlasanKode.objects.exists():
        migrasi = importlib.import_module("musrenbang.migrations.0002_isi_bidang_dan_alasan")
        migrasi.isi(django_apps, None)
    if not Wilayah.objects.filter(kode=KODE_DESA).exists():
        call_command("impor_wilayah", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def bahasa_bawaan(settings) -> Iterator[None]:
    """Every test ends in the site's language: a request through the language switch (or a test's own
    translation.activate) leaves its language active in the thread, and the next test would read it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Import once per session; tests wrapped in a transaction see it and roll back their own changes.
    with django_db_blocker.unblock():
        _pastikan_data_acuan()


@pytest.fixture
def karimun(db) -> Wilayah:
    _pastikan_data_acuan()
    return Wilayah.objects.get(kode=KODE_KABKOTA)


@pytest.fixture
def desa(karimun) -> Wilayah:
    return Wilayah.objects.get(kode=KODE_DESA)


@pytest.fixture
def desa_lain(karimun) -> Wilayah:
    return Wilayah.objects.get(kode=KODE_DESA_LAIN)


@pytest.fixture
def kecamatan(karimun) -> Wilayah:
    return Wilayah.objects.get(kode=KODE_KECAMATAN)


@pytest.fixture
def siklus(karimun):
    return factories.buat_siklus(karimun)


@pytest.fixture
def opd(db):
    return factories.buat_opd()


@pytest.fixture
def warga(db):
    return factories.buat_pengguna("warga", nama_lengkap="Siti Aminah", telepon="+6281200000001")


@pytest.fixture
def orang_luar(db):
    return factories.buat_pengguna("orang_luar", nama_lengkap="Orang Luar")


@pytest.fixture
def operator_desa(desa):
    pengguna = factories.buat_pengguna("operator_desa", nama_lengkap="Budi Santoso")
    factories.buat_penugasan(pengguna, Peran.DESA, wilayah=desa)
    return pengguna


@pytest.fixture
def operator_kecamatan(kecamatan):
    pengguna = factories.buat_pengguna("operator_kecamatan", nama_lengkap="Rahmat Hidayat")
    factories.buat_penugasan(pengguna, Peran.KECAMATAN, wilayah=kecamatan)
    return pengguna


@pytest.fixture
def petugas_opd(opd):
    pengguna = factories.buat_pengguna("petugas_opd", nama_lengkap="Dewi Lestari")
    factories.buat_penugasan(pengguna, Peran.OPD, opd=opd)
    return pengguna


@pytest.fixture
def bappeda(karimun):
    pengguna = factories.buat_pengguna("bappeda", nama_lengkap="Andi Pratama")
    factories.buat_penugasan(pengguna, Peran.BAPPEDA, wilayah=karimun)
    return pengguna


@pytest.fixture
def admin_user(karimun):
    pengguna = factories.buat_pengguna("admin", is_staff=True, is_superuser=True)
    factories.buat_penugasan(pengguna, Peran.ADMIN, wilayah=karimun)
    return pengguna


# --- Browser tests: Debian's Chromium driven by Playwright (no downloaded browser here) --------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
