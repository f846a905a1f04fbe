"""Fixtures for the verification flow: a proposal in Kelurahan Moro and officials in and out of its area."""

from __future__ import annotations

import pytest

from akun.models import Peran
from musrenbang.models import AlasanKode
from tests import factories
from tests.skenario import buat_usulan


@pytest.fixture
def usulan(warga, siklus, desa):
    return buat_usulan(warga, siklus, desa)


@pytest.fixture
def usulan_lain(warga, siklus, desa_lain):
    return buat_usulan(warga, siklus, desa_lain, judul="Lampu jalan Pongkar")


@pytest.fixture
def alasan(db):
    return AlasanKode.objects.get(kode="lokasi-tidak-jelas")


@pytest.fixture
def operator_desa_lain(desa_lain):
    pengguna = factories.buat_pengguna("operator_desa_lain")
    factories.buat_penugasan(pengguna, Peran.DESA, wilayah=desa_lain)
    return pengguna


@pytest.fixture
def operator_kecamatan_lain(desa_lain):
    pengguna = factories.buat_pengguna("operator_kecamatan_lain")
    factories.buat_penugasan(pengguna, Peran.KECAMATAN, wilayah=desa_lain.induk)
    return pengguna


@pytest.fixture
def opd_lain(db):
    return factories.buat_opd("DINKES", "Dinas Kesehatan")


@pytest.fixture
def petugas_opd_lain(opd_lain):
    pengguna = factories.buat_pengguna("petugas_opd_lain")
    factories.buat_penugasan(pengguna, Peran.OPD, opd=opd_lain)
    return pengguna
