"""Photo pipeline for proposal uploads: validate by decoding, read EXIF, make clean public copies.

Pure functions, no models and no database. `proses_foto` either returns a `FotoDiproses` (the original
bytes untouched, plus an upright web copy and thumbnail without any metadata) or raises `FotoDitolak`
with a message for the resident. `baca_exif` never raises: EXIF is optional metadata.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import logging
import math
import re
import warnings
import zoneinfo
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, BinaryIO

import exifread
import pillow_heif
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

# pillow-heif adds the "HEIF" format to Pillow; registering once at import is enough for the process.
pillow_heif.register_heif_opener()

SISI_WEB = 1600
SISI_THUMBNAIL = 400
KUALITAS_JPEG = 85
# Only these decoders ever see an upload's pixels; Pillow reports JPEGs with an MPF index (most phone
# "portrait"/HDR shots) as MPO, which is still a JPEG file.
FORMAT_DITERIMA = ("JPEG", "PNG", "WEBP", "HEIF")
EKSTENSI = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}
KODE_PENOLAKAN = frozenset(
    {"kosong", "terlalu_besar", "bukan_gambar", "format_tidak_didukung", "rusak", "bom_dekompresi", "terlalu_kecil"}
)
RADIUS_BUMI_M = 6371008.8  # IUGG mean Earth radius
# ISO-BMFF major brands of HEIF/HEIC stills and sequences (AVIF's "avif"/"avis" are deliberately absent).
_MEREK_HEIF = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
_MIB = 1024 * 1024


class FotoDitolak(ValueError):
    """Refused upload; str(exc) is a clear message for a resident (Indonesian, via gettext)."""

    def __init__(self, pesan: str, kode: str) -> None:
        if kode not in KODE_PENOLAKAN:
            raise ValueError(f"unknown refusal code {kode!r}")
        super().__init__(pesan)
        self.pesan = pesan
        self.kode = kode


@dataclass(frozen=True)
class InfoExif:
    """What the photo's EXIF says; every field is optional because EXIF is unreliable."""

    lat: float | None = None
    lon: float | None = None
    diambil_pada: datetime.datetime | None = None
    orientasi: int | None = None
    merek: str = ""
    model: str = ""


@dataclass(frozen=True)
class FotoDiproses:
    """A validated photo: the original bytes plus public copies without metadata."""

    # repr=False: a log line or test failure should not print megabytes of bytes.
    asli: bytes = field(repr=False)
    ekstensi: str
    format: str
    sha256: str
    lebar: int
    tinggi: int
    web: bytes = field(repr=False)
    thumbnail: bytes = field(repr=False)
    exif: InfoExif
    # Perceptual hash of the upright picture (see dhash); None for a picture too plain to tell apart.
    dhash: int | None = None


# --------------------------------------------------------------------------- public API


def proses_foto(berkas: bytes | bytearray | memoryview | BinaryIO, *, nama: str = "") -> FotoDiproses:
    """Validate an uploaded photo by decoding it and build its web copy and thumbnail.

    `berkas` is bytes or a binary file-like object (a Django UploadedFile). `nama` is only used in
    logs: the file name never decides the format. Raises FotoDitolak for anything a resident should
    fix; MemoryError is left alone because it is the server's problem, not the photo's.
    """
    try:
        data = _baca_berkas(berkas)
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; here a bomb is always an error.
            # (catch_warnings is process-global before Python 3.14; the explicit pixel check below
            # is what actually enforces FOTO_PIKSEL_MAKS.)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # "Corrupt EXIF data" is expected on real uploads and handled: not worth a log line each.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.TiffImagePlugin")
            img = _buka(data)
            try:
                return _olah(img, data)
            finally:
                img.close()
    except FotoDitolak as exc:
        logger.info("Foto %r ditolak: %s", nama, exc.kode)
        raise


def baca_exif(data: bytes) -> InfoExif:
    """Read GPS position, capture time, orientation, make and model; an empty InfoExif on any failure."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMAT_DITERIMA) as img:
                boleh_decode = img.width * img.height <= settings.FOTO_PIKSEL_MAKS
                return _exif_dari_gambar(img, boleh_decode=boleh_decode)
    except Exception:  # EXIF is optional: nothing about it may reject or break an upload.
        logger.debug("EXIF tidak terbaca", exc_info=True)
        return InfoExif()


def jarak_meter(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine on a sphere of radius 6371008.8 m)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    # min(): rounding can push a slightly above 1 for antipodal points, and asin() would then fail.
    return 2 * RADIUS_BUMI_M * math.asin(min(1.0, math.sqrt(a)))


# --------------------------------------------------------------------------- reading and identifying


def _baca_berkas(berkas: bytes | bytearray | memoryview | BinaryIO) -> bytes:
    """The upload's bytes, refusing an oversized file without reading more than limit + 1 bytes."""
    batas = settings.FOTO_UKURAN_MAKS
    if isinstance(berkas, bytes | bytearray | memoryview):
        data = bytes(berkas)
    else:
        ukuran = getattr(berkas, "size", None)
        if isinstance(ukuran, int):
            if ukuran > batas:
                raise _terlalu_besar(batas)
            if ukuran == 0:
                raise _kosong()
        # A form may have read the file already (e.g. a content-type check).
        if callable(getattr(berkas, "seek", None)):
            with contextlib.suppress(OSError, ValueError):  # not seekable: read from where it is
                berkas.seek(0)
        data = berkas.read(batas + 1) or b""
    if not data:
        raise _kosong()
    if len(data) > batas:
        raise _terlalu_besar(batas)
    return data


def _buka(data: bytes) -> Image.Image:
    """Open (header only) with the four accepted decoders, mapping every failure to a refusal."""
    try:
        img = Image.open(io.BytesIO(data), formats=FORMAT_DITERIMA)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bom() from None
    except MemoryError:
        raise
    except Exception:
        # UnidentifiedImageError in practice, but fuzzed files can trip anything inside a plugin.
        raise _tidak_terbuka(data) from None
    if img.format not in EKSTENSI:  # defensive: a plugin registered under an accepted name
        img.close()
        raise _format_tidak_didukung(img.format or "?")
    return img


def _tidak_terbuka(data: bytes) -> FotoDitolak:
    """Choose the refusal for bytes the accepted decoders could not open."""
    nama_format = _format_lain(data)
    if nama_format:
        return _format_tidak_didukung(nama_format)
    if _mirip_format_diterima(data):
        # It claims to be a JPEG/PNG/WebP/HEIC but cannot be read: damaged, not "not a picture".
        return _rusak()
    return FotoDitolak(
        _("Berkas ini bukan gambar. Kirim foto JPEG, PNG, WebP atau HEIC."),
        "bukan_gambar",
    )


def _format_lain(data: bytes) -> str | None:
    """Name of another image format Pillow recognises (GIF, BMP, TIFF, AVIF...), header only."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as lain:
                return lain.format if lain.format not in EKSTENSI else None
    except MemoryError:
        raise
    except Exception:
        return None


def _mirip_format_diterima(data: bytes) -> bool:
    """Magic bytes of an accepted format."""
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    return data[4:8] == b"ftyp" and data[8:12] in _MEREK_HEIF


# --------------------------------------------------------------------------- decoding and copies


def _olah(img: Image.Image, data: bytes) -> FotoDiproses:
    """Check the header, decode, read EXIF, orient, and encode the two public copies."""
    format_pil = "JPEG" if img.format == "MPO" else str(img.format)
    heif = format_pil == "HEIF"
    lebar_simpan, tinggi_simpan = img.size  # from the header, before draft() shrinks it

    # Pillow decodes WebP through libwebp's animation decoder, which holds about four full-size copies of
    # the canvas (~16 bytes per pixel: 750 MB for a 2 KB 49-megapixel lossless WebP). No camera writes
    # WebP; half the limit keeps its worst case near that of a 48-megapixel HEIC.
    batas_piksel = settings.FOTO_PIKSEL_MAKS // 2 if format_pil == "WEBP" else settings.FOTO_PIKSEL_MAKS
    if lebar_simpan * tinggi_simpan > batas_piksel:
        raise _bom(batas_piksel)
    if min(lebar_simpan, tinggi_simpan) < settings.FOTO_SISI_MIN:
        raise FotoDitolak(
            _("Foto terlalu kecil (%(lebar)d×%(tinggi)d piksel). Sisi terpendek minimal %(minimal)d piksel.")
            % {"lebar": lebar_simpan, "tinggi": tinggi_simpan, "minimal": settings.FOTO_SISI_MIN},
            "terlalu_kecil",
        )

    if format_pil == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: much faster and smaller for phone photos.
        # The requested size must keep the aspect ratio: draft() only scales while BOTH sides stay
        # >= the request, so (1600, 1600) would never reduce a 4:3 photo under 3200 px tall.
        img.draft("RGB", _ukuran_muat(lebar_simpan, tinggi_simpan, SISI_WEB))

    try:
        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bom() from None
    except MemoryError:
        raise
    except Exception:
        # OSError "image file is truncated", SyntaxError, ValueError, EOFError from libheif...
        logger.debug("Foto gagal didecode", exc_info=True)
        raise _rusak() from None

    # EXIF must be read before exif_transpose(), which rewrites info["exif"] without the orientation.
    exif = _exif_dari_gambar(img, boleh_decode=True)

    # pillow-heif has already rotated HEIC pixels (its EXIF copy says 1): never transpose again.
    orientasi = 1 if heif else _orientasi_pil(img)
    if orientasi in (5, 6, 7, 8):
        lebar, tinggi = tinggi_simpan, lebar_simpan
    else:
        lebar, tinggi = lebar_simpan, tinggi_simpan

    try:
        icc = _icc_rgb(img)
        ukuran_web = _ukuran_muat(lebar, tinggi, SISI_WEB)
        web = _ke_srgb(_ke_rgb(_perkecil(_tegakkan(img, orientasi), ukuran_web)), icc)
        ukuran_kecil = _ukuran_muat(*ukuran_web, SISI_THUMBNAIL)
        kecil = web.resize(ukuran_kecil, Image.Resampling.LANCZOS) if web.size != ukuran_kecil else web
        salinan_web, salinan_kecil = _jpeg(web), _jpeg(kecil)
        sidik = dhash(kecil)
    except MemoryError:
        raise
    except Exception:
        # A photo that decoded but cannot be converted (an exotic mode?) is more likely our gap than the
        # resident's fault: log it loudly, but still answer with a refusal instead of a server error.
        logger.exception("Foto terdecode tetapi gagal diolah")
        raise _rusak() from None

    return FotoDiproses(
        asli=data,
        ekstensi=EKSTENSI[format_pil],
        format=format_pil,
        sha256=hashlib.sha256(data).hexdigest(),
        lebar=lebar,
        tinggi=tinggi,
        web=salinan_web,
        thumbnail=salinan_kecil,
        exif=exif,
        dhash=sidik,
    )


# --------------------------------------------------------------------------- perceptual hash
# A difference hash (dHash) built with Pillow alone: the picture in grey, shrunk to 9×8, one bit per
# horizontal neighbour pair (is the left one brighter?). It survives resizing, recompression and the
# EXIF-less re-encoding of messaging apps, which change bytes (and SHA-256) but not the picture.
# (imagehash would add numpy, scipy and PyWavelets for the same 64 bits.)
#
# Measured on the real photos in tests/data/foto (tests/usulan/test_foto_sidik.py keeps it true): copies
# made by Pillow at 400-2048 px and JPEG quality 20-80, WebP, or twice re-encoded differ by at most 3
# bits; different photos by 26 or more; two 70 % crops of one shot (another framing of the same place)
# by 20 or more. A distance of at most 5 therefore means "the same photo"; it leaves room for a harsher
# re-encoding and stays far below a different picture.
AMBANG_DHASH = 5
# For the index: the 64 bits cut into 6 bands. Two hashes at most 5 bits apart agree on at least one whole
# band (pigeonhole), so looking up photos sharing a band (a GIN index on the bands) finds every candidate.
PITA_DHASH = (11, 11, 11, 11, 10, 10)
# A picture with fewer visible steps between neighbours (a blank wall, a dark shot, a flat drawing) has a
# hash made of noise that collides with other plain pictures: such photos keep only the exact SHA-256 check.
LANGKAH_MIN_DHASH = 24
_BEDA_LANGKAH = 4  # grey levels (of 255) that make a step visible


def dhash(img: Image.Image) -> int | None:
    """The 64-bit difference hash of an upright picture as a signed integer (a PostgreSQL bigint),
    or None when the picture is too plain for it to mean anything (see LANGKAH_MIN_DHASH)."""
    piksel = img.convert("L").resize((9, 8), Image.Resampling.LANCZOS).tobytes()
    nilai = langkah = 0
    for y in range(8):
        for x in range(8):
            kiri, kanan = piksel[y * 9 + x], piksel[y * 9 + x + 1]
            nilai = (nilai << 1) | (kiri > kanan)
            langkah += abs(kiri - kanan) >= _BEDA_LANGKAH
    if langkah < LANGKAH_MIN_DHASH:
        return None
    return nilai - (1 << 64) if nilai >= 1 << 63 else nilai


def pita_dhash(nilai: int | None) -> list[int]:
    """The hash's bands for the GIN index, each tagged with its position (band i holds i·2048 + bits)."""
    if nilai is None:
        return []
    tanpa_tanda = nilai & ((1 << 64) - 1)
    hasil, geser = [], 64
    for i, lebar in enumerate(PITA_DHASH):
        geser -= lebar
        hasil.append(i * 2048 + ((tanpa_tanda >> geser) & ((1 << lebar) - 1)))
    return hasil


def jarak_dhash(a: int, b: int) -> int:
    """Hamming distance between two hashes (bits that differ)."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def dhash_berkas(berkas: BinaryIO) -> int | None:
    """The hash of a stored public copy (thumbnail or web copy: already upright, no EXIF), for backfills.
    Raises OSError/ValueError-family errors of Pillow for an unreadable file."""
    with Image.open(berkas) as img:
        img.draft("RGB", (SISI_THUMBNAIL, SISI_THUMBNAIL))
        img.load()
        if max(img.size) > SISI_THUMBNAIL:
            # resize() gives a plain Image, not the ImageFile open() did: only its pixels are read below.
            img = img.resize(_ukuran_muat(*img.size, SISI_THUMBNAIL), Image.Resampling.LANCZOS)  # type: ignore[assignment]
        return dhash(_ke_rgb(img))


# Modes LANCZOS averages correctly; a palette ("P") or 1-bit image cannot hold an average.
_MODE_RESAMPEL = frozenset({"L", "LA", "RGB", "RGBA", "CMYK", "I", "F", "I;16"})


def _perkecil(img: Image.Image, ukuran: tuple[int, int]) -> Image.Image:
    """Resize to the web size *before* converting to RGB, so no conversion copies a full-size decode.

    Converting first held one or two more full-size copies: 600 MB for a 190 KB 49-megapixel RGBA PNG
    (tests/data/serang/png_49mp_rgba.png). Transparency goes to RGBA first (Pillow resamples RGBA with
    premultiplied alpha; a colour key would blur into its neighbours), other modes to RGB.
    """
    if img.size == ukuran:
        return img
    if "transparency" in img.info or img.mode == "PA":
        img = img.convert("RGBA")
    elif img.mode not in _MODE_RESAMPEL:
        img = _ke_rgb(img)
    return img.resize(ukuran, Image.Resampling.LANCZOS)


def _ukuran_muat(lebar: int, tinggi: int, sisi: int) -> tuple[int, int]:
    """Size with the longest side at most `sisi`, aspect ratio kept; never enlarged."""
    skala = min(1.0, sisi / max(lebar, tinggi))
    return max(1, round(lebar * skala)), max(1, round(tinggi * skala))


def ukuran_thumbnail(lebar: int, tinggi: int) -> tuple[int, int]:
    """The thumbnail's size for an upright photo of lebar × tinggi, exactly as _olah makes it (from
    the web copy): pages give it to the browser (width, height, srcset) without opening the file."""
    return _ukuran_muat(*_ukuran_muat(lebar, tinggi, SISI_WEB), SISI_THUMBNAIL)


def _orientasi_pil(img: Image.Image) -> int:
    """The orientation exif_transpose() will apply (Pillow also reads XMP tiff:Orientation)."""
    try:
        nilai = img.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # a broken EXIF block must not reject a photo that decodes
        return 1
    return nilai if isinstance(nilai, int) and 1 <= nilai <= 8 else 1


_TRANSPOSISI = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _tegakkan(img: Image.Image, orientasi: int) -> Image.Image:
    """Apply the orientation once; in place, so a full-size decode is not held twice."""
    if orientasi == 1:
        return img
    try:
        ImageOps.exif_transpose(img, in_place=True)
    except Exception:
        # exif_transpose() also rewrites the EXIF block (which we discard anyway), and that can fail on
        # a broken block: rotate by hand instead of refusing a photo that decoded.
        logger.debug("exif_transpose gagal", exc_info=True)
        return img.transpose(_TRANSPOSISI[orientasi])
    return img


def _ke_rgb(img: Image.Image) -> Image.Image:
    """RGB pixels for JPEG: transparency on white, palettes expanded, 16-bit scaled, CMYK converted."""
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info:
        rgba = img.convert("RGBA")
        latar = Image.new("RGB", rgba.size, (255, 255, 255))
        latar.paste(rgba, mask=rgba.getchannel("A"))
        return latar
    if img.mode.startswith("I;16") or img.mode in ("I", "F"):
        # 16-bit greyscale PNG: scale 0..65535 to 0..255; a plain convert() would clip to white.
        return img.convert("I").point(lambda v: v * (1 / 256)).convert("L").convert("RGB")
    if img.mode != "RGB":
        return img.convert("RGB")  # L, 1, P, CMYK (Adobe-inverted CMYK is handled by the decoder), YCbCr
    return img


def _icc_rgb(img: Image.Image) -> bytes | None:
    """The source ICC profile if it describes RGB (e.g. iPhone Display P3) and is small.

    A CMYK or grey profile would be wrong on the converted RGB pixels, so only an RGB profile is used.
    """
    icc = img.info.get("icc_profile")
    if isinstance(icc, bytes) and 128 <= len(icc) <= 64 * 1024 and icc[16:20] == b"RGB " and img.mode != "CMYK":
        return icc
    return None


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _ke_srgb(img: Image.Image, icc: bytes | None) -> Image.Image:
    """The RGB pixels converted from the source profile to sRGB, what browsers assume of an untagged
    image; without it a Display P3 photo looks washed out.

    The profile itself is never copied: its text tags (description, copyright, device maker and model,
    `meta`) are free text a phone or an editing app may fill with a name, and the public copies carry
    nothing from the original but pixels. A profile LittleCMS cannot use is ignored (pixels as they are).
    """
    if not icc:
        return img
    try:
        sumber = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        hasil = ImageCms.profileToProfile(
            img, sumber, _SRGB, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        logger.info("Profil warna foto tidak bisa dipakai; piksel dipakai apa adanya", exc_info=True)
        return img
    return hasil if hasil is not None else img


def _jpeg(img: Image.Image) -> bytes:
    """Encode as JPEG (sRGB, untagged) without EXIF, XMP, ICC or comments."""
    # Pillow's JPEG writer falls back to img.info for the comment and the profile, and resize() copies
    # info: clear it.
    img.info = {}
    keluaran = io.BytesIO()
    img.save(keluaran, "JPEG", quality=KUALITAS_JPEG)
    return keluaran.getvalue()


# --------------------------------------------------------------------------- EXIF


def _exif_dari_gambar(img: Image.Image, *, boleh_decode: bool) -> InfoExif:
    """Parse the EXIF block Pillow found (JPEG APP1, HEIF Exif item, PNG eXIf, WebP EXIF); never raises."""
    try:
        mentah = img.info.get("exif")
        if not mentah and boleh_decode:
            # PNG may store eXIf after the pixels: getexif() loads the image to find it.
            exif_pil = img.getexif()
            mentah = exif_pil.tobytes() if len(exif_pil) else b""
        tag = _tag_exifread(mentah) if isinstance(mentah, bytes) else {}
        orientasi = _orientasi_exifread(tag)
        # pillow-heif rotates the pixels and resets the copy it exposes to 1; report what the file said.
        asli = img.info.get("original_orientation")
        if isinstance(asli, int) and 1 <= asli <= 8:
            orientasi = asli
        lat, lon = _gps(tag)
        return InfoExif(
            lat=lat,
            lon=lon,
            diambil_pada=_waktu(tag),
            orientasi=orientasi,
            merek=_teks(tag.get("Image Make")),
            model=_teks(tag.get("Image Model")),
        )
    except Exception:  # EXIF is optional metadata: it may never refuse or break an upload
        logger.debug("Blok EXIF tidak terbaca", exc_info=True)
        return InfoExif()


def _tag_exifread(mentah: bytes) -> dict[str, Any]:
    """exifread's tags for a raw EXIF (TIFF) block; {} on any failure.

    builtin_types=False on purpose: in exifread 3.5.1 builtin_types=True turns a rational n/0 into n
    (0/0 into 0), which would hide a broken GPS fix. The raw Ratio values keep the denominator.
    """
    if mentah.startswith(b"Exif\x00\x00"):
        mentah = mentah[6:]
    if not mentah:
        return {}
    try:
        return dict(exifread.process_file(io.BytesIO(mentah), details=False, extract_thumbnail=False))
    except Exception:  # exifread raises UnicodeDecodeError, EOFError, AssertionError... on broken data
        logger.debug("exifread gagal", exc_info=True)
        return {}


def _nilai(tag: Any) -> Any:
    return getattr(tag, "values", tag)


def _teks(tag: Any, panjang: int = 100) -> str:
    """An ASCII tag as clean text: NULs removed, stripped, cut to `panjang` characters."""
    nilai = _nilai(tag)
    if nilai is None:
        return ""
    if isinstance(nilai, bytes):
        nilai = nilai.decode("utf-8", "replace")
    if not isinstance(nilai, str):
        return ""
    return nilai.replace("\x00", "").strip()[:panjang].strip()


def _orientasi_exifread(tag: dict[str, Any]) -> int | None:
    nilai = _nilai(tag.get("Image Orientation"))
    if isinstance(nilai, list) and nilai:
        nilai = nilai[0]
    return nilai if isinstance(nilai, int) and 1 <= nilai <= 8 else None


def _angka(nilai: Any) -> float | None:
    """A non-negative finite number from a rational; None for n/0, NaN or garbage."""
    if isinstance(nilai, Fraction):  # exifread's Ratio; a zero denominator is kept, not raised
        if nilai.denominator == 0:
            return None
        hasil = float(nilai)
    elif isinstance(nilai, int | float) and not isinstance(nilai, bool):
        hasil = float(nilai)
    else:
        return None
    return hasil if math.isfinite(hasil) and hasil >= 0 else None


def _koordinat(tag: dict[str, Any], nama: str, positif: str, negatif: str, batas: float) -> float | None:
    """Decimal degrees from degrees/minutes/seconds and a reference letter; None when unusable."""
    ref = _teks(tag.get(f"GPS GPS{nama}Ref")).upper()
    # No reference, no sign: Indonesia spans the equator, so guessing N or E would misplace a proposal.
    if ref not in (positif, negatif):
        return None
    nilai = _nilai(tag.get(f"GPS GPS{nama}"))
    if not isinstance(nilai, list) or not 1 <= len(nilai) <= 3:
        return None
    derajat = 0.0
    for bagian, pembagi in zip(nilai, (1, 60, 3600), strict=False):
        angka = _angka(bagian)
        if angka is None:
            return None
        derajat += angka / pembagi
    if derajat > batas:
        return None
    return -derajat if ref == negatif else derajat


def _gps(tag: dict[str, Any]) -> tuple[float | None, float | None]:
    lat = _koordinat(tag, "Latitude", "N", "S", 90.0)
    lon = _koordinat(tag, "Longitude", "E", "W", 180.0)
    if lat is None or lon is None:
        return None, None
    if lat == 0 and lon == 0:  # "null island": phones write 0,0 when they had no fix
        return None, None
    return lat, lon


_POLA_WAKTU = re.compile(r"^\s*(\d{4})[:\-/](\d{2})[:\-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_POLA_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")


def _waktu(tag: dict[str, Any]) -> datetime.datetime | None:
    """DateTimeOriginal (else DateTime) as an aware datetime; None when missing or nonsense."""
    pasangan = (("EXIF DateTimeOriginal", "EXIF OffsetTimeOriginal"), ("Image DateTime", "EXIF OffsetTime"))
    for kunci, kunci_offset in pasangan:
        cocok = _POLA_WAKTU.match(_teks(tag.get(kunci)))
        if not cocok:
            continue
        try:
            # The pattern's six groups: year, month, day, hour, minute, second; the zone is added below.
            naif = datetime.datetime(*(int(g) for g in cocok.groups()))  # type: ignore[arg-type]
        except ValueError:  # "0000:00:00 00:00:00", month 13...
            continue
        return naif.replace(tzinfo=_zona(_teks(tag.get(kunci_offset))))
    return None


def _zona(offset: str) -> datetime.tzinfo:
    """The EXIF offset ("+07:00") if valid, else the project's TIME_ZONE (the camera's clock is local)."""
    cocok = _POLA_OFFSET.match(offset)
    if cocok:
        tanda, jam, menit = cocok.groups()
        selisih = datetime.timedelta(hours=int(jam), minutes=int(menit))
        if selisih <= datetime.timedelta(hours=14) and int(menit) < 60:
            return datetime.timezone(-selisih if tanda == "-" else selisih)
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --------------------------------------------------------------------------- refusals


def _kosong() -> FotoDitolak:
    return FotoDitolak(_("Berkas foto kosong. Pilih foto lalu kirim lagi."), "kosong")


def _terlalu_besar(batas: int) -> FotoDitolak:
    mb = batas / _MIB
    angka = number_format(mb, decimal_pos=0 if mb >= 1 and mb == int(mb) else 1)
    return FotoDitolak(
        _("Foto terlalu besar. Ukuran maksimum %(batas)s MB per foto.") % {"batas": angka}, "terlalu_besar"
    )


def _bom(batas_piksel: int | None = None) -> FotoDitolak:
    juta = (batas_piksel or settings.FOTO_PIKSEL_MAKS) / 1_000_000
    return FotoDitolak(
        _("Resolusi foto terlalu besar. Maksimum %(batas)s megapiksel; perkecil fotonya lalu kirim lagi.")
        % {"batas": number_format(juta, decimal_pos=0 if juta == int(juta) else 1)},
        "bom_dekompresi",
    )


def _rusak() -> FotoDitolak:
    return FotoDitolak(
        _("Foto ini rusak atau tidak utuh sehingga tidak bisa dibuka. Coba kirim ulang atau ambil foto baru."),
        "rusak",
    )


def _format_tidak_didukung(nama_format: str) -> FotoDitolak:
    return FotoDitolak(
        _("Format gambar %(format)s tidak didukung. Kirim foto JPEG, PNG, WebP atau HEIC.") % {"format": nama_format},
        "format_tidak_didukung",
    )
