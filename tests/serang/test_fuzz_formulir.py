"""Property-based tests of the forms (issue 6, point 8): any input gives a page with readable messages, never a 500.

The proposal form, the duplicate-hint endpoint, the sign-up form and the officials' actions get hostile
coordinates (poles, antimeridian, NaN, infinities, odd spellings), huge numbers, any Unicode, NUL and overlong
text. Each example runs in its own rolled-back savepoint (see tests/serang/fuzz.py).
"""

from __future__ import annotations

import math
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from akun.models import Peran
from musrenbang.models import Bidang
from tests.serang.fuzz import (
    KOORDINAT,
    SEKITAR_KARIMUN,
    TEKS,
    angka_teks,
    aturan,
    berkas_unggahan_tertunda,
    berkas_usulan,
    jpeg_kecil,
    pesan_galat,
    pesan_terbaca,
    teks_panjang,
    terisolasi,
)
from tests.skenario import buat_usulan
from usulan.models import Usulan

FOTO = jpeg_kecil()


@pytest.fixture
def batas_longgar(settings):
    # Examples are many requests from one address in one hour: the rate limits are not what is tested here.
    settings.BATAS_USULAN_PER_JAM_AKUN = settings.BATAS_USULAN_PER_JAM_IP = 10**6
    settings.BATAS_DAFTAR_PER_JAM_IP = 10**6


@pytest.fixture
def usulan_moro(warga, siklus, desa) -> Usulan:
    return buat_usulan(warga, siklus, desa)


def _isian_sah(bidang: Bidang) -> dict[str, str]:
    return {
        "judul": "Perbaikan drainase",
        "permasalahan": "Saluran tersumbat.",
        "uraian": "Saluran beton 200 meter.",
        "jenis_pengusul": "warga",
        "bidang": str(bidang.pk),
        "volume": "200",
        "satuan": "meter",
        "alamat": "Jl. Merdeka",
    }


def _kirim_usulan(warga, isian: dict[str, str]) -> tuple[int, str, list[str]]:
    """POST the proposal form with one small photo; returns status, body and the messages shown."""
    klien = Client()
    klien.force_login(warga)
    foto = SimpleUploadedFile("foto.jpg", FOTO, "image/jpeg")
    jawab = klien.post(reverse("usulan:buat"), {**isian, "foto": [foto]})
    teks = jawab.content.decode()
    return jawab.status_code, teks, pesan_galat(teks)


def _periksa_usulan(status: int, pesan: list[str], diharapkan: set, jumlah_sebelum: int) -> Usulan | None:
    """Common verdict: 302 with one stored proposal (and its three files), or 400 with readable messages."""
    assert status in (302, 400), status
    if status == 400:
        assert pesan, "400 tanpa pesan"
        assert all(pesan_terbaca(p) for p in pesan), pesan
        assert Usulan.objects.count() == jumlah_sebelum
        # A refused form keeps its photo as a pending upload (issue 13): its files belong to that row.
        diharapkan |= berkas_unggahan_tertunda()
        return None
    usulan = Usulan.objects.order_by("-pk").first()
    assert Usulan.objects.count() == jumlah_sebelum + 1
    diharapkan |= berkas_usulan(usulan)
    return usulan


@aturan(40)
@given(lat=KOORDINAT, lon=KOORDINAT)
def test_koordinat_sembarang(batas_longgar, warga, siklus, lat, lon):
    bidang = Bidang.objects.get(kode="05.01")
    with terisolasi() as diharapkan:
        jumlah = Usulan.objects.count()
        status, _teks, pesan = _kirim_usulan(warga, {**_isian_sah(bidang), "lat": lat, "lon": lon})
        usulan = _periksa_usulan(status, pesan, diharapkan, jumlah)
        if usulan is not None:
            # Accepted only as a real point of the kabupaten, exactly where the resident put it.
            assert math.isfinite(usulan.lokasi.x) and math.isfinite(usulan.lokasi.y)
            assert usulan.desa.kode.startswith("21.02.")
            assert (usulan.lokasi.y, usulan.lokasi.x) == (float(lat), float(lon))


@aturan(25)
@given(titik=SEKITAR_KARIMUN, format_angka=st.sampled_from(["{:.6f}", "{!r}", "{:.15e}"]))
def test_titik_di_sekitar_karimun(batas_longgar, warga, siklus, titik, format_angka):
    """Land, sea and neighbouring areas: inside the kabupaten accepted, outside a clear location message."""
    bidang = Bidang.objects.get(kode="05.01")
    lat, lon = (format_angka.format(v) for v in titik)
    with terisolasi() as diharapkan:
        jumlah = Usulan.objects.count()
        status, teks, pesan = _kirim_usulan(warga, {**_isian_sah(bidang), "lat": lat, "lon": lon})
        usulan = _periksa_usulan(status, pesan, diharapkan, jumlah)
        if usulan is None:
            assert 'id="id_lat_galat"' in teks  # the location's message sits next to the map inputs


LUAR = "Lokasi ini berada di luar wilayah Kabupaten Karimun. Pilih titik di dalam Kabupaten Karimun."
# Every message names its field (issue 13): "Lintang harus berupa angka.", not a bare "enter a number".
LINTANG_BUKAN_ANGKA = "Lintang harus berupa angka."
BUJUR_BUKAN_ANGKA = "Bujur harus berupa angka."


@pytest.mark.parametrize(
    ("lat", "lon", "isian", "pesan"),
    [
        ("90", "180", "lat", LUAR),  # the north pole on the antimeridian
        ("-90", "-180", "lat", LUAR),
        ("0", "0", "lat", LUAR),  # "null island"
        ("90.0000001", "0", "lat", "Lintang harus di antara -90 dan 90."),
        ("0", "180.0000001", "lon", "Bujur harus di antara -180 dan 180."),
        ("0", "-180.0000001", "lon", "Bujur harus di antara -180 dan 180."),
        ("nan", "103.4", "lat", LINTANG_BUKAN_ANGKA),
        ("1", "inf", "lon", BUJUR_BUKAN_ANGKA),
        ("1e309", "103.4", "lat", LINTANG_BUKAN_ANGKA),
        ("١٫٥", "103.4", "lat", LINTANG_BUKAN_ANGKA),
        ("1", "", "lat", "Isi lintang dan bujur sekaligus, atau kosongkan keduanya."),
    ],
)
def test_koordinat_tepi_pesan_jelas_di_isiannya(batas_longgar, warga, siklus, lat, lon, isian, pesan):
    status, teks, semua = _kirim_usulan(warga, {**_isian_sah(Bidang.objects.get(kode="05.01")), "lat": lat, "lon": lon})
    assert status == 400
    assert f'<p class="galat" id="id_{isian}_galat">{pesan}</p>' in teks, semua
    assert Usulan.objects.count() == 0


ISIAN_ACAK = st.fixed_dictionaries(
    {
        "judul": teks_panjang(150),
        "permasalahan": teks_panjang(2000),
        "uraian": teks_panjang(2000),
        "jenis_pengusul": st.one_of(st.sampled_from(["warga", "kelompok", "lembaga"]), TEKS),
        "bidang": angka_teks(),
        "kamus": angka_teks(),
        "volume": angka_teks((-1e12, 1e12)),
        "satuan": teks_panjang(30),
        "alamat": teks_panjang(200),
        "dusun": teks_panjang(100),
        "rt": st.one_of(st.sampled_from(["003", "1", "0000", "١٢", "-1"]), TEKS),
        "rw": st.one_of(st.sampled_from(["001", "999", "٣"]), TEKS),
        "nama_pengusul": teks_panjang(150),
        "tampilkan_nama": st.one_of(st.sampled_from(["on", "true", "0", ""]), TEKS),
    }
)


@aturan(40)
@given(isian=ISIAN_ACAK, pakai_bidang_sah=st.booleans())
def test_isian_usulan_sembarang(batas_longgar, warga, siklus, titik_moro, isian, pakai_bidang_sah):
    if pakai_bidang_sah:  # otherwise every example would stop at the sector choice
        isian["bidang"] = str(Bidang.objects.get(kode="05.01").pk)
    isian |= {"lat": f"{titik_moro.y:.6f}", "lon": f"{titik_moro.x:.6f}"}
    with terisolasi() as diharapkan:
        jumlah = Usulan.objects.count()
        status, _teks, pesan = _kirim_usulan(warga, isian)
        usulan = _periksa_usulan(status, pesan, diharapkan, jumlah)
        if usulan is not None:
            assert "\x00" not in usulan.judul + usulan.permasalahan + usulan.uraian + usulan.alamat
            assert 0 < len(usulan.judul) <= 150 and usulan.volume > 0


@aturan(80)
@given(lat=KOORDINAT, lon=KOORDINAT, judul=teks_panjang(150))
def test_saran_serupa_sembarang(db, siklus, lat, lon, judul):
    with terisolasi():
        jawab = Client().get(reverse("usulan:serupa"), {"lat": lat, "lon": lon, "judul": judul})
        assert jawab.status_code in (200, 400), jawab.status_code
        if jawab.status_code == 400:
            assert jawab["Content-Type"].startswith("text/plain")
            assert pesan_terbaca(jawab.content.decode())


@aturan(50)
@given(kode=st.one_of(TEKS, st.sampled_from(["2102-2025-00001", "\x00", "%00", "../../etc/passwd", "x" * 5000])))
def test_cari_dan_lacak_kode_sembarang(db, kode):
    """The tracking-code box on the home page and the tracking URL itself."""
    with terisolasi():
        jawab = Client().get(reverse("usulan:cari"), {"kode": kode})
        assert jawab.status_code in (200, 404), jawab.status_code
        if jawab.status_code == 404:
            assert "tidak ditemukan" in jawab.content.decode()
        jawab = Client().get("/usulan/lacak/" + quote(kode, safe="") + "/")
        assert jawab.status_code in (200, 301, 302, 404), jawab.status_code


def test_badan_permintaan_raksasa_ditolak_django(warga, siklus, titik_moro):
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE of plain fields: Django answers 400 before the view runs."""
    klien = Client(raise_request_exception=False)
    klien.force_login(warga)
    jawab = klien.post(reverse("usulan:buat"), {"judul": "x" * 3_000_000, "lat": "1", "lon": "103"})
    assert jawab.status_code == 400
    assert Usulan.objects.count() == 0


@aturan(60)
@given(
    isian=st.fixed_dictionaries(
        {
            "nama_lengkap": teks_panjang(150),
            "email": st.one_of(
                st.emails().map(str),
                st.sampled_from(["a@b", "@", "a@-.id", "a\x00@b.id", "ä@ü.id", "x" * 300 + "@contoh.id"]),
                TEKS,
            ),
            "telepon": st.one_of(
                st.sampled_from(["081234567890", "+6281234567890", "0812-3456-7890", "٠٨١٢٣٤٥٦٧٨٩٠", "+0", "+"]),
                angka_teks(),
            ),
            "password1": st.one_of(st.just("Rahasia-Kuat-2024!"), TEKS),
        }
    ),
    sama=st.booleans(),
)
def test_daftar_sembarang(batas_longgar, db, isian, sama):
    isian["password2"] = isian["password1"] if sama else isian["password1"] + "x"
    with terisolasi():
        jawab = Client().post(reverse("daftar"), isian)
        assert jawab.status_code in (200, 302), jawab.status_code
        if jawab.status_code == 200:
            pesan = pesan_galat(jawab.content.decode())
            assert pesan and all(pesan_terbaca(p) for p in pesan), pesan


AKSI = ["teruskan", "kembalikan", "tolak", "gabungkan", "minta_rekomendasi", "rekomendasikan", "putuskan", "terbitkan"]
PERAN = [p.value for p in Peran]


@aturan(40)
@given(
    nama=st.one_of(st.sampled_from(AKSI), TEKS.filter(lambda t: t and "/" not in t)),
    peran=st.one_of(st.sampled_from(PERAN), TEKS),
    isian=st.dictionaries(
        st.sampled_from(
            [
                *("peringkat", "catatan", "alasan_kode", "ke_kode", "opd", "layak", "volume", "biaya", "hasil"),
                *("perangkat_daerah", "tahun", "alasan", "paksa_jadwal"),
            ]
        ),
        st.one_of(angka_teks(), teks_panjang(2000)),
    ),
)
def test_aksi_verifikasi_sembarang(operator_desa, usulan_moro, nama, peran, isian):
    usulan = usulan_moro
    klien = Client()
    klien.force_login(operator_desa)
    with terisolasi():
        awalan = f"{peran}-{nama}-"
        data = {"peran": peran, **{awalan + k: v for k, v in isian.items()}}
        url = f"/verifikasi/u/{usulan.kode_lacak}/aksi/{quote(nama, safe='')}/"
        jawab = klien.post(url, data)
        # 404 for an action or role the official does not hold (by design); otherwise back to the review
        # page, where the outcome is a message.
        assert jawab.status_code in (302, 404), jawab.status_code
        if jawab.status_code == 302:
            assert jawab["Location"] == reverse("verifikasi:tinjau", args=[usulan.kode_lacak])
            halaman = klien.get(jawab["Location"])
            assert halaman.status_code == 200


@aturan(25)
@given(kode=st.one_of(TEKS.filter(lambda t: t and "/" not in t), st.sampled_from(["\x00", "A\x00B", "ä" * 300])))
def test_kode_sembarang_di_url_petugas_dan_pengusul(operator_desa, warga, siklus, kode):
    """Every page addressed by a tracking code answers 404 for a code that does not exist, whatever it holds."""
    petugas, pengusul = Client(), Client()
    petugas.force_login(operator_desa)
    pengusul.force_login(warga)
    k = quote(kode, safe="")
    with terisolasi():
        for klien, metode, url in (
            (petugas, "get", f"/verifikasi/u/{k}/"),
            (petugas, "post", f"/verifikasi/u/{k}/aksi/teruskan/"),
            (petugas, "get", f"/verifikasi/u/{k}/foto/1/asli/"),
            (pengusul, "get", f"/verifikasi/pengusul/{k}/perbaiki/"),
            (pengusul, "post", f"/verifikasi/pengusul/{k}/tarik/"),
        ):
            jawab = getattr(klien, metode)(url, {"peran": "desa"} if metode == "post" else None)
            assert jawab.status_code == 404, (url, jawab.status_code)
