"""Bappeda's decision reaches the proposer when it is published, never before: a draft is internal."""

from __future__ import annotations

from decimal import Decimal

from akun.models import Peran
from kabar.models import Notifikasi
from tests.skenario import usulan_pada
from usulan.models import Status
from verifikasi import transitions as t


def _pesan_pengusul(usulan, warga):
    return Notifikasi.objects.filter(penerima=warga, usulan=usulan, saluran="email").order_by("pk")


def test_pengusul_dikabari_saat_terbit_bukan_saat_diputuskan(
    usulan, warga, operator_desa, operator_kecamatan, bappeda, opd
):
    usulan_pada(
        Status.LOLOS_KECAMATAN,
        usulan=usulan,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        peringkat=(1, 1),
    )
    sebelum = _pesan_pengusul(usulan, warga).count()
    t.putuskan(
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas banjir",
        perangkat_daerah=opd,
        biaya=Decimal("125000000"),
    )
    t.putuskan(  # a changed draft is still a draft
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas banjir",
        perangkat_daerah=opd,
        biaya=Decimal("100000000"),
    )
    assert _pesan_pengusul(usulan, warga).count() == sebelum
    assert not Notifikasi.objects.filter(usulan=usulan, subjek__contains="Diterima").exists()

    t.terbitkan(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    pesan = list(_pesan_pengusul(usulan, warga))
    assert len(pesan) == sebelum + 1
    assert pesan[-1].subjek == f"Usulan {usulan.kode_lacak}: Diterima"
    assert "sekarang: Diterima" in pesan[-1].isi


def test_penolakan_bappeda_dikabarkan_saat_terbit_serentak(
    usulan, warga, operator_desa, operator_kecamatan, bappeda, alasan
):
    usulan_pada(
        Status.LOLOS_KECAMATAN,
        usulan=usulan,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        peringkat=(1, 1),
    )
    t.putuskan(
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="ditolak",
        alasan="Tidak prioritas",
        alasan_kode=alasan,
    )
    assert not _pesan_pengusul(usulan, warga).filter(subjek__contains="Ditolak").exists()
    assert t.terbitkan_semua(pelaku=bappeda, peran=Peran.BAPPEDA, siklus_id=usulan.siklus_id) == 1
    assert _pesan_pengusul(usulan, warga).filter(subjek=f"Usulan {usulan.kode_lacak}: Ditolak").count() == 1
