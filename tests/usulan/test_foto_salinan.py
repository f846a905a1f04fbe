"""The public copies: JPEG, bounded size, no metadata at all, sensible colours for every pixel mode."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import exifread
import pytest
from PIL import Image, ImageCms, JpegImagePlugin

from usulan.foto import proses_foto

DATA = Path(__file__).resolve().parents[1] / "data" / "foto"


def _gambar(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def _simpan(img: Image.Image, format_pil: str, **opsi) -> bytes:
    keluaran = io.BytesIO()
    img.save(keluaran, format_pil, **opsi)
    return keluaran.getvalue()


def _tanpa_metadata(data: bytes) -> None:
    img = _gambar(data)
    assert img.format == "JPEG"
    assert exifread.process_file(io.BytesIO(data), details=False) == {}
    assert len(img.getexif()) == 0
    assert not {"exif", "xmp", "comment", "photoshop", "mp"} & set(img.info)
    # Only the JFIF header and, at most, an ICC colour profile.
    for penanda, isi in img.applist:
        assert (penanda, isi[:4]) == ("APP0", b"JFIF") or (penanda, isi[:11]) == ("APP2", b"ICC_PROFILE")


@pytest.mark.parametrize(
    "nama",
    ["phone-gps/Apple_iPhone_4.jpg", "heic/Apple_iPhone_8_IMG_1034.heic", "broken/no_exif.jpg"],
)
def test_salinan_publik_tanpa_exif_dan_gps(nama):
    hasil = proses_foto((DATA / nama).read_bytes())
    assert hasil.exif.lat is not None or nama == "broken/no_exif.jpg"  # the input did carry GPS
    _tanpa_metadata(hasil.web)
    _tanpa_metadata(hasil.thumbnail)
    assert hasil.asli == (DATA / nama).read_bytes()  # the original keeps everything, for verifiers


def test_komentar_dan_xmp_dibuang():
    sumber = Image.open(DATA / "orientation" / "landscape_1.jpg")
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    data = _simpan(sumber, "JPEG", comment=b"Rumah Pak RT, Jl. Melati 5", xmp=xmp)
    assert _gambar(data).info["comment"]
    hasil = proses_foto(data)
    _tanpa_metadata(hasil.web)
    _tanpa_metadata(hasil.thumbnail)
    assert b"Melati" not in hasil.web + hasil.thumbnail


def test_ukuran_salinan_dibatasi_dan_tidak_diperbesar():
    besar = proses_foto((DATA / "broken" / "Olympus_corrupted.jpg").read_bytes())
    assert _gambar(besar.web).size == (1600, 1200)
    assert _gambar(besar.thumbnail).size == (400, 300)
    kecil = proses_foto((DATA / "broken" / "no_exif.jpg").read_bytes())  # 322x466
    assert _gambar(kecil.web).size == (322, 466)
    assert _gambar(kecil.thumbnail).size == (276, 400)


def test_draft_jpeg_dipakai_tapi_ukuran_asli_dilaporkan(monkeypatch):
    panggilan = []
    asli = JpegImagePlugin.JpegImageFile.draft

    def catat(self, mode, size):
        hasil = asli(self, mode, size)
        panggilan.append((mode, size, self.size))
        return hasil

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", catat)
    hasil = proses_foto((DATA / "broken" / "Olympus_corrupted.jpg").read_bytes())  # 3648x2736
    # The request keeps the aspect ratio, otherwise libjpeg cannot scale a 4:3 photo down at all.
    assert panggilan == [("RGB", (1600, 1200), (1824, 1368))]
    assert (hasil.lebar, hasil.tinggi) == (3648, 2736)


def test_png_transparan_di_atas_putih():
    img = Image.new("RGBA", (400, 300), (255, 0, 0, 255))
    img.paste((0, 0, 0, 0), (0, 0, 200, 300))  # left half fully transparent black
    web = _gambar(proses_foto(_simpan(img, "PNG")).web)
    assert web.mode == "RGB"
    assert all(abs(a - b) <= 6 for a, b in zip(web.getpixel((50, 150)), (255, 255, 255), strict=True))
    assert all(abs(a - b) <= 6 for a, b in zip(web.getpixel((350, 150)), (255, 0, 0), strict=True))


def test_palet_dengan_warna_transparan_di_atas_putih():
    img = Image.new("P", (400, 300), 1)
    img.putpalette([0, 0, 0, 0, 0, 255] + [0] * 762)
    img.paste(0, (0, 0, 200, 300))
    web = _gambar(proses_foto(_simpan(img, "PNG", transparency=0)).web)
    assert min(web.getpixel((50, 150))) >= 249
    assert web.getpixel((350, 150))[2] >= 249 and web.getpixel((350, 150))[0] <= 6


def test_webp_transparan_dan_animasi_bingkai_pertama():
    merah = Image.new("RGBA", (400, 300), (255, 0, 0, 255))
    merah.paste((0, 0, 0, 0), (0, 0, 200, 300))
    # libwebp drops the alpha flag of an animation whose later frames are all opaque: keep one translucent.
    biru = Image.new("RGBA", (400, 300), (0, 0, 255, 128))
    data = _simpan(merah, "WEBP", save_all=True, append_images=[biru], duration=200, lossless=True)
    animasi = Image.open(io.BytesIO(data))
    assert (animasi.n_frames, animasi.mode) == (2, "RGBA")
    hasil = proses_foto(data)
    assert hasil.format == "WEBP"
    web = _gambar(hasil.web)
    assert min(web.getpixel((50, 150))) >= 249  # transparent -> white
    assert web.getpixel((350, 150))[0] >= 249 and web.getpixel((350, 150))[2] <= 6  # red, not blue


def test_jpeg_cmyk_menjadi_rgb_dengan_warna_benar():
    cmyk = Image.new("CMYK", (400, 300), (0, 255, 255, 0))  # pure red in CMYK
    web = _gambar(proses_foto(_simpan(cmyk, "JPEG", quality=95)).web)
    assert web.mode == "RGB"
    r, g, b = web.getpixel((200, 150))
    assert r >= 240 and g <= 15 and b <= 15


def test_png_16_bit_abu_abu_diskalakan_bukan_dipotong():
    img = Image.new("I;16", (400, 300), 32768)  # mid grey in 16 bits
    web = _gambar(proses_foto(_simpan(img, "PNG")).web)
    assert web.mode == "RGB"
    assert all(120 <= kanal <= 136 for kanal in web.getpixel((200, 150)))


@pytest.mark.parametrize("mode", ["L", "1", "LA"])
def test_mode_lain_menjadi_rgb(mode):
    img = Image.new("RGB", (400, 300), (255, 255, 255)).convert(mode)
    web = _gambar(proses_foto(_simpan(img, "PNG")).web)
    assert web.mode == "RGB"
    assert min(web.getpixel((10, 10))) >= 249


def _profil_display_p3() -> bytes:
    """lcms's built-in sRGB profile with its colorants replaced by Display P3's (D50-adapted, as in
    Apple's profile): an RGB profile with a wider gamut than sRGB and the same white and tone curve."""
    profil = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    colorant = {
        b"rXYZ": (0.5151, 0.2412, -0.0011),
        b"gXYZ": (0.2920, 0.6922, 0.0419),
        b"bXYZ": (0.1571, 0.0666, 0.7841),
    }
    jumlah = struct.unpack(">I", profil[128:132])[0]
    for i in range(jumlah):
        tanda, awal, _panjang = struct.unpack(">4sII", profil[132 + 12 * i : 144 + 12 * i])
        if tanda in colorant:
            assert profil[awal : awal + 4] == b"XYZ "
            profil[awal + 8 : awal + 20] = struct.pack(">3i", *(round(v * 65536) for v in colorant[tanda]))
    profil[84:100] = bytes(16)  # the profile ID (MD5) no longer matches: zero means "not computed"
    return bytes(profil)


def test_profil_warna_rgb_diubah_ke_srgb_tanpa_menyalin_profil():
    """An RGB profile is applied (the pixels become sRGB) but never copied: its text could name someone."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    rgb = Image.new("RGB", (400, 300), (10, 120, 200))
    hasil = proses_foto(_simpan(rgb, "PNG", icc_profile=srgb))
    web = _gambar(hasil.web)
    assert "icc_profile" not in web.info and "icc_profile" not in _gambar(hasil.thumbnail).info
    assert all(abs(a - b) <= 4 for a, b in zip(web.getpixel((200, 150)), (10, 120, 200), strict=True))

    # Display P3 numbers mean more saturated colours than the same numbers in sRGB: converted, an
    # orange gets a higher red and a lower blue, and a grey stays grey.
    p3 = _profil_display_p3()
    jingga = proses_foto(_simpan(Image.new("RGB", (400, 300), (180, 120, 60)), "PNG", icc_profile=p3))
    r, _g, b = _gambar(jingga.web).getpixel((200, 150))
    assert r >= 186 and b <= 52 and "icc_profile" not in _gambar(jingga.web).info
    abu = proses_foto(_simpan(Image.new("RGB", (400, 300), (128, 128, 128)), "PNG", icc_profile=p3))
    assert max(_gambar(abu.web).getpixel((200, 150))) - min(_gambar(abu.web).getpixel((200, 150))) <= 3

    # A grey profile would be wrong on the RGB copy: ignored, the pixels pass as they are.
    profil_abu = bytearray(srgb)
    profil_abu[16:20] = b"GRAY"
    hasil = proses_foto(_simpan(rgb.convert("L"), "PNG", icc_profile=bytes(profil_abu)))
    assert "icc_profile" not in _gambar(hasil.web).info
    # A damaged RGB profile is ignored too, the photo is still accepted.
    rusak = srgb[:128] + bytes(len(srgb) - 128)
    hasil = proses_foto(_simpan(rgb, "PNG", icc_profile=rusak))
    assert "icc_profile" not in _gambar(hasil.web).info
    assert all(abs(a - b) <= 4 for a, b in zip(_gambar(hasil.web).getpixel((200, 150)), (10, 120, 200), strict=True))
