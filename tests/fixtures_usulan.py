"""Fixtures for proposals: real Karimun points and photos carrying GPS at those points."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from musrenbang.models import Bidang, Wilayah
from tests import gambar
from usulan.services import IsiUsulan


@pytest.fixture
def titik_moro(desa):
    """A point inside Kelurahan Moro (21.02.01.1003)."""
    return desa.batas.point_on_surface


@pytest.fixture
def foto_moro(titik_moro):
    # One fixed time per test, so two photos made with the same arguments are byte-identical.
    tiga_hari_lalu = timezone.localtime().replace(tzinfo=None, microsecond=0) - datetime.timedelta(days=3)

    def buat(penanda: str = "a", **kwargs) -> SimpleUploadedFile:
        kwargs.setdefault("lat", titik_moro.y)
        kwargs.setdefault("lon", titik_moro.x)
        kwargs.setdefault("diambil", tiga_hari_lalu)
        return SimpleUploadedFile(f"drainase-{penanda}.jpg", gambar.jpeg(penanda=penanda, **kwargs), "image/jpeg")

    return buat


@pytest.fixture
def isi_usulan(titik_moro):
    def buat(**kwargs) -> IsiUsulan:
        data = {
            "judul": "Perbaikan drainase Jalan Merdeka",
            "permasalahan": "Saluran tersumbat, air meluap ke rumah warga saat hujan.",
            "uraian": "Normalisasi dan pembangunan saluran beton 200 meter.",
            "bidang": Bidang.objects.get(kode="05.01"),
            "kamus": None,
            "volume": Decimal("200"),
            "satuan": "meter",
            "alamat": "Jl. Merdeka depan masjid",
            "lat": titik_moro.y,
            "lon": titik_moro.x,
            "rt": "003",
            "rw": "001",
        }
        data.update(kwargs)
        return IsiUsulan(**data)

    return buat


def berkas_tersimpan() -> list[Path]:
    """Every file under the test MEDIA_ROOT (public copies and private originals)."""
    return sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


@pytest.fixture
def media_kosong():
    """Start the test with no stored file, so it can assert exactly what it leaves behind."""
    for p in berkas_tersimpan():
        p.unlink()


@pytest.fixture
def singapura() -> tuple[float, float]:
    return (1.2903, 103.8519)


@pytest.fixture
def desa_tumpang_tindih(karimun) -> Wilayah:
    return Wilayah.objects.get(kode="21.02.05.2007")
