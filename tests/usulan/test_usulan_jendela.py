"""The resident window: outside it the form page says when it opens, or when it closed, with the date."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from musrenbang.models import JadwalTahapan, Siklus, Tahapan
from usulan.models import Usulan
from usulan.selectors import jendela_pesan_tertutup
from usulan.services import usulan_buat

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
# 09:00 WIB on 3 March and 17:00 WIB on 31 March (UTC 02:00 and 10:00): the page shows local time.
MULAI = datetime.datetime(2031, 3, 3, 9, 0, tzinfo=WIB)
SELESAI = datetime.datetime(2031, 3, 31, 17, 0, tzinfo=WIB)


@pytest.fixture
def siklus_maret(karimun) -> Siklus:
    siklus = Siklus.objects.create(kabkota=karimun, tahun=2032, aktif=True)
    JadwalTahapan.objects.create(siklus=siklus, tahapan=Tahapan.PENGAJUAN, mulai=MULAI, selesai=SELESAI)
    return siklus


def test_sebelum_dibuka_menyebut_tanggal_buka(siklus_maret):
    pesan = jendela_pesan_tertutup(siklus_maret, Tahapan.PENGAJUAN, MULAI - datetime.timedelta(minutes=1))
    assert pesan == "Tahapan pengajuan usulan warga baru dibuka pada 03-03-2031 09:00."


def test_setelah_ditutup_menyebut_tanggal_tutup(siklus_maret):
    pesan = jendela_pesan_tertutup(siklus_maret, Tahapan.PENGAJUAN, SELESAI)
    assert pesan == "Tahapan pengajuan usulan warga sudah ditutup pada 31-03-2031 17:00."


def test_di_dalam_jendela_tidak_ada_pesan(siklus_maret):
    assert jendela_pesan_tertutup(siklus_maret, Tahapan.PENGAJUAN, MULAI) is None
    assert jendela_pesan_tertutup(siklus_maret, Tahapan.PENGAJUAN, SELESAI - datetime.timedelta(seconds=1)) is None


def test_tanpa_siklus_atau_tanpa_jadwal(siklus_maret):
    assert jendela_pesan_tertutup(None, Tahapan.PENGAJUAN) == "Belum ada siklus perencanaan yang aktif."
    assert jendela_pesan_tertutup(siklus_maret, Tahapan.DESA) == "Jadwal tahapan ini belum ditetapkan."


def test_layanan_menolak_di_luar_jendela(warga, siklus_maret, isi_usulan, foto_moro):
    with pytest.raises(ValidationError, match="baru dibuka pada 03-03-2031 09:00"):
        usulan_buat(
            pengguna=warga,
            siklus=siklus_maret,
            isi=isi_usulan(),
            foto=[foto_moro()],
            sekarang=MULAI - datetime.timedelta(days=1),
        )
    assert Usulan.objects.count() == 0


def test_halaman_belum_dibuka_menyebut_tanggal_tanpa_formulir(client, warga, karimun):
    siklus = Siklus.objects.create(kabkota=karimun, tahun=timezone.now().year + 2, aktif=True)
    buka = timezone.now() + datetime.timedelta(days=20)
    JadwalTahapan.objects.create(
        siklus=siklus, tahapan=Tahapan.PENGAJUAN, mulai=buka, selesai=buka + datetime.timedelta(days=30)
    )
    client.force_login(warga)
    teks = client.get(reverse("usulan:buat")).content.decode()
    assert f"baru dibuka pada {timezone.localtime(buka):%d-%m-%Y %H:%M}" in teks
    assert 'name="judul"' not in teks and "usulan_form.js" not in teks


def test_halaman_sudah_ditutup_dalam_bahasa_inggris(client, warga, karimun):
    siklus = Siklus.objects.create(kabkota=karimun, tahun=timezone.now().year + 2, aktif=True)
    tutup = timezone.now() - datetime.timedelta(days=2)
    JadwalTahapan.objects.create(
        siklus=siklus, tahapan=Tahapan.PENGAJUAN, mulai=tutup - datetime.timedelta(days=30), selesai=tutup
    )
    client.force_login(warga)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    teks = client.get(reverse("usulan:buat")).content.decode()
    assert f"{timezone.localtime(tutup):%d-%m-%Y %H:%M}" in teks
    assert "sudah ditutup" not in teks  # the sentence itself is translated
