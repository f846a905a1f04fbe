"""When Bappeda asks an OPD for a recommendation, that OPD's officials get the work in their daily
digest; other OPDs' officials and the proposer hear nothing (the request is internal)."""

from __future__ import annotations

from akun.models import Peran
from kabar.models import Notifikasi
from verifikasi import transitions as t


def test_petugas_opd_yang_diminta_menerima_ringkasan(
    usulan, warga, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd, petugas_opd_lain
):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    pesan_warga = Notifikasi.objects.filter(penerima=warga).count()

    t.minta_rekomendasi(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd])

    ringkasan = Notifikasi.objects.get(penerima=petugas_opd, kunci_ringkasan__isnull=False)
    assert f"{usulan.kode_lacak} — {usulan.judul}" in ringkasan.isi
    assert ringkasan.alamat == petugas_opd.email
    assert not Notifikasi.objects.filter(penerima=petugas_opd_lain).exists()
    assert Notifikasi.objects.filter(penerima=warga).count() == pesan_warga


def test_petugas_opd_nonaktif_tidak_menerima(usulan, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd):
    petugas_opd.penugasan.update(aktif=False)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    t.minta_rekomendasi(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd])
    assert not Notifikasi.objects.filter(penerima=petugas_opd).exists()
