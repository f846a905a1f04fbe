"""EXIF: GPS with its many broken variants, capture time with its zone, make/model; never raises."""

from __future__ import annotations

import datetime
import io
import struct
import zoneinfo
from pathlib import Path

import exifread
import pytest
from PIL import Image, TiffImagePlugin

from usulan.foto import InfoExif, baca_exif, proses_foto

DATA = Path(__file__).resolve().parents[1] / "data" / "foto"
R = TiffImagePlugin.IFDRational
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
# A rational no real tag uses, replaced byte-for-byte afterwards to forge n/0 (Pillow refuses to write it).
PENANDA = R(99991, 99989)


def _baca(nama: str) -> bytes:
    return (DATA / nama).read_bytes()


def _jpeg_exif(gps: dict | None = None, utama: dict | None = None, exif: dict | None = None) -> bytes:
    """A 300x200 JPEG whose EXIF is built with Pillow: IFD0 tags, Exif IFD (0x8769), GPS IFD (0x8825)."""
    info = Image.Exif()
    info.update(utama or {})
    if exif:
        info.get_ifd(0x8769).update(exif)
    if gps:
        info.get_ifd(0x8825).update(gps)
    keluaran = io.BytesIO()
    Image.new("RGB", (300, 200), (40, 120, 60)).save(keluaran, "JPEG", exif=info)
    return keluaran.getvalue()


def _dms(derajat: float) -> tuple[R, R, R]:
    menit_penuh = (derajat - int(derajat)) * 60
    detik = round((menit_penuh - int(menit_penuh)) * 60 * 100)
    return R(int(derajat), 1), R(int(menit_penuh), 1), R(detik, 100)


def _ganti_penanda(data: bytes, pembilang: int, penyebut: int) -> bytes:
    """Replace the PENANDA rational with pembilang/penyebut (big-endian, as Pillow writes)."""
    lama = struct.pack(">II", PENANDA.numerator, PENANDA.denominator)
    assert data.count(lama) == 1
    return data.replace(lama, struct.pack(">II", pembilang, penyebut))


SURABAYA = (-7.2575, 112.7521)


def test_gps_selatan_khatulistiwa_surabaya():
    data = _jpeg_exif({1: "S", 2: _dms(7.2575), 3: "E", 4: _dms(112.7521)})
    info = baca_exif(data)
    assert info.lat == pytest.approx(SURABAYA[0], abs=1e-5)
    assert info.lon == pytest.approx(SURABAYA[1], abs=1e-5)
    # The whole pipeline reports the same, and the point is south of the equator.
    assert proses_foto(data).exif == info
    assert info.lat < 0


@pytest.mark.parametrize("format_pil", ["PNG", "WEBP"])
def test_gps_dari_png_dan_webp(format_pil):
    info = Image.Exif()
    info.get_ifd(0x8825).update({1: "S", 2: _dms(7.2575), 3: "E", 4: _dms(112.7521)})
    keluaran = io.BytesIO()
    # Bytes, not the Exif object: Pillow's PNG writer skips an Exif whose only content is the GPS IFD.
    Image.new("RGB", (300, 200), (40, 120, 60)).save(keluaran, format_pil, exif=info.tobytes())
    hasil = baca_exif(keluaran.getvalue())
    assert (hasil.lat, hasil.lon) == (pytest.approx(SURABAYA[0], abs=1e-5), pytest.approx(SURABAYA[1], abs=1e-5))


def test_gps_selatan_dan_barat_keduanya_negatif():
    info = baca_exif(_jpeg_exif({1: "S", 2: _dms(34.6037), 3: "W", 4: _dms(58.3816)}))
    assert info.lat == pytest.approx(-34.6037, abs=1e-5)
    assert info.lon == pytest.approx(-58.3816, abs=1e-5)


@pytest.mark.parametrize(
    "gps",
    [
        {2: _dms(7.2575), 4: _dms(112.7521)},  # no refs at all
        {1: "S", 2: _dms(7.2575), 4: _dms(112.7521)},  # longitude ref missing
        {2: _dms(7.2575), 3: "E", 4: _dms(112.7521)},  # latitude ref missing
        {1: "X", 2: _dms(7.2575), 3: "E", 4: _dms(112.7521)},  # nonsense ref
        {1: "S", 2: _dms(7.2575), 3: "E"},  # no longitude
        {1: "S", 2: (R(95, 1), R(0, 1), R(0, 1)), 3: "E", 4: _dms(112.7521)},  # latitude > 90
        {1: "S", 2: _dms(7.2575), 3: "E", 4: (R(181, 1), R(0, 1), R(0, 1))},  # longitude > 180
        {1: "N", 2: (R(0, 1), R(0, 1), R(0, 1)), 3: "E", 4: (R(0, 1), R(0, 1), R(0, 1))},  # null island
        {1: "S", 2: (R(0, 1), R(0, 1), R(0, 1)), 3: "W", 4: (R(0, 1), R(0, 1), R(0, 1))},  # -0.0, -0.0
    ],
    ids=[
        "tanpa-ref",
        "tanpa-ref-bujur",
        "tanpa-ref-lintang",
        "ref-aneh",
        "tanpa-bujur",
        "lintang-95",
        "bujur-181",
        "nol-nol",
        "nol-nol-SW",
    ],
)
def test_gps_tidak_terpakai_menjadi_none(gps):
    info = baca_exif(_jpeg_exif(gps))
    assert (info.lat, info.lon) == (None, None)


@pytest.mark.parametrize(("pembilang", "penyebut"), [(0, 0), (27, 0)], ids=["0/0", "27/0"])
def test_gps_rasional_penyebut_nol_menjadi_none(pembilang, penyebut):
    # Only the seconds are broken: exifread's builtin_types=True would turn 0/0 into 0 and 27/0 into 27
    # and report a plausible point in Surabaya. A broken fix must not place a proposal.
    data = _jpeg_exif({1: "S", 2: (R(7, 1), R(15, 1), PENANDA), 3: "E", 4: _dms(112.7521)})
    assert baca_exif(data).lat is not None  # the forged file really differs only by that rational
    rusak = _ganti_penanda(data, pembilang, penyebut)
    info = baca_exif(rusak)
    assert (info.lat, info.lon) == (None, None)
    assert proses_foto(rusak).exif.lat is None


def test_gps_derajat_desimal_saja_diterima():
    info = baca_exif(_jpeg_exif({1: "S", 2: (R(72575, 10000),), 3: "E", 4: (R(1127521, 10000),)}))
    assert (info.lat, info.lon) == (pytest.approx(-7.2575), pytest.approx(112.7521))


# Expected values from /work/shared/data/exif/manifest.csv (GPS decimals agree with metadata-extractor).
MANIFES = [
    ("phone-gps/Apple_iPhone_4.jpg", 41.853, 12.488833, "Apple", "iPhone 4", "2011:01:13 14:33:39", 1),
    ("phone-gps/exiftool_Apple_iPhone_7.jpg", 53.382847, -1.456678, "Apple", "iPhone 7", "2016:09:28 18:18:05", 1),
    ("phone-gps/exiftool_Google_Pixel_8_Pro.jpg", 40.400069, -3.714647, "Google", "Pixel 8 Pro", None, 1),
    ("phone-gps/Apple_iPhone_XR_1x1px_Issue_508.jpg", 43.859469, 15.503283, "Apple", "iPhone XR", None, None),
    ("heic/Apple_iPhone_8_IMG_1034.heic", 23.177917, 113.394317, "Apple", "iPhone 8", "2018:02:05 15:11:44", 1),
    ("phone-nogps/Samsung_SM-J327T1.jpg", None, None, "samsung", "SM-J327T1", "2019:09:26 16:38:00", 6),
    ("phone-nogps/exiftool_Motorola_XT1575.jpg", None, None, "Motorola", "XT1575", "2015:09:18 11:23:37", None),
    ("gps-odd/Samsung_GT-I9000_Galaxy_S_gps_zero.jpg", None, None, "SAMSUNG", "GT-I9000", "2011:04:02 18:30:10", 6),
    ("heic/iphone_13_pro_max.heic", None, None, "Apple", "iPhone 13 Pro Max", None, 6),
]


@pytest.mark.parametrize(("nama", "lat", "lon", "merek", "model", "waktu", "orientasi"), MANIFES)
def test_sesuai_manifes(nama, lat, lon, merek, model, waktu, orientasi):
    info = baca_exif(_baca(nama))
    if lat is None:
        assert (info.lat, info.lon) == (None, None)
    else:
        assert info.lat == pytest.approx(lat, abs=1e-6)
        assert info.lon == pytest.approx(lon, abs=1e-6)
    assert (info.merek, info.model, info.orientasi) == (merek, model, orientasi)
    if waktu:  # files without OffsetTimeOriginal: local time in settings.TIME_ZONE
        assert info.diambil_pada == datetime.datetime.strptime(waktu, "%Y:%m:%d %H:%M:%S").replace(tzinfo=WIB)


def test_offset_waktu_dari_exif_dipakai():
    info = baca_exif(_baca("phone-gps/exiftool_Google_Pixel_8_Pro.jpg"))  # OffsetTimeOriginal +02:00
    assert info.diambil_pada == datetime.datetime(
        2023, 10, 6, 22, 53, 51, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    heic = baca_exif(_baca("heic/iphone_13_pro_max.heic"))  # +01:00, read through pillow-heif
    assert heic.diambil_pada == datetime.datetime(
        2022, 2, 16, 12, 55, 41, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )


def test_zona_waktu_default_dari_pengaturan_saat_dipanggil(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    info = baca_exif(_baca("phone-gps/Apple_iPhone_4.jpg"))
    assert info.diambil_pada.tzinfo == zoneinfo.ZoneInfo("Asia/Makassar")
    assert info.diambil_pada.utcoffset() == datetime.timedelta(hours=8)


def test_datetime_dipakai_bila_datetimeoriginal_tidak_ada():
    info = baca_exif(_jpeg_exif(utama={0x0132: "2024:03:01 07:30:00"}, exif={0x9010: "-05:30"}))  # OffsetTime
    assert info.diambil_pada == datetime.datetime(
        2024, 3, 1, 7, 30, tzinfo=datetime.timezone(-datetime.timedelta(hours=5, minutes=30))
    )


@pytest.mark.parametrize("waktu", ["0000:00:00 00:00:00", "2024:13:45 25:61:00", "kemarin sore", "    "])
def test_waktu_sampah_menjadi_none(waktu):
    info = baca_exif(_jpeg_exif(utama={0x010F: "Xiaomi"}, exif={0x9003: waktu}))
    assert info.merek == "Xiaomi"  # the EXIF was read; only the time is unusable
    assert info.diambil_pada is None


def test_offset_sampah_memakai_zona_pengaturan():
    info = baca_exif(_jpeg_exif(exif={0x9003: "2024:08:17 08:00:00", 0x9011: "+99:00"}))
    assert info.diambil_pada == datetime.datetime(2024, 8, 17, 8, 0, tzinfo=WIB)


def test_merek_dan_model_dibersihkan_dan_dipotong():
    info = baca_exif(_jpeg_exif(utama={0x010F: "  Xiaomi\x00\x00  ", 0x0110: "M" * 300}))
    assert info.merek == "Xiaomi"
    assert info.model == "M" * 100


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"teks biasa",
        pytest.param(None, id="heif-fuzzed"),
        pytest.param("broken/beach_sof_height_zero.jpg", id="jpeg-tinggi-nol"),
    ],
)
def test_baca_exif_tidak_pernah_gagal(data):
    if data is None:
        data = _baca("broken/fuzzed_NegativeArraySize_HeifReader.heif")
    elif isinstance(data, str):
        data = _baca(data)
    assert baca_exif(data) == InfoExif(None, None, None, None, "", "")


def test_exifread_meledak_hasil_kosong(monkeypatch):
    def meledak(*args, **kwargs):
        raise AssertionError("exifread internal assert")

    monkeypatch.setattr(exifread, "process_file", meledak)
    assert baca_exif(_baca("phone-gps/Apple_iPhone_4.jpg")) == InfoExif()


def test_exif_jpeg_terpotong_tetap_terbaca():
    # The pixels are truncated, the EXIF is not: baca_exif reads what it can.
    info = baca_exif(_baca("broken/Sony_E5823_truncated_User_Comment_Encoding.jpg"))
    assert (info.merek, info.model) == ("Sony", "E5823")
    assert info.diambil_pada == datetime.datetime(2016, 5, 30, 14, 20, 55, tzinfo=WIB)
