"""Planning rounds: one active per kabupaten/kota, one window per stage, windows that end after they start."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from musrenbang.models import JadwalTahapan, Siklus, Tahapan
from musrenbang.selectors import siklus_aktif
from tests import factories


def test_hanya_satu_siklus_aktif_per_kabupaten(siklus, karimun):
    with pytest.raises(IntegrityError), transaction.atomic():
        Siklus.objects.create(kabkota=karimun, tahun=siklus.tahun + 1, aktif=True)
    lama = Siklus.objects.create(kabkota=karimun, tahun=siklus.tahun - 1, aktif=False)
    assert siklus_aktif() == siklus and lama.aktif is False


def test_tahun_yang_sama_tidak_boleh_dua_kali(siklus, karimun):
    with pytest.raises(IntegrityError), transaction.atomic():
        Siklus.objects.create(kabkota=karimun, tahun=siklus.tahun, aktif=False)


def test_jadwal_harus_selesai_setelah_mulai_dan_satu_per_tahapan(karimun):
    siklus = factories.buat_siklus(karimun)
    sekarang = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        JadwalTahapan.objects.filter(siklus=siklus, tahapan=Tahapan.DESA).update(
            selesai=sekarang - datetime.timedelta(days=365)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        JadwalTahapan.objects.create(
            siklus=siklus, tahapan=Tahapan.DESA, mulai=sekarang, selesai=sekarang + datetime.timedelta(days=1)
        )


def test_jendela_terbuka_termasuk_mulai_tidak_termasuk_selesai(karimun):
    siklus = factories.buat_siklus(karimun)
    jadwal = siklus.jadwal(Tahapan.PENGAJUAN)
    assert siklus.terbuka(Tahapan.PENGAJUAN, jadwal.mulai)
    assert not siklus.terbuka(Tahapan.PENGAJUAN, jadwal.selesai)
    assert not siklus.terbuka(Tahapan.PENGAJUAN, jadwal.mulai - datetime.timedelta(seconds=1))
