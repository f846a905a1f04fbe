"""Proposals still waiting at a level whose window in the round's calendar has closed."""

from __future__ import annotations

import datetime

from django.utils import timezone

from dasbor import statistik
from musrenbang.models import JadwalTahapan, Siklus, Tahapan
from tests.dasbor.bantu import HARI


def _tutup(siklus, *tahapan) -> Siklus:
    sekarang = timezone.now()
    JadwalTahapan.objects.filter(siklus=siklus, tahapan__in=tahapan).update(
        mulai=sekarang - 20 * HARI, selesai=sekarang - datetime.timedelta(hours=1)
    )
    return Siklus.objects.prefetch_related("jadwaltahapan_set").get(pk=siklus.pk)


def test_jadwal_terbuka_tidak_ada_yang_terlambat(skenario):
    assert sum(b["jumlah"] for b in statistik.terlambat_per_kecamatan(skenario.siklus)) == 0
    assert list(statistik.usulan_terlambat(skenario.siklus)) == []


def test_terlambat_per_tingkat_dan_kecamatan(skenario):
    siklus = _tutup(skenario.siklus, Tahapan.DESA, Tahapan.KECAMATAN, Tahapan.BAPPEDA)
    per_kode = {b["kode"]: b for b in statistik.terlambat_per_kecamatan(siklus)}
    assert len(per_kode) == 14
    # u4 still waits at Kelurahan Moro; u5 waits at kecamatan Tebing; Bappeda decided both of its.
    assert per_kode["21.02.01"] == {
        "kode": "21.02.01",
        "nama": "Moro",
        "diajukan": 1,
        "lolos_desa": 0,
        "lolos_kecamatan": 0,
        "jumlah": 1,
    }
    assert (per_kode["21.02.05"]["lolos_desa"], per_kode["21.02.05"]["jumlah"]) == (1, 1)
    assert sum(b["jumlah"] for b in per_kode.values()) == 2
    daftar = list(statistik.usulan_terlambat(siklus))
    assert [u.kode_lacak for u in daftar] == [skenario.u4.kode_lacak, skenario.u5.kode_lacak]  # longest first
    assert daftar[0].menunggu_sejak == skenario.t0
    assert daftar[1].menunggu_sejak == skenario.t0 + 5 * HARI
    assert daftar[0].batas_jadwal == siklus.jadwal(Tahapan.DESA).selesai


def test_hanya_tingkat_yang_jadwalnya_tutup(skenario):
    siklus = _tutup(skenario.siklus, Tahapan.KECAMATAN)
    assert [u.kode_lacak for u in statistik.usulan_terlambat(siklus)] == [skenario.u5.kode_lacak]
    assert statistik.jadwal_tertutup(siklus) == {"lolos_desa": siklus.jadwal(Tahapan.KECAMATAN).selesai}


def test_jadwal_belum_ditetapkan_bukan_terlambat(skenario):
    JadwalTahapan.objects.filter(siklus=skenario.siklus, tahapan=Tahapan.DESA).delete()
    siklus = Siklus.objects.prefetch_related("jadwaltahapan_set").get(pk=skenario.siklus.pk)
    assert statistik.jadwal_tertutup(siklus, timezone.now() + 365 * HARI) == {
        "lolos_desa": siklus.jadwal(Tahapan.KECAMATAN).selesai,
        "lolos_kecamatan": siklus.jadwal(Tahapan.BAPPEDA).selesai,
    }
