"""Damaged files are refused by decoding them; damaged EXIF never refuses a photo that decodes."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import exifread
import pytest
from PIL import Image, ImageFile

from usulan import foto
from usulan.foto import FotoDitolak, proses_foto

DATA = Path(__file__).resolve().parents[1] / "data" / "foto"


def _baca(nama: str) -> bytes:
    return (DATA / nama).read_bytes()


def _kode(data: bytes) -> str:
    with pytest.raises(FotoDitolak) as info:
        proses_foto(data)
    return info.value.kode


def test_jpeg_sony_terpotong_ditolak_walau_exif_utuh():
    data = _baca("broken/Sony_E5823_truncated_User_Comment_Encoding.jpg")
    # The header and EXIF read fine, so only decoding the pixels can tell.
    assert Image.open(io.BytesIO(data)).size == (3840, 2160)
    assert foto.baca_exif(data).merek == "Sony"
    assert _kode(data) == "rusak"


def test_heif_hasil_fuzzing_ditolak_sebagai_rusak():
    assert _kode(_baca("broken/fuzzed_NegativeArraySize_HeifReader.heif")) == "rusak"


def test_jpeg_dengan_tinggi_nol_ditolak():
    assert _kode(_baca("broken/beach_sof_height_zero.jpg")) in {"rusak", "bukan_gambar"}


@pytest.mark.parametrize("potong", [0.2, 0.5, 0.9])
def test_jpeg_terpotong_buatan_ditolak(potong):
    data = _baca("phone-gps/Apple_iPhone_4.jpg")
    assert _kode(data[: int(len(data) * potong)]) == "rusak"


def test_png_dengan_data_piksel_rusak_ditolak():
    keluaran = io.BytesIO()
    Image.open(DATA / "orientation" / "landscape_1.jpg").save(keluaran, "PNG")
    data = bytearray(keluaran.getvalue())
    idat = data.index(b"IDAT")
    data[idat + 40 : idat + 400] = b"\x00" * 360  # zlib stream garbage, CRC no longer matches
    assert _kode(bytes(data)) == "rusak"


def test_pesan_rusak_untuk_warga():
    with pytest.raises(FotoDitolak) as info:
        proses_foto(_baca("broken/Sony_E5823_truncated_User_Comment_Encoding.jpg"))
    assert str(info.value).startswith("Foto ini rusak")


@pytest.mark.parametrize(
    "galat",
    [OSError("decoder error -2"), SyntaxError("broken PNG"), struct.error("x"), EOFError(), RuntimeError("libheif")],
    ids=lambda g: type(g).__name__,
)
def test_galat_apa_pun_dari_decoder_menjadi_penolakan(monkeypatch, galat):
    def gagal(self, *args, **kwargs):
        raise galat

    monkeypatch.setattr(ImageFile.ImageFile, "load", gagal)
    assert _kode(_baca("orientation/landscape_1.jpg")) == "rusak"


def test_galat_setelah_decode_menjadi_penolakan_bukan_galat_server(monkeypatch):
    def gagal(self, *args, **kwargs):
        raise ValueError("image has wrong mode")

    monkeypatch.setattr(Image.Image, "resize", gagal)
    assert _kode(_baca("phone-gps/Apple_iPhone_4.jpg")) == "rusak"


def test_memoryerror_tidak_disamarkan(monkeypatch):
    # Running out of memory is the server's problem, not the resident's photo.
    def habis(self, *args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(ImageFile.ImageFile, "load", habis)
    with pytest.raises(MemoryError):
        proses_foto(_baca("orientation/landscape_1.jpg"))


@pytest.mark.parametrize(
    ("nama", "ukuran"),
    [
        ("broken/Olympus_corrupted.jpg", (3648, 2736)),
        ("broken/invalid_app1_xmp_image00971.jpg", (636, 227)),
        ("broken/no_exif.jpg", (322, 466)),
        ("heic/cheers_1440x960_no_exif.heic", (1440, 960)),
    ],
)
def test_exif_rusak_atau_tidak_ada_tetap_diterima(nama, ukuran):
    hasil = proses_foto(_baca(nama))
    assert (hasil.lebar, hasil.tinggi) == ukuran


def test_exifread_meledak_foto_tetap_diterima(monkeypatch):
    def meledak(*args, **kwargs):
        raise UnicodeDecodeError("ascii", b"\xea", 0, 1, "fuzzed")

    monkeypatch.setattr(exifread, "process_file", meledak)
    hasil = proses_foto(_baca("phone-gps/Apple_iPhone_4.jpg"))
    assert hasil.exif == foto.InfoExif()
    assert hasil.lebar == 1296


def test_blok_exif_sampah_tetap_diterima():
    gambar = Image.open(DATA / "orientation" / "landscape_1.jpg")
    keluaran = io.BytesIO()
    # A TIFF header pointing far outside the block, then noise.
    gambar.save(keluaran, "JPEG", exif=b"Exif\x00\x00MM\x00*\xff\xff\xff\xf0" + bytes(range(256)) * 4)
    hasil = proses_foto(keluaran.getvalue())
    assert (hasil.lebar, hasil.tinggi) == (600, 450)
    assert hasil.exif.lat is None


def test_muat_terpotong_global_tidak_dinyalakan():
    # If some code switched this on, truncated uploads would be accepted with grey bottoms.
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
