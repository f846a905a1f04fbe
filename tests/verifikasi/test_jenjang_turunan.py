"""The rules derived from the level table are the ones the flow had written out by hand."""

from __future__ import annotations

from akun.models import Peran
from musrenbang.models import Tahapan
from usulan.models import Aksi, Status
from verifikasi import jenjang, selectors
from verifikasi import transitions as t


def test_status_kerja_per_peran():
    assert t.status_kerja(Peran.DESA) == [Status.DIAJUKAN]
    assert t.status_kerja(Peran.KECAMATAN) == [Status.LOLOS_DESA]
    assert t.status_kerja(Peran.OPD) == [Status.LOLOS_KECAMATAN]
    assert t.status_kerja(Peran.BAPPEDA) == [Status.LOLOS_KECAMATAN, Status.DITERIMA, Status.DITOLAK]
    assert t.status_kerja(Peran.ADMIN) == [Status.DIAJUKAN, Status.LOLOS_DESA, Status.LOLOS_KECAMATAN]


def test_ajukan_ulang_kembali_ke_tingkat_pengembali():
    assert t.ajukan_ulang_ke() == {
        Status.DIAJUKAN: t.Aturan(Status.DIAJUKAN, frozenset({t.PENGUSUL}), (Tahapan.PENGAJUAN, Tahapan.DESA)),
        Status.LOLOS_DESA: t.Aturan(Status.LOLOS_DESA, frozenset({t.PENGUSUL}), (Tahapan.KECAMATAN,)),
    }


def test_peringkat_dan_pagu():
    assert selectors.diperingkat(Peran.DESA) == (Status.LOLOS_DESA, "peringkat_desa")
    assert selectors.diperingkat(Peran.KECAMATAN) == (Status.LOLOS_KECAMATAN, "peringkat_kecamatan")
    assert selectors.diperingkat(Peran.BAPPEDA) is None and selectors.diperingkat(Peran.OPD) is None
    assert selectors.peran_pemeringkat() == [Peran.DESA, Peran.KECAMATAN]
    desa, kecamatan, _bappeda = jenjang.semua()
    assert jenjang.lolos_dari(desa) == (Status.LOLOS_DESA, Status.LOLOS_KECAMATAN, Status.DITERIMA)
    assert jenjang.lolos_dari(kecamatan) == (Status.LOLOS_KECAMATAN, Status.DITERIMA)
    assert [j.peran for j in jenjang.semua() if j.pagu] == [Peran.DESA, Peran.KECAMATAN]


def test_menunggu_dan_jadwal():
    assert jenjang.status_menunggu() == {
        Status.DIAJUKAN: Tahapan.DESA,
        Status.LOLOS_DESA: Tahapan.KECAMATAN,
        Status.LOLOS_KECAMATAN: Tahapan.BAPPEDA,
    }


def test_pemegang_status():
    nama = {s: t.jenjang_pemegang(s).nama for s in [*Status.values, t.BARU]}
    assert nama == {
        Status.DIAJUKAN: "desa",
        Status.DIKEMBALIKAN: "desa",
        Status.LOLOS_DESA: "kecamatan",
        Status.LOLOS_KECAMATAN: "bappeda",
        Status.DITERIMA: "bappeda",
        Status.DITOLAK: "bappeda",
        Status.DIGABUNG: "desa",  # only reached without any history row; a merge names its level
        Status.DITARIK: "desa",
        t.BARU: "desa",
    }


def test_setiap_tingkat_cocok_dengan_tabel_transisi():
    """Each level's passing on (or, last, the decision) leads to its `lolos`, in its window, by its role."""
    for j in jenjang.semua():
        for s in j.menunggu:
            aturan = t.TABEL.get((s, Aksi.TERUSKAN))
            if aturan is not None:
                assert aturan.ke == j.lolos and j.peran in aturan.peran and aturan.tahapan == (j.tahapan,), j.nama
            else:
                assert j.peran in t.TABEL[(s, Aksi.PUTUSKAN)].peran and j.lolos == Status.DITERIMA, j.nama
