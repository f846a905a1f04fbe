"""What the review page shows an official, section by section: the photos with a link to the private
original (which opens for them and nobody else), the photo flags, the nearby/duplicate candidates of
this and earlier rounds, the OPD recommendations, the estimated cost and the full history."""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from akun.models import Peran
from tests import factories
from usulan.models import Usulan
from usulan.services import usulan_buat
from verifikasi import transitions as t


def _bagian(teks: str, mulai: str, akhir: str) -> str:
    """The HTML from the first `mulai` to the next `akhir` (the section under test)."""
    awal = teks.index(mulai)
    return teks[awal : teks.index(akhir, awal)]


def _datar(html: str) -> str:
    """Text without tags, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def foto_jauh_lama(foto_moro, titik_moro):
    """The same photo every call: GPS about 2.2 km east of the pin, taken over two years ago."""
    diambil = timezone.localtime().replace(tzinfo=None, microsecond=0) - datetime.timedelta(days=800)
    return lambda: foto_moro("jauh", lon=titik_moro.x + 0.02, diambil=diambil)


@pytest.fixture
def kasus(
    warga,
    siklus,
    karimun,
    isi_usulan,
    foto_jauh_lama,
    foto_moro,
    operator_desa,
    operator_kecamatan,
    bappeda,
    opd,
    opd_lain,
    petugas_opd,
):
    """Proposal `utama` (catalogue-costed, flagged photo) at Bappeda with one OPD answer and one pending;
    `kembar` reuses its photo nearby with a similar title; `lama` sits on the same spot last round."""
    kamus = factories.buat_kamus(siklus)  # Rp 450.000 per meter
    utama = usulan_buat(
        pengguna=warga, siklus=siklus, isi=isi_usulan(kamus=kamus, volume=Decimal(100)), foto=[foto_jauh_lama()]
    )
    kembar = usulan_buat(
        pengguna=warga,
        siklus=siklus,
        isi=isi_usulan(judul="Perbaikan drainase Jalan Merdeka RT 3"),
        foto=[foto_jauh_lama()],
    )
    siklus_lama = factories.buat_siklus(karimun, tahun=siklus.tahun - 1, aktif=False)
    lama = usulan_buat(
        pengguna=warga, siklus=siklus_lama, isi=isi_usulan(judul="Lampu jalan depan masjid"), foto=[foto_moro("lama")]
    )
    t.teruskan(usulan_id=utama.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=2, catatan="Prioritas RW 01")
    t.teruskan(usulan_id=utama.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=1)
    t.minta_rekomendasi(
        usulan_id=utama.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd, opd_lain], catatan="Mohon kaji"
    )
    t.rekomendasikan(
        usulan_id=utama.pk,
        pelaku=petugas_opd,
        layak=True,
        volume=Decimal(90),
        biaya=Decimal("40500000"),
        catatan="Cukup U-ditch 90 meter",
    )
    return utama, kembar, lama


def test_tinjau_foto_bendera_dan_foto_asli(client, bappeda, kasus):
    utama, _kembar, _lama = kasus
    foto = utama.foto.get()
    assert foto.bendera_jauh and foto.bendera_lama
    client.force_login(bappeda)
    teks = client.get(reverse("verifikasi:tinjau", args=[utama.kode_lacak])).content.decode()
    bagian = _bagian(teks, '<ul class="foto-tinjau">', "</ul>")
    url_asli = reverse("verifikasi:foto_asli", args=[utama.kode_lacak, foto.pk])
    assert f'href="{url_asli}"' in bagian and f'src="{foto.url_web}"' in bagian
    datar = _datar(bagian)
    assert f"⚑ Lokasi GPS foto {round(foto.jarak_dari_pin_m)} m dari pin." in datar
    assert "⚑ Foto diambil lebih dari 12 bulan sebelum pengajuan." in datar
    assert "Foto yang sama" not in datar  # the first to use it is not the duplicate
    jawab = client.get(url_asli)
    assert jawab.status_code == 200
    assert hashlib.sha256(b"".join(jawab.streaming_content)).hexdigest() == foto.sha256


def test_foto_asli_tertutup_bagi_publik_dan_pengusul(client, warga, kasus):
    utama, _kembar, _lama = kasus
    url_asli = reverse("verifikasi:foto_asli", args=[utama.kode_lacak, utama.foto.get().pk])
    anonim = client.get(url_asli)
    assert anonim.status_code == 302 and anonim["Location"].startswith(reverse("login"))
    client.force_login(warga)  # even the proposer: the original carries EXIF, only officials need it
    assert client.get(url_asli).status_code == 404


def test_tinjau_foto_ganda_menunjuk_usulan_asal(client, operator_desa, kasus):
    utama, kembar, _lama = kasus
    client.force_login(operator_desa)
    teks = client.get(reverse("verifikasi:tinjau", args=[kembar.kode_lacak])).content.decode()
    bagian = _bagian(teks, '<ul class="foto-tinjau">', "</ul>")
    assert "⚑ Foto yang sama sudah dipakai usulan lain." in _datar(bagian)
    assert f'href="{reverse("verifikasi:tinjau", args=[utama.kode_lacak])}"' in bagian


def test_tinjau_calon_duplikat_siklus_ini_dan_sebelumnya(client, bappeda, kasus):
    utama, kembar, lama = kasus
    client.force_login(bappeda)
    teks = client.get(reverse("verifikasi:tinjau", args=[utama.kode_lacak])).content.decode()
    bagian = _bagian(teks, 'id="judul-serupa"', "</section>")
    ini = _bagian(bagian, "Usulan siklus ini", "</ul>")
    sebelumnya = _bagian(bagian, "Usulan siklus sebelumnya", "</ul>")
    assert kembar.kode_lacak in ini and lama.kode_lacak not in ini
    assert lama.kode_lacak in sebelumnya and kembar.kode_lacak not in sebelumnya
    assert utama.kode_lacak not in bagian  # never its own duplicate
    # Same spot as the pin: the distance is shown as 0 m, not left out.
    assert f"{kembar.kode_lacak} · Moro · 0 m dari pin" in _datar(ini)


def test_tinjau_rekomendasi_opd(client, bappeda, kasus, opd, opd_lain):
    utama, _kembar, _lama = kasus
    client.force_login(bappeda)
    teks = client.get(reverse("verifikasi:tinjau", args=[utama.kode_lacak])).content.decode()
    butir = re.findall(
        r'<li class="kartu"><strong>(.*?)</strong>:(.*?)</li>', _bagian(teks, "Rekomendasi OPD</h2>", "</ul>"), re.S
    )
    rekomendasi = {nama: _datar(isi) for nama, isi in butir}
    assert rekomendasi == {
        opd.nama: "Layak · volume 90 · Rp 40.500.000 Cukup U-ditch 90 meter",
        opd_lain.nama: "menunggu rekomendasi",
    }


def test_tinjau_perkiraan_biaya_dari_kamus(client, bappeda, kasus):
    utama, kembar, _lama = kasus
    assert utama.perkiraan_biaya == Decimal("45000000")
    client.force_login(bappeda)
    teks = _datar(client.get(reverse("verifikasi:tinjau", args=[utama.kode_lacak])).content.decode())
    assert "Perkiraan biaya Rp 45.000.000" in teks
    assert "Kebutuhan 100 meter — Semenisasi jalan lingkungan" in teks
    # Without a catalogue item there is no estimate, and the page says so rather than showing Rp 0.
    assert kembar.perkiraan_biaya is None
    teks = _datar(client.get(reverse("verifikasi:tinjau", args=[kembar.kode_lacak])).content.decode())
    assert "Perkiraan biaya — " in teks and "Rp 0" not in teks


def test_tinjau_riwayat_lengkap_termasuk_internal(client, bappeda, kasus, operator_desa, petugas_opd):
    utama, _kembar, _lama = kasus
    client.force_login(bappeda)
    teks = client.get(reverse("verifikasi:tinjau", args=[utama.kode_lacak])).content.decode()
    baris = [_datar(b) for b in re.findall(r"<li>(.*?)</li>", _bagian(teks, '<ol class="riwayat">', "</ol>"), re.S)]
    assert len(baris) == Usulan.objects.get(pk=utama.pk).riwayat.count() == 5
    assert [b.split(" — ", 1)[1].split(" ·")[0] for b in baris] == [
        "Ajukan Diajukan",
        "Teruskan Diajukan → Lolos desa/kelurahan",
        "Teruskan Lolos desa/kelurahan → Lolos kecamatan",
        "Minta rekomendasi OPD Lolos kecamatan → Lolos kecamatan",
        "Beri rekomendasi Lolos kecamatan → Lolos kecamatan",
    ]
    assert f"{operator_desa} (desa)" in baris[1] and "Prioritas RW 01" in baris[1] and "internal" not in baris[1]
    assert "internal" in baris[3] and "Mohon kaji" in baris[3]
    assert f"{petugas_opd} (opd)" in baris[4] and "internal" in baris[4] and "Layak: Cukup U-ditch 90 meter" in baris[4]
