"""Helpers for the open data and Open311 tests: the private values no output may hold, a proposal
submitted with a photo, and readers for the downloads. Fixtures are in conftest.py."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from musrenbang.models import Bidang, Wilayah
from tests import gambar
from usulan.models import Usulan
from usulan.services import IsiUsulan, usulan_buat

# Values that exist only on the private side; no public output may contain any of them.
RAHASIA = {
    "email": "surel.rahasia.pengusul@contoh.test",
    "telepon": "+6281299998888",
    "username": "akun_rahasia_pengusul",
    "kontak": "KONTAK-RAHASIA-0812-7777",
    "nama": "NAMA-RAHASIA-PENGUSUL",
    "alasan_keputusan": "ALASAN-INTERNAL-BAPPEDA-BELUM-TERBIT",
    "catatan_opd": "CATATAN-TEKNIS-OPD-RAHASIA",
    "opd_keputusan": "Dinas Rahasia Internal",
    "permintaan_opd": "PERMINTAAN-REKOMENDASI-INTERNAL",
}


def buat(pengguna, desa: Wilayah, siklus, judul: str, **isi) -> Usulan:
    """A proposal at a point inside `desa`, submitted through the real service with one photo."""
    titik = desa.batas.point_on_surface
    data = {
        "judul": judul,
        "permasalahan": "Saluran tersumbat saat hujan.",
        "uraian": "Normalisasi saluran beton.",
        "bidang": Bidang.objects.get(kode="05.01"),
        "kamus": None,
        "volume": Decimal("100"),
        "satuan": "meter",
        "alamat": "Jl. Merdeka",
        "lat": titik.y,
        "lon": titik.x,
    }
    data.update(isi)
    foto = SimpleUploadedFile("a.jpg", gambar.jpeg(lat=titik.y, lon=titik.x, penanda=judul), "image/jpeg")
    return usulan_buat(pengguna=pengguna, siklus=siklus, isi=IsiUsulan(**data), foto=[foto])


def isi_unduhan(respons) -> bytes:
    """The whole body of a (streaming or file) response."""
    return b"".join(respons.streaming_content) if respons.streaming else respons.content


def buku_kerja(respons):
    return load_workbook(io.BytesIO(isi_unduhan(respons)))


def teks_buku_kerja(respons) -> str:
    """Every cell of every sheet as text, to search for values that must not be there."""
    buku = buku_kerja(respons)
    return "\n".join(
        str(sel) for lembar in buku.worksheets for baris in lembar.iter_rows(values_only=True) for sel in baris
    )


def baca_xml(isi: bytes) -> ET.Element:
    """Parse the server's own XML output (trusted here: it is what the test checks)."""
    return ET.fromstring(isi)  # noqa: S314
