"""Every way the photo pipeline refuses a file has its own message, so the resident knows what to fix."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests import gambar
from usulan.foto import KODE_PENOLAKAN, FotoDitolak, proses_foto


def _gif() -> bytes:
    keluaran = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 200, 30)).save(keluaran, "GIF")
    return keluaran.getvalue()


@pytest.fixture
def penolakan(settings) -> dict[str, str]:
    """Refusal code → message, one real file per refusal."""
    hasil: dict[str, str] = {}

    def tolak(data: bytes, **pengaturan: int) -> None:
        for nama, nilai in pengaturan.items():
            setattr(settings, nama, nilai)
        with pytest.raises(FotoDitolak) as galat:
            proses_foto(data)
        assert galat.value.kode not in hasil, galat.value.kode
        hasil[galat.value.kode] = str(galat.value)

    foto = gambar.jpeg(ukuran=(800, 600))
    tolak(b"")
    tolak(b"Ini hanya teks, bukan foto lokasi.\n" * 20)
    tolak(_gif())
    tolak(foto[: len(foto) // 2])
    tolak(gambar.jpeg(ukuran=(120, 90)))
    tolak(foto, FOTO_PIKSEL_MAKS=100_000)
    tolak(foto, FOTO_PIKSEL_MAKS=50_000_000, FOTO_UKURAN_MAKS=len(foto) - 1)
    return hasil


def test_setiap_kode_penolakan_punya_pesan_sendiri(penolakan):
    assert set(penolakan) == KODE_PENOLAKAN
    assert len(set(penolakan.values())) == len(KODE_PENOLAKAN)


def test_pesan_penolakan_menyebut_yang_perlu_diperbaiki(penolakan):
    assert "kosong" in penolakan["kosong"]
    assert "bukan gambar" in penolakan["bukan_gambar"]
    assert "GIF tidak didukung" in penolakan["format_tidak_didukung"]
    assert "rusak" in penolakan["rusak"]
    assert "120×90 piksel" in penolakan["terlalu_kecil"]
    assert "megapiksel" in penolakan["bom_dekompresi"]
    assert "MB per foto" in penolakan["terlalu_besar"]
