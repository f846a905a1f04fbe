"""Fixtures for the verification flow: a proposal in Kelurahan Moro and officials in and out of its area."""

from __future__ import annotations

import pytest

from akun.models import Peran
from musrenbang.models import AlasanKode, Wilayah
from tests import factories, gambar
from usulan.models import Usulan
from usulan.services import IsiUsulan, usulan_buat


def buat_usulan(pengguna, siklus, desa: Wilayah, judul: str = "Perbaikan drainase Jalan Merdeka") -> Usulan:
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from musrenbang.models import Bidang

    titik = desa.batas.point_on_surface
    isi = IsiUsulan(
        judul=judul,
        permasalahan="Saluran tersumbat.",
        uraian="Saluran beton.",
        bidang=Bidang.objects.get(kode="05.01"),
        kamus=None,
        volume=Decimal("100"),
        satuan="meter",
        alamat="Jl. Merdeka",
        lat=titik.y,
        lon=titik.x,
    )
    foto = SimpleUploadedFile("a.jpg", gambar.jpeg(lat=titik.y, lon=titik.x, penanda=judul), "image/jpeg")
    return usulan_buat(pengguna=pengguna, siklus=siklus, isi=isi, foto=[foto])


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
