"""Reuse is still caught after resizing (issue 13, point 3): a perceptual hash (dHash) of each photo flags
"the same photo on another proposal" for copies of a real photo resized, recompressed, turned into WebP
or forwarded through a messaging app (1600 px, quality 60, re-encoded), not only for identical bytes;
a genuinely different photo, or another framing of the same place, is not flagged; the look-up uses
indexes; the migration's backfill gives stored photos their hash."""

from __future__ import annotations

import importlib
import io
import itertools
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image, ImageOps

from usulan.foto import AMBANG_DHASH, dhash, jarak_dhash, pita_dhash, proses_foto
from usulan.models import FotoUsulan
from usulan.selectors import foto_sama_di_usulan_lain
from usulan.services import usulan_buat

FOTO = Path(__file__).resolve().parents[1] / "data" / "foto"
# Real photos of different scenes (each a distinct picture; the orientation set is one picture).
BERBEDA = [
    FOTO / "phone-nogps" / "Samsung_SM-J327T1.jpg",
    FOTO / "phone-gps" / "Apple_iPhone_4.jpg",
    FOTO / "heic" / "Apple_iPhone_8_IMG_1034.heic",
    FOTO / "heic" / "iphone_13_pro_max.heic",
    FOTO / "heic" / "cheers_1440x960_no_exif.heic",
    FOTO / "broken" / "Olympus_corrupted.jpg",
    FOTO / "broken" / "no_exif.jpg",
    FOTO / "gps-odd" / "Samsung_GT-I9000_Galaxy_S_gps_zero.jpg",
    FOTO / "orientation" / "landscape_1.jpg",
]


def _tegak(jalur: Path) -> Image.Image:
    with Image.open(jalur) as img:
        img.load()
        return ImageOps.exif_transpose(img).convert("RGB")


def _simpan(img: Image.Image, format_: str = "JPEG", **opsi) -> bytes:
    keluaran = io.BytesIO()
    img.save(keluaran, format_, **opsi)
    return keluaran.getvalue()


def _kecilkan(img: Image.Image, sisi: int) -> Image.Image:
    salinan = img.copy()
    salinan.thumbnail((sisi, sisi), Image.Resampling.LANCZOS)
    return salinan


def salinan_pillow(jalur: Path) -> dict[str, bytes]:
    """Copies as phones, galleries and messaging apps make them: other sizes, qualities and formats,
    no EXIF (a forwarded photo loses it), once or twice re-encoded."""
    img = _tegak(jalur)
    wa = Image.open(io.BytesIO(_simpan(_kecilkan(img, 1600), quality=60)))
    return {
        "1600-q60 (WhatsApp)": _simpan(_kecilkan(img, 1600), quality=60),
        "WhatsApp diteruskan lagi 1280-q50": _simpan(_kecilkan(wa, 1280), quality=50),
        "2048-q80 (perkecil di ponsel)": _simpan(_kecilkan(img, 2048), quality=80),
        "1024-q35": _simpan(_kecilkan(img, 1024), quality=35),
        "640-q20": _simpan(_kecilkan(img, 640), quality=20),
        "webp-800": _simpan(_kecilkan(img, 800), "WEBP", quality=70),
        "png-1200": _simpan(_kecilkan(img, 1200), "PNG"),
    }


def _sidik(data: bytes) -> int:
    nilai = proses_foto(data).dhash
    assert nilai is not None  # real photos are never "too plain"
    return nilai


@pytest.mark.parametrize("jalur", BERBEDA[:6], ids=lambda p: p.name)
def test_salinan_pillow_dalam_ambang(jalur):
    asli = _sidik(jalur.read_bytes())
    for nama, data in salinan_pillow(jalur).items():
        assert jarak_dhash(asli, _sidik(data)) <= AMBANG_DHASH, nama


def test_foto_berbeda_jauh_di_atas_ambang():
    sidik = {p.name: _sidik(p.read_bytes()) for p in BERBEDA}
    jarak = {(a, b): jarak_dhash(sidik[a], sidik[b]) for a, b in itertools.combinations(sidik, 2)}
    # Far above the threshold: a threshold of 5 leaves 15 bits or more of margin on these photos.
    assert min(jarak.values()) > 4 * AMBANG_DHASH, sorted(jarak.items(), key=lambda kv: kv[1])[:3]


def test_satu_foto_dengan_orientasi_exif_berbeda_adalah_foto_yang_sama():
    # landscape_1…8 are one picture stored in the 8 EXIF orientations: upright, they are the same photo.
    sidik = [_sidik((FOTO / "orientation" / f"landscape_{i}.jpg").read_bytes()) for i in range(1, 9)]
    assert max(jarak_dhash(sidik[0], s) for s in sidik) <= AMBANG_DHASH


def _potong(jalur: Path, kiri: float, kanan: float) -> bytes:
    img = _tegak(jalur)
    return _simpan(img.crop((int(img.width * kiri), 0, int(img.width * kanan), img.height)), quality=85)


def _usulan(pengguna, siklus, isi_usulan, *foto: tuple[str, bytes], judul: str = "Drainase"):
    berkas = [SimpleUploadedFile(nama, data, "image/jpeg") for nama, data in foto]
    return usulan_buat(pengguna=pengguna, siklus=siklus, isi=isi_usulan(judul=judul), foto=berkas)


@pytest.mark.django_db
def test_salinan_whatsapp_di_usulan_lain_diberi_bendera(
    client, warga, orang_luar, siklus, isi_usulan, operator_desa, media_kosong
):
    jalur = FOTO / "phone-nogps" / "Samsung_SM-J327T1.jpg"
    pertama = _usulan(warga, siklus, isi_usulan, ("asli.jpg", jalur.read_bytes()))
    salinan = salinan_pillow(jalur)
    kedua = _usulan(
        orang_luar,
        siklus,
        isi_usulan,
        ("wa.jpg", salinan["1600-q60 (WhatsApp)"]),
        ("lain.jpg", (FOTO / "phone-gps" / "Apple_iPhone_4.jpg").read_bytes()),
        judul="Saluran air tersumbat",
    )
    wa, lain = kedua.foto.order_by("urutan")
    assert wa.sha256 != pertama.foto.get().sha256  # other bytes: SHA-256 alone would miss it
    assert wa.duplikat_dari == pertama and lain.duplikat_dari is None
    assert pertama.foto.get().duplikat_dari is None
    # The verifiers' review page shows the flag, with a link to the proposal that used it first.
    client.force_login(operator_desa)
    teks = client.get(reverse("verifikasi:tinjau", args=[kedua.kode_lacak])).content.decode()
    assert "⚑ Foto yang sama sudah dipakai usulan lain." in teks
    assert f'href="{reverse("verifikasi:tinjau", args=[pertama.kode_lacak])}"' in teks


@pytest.mark.django_db
def test_foto_lain_dari_tempat_yang_sama_tidak_diberi_bendera(warga, orang_luar, siklus, isi_usulan, media_kosong):
    # Two framings of one scene (the left and the right 70 % of a real phone shot): another photo of the
    # same place, as a neighbour proposing the same drain would take it. Not a reused photo.
    jalur = FOTO / "phone-nogps" / "Samsung_SM-J327T1.jpg"
    pertama = _usulan(warga, siklus, isi_usulan, ("kiri.jpg", _potong(jalur, 0.0, 0.7)))
    kedua = _usulan(orang_luar, siklus, isi_usulan, ("kanan.jpg", _potong(jalur, 0.3, 1.0)), judul="Drainase lagi")
    a, b = pertama.foto.get(), kedua.foto.get()
    assert jarak_dhash(a.dhash, b.dhash) > 2 * AMBANG_DHASH
    assert b.duplikat_dari is None


@pytest.mark.django_db
def test_gambar_polos_tanpa_sidik_tidak_saling_menandai(warga, orang_luar, siklus, isi_usulan, foto_moro, media_kosong):
    # Plain pictures (a flat colour and a block) would all hash alike: they get no perceptual hash, so two
    # different plain photos never flag each other; identical bytes are still caught by SHA-256.
    pertama = _usulan(warga, siklus, isi_usulan, ("a.jpg", foto_moro("satu").read()))
    kedua = _usulan(
        orang_luar, siklus, isi_usulan, ("b.jpg", foto_moro("dua").read()), ("c.jpg", foto_moro("satu").read())
    )
    dua, satu = kedua.foto.order_by("urutan")
    assert pertama.foto.get().dhash is None and pertama.foto.get().dhash_pita == []
    assert dua.duplikat_dari is None and satu.duplikat_dari == pertama


def test_pita_memuat_setiap_pasangan_dalam_ambang():
    # Pigeonhole: any hash within AMBANG_DHASH bits shares at least one band with the original.
    asli = _sidik((FOTO / "phone-gps" / "Apple_iPhone_4.jpg").read_bytes())
    for bit in itertools.combinations(range(0, 64, 3), AMBANG_DHASH):
        ubah = asli
        for b in bit:
            ubah ^= 1 << b
        ubah = ubah - (1 << 64) if ubah >= 1 << 63 else ubah if ubah >= -(1 << 63) else ubah + (1 << 64)
        assert set(pita_dhash(asli)) & set(pita_dhash(ubah)), bit


@pytest.mark.django_db
def test_pencarian_memakai_indeks(warga, siklus, isi_usulan, media_kosong, django_assert_num_queries):
    jalur = FOTO / "phone-gps" / "Apple_iPhone_4.jpg"
    pertama = _usulan(warga, siklus, isi_usulan, ("asli.jpg", jalur.read_bytes()))
    sidik = _sidik(salinan_pillow(jalur)["1024-q35"])
    with django_assert_num_queries(2):  # SHA-256 (none), then the hash bands
        assert foto_sama_di_usulan_lain(sha256="0" * 64, dhash=sidik, kecuali_usulan_id=0).usulan_id == pertama.pk
    # The planner can answer the band look-up from the GIN index (forced here: the table is tiny).
    kueri = FotoUsulan.objects.filter(dhash_pita__overlap=pita_dhash(sidik)).exclude(usulan_id=0).values("pk").query
    sql, param = kueri.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", param)
        rencana = "\n".join(b[0] for b in cursor.fetchall())
    assert "foto_dhash_pita" in rencana, rencana


@pytest.mark.django_db
def test_isi_ulang_sidik_foto_lama_dari_migrasi(warga, orang_luar, siklus, isi_usulan, media_kosong):
    jalur = FOTO / "heic" / "Apple_iPhone_8_IMG_1034.heic"
    usulan = _usulan(warga, siklus, isi_usulan, ("asli.heic", jalur.read_bytes()))
    foto = usulan.foto.get()
    diharapkan = foto.dhash
    # A photo stored before the hash existed, and one whose thumbnail file has gone missing.
    FotoUsulan.objects.filter(pk=foto.pk).update(dhash=None, dhash_pita=[])
    hilang = _usulan(orang_luar, siklus, isi_usulan, ("lain.jpg", (FOTO / "broken" / "no_exif.jpg").read_bytes()))
    FotoUsulan.objects.filter(usulan=hilang).update(dhash=None, dhash_pita=[], thumbnail="usulan/tidak-ada.jpg")

    migrasi = importlib.import_module("usulan.migrations.0006_foto_sidik_perseptual")
    migrasi.isi_sidik(apps, None)

    foto.refresh_from_db()
    assert foto.dhash is not None and jarak_dhash(foto.dhash, diharapkan) <= 1
    assert foto.dhash_pita == pita_dhash(foto.dhash)
    assert FotoUsulan.objects.get(usulan=hilang).dhash is None


def test_sidik_dari_gambar_tegak():
    # The hash is of the picture, not of the file: the same pixels give the same hash whatever the format.
    img = _kecilkan(_tegak(FOTO / "phone-gps" / "Apple_iPhone_4.jpg"), 400)
    assert dhash(img) == dhash(Image.open(io.BytesIO(_simpan(img, "PNG"))).convert("RGB"))
