"""A resubmitted proposal goes back to the level that returned it, in that level's window: a desa
return back to the desa (diajukan), a kecamatan return back to the kecamatan (lolos_desa), with the
way back recorded in the history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from akun.models import Peran
from musrenbang.models import JadwalTahapan, Tahapan
from usulan.models import Aksi, RiwayatStatus, Status
from verifikasi import transitions as t


def _kembalikan_kecamatan(usulan, operator_desa, operator_kecamatan, alasan) -> None:
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=2)
    t.kembalikan(
        usulan_id=usulan.pk,
        pelaku=operator_kecamatan,
        peran=Peran.KECAMATAN,
        alasan_kode=alasan,
        catatan="Lengkapi RAB",
    )


def _hanya_buka(siklus, *terbuka: str) -> None:
    sekarang = timezone.now()
    for j in JadwalTahapan.objects.filter(siklus=siklus):
        if j.tahapan in terbuka:
            j.mulai, j.selesai = sekarang - datetime.timedelta(days=1), sekarang + datetime.timedelta(days=1)
        else:
            j.mulai, j.selesai = sekarang - datetime.timedelta(days=20), sekarang - datetime.timedelta(days=10)
        j.save()


def test_dikembalikan_kecamatan_kembali_ke_kecamatan(usulan, warga, operator_desa, operator_kecamatan, alasan):
    _kembalikan_kecamatan(usulan, operator_desa, operator_kecamatan, alasan)
    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    usulan.refresh_from_db()
    assert (usulan.status, usulan.status_publik, usulan.peringkat_desa) == (Status.LOLOS_DESA, Status.LOLOS_DESA, 2)
    baris = RiwayatStatus.objects.filter(usulan=usulan).latest("pk")
    assert (baris.aksi, baris.dari_status, baris.ke_status, baris.peran, baris.publik) == (
        Aksi.AJUKAN_ULANG,
        Status.DIKEMBALIKAN,
        Status.LOLOS_DESA,
        "pengusul",
        True,
    )
    assert "kembali ke tingkat kecamatan" in baris.teks_catatan
    # The kecamatan takes it up again; the desa has nothing more to do with it.
    with pytest.raises(t.TransisiDitolak, match="Mungkin sudah ditangani"):
        t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=1)
    usulan.refresh_from_db()
    assert usulan.status == Status.LOLOS_KECAMATAN


def test_dikembalikan_desa_kembali_ke_desa(usulan, warga, operator_desa, alasan):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN
    assert RiwayatStatus.objects.filter(usulan=usulan).latest("pk").teks_catatan == (
        "Diperbaiki dan diajukan ulang oleh pengusul."
    )


def test_pengembalian_terakhir_yang_menentukan(usulan, warga, operator_desa, operator_kecamatan, alasan):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    _kembalikan_kecamatan(usulan, operator_desa, operator_kecamatan, alasan)
    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    usulan.refresh_from_db()
    assert usulan.status == Status.LOLOS_DESA


def test_jendela_kecamatan_yang_berlaku_setelah_pengembalian_kecamatan(
    usulan, warga, operator_desa, operator_kecamatan, alasan, siklus
):
    _kembalikan_kecamatan(usulan, operator_desa, operator_kecamatan, alasan)
    _hanya_buka(siklus, Tahapan.PENGAJUAN, Tahapan.DESA)
    with pytest.raises(t.TransisiDitolak, match="Jadwal tahap ini sedang tidak dibuka"):
        t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    usulan.refresh_from_db()
    assert usulan.status == Status.DIKEMBALIKAN
    _hanya_buka(siklus, Tahapan.KECAMATAN)
    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    usulan.refresh_from_db()
    assert usulan.status == Status.LOLOS_DESA


def test_jendela_desa_yang_berlaku_setelah_pengembalian_desa(usulan, warga, operator_desa, alasan, siklus):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    _hanya_buka(siklus, Tahapan.KECAMATAN)
    with pytest.raises(t.TransisiDitolak, match="Jadwal tahap ini sedang tidak dibuka"):
        t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    _hanya_buka(siklus, Tahapan.DESA)
    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN


def test_pindah_ke_desa_lain_mulai_lagi_dari_desa_itu(
    usulan, warga, operator_desa, operator_kecamatan, operator_desa_lain, alasan, desa_lain
):
    _kembalikan_kecamatan(usulan, operator_desa, operator_kecamatan, alasan)

    def pindah(u):  # what usulan_perbarui does when the pin moves: the desa follows the point
        u.lokasi, u.desa, u.kecamatan = desa_lain.batas.point_on_surface, desa_lain, desa_lain.induk

    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga, ubah_isi=pindah)
    usulan.refresh_from_db()
    assert (usulan.status, usulan.desa, usulan.peringkat_desa) == (Status.DIAJUKAN, desa_lain, None)
    assert RiwayatStatus.objects.filter(usulan=usulan).latest("pk").ke_status == Status.DIAJUKAN
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa_lain, peran=Peran.DESA)
