"""Top rejection reasons: desa/kecamatan `tolak` rows and Bappeda decisions, split by level; the
public variant counts only published decisions."""

from __future__ import annotations

from akun.models import Peran
from dasbor import statistik
from verifikasi import transitions as t


def test_alasan_teratas_per_tingkat(skenario):
    assert statistik.alasan_penolakan(skenario.siklus) == [
        {
            "kode": "lokasi-tidak-jelas",
            "nama": "Lokasi tidak jelas",
            "ditolak_desa": 2,
            "ditolak_kecamatan": 0,
            "ditolak_bappeda": 0,
            "jumlah": 2,
        },
        {
            "kode": "tidak-sesuai-prioritas",
            "nama": "Tidak sesuai prioritas pembangunan",
            "ditolak_desa": 0,
            "ditolak_kecamatan": 0,
            "ditolak_bappeda": 1,  # the unpublished draft counts on the internal dashboard
            "jumlah": 1,
        },
    ]
    assert [a["kode"] for a in statistik.alasan_penolakan(skenario.siklus, batas=1)] == ["lokasi-tidak-jelas"]


def test_tolak_kecamatan_dihitung_di_tingkat_kecamatan(skenario, operator_kecamatan_tebing, alasan_duplikat):
    t.tolak(
        usulan_id=skenario.u5.pk,
        pelaku=operator_kecamatan_tebing,
        peran=Peran.KECAMATAN,
        alasan_kode=alasan_duplikat,
        catatan="Sama dengan usulan lain",
    )
    duplikat = next(a for a in statistik.alasan_penolakan(skenario.siklus) if a["kode"] == "duplikat")
    assert (duplikat["ditolak_desa"], duplikat["ditolak_kecamatan"], duplikat["jumlah"]) == (0, 1, 1)


def test_versi_publik_tanpa_keputusan_belum_terbit(skenario, bappeda):
    assert [a["kode"] for a in statistik.alasan_penolakan(skenario.siklus, publik=True)] == ["lokasi-tidak-jelas"]
    t.terbitkan(usulan_id=skenario.u2.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    publik = statistik.alasan_penolakan(skenario.siklus, publik=True)
    assert [(a["kode"], a["ditolak_bappeda"]) for a in publik] == [
        ("lokasi-tidak-jelas", 0),
        ("tidak-sesuai-prioritas", 1),
    ]


def test_keputusan_draf_yang_diubah_menjadi_diterima_tidak_dihitung(skenario, bappeda, opd):
    from decimal import Decimal

    t.putuskan(
        usulan_id=skenario.u2.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Ditinjau ulang",
        perangkat_daerah=opd,
        biaya=Decimal("40000000"),
    )
    assert [a["kode"] for a in statistik.alasan_penolakan(skenario.siklus)] == ["lokasi-tidak-jelas"]
