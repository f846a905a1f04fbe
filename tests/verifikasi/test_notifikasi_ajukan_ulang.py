"""A returned proposal that the proposer resubmits lands in the daily digest of the level that
returned it: the desa's officials after a desa return, the kecamatan's after a kecamatan return."""

from __future__ import annotations

from akun.models import Peran
from kabar.models import Notifikasi
from verifikasi import transitions as t


def _ringkasan(pengguna) -> str:
    return "".join(
        Notifikasi.objects.filter(penerima=pengguna, kunci_ringkasan__isnull=False).values_list("isi", flat=True)
    )


def test_petugas_desa_menerima_usulan_yang_diajukan_ulang(
    usulan, warga, operator_desa, operator_desa_lain, operator_kecamatan, alasan
):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto buram")
    assert usulan.kode_lacak not in _ringkasan(operator_desa)
    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    assert _ringkasan(operator_desa).count(usulan.kode_lacak) == 1
    assert usulan.kode_lacak not in _ringkasan(operator_desa_lain)
    assert usulan.kode_lacak not in _ringkasan(operator_kecamatan)
    # The proposer is told their resubmission arrived.
    assert Notifikasi.objects.filter(penerima=warga, usulan=usulan, subjek__contains="Diajukan").exists()


def test_petugas_kecamatan_menerima_usulan_yang_dikembalikannya(
    usulan, warga, operator_desa, operator_kecamatan, operator_kecamatan_lain, alasan
):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.kembalikan(
        usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, alasan_kode=alasan, catatan="RAB"
    )
    assert _ringkasan(operator_kecamatan).count(usulan.kode_lacak) == 1  # when the desa passed it on
    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga)
    assert _ringkasan(operator_kecamatan).count(usulan.kode_lacak) == 2
    assert usulan.kode_lacak not in _ringkasan(operator_desa)
    assert usulan.kode_lacak not in _ringkasan(operator_kecamatan_lain)
