"""Estimated cost passed on at each desa and kecamatan against its ceiling (Pagu), the same sum the
transitions check when an official passes a proposal on."""

from __future__ import annotations

from decimal import Decimal

from akun.models import Peran
from dasbor import statistik
from verifikasi import transitions as t
from verifikasi.models import Pagu

JT = Decimal("1000000")


def test_biaya_terhadap_pagu(skenario):
    baris = statistik.biaya_terhadap_pagu(skenario.siklus)
    ringkas = [
        (b["kode"], b["tingkat"], b["jumlah_pagu"], b["terpakai"], b["sisa"], b["persen"], b["lewat"]) for b in baris
    ]
    assert ringkas == [
        # Kecamatan Moro: u1 (accepted) only; u2 was rejected by Bappeda (a draft, but internal counts).
        ("21.02.01", "kecamatan", 100 * JT, 100 * JT, 0 * JT, 100.0, False),
        # Kelurahan Moro: u1 as well; u3 was rejected by the desa, u4 is still waiting.
        ("21.02.01.1003", "desa_kelurahan", 120 * JT, 100 * JT, 20 * JT, 83.3, False),
        # Desa in Tebing: u5 (Rp 30 jt) passed on against a Rp 20 jt ceiling.
        ("21.02.05.2007", "desa_kelurahan", 20 * JT, 30 * JT, -10 * JT, 150.0, True),
    ]
    assert [b["blokir"] for b in baris] == [False, False, True]


def test_sama_dengan_pemeriksaan_pagu_transisi(skenario):
    """The dashboard and cek_pagu (what officials saw when passing on) agree."""
    per_kode = {b["kode"]: b for b in statistik.biaya_terhadap_pagu(skenario.siklus)}
    assert per_kode["21.02.05.2007"]["terpakai"] == t.cek_pagu(skenario.u5, Peran.DESA).terpakai
    assert per_kode["21.02.01.1003"]["terpakai"] == t.cek_pagu(skenario.u1, Peran.DESA).terpakai
    assert per_kode["21.02.01"]["terpakai"] == t.cek_pagu(skenario.u1, Peran.KECAMATAN).terpakai


def test_wilayah_tanpa_pagu_tampil_bila_ada_biaya(skenario, operator_kecamatan_tebing):
    Pagu.objects.filter(wilayah__kode="21.02.05.2007").delete()
    t.teruskan(usulan_id=skenario.u5.pk, pelaku=operator_kecamatan_tebing, peran=Peran.KECAMATAN)
    per_kode = {b["kode"]: b for b in statistik.biaya_terhadap_pagu(skenario.siklus)}
    for kode in ("21.02.05", "21.02.05.2007"):
        assert (per_kode[kode]["jumlah_pagu"], per_kode[kode]["terpakai"], per_kode[kode]["persen"]) == (
            None,
            30 * JT,
            None,
        )
        assert per_kode[kode]["lewat"] is False
