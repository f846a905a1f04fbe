"""Size limits: empty, too many bytes, too many pixels (decompression bombs), too few pixels."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from usulan.foto import FotoDitolak, proses_foto

DATA = Path(__file__).resolve().parents[1] / "data" / "foto"
LANDSKAP = DATA / "orientation" / "landscape_1.jpg"  # 600x450


def _tolak(berkas, kode: str) -> FotoDitolak:
    with pytest.raises(FotoDitolak) as info:
        proses_foto(berkas)
    assert info.value.kode == kode
    return info.value


def _png_kepala(lebar: int, tinggi: int) -> bytes:
    """A PNG whose header claims lebar x tinggi with only a few bytes of pixel data (a bomb's shape)."""

    def potongan(jenis: bytes, isi: bytes) -> bytes:
        return struct.pack(">I", len(isi)) + jenis + isi + struct.pack(">I", zlib.crc32(jenis + isi))

    ihdr = struct.pack(">IIBBBBB", lebar, tinggi, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + potongan(b"IHDR", ihdr)
        + potongan(b"IDAT", zlib.compress(b"\x00" * 1000))
        + potongan(b"IEND", b"")
    )


class _Berkas(io.BytesIO):
    """A file-like upload that records how much was read."""

    def __init__(self, data: bytes, size: int | None = None) -> None:
        super().__init__(data)
        if size is not None:
            self.size = size
        self.dibaca: list[int] = []

    def read(self, n: int | None = -1) -> bytes:
        hasil = super().read(n)
        self.dibaca.append(len(hasil))
        return hasil


@pytest.mark.parametrize("berkas", [b"", lambda: SimpleUploadedFile("kosong.jpg", b"")], ids=["bytes", "upload"])
def test_berkas_kosong_ditolak(berkas):
    galat = _tolak(berkas() if callable(berkas) else berkas, "kosong")
    assert "kosong" in str(galat)


def test_terlalu_besar_ditolak_dengan_batas_dalam_mb(settings):
    settings.FOTO_UKURAN_MAKS = 2 * 1024 * 1024
    data = LANDSKAP.read_bytes() + b"\x00" * (2 * 1024 * 1024)
    galat = _tolak(data, "terlalu_besar")
    assert "2 MB" in str(galat)


def test_pecahan_mb_ditulis_dengan_koma(settings):
    settings.FOTO_UKURAN_MAKS = 512 * 1024
    galat = _tolak(b"\xff" * (512 * 1024 + 1), "terlalu_besar")
    assert "0,5 MB" in str(galat)


def test_tepat_di_batas_diterima(settings):
    data = LANDSKAP.read_bytes()
    settings.FOTO_UKURAN_MAKS = len(data)
    assert proses_foto(data).lebar == 600
    settings.FOTO_UKURAN_MAKS = len(data) - 1
    _tolak(data, "terlalu_besar")


def test_ukuran_dari_atribut_size_tanpa_membaca(settings):
    settings.FOTO_UKURAN_MAKS = 1000
    berkas = _Berkas(b"\xff\xd8\xff" + b"\x00" * 50, size=10_000_000)  # Django's UploadedFile.size
    _tolak(berkas, "terlalu_besar")
    assert berkas.dibaca == []


def test_tanpa_size_dibaca_paling_banyak_batas_tambah_satu(settings):
    settings.FOTO_UKURAN_MAKS = 1000
    berkas = _Berkas(b"\xff" * 5_000_000)
    _tolak(berkas, "terlalu_besar")
    assert sum(berkas.dibaca) == 1001


def test_batas_dibaca_saat_dipanggil(settings):
    data = LANDSKAP.read_bytes()
    settings.FOTO_UKURAN_MAKS = 10
    _tolak(data, "terlalu_besar")
    settings.FOTO_UKURAN_MAKS = 15 * 1024 * 1024
    assert proses_foto(data).tinggi == 450


def test_piksel_melebihi_batas_ditolak_sebelum_decode(settings, monkeypatch):
    settings.FOTO_PIKSEL_MAKS = 600 * 450 - 1

    def jangan_decode(self, *args, **kwargs):
        raise AssertionError("pixels were decoded before the pixel limit was checked")

    monkeypatch.setattr(Image.Image, "load", jangan_decode)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", jangan_decode)
    galat = _tolak(LANDSKAP.read_bytes(), "bom_dekompresi")
    assert "megapiksel" in str(galat)


def test_tepat_di_batas_piksel_diterima(settings):
    settings.FOTO_PIKSEL_MAKS = 600 * 450
    assert proses_foto(LANDSKAP.read_bytes()).lebar == 600


def test_bom_png_kecil_berkepala_raksasa_ditolak():
    # 40 000 x 30 000 = 1.2 gigapixels in a 100-byte file: Pillow raises DecompressionBombError itself.
    data = _png_kepala(40_000, 30_000)
    assert len(data) < 200
    _tolak(data, "bom_dekompresi")


def test_bom_png_di_bawah_batas_proyek_tetap_ditolak():
    # 8000 x 6000 = 48 MP: below Pillow's own limit, so only the project's check (50 MP default) or the
    # decode stops it. With the default 50 MP it passes the pixel check and then fails to decode.
    _tolak(_png_kepala(8_000, 6_000), "rusak")
    _tolak(_png_kepala(8_000, 7_000), "bom_dekompresi")  # 56 MP > 50 MP


def test_peringatan_bom_pillow_menjadi_penolakan(settings):
    # Even when the project allows more, Pillow's DecompressionBombWarning (> 89.5 MP) is an error here.
    settings.FOTO_PIKSEL_MAKS = 10**12
    assert Image.MAX_IMAGE_PIXELS is not None
    sisi = int((Image.MAX_IMAGE_PIXELS * 1.5) ** 0.5)
    _tolak(_png_kepala(sisi, sisi), "bom_dekompresi")


@pytest.mark.parametrize(
    "nama",
    [
        "phone-gps/Apple_iPhone_XR_1x1px_Issue_508.jpg",
        "phone-gps/exiftool_Google_Pixel_8_Pro.jpg",
        "phone-gps/exiftool_Apple_iPhone_7.jpg",
        "phone-nogps/exiftool_Motorola_XT1575.jpg",
    ],
)
def test_gambar_mungil_ditolak(nama):
    galat = _tolak((DATA / nama).read_bytes(), "terlalu_kecil")
    assert "minimal 200 piksel" in str(galat)


def test_sisi_terpendek_mengikuti_pengaturan(settings):
    data = LANDSKAP.read_bytes()
    settings.FOTO_SISI_MIN = 451
    galat = _tolak(data, "terlalu_kecil")
    assert "600×450" in str(galat)
    settings.FOTO_SISI_MIN = 450
    assert proses_foto(data).tinggi == 450
