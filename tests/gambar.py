"""Test photos made on the spot: JPEGs with real EXIF GPS and time, for places no sample covers."""

from __future__ import annotations

import datetime
import io
from fractions import Fraction

from PIL import Image, ImageDraw

TAG_GPS_IFD = 0x8825
TAG_EXIF_IFD = 0x8769
TAG_DATETIME_ORIGINAL = 0x9003


def _dms(nilai: float) -> tuple[Fraction, Fraction, Fraction]:
    nilai = abs(nilai)
    derajat = int(nilai)
    menit_f = (nilai - derajat) * 60
    menit = int(menit_f)
    detik = Fraction(round((menit_f - menit) * 60 * 10000), 10000)
    return Fraction(derajat), Fraction(menit), detik


def jpeg(
    *,
    lat: float | None = None,
    lon: float | None = None,
    diambil: datetime.datetime | None = None,
    ukuran: tuple[int, int] = (800, 600),
    warna: tuple[int, int, int] = (40, 120, 200),
    penanda: str = "",
) -> bytes:
    """A photo-like JPEG; with lat/lon it carries a GPS IFD (refs N/S, E/W), with `diambil` a
    DateTimeOriginal. `penanda` draws text so two photos differ in content (and SHA-256)."""
    img = Image.new("RGB", ukuran, warna)
    gambar = ImageDraw.Draw(img)
    gambar.rectangle([ukuran[0] // 4, ukuran[1] // 4, ukuran[0] // 2, ukuran[1] // 2], fill=(250, 200, 30))
    if penanda:
        gambar.text((10, 10), penanda, fill=(0, 0, 0))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif[0x0110] = "Uji-1"
    if lat is not None and lon is not None:
        exif.get_ifd(TAG_GPS_IFD).update(
            {1: "S" if lat < 0 else "N", 2: _dms(lat), 3: "W" if lon < 0 else "E", 4: _dms(lon)}
        )
    if diambil is not None:
        exif.get_ifd(TAG_EXIF_IFD)[TAG_DATETIME_ORIGINAL] = diambil.strftime("%Y:%m:%d %H:%M:%S")
    keluaran = io.BytesIO()
    img.save(keluaran, "JPEG", quality=85, exif=exif)
    return keluaran.getvalue()
