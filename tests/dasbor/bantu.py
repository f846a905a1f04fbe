"""Helpers for the dashboard tests: a controlled clock and a proposal with a photo. Fixtures are in conftest.py."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile

from musrenbang.models import Bidang, KamusUsulan, Siklus, Wilayah
from tests import gambar
from usulan.models import Usulan
from usulan.services import IsiUsulan, usulan_buat

HARI = datetime.timedelta(days=1)


@contextlib.contextmanager
def jam(pada: datetime.datetime) -> Iterator[None]:
    """Inside the block, every `timezone.now()` (history stamps, calendar checks) returns `pada`."""
    with mock.patch("django.utils.timezone.now", return_value=pada):
        yield


def buat(
    pengguna,
    siklus: Siklus,
    desa: Wilayah,
    judul: str,
    *,
    bidang: str = "05.01",
    kamus: KamusUsulan | None = None,
    volume: str = "10",
) -> Usulan:
    """A proposal at a point inside `desa`, with one small photo (cost = volume × the item's price)."""
    titik = desa.batas.point_on_surface
    isi = IsiUsulan(
        judul=judul,
        permasalahan="Kondisi rusak.",
        uraian="Perbaikan.",
        bidang=Bidang.objects.get(kode=bidang),
        kamus=kamus,
        volume=Decimal(volume),
        satuan="meter",
        alamat="Jl. Contoh",
        lat=titik.y,
        lon=titik.x,
    )
    foto = SimpleUploadedFile(
        "a.jpg", gambar.jpeg(lat=titik.y, lon=titik.x, penanda=judul, ukuran=(240, 200)), "image/jpeg"
    )
    return usulan_buat(pengguna=pengguna, siklus=siklus, isi=isi, foto=[foto])
