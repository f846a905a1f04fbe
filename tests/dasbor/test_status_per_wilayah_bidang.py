"""Counts by internal status per kecamatan and per sector (fungsi and sub-fungsi), and the round's
headline figures, against the scenario in conftest."""

from __future__ import annotations

from dasbor import statistik
from usulan.models import Status

NOL = dict.fromkeys(statistik.STATUS, 0)


def test_status_per_kecamatan_semua_kecamatan(skenario):
    baris = statistik.status_per_kecamatan(skenario.siklus)
    assert len(baris) == 14  # Karimun's kecamatan, also those without proposals
    assert [b["kode"] for b in baris] == sorted(b["kode"] for b in baris)
    per_kode = {b["kode"]: b for b in baris}
    moro, tebing = per_kode["21.02.01"], per_kode["21.02.05"]
    # Internal status: Bappeda's unpublished rejection of u2 already counts here.
    assert {s: moro[s] for s in statistik.STATUS} == {**NOL, "diajukan": 1, "diterima": 1, "ditolak": 2}
    assert (moro["jumlah"], moro["angka_penerimaan"]) == (4, 33.3)
    assert {s: tebing[s] for s in statistik.STATUS} == {**NOL, "lolos_desa": 1, "ditolak": 1}
    assert (tebing["jumlah"], tebing["angka_penerimaan"]) == (2, 0.0)
    lain = [b for k, b in per_kode.items() if k not in ("21.02.01", "21.02.05")]
    assert all(b["jumlah"] == 0 and b["angka_penerimaan"] is None for b in lain)


def test_status_per_fungsi_dan_subfungsi(skenario):
    fungsi = statistik.status_per_bidang(skenario.siklus, tingkat="fungsi")
    assert [(b["kode"], b["nama"], b["jumlah"]) for b in fungsi] == [
        ("05", "Perumahan dan Fasilitasi Umum", 4),
        ("06", "Kesehatan", 2),
    ]
    assert {s: fungsi[0][s] for s in statistik.STATUS} == {
        **NOL,
        "diajukan": 1,
        "lolos_desa": 1,
        "diterima": 1,
        "ditolak": 1,
    }
    assert {s: fungsi[1][s] for s in statistik.STATUS} == {**NOL, "ditolak": 2}
    sub = statistik.status_per_bidang(skenario.siklus, tingkat="subfungsi")
    assert [(b["kode"], b["jumlah"], b[Status.DITOLAK]) for b in sub] == [("05.01", 4, 1), ("06.01", 2, 2)]


def test_ringkasan_status_dan_angka_penerimaan(skenario):
    r = statistik.ringkasan_status(skenario.siklus)
    assert r["jumlah"] == 6
    assert {s: r[s] for s in statistik.STATUS} == {
        **NOL,
        "diajukan": 1,
        "lolos_desa": 1,
        "diterima": 1,
        "ditolak": 3,
    }
    # 1 accepted of 4 decided (three rejections: two desa, one Bappeda draft).
    assert (r["diputuskan"], r["angka_penerimaan"], r["belum_terbit"]) == (4, 25.0, 1)


def test_siklus_lain_tidak_ikut_terhitung(skenario, karimun):
    from tests import factories

    lama = factories.buat_siklus(karimun, tahun=skenario.siklus.tahun - 1, aktif=False)
    assert statistik.ringkasan_status(lama)["jumlah"] == 0
    assert sum(b["jumlah"] for b in statistik.status_per_kecamatan(lama)) == 0
    assert statistik.status_per_bidang(lama) == []
