"""Shared fixtures: Karimun's real boundaries, a planning round, and the named actors of every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from akun.models import Peran
from musrenbang.models import Wilayah
from tests import acuan, factories, penanda

# Proposal fixtures (points and photos in Kelurahan Moro) are shared by several test folders.
pytest_plugins = ["tests.fixtures_usulan"]

KODE_KABKOTA = "21.02"  # Kabupaten Karimun
KODE_KECAMATAN = "21.02.01"  # Moro
KODE_DESA = "21.02.01.1003"  # Kelurahan Moro
KODE_DESA_LAIN = "21.02.05.2007"  # a desa in another kecamatan


# Markers `peramban`, `sistem` and `lambat` (tests/penanda.py), set here so that a new test gets them without
# anyone remembering; `make test-cepat` leaves all three out.
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if penanda.tes_peramban(item):
            item.add_marker(pytest.mark.peramban)
        if penanda.tes_sistem(item):
            item.add_marker(pytest.mark.sistem)
        if penanda.tes_lambat(item):
            item.add_marker(pytest.mark.lambat)


@pytest.fixture(autouse=True)
def bahasa_bawaan(settings) -> Iterator[None]:
    """Every test ends in the site's language: a request through the language switch (or a test's own
    translation.activate) leaves its language active in the thread, and the next test would read it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    # Import once per test database (one per xdist worker): tests wrapped in a transaction roll back
    # their own changes, and the flush after a transactional test keeps it (tests/acuan.py).
    with django_db_blocker.unblock():
        if request.config.getoption("reuse_db"):
            # A kept database (make test-cepat) may hold rows of an interrupted transactional test.
            call_command("flush", verbosity=0, interactive=False)
        acuan.pulihkan_bila_berubah(connection)


@pytest.fixture
def karimun(db) -> Wilayah:
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
