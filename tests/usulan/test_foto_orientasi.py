"""The EXIF orientation is applied exactly once: every public copy is upright, HEIC included."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from usulan.foto import proses_foto

DATA = Path(__file__).resolve().parents[1] / "data" / "foto"
IPHONE_13 = DATA / "heic" / "iphone_13_pro_max.heic"  # stored landscape, EXIF "Rotated 90 CW"


def _gambar(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def _selisih(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference of tone-equalised greyscale copies (0 = same picture, ~60+ = transposed).

    landscape_1.jpg was encoded brighter than landscape_2..8 (~13 levels on average); equalising removes
    that global tone shift so only the geometry counts.
    """

    def normal(img: Image.Image) -> Image.Image:
        return ImageOps.equalize(img.convert("L").resize((150, 112), Image.Resampling.BOX))

    return ImageStat.Stat(ImageChops.difference(normal(a), normal(b))).mean[0]


@pytest.fixture(scope="module")
def acuan() -> Image.Image:
    return _gambar(proses_foto((DATA / "orientation" / "landscape_1.jpg").read_bytes()).web)


@pytest.mark.parametrize("n", range(1, 9))
def test_delapan_orientasi_menjadi_landskap_tegak(acuan, n):
    data = (DATA / "orientation" / f"landscape_{n}.jpg").read_bytes()
    hasil = proses_foto(data)
    assert (hasil.lebar, hasil.tinggi) == (600, 450)
    assert hasil.exif.orientasi == n
    web = _gambar(hasil.web)
    assert web.size == (600, 450)
    assert _selisih(web, acuan) < 10
    assert _gambar(hasil.thumbnail).size == (400, 300)
    assert _selisih(_gambar(hasil.thumbnail), acuan) < 10


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_perbandingan_peka_terhadap_orientasi_salah(acuan, n):
    # Guard for the test above: the stored (untransposed) pixels must NOT pass the comparison.
    mentah = Image.open(DATA / "orientation" / f"landscape_{n}.jpg").convert("RGB")
    assert _selisih(mentah.resize((600, 450)), acuan) > 30


@pytest.mark.parametrize("format_pil", ["PNG", "WEBP"])
def test_orientasi_exif_di_png_dan_webp_diterapkan(acuan, format_pil):
    sumber = Image.open(DATA / "orientation" / "landscape_6.jpg")
    keluaran = io.BytesIO()
    sumber.convert("RGB").save(keluaran, format_pil, exif=sumber.getexif())
    hasil = proses_foto(keluaran.getvalue())
    assert (hasil.lebar, hasil.tinggi) == (600, 450)
    assert _selisih(_gambar(hasil.web), acuan) < 10


def test_exif_transpose_gagal_tetap_diputar_sekali(acuan, monkeypatch):
    # exif_transpose() also re-serialises the EXIF block, which can fail on broken EXIF.
    def gagal(*args, **kwargs):
        raise ValueError("cannot write EXIF")

    monkeypatch.setattr(ImageOps, "exif_transpose", gagal)
    hasil = proses_foto((DATA / "orientation" / "landscape_6.jpg").read_bytes())
    assert _selisih(_gambar(hasil.web), acuan) < 10


def test_jpeg_ponsel_diputar_90_ukuran_tegak():
    hasil = proses_foto((DATA / "phone-nogps" / "Samsung_SM-J327T1.jpg").read_bytes())
    assert hasil.exif.orientasi == 6
    assert (hasil.lebar, hasil.tinggi) == (1932, 2576)  # stored 2576x1932
    assert _gambar(hasil.web).size == (1200, 1600)
    assert _gambar(hasil.thumbnail).size == (300, 400)


@pytest.fixture(scope="module")
def iphone_13():
    return proses_foto(IPHONE_13.read_bytes())


def test_heic_tidak_diputar_dua_kali(iphone_13):
    assert (iphone_13.lebar, iphone_13.tinggi) == (3024, 4032)
    assert iphone_13.exif.orientasi == 6  # what the file says, although the pixels come out upright
    web = _gambar(iphone_13.web)
    assert web.size == (1200, 1600)
    assert _gambar(iphone_13.thumbnail).size == (300, 400)
    # pillow-heif's own decode is already upright: the web copy must match it, not a rotated version.
    tegak = Image.open(IPHONE_13).convert("RGB").resize((1200, 1600))
    assert _selisih(web, tegak) < 10
    diputar_lagi = tegak.transpose(Image.Transpose.ROTATE_270).resize((1200, 1600))
    assert _selisih(web, diputar_lagi) > 30
