"""Median days each level took to act, from the history's timestamps (percentile_cont in SQL)."""

from __future__ import annotations

from akun.models import Peran
from dasbor import statistik
from tests.dasbor.bantu import HARI, jam
from verifikasi import transitions as t


def test_median_hari_per_tingkat(skenario):
    # desa: 1, 3, 2, 5, 1 days → 2; kecamatan: 2, 1 → 1.5; Bappeda: 3, 4 → 3.5 (OPD requests aside).
    assert statistik.median_hari_per_tingkat(skenario.siklus) == [
        {"tahapan": "desa", "status": "diajukan", "jumlah": 5, "median_hari": 2.0},
        {"tahapan": "kecamatan", "status": "lolos_desa", "jumlah": 2, "median_hari": 1.5},
        {"tahapan": "bappeda", "status": "lolos_kecamatan", "jumlah": 2, "median_hari": 3.5},
    ]


def test_diajukan_ulang_dihitung_dari_pengajuan_ulang_dan_penarikan_diabaikan(
    skenario, warga, operator_desa, alasan_duplikat
):
    u4 = skenario.u4
    with jam(skenario.t0 + 2 * HARI):
        t.kembalikan(usulan_id=u4.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan_duplikat, catatan="x")
    with jam(skenario.t0 + 3 * HARI):
        t.ajukan_ulang(usulan_id=u4.pk, pelaku=warga)
    with jam(skenario.t0 + 8 * HARI):
        t.teruskan(usulan_id=u4.pk, pelaku=operator_desa, peran=Peran.DESA)
    # A proposal withdrawn by its proposer is not an action of the level.
    with jam(skenario.t0 + 8 * HARI):
        t.tarik(usulan_id=skenario.u5.pk, pelaku=warga)
    desa = statistik.median_hari_per_tingkat(skenario.siklus)[0]
    # Added: 2 (submission → return) and 5 (resubmission → pass on): 1, 1, 2, 2, 3, 5, 5 → 2.
    assert (desa["jumlah"], desa["median_hari"]) == (7, 2.0)
    kecamatan = statistik.median_hari_per_tingkat(skenario.siklus)[1]
    assert kecamatan["jumlah"] == 2  # u5's withdrawal from lolos_desa is left out


def test_permintaan_rekomendasi_opd_tidak_memotong_waktu_bappeda(skenario, operator_kecamatan_tebing, bappeda, opd):
    u5 = skenario.u5
    with jam(skenario.t0 + 6 * HARI):
        t.teruskan(usulan_id=u5.pk, pelaku=operator_kecamatan_tebing, peran=Peran.KECAMATAN)
    with jam(skenario.t0 + 7 * HARI):
        t.minta_rekomendasi(usulan_id=u5.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd])
    with jam(skenario.t0 + 8 * HARI):
        t.gabungkan(
            usulan_id=u5.pk,
            pelaku=bappeda,
            peran=Peran.BAPPEDA,
            ke_usulan_id=skenario.u1.pk,
            alasan_kode=skenario.u3.riwayat.latest("pk").alasan_kode,
            catatan="Sama",
        )
    bappeda_baris = statistik.median_hari_per_tingkat(skenario.siklus)[2]
    # 3, 4 and 2 (entered lolos_kecamatan on day 6, merged on day 8; the OPD request is internal) → 3.
    assert (bappeda_baris["jumlah"], bappeda_baris["median_hari"]) == (3, 3.0)


def test_tanpa_riwayat_median_kosong(siklus):
    assert [b["median_hari"] for b in statistik.median_hari_per_tingkat(siklus)] == [None, None, None]
    assert [b["jumlah"] for b in statistik.median_hari_per_tingkat(siklus)] == [0, 0, 0]
