"""Only JPEG, PNG, WebP and HEIC are accepted, decided by decoding the content, never by the file name."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, features

from usulan.foto import FotoDitolak, proses_foto

DATA = Path(__file__).resolve().parents[1] / "data" / "foto"


def _baca(nama: str) -> bytes:
    return (DATA / nama).read_bytes()


def _simpan(img: Image.Image, format_pil: str, **opsi) -> bytes:
    keluaran = io.BytesIO()
    img.save(keluaran, format_pil, **opsi)
    return keluaran.getvalue()


def _contoh() -> Image.Image:
    return Image.open(DATA / "orientation" / "landscape_1.jpg").convert("RGB")


@pytest.mark.parametrize(
    ("buat", "format_pil", "ekstensi"),
    [
        (lambda: _baca("orientation/landscape_1.jpg"), "JPEG", "jpg"),
        (lambda: _simpan(_contoh(), "PNG"), "PNG", "png"),
        (lambda: _simpan(_contoh(), "WEBP", quality=80), "WEBP", "webp"),
        (lambda: _baca("heic/cheers_1440x960_no_exif.heic"), "HEIF", "heic"),
    ],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_empat_format_diterima_menurut_isi(buat, format_pil, ekstensi):
    data = buat()
    # The name lies on purpose: only the decoded content counts.
    hasil = proses_foto(SimpleUploadedFile("foto.gif", data, content_type="image/gif"), nama="foto.gif")
    assert hasil.format == format_pil
    assert hasil.ekstensi == ekstensi
    assert hasil.asli == data
    assert hasil.sha256 == hashlib.sha256(data).hexdigest()
    assert Image.open(io.BytesIO(hasil.web)).format == "JPEG"
    assert Image.open(io.BytesIO(hasil.thumbnail)).format == "JPEG"


def test_bytes_dan_berkas_memberi_hasil_sama():
    data = _baca("phone-gps/Apple_iPhone_4.jpg")
    dari_bytes = proses_foto(data)
    dari_berkas = proses_foto(SimpleUploadedFile("IMG_0001.JPG", data))
    assert dari_bytes == dari_berkas


def test_berkas_yang_sudah_dibaca_dibaca_dari_awal():
    # A form that sniffed the first bytes leaves the position elsewhere.
    berkas = SimpleUploadedFile("foto.jpg", _baca("orientation/landscape_1.jpg"))
    berkas.read(100)
    assert proses_foto(berkas).lebar == 600


def test_mpo_dari_kamera_ponsel_diterima_sebagai_jpeg():
    # Phones write JPEGs with an MPF index (depth/HDR frames); Pillow calls them MPO.
    gambar = _contoh()
    data = _simpan(gambar, "MPO", save_all=True, append_images=[gambar.rotate(90)])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    hasil = proses_foto(data)
    assert (hasil.format, hasil.ekstensi) == ("JPEG", "jpg")
    assert (hasil.lebar, hasil.tinggi) == (600, 450)


@pytest.mark.parametrize(
    ("format_pil", "nama_format"),
    [("GIF", "GIF"), ("BMP", "BMP"), ("TIFF", "TIFF"), ("ICO", "ICO"), ("TGA", "TGA")],
)
def test_format_gambar_lain_ditolak(format_pil, nama_format):
    data = _simpan(_contoh().resize((256, 192)), format_pil)
    with pytest.raises(FotoDitolak) as info:
        proses_foto(SimpleUploadedFile("foto.jpg", data))
    assert info.value.kode == "format_tidak_didukung"
    assert nama_format in str(info.value)
    assert "JPEG, PNG, WebP atau HEIC" in str(info.value)


@pytest.mark.skipif(not features.check("avif"), reason="Pillow built without AVIF")
def test_avif_ditolak_walau_mirip_heif():
    data = _simpan(_contoh(), "AVIF")
    with pytest.raises(FotoDitolak) as info:
        proses_foto(data)
    assert info.value.kode == "format_tidak_didukung"
    assert "AVIF" in str(info.value)


def _zip() -> bytes:
    keluaran = io.BytesIO()
    with zipfile.ZipFile(keluaran, "w") as arsip:
        arsip.writestr("foto.jpg", _baca("orientation/landscape_1.jpg"))
    return keluaran.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
        b"Usulan: perbaikan jalan desa\n",
        b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
        _zip(),
        bytes(range(256)) * 40,
    ],
    ids=["pdf", "teks", "html", "zip-berisi-jpeg", "acak"],
)
def test_bukan_gambar_ditolak(data):
    with pytest.raises(FotoDitolak) as info:
        proses_foto(SimpleUploadedFile("foto.jpg", data, content_type="image/jpeg"))
    assert info.value.kode == "bukan_gambar"
    assert str(info.value) == "Berkas ini bukan gambar. Kirim foto JPEG, PNG, WebP atau HEIC."


def test_pesan_bukan_gambar_berbeda_dari_format_tidak_didukung():
    with pytest.raises(FotoDitolak) as bukan:
        proses_foto(b"bukan foto")
    with pytest.raises(FotoDitolak) as lain:
        proses_foto(_simpan(_contoh(), "GIF"))
    assert str(bukan.value) != str(lain.value)
    assert isinstance(bukan.value, ValueError)  # callers may treat it as plain invalid input


def test_kode_penolakan_tidak_dikenal_adalah_bug():
    with pytest.raises(ValueError, match="unknown refusal code"):
        FotoDitolak("x", "salah_ketik")
