"""The kecamatan's ceiling: what the kecamatan passes on to Bappeda counts against it (other
kecamatan and what is still at the desa level do not); it warns, or blocks when set to."""

from __future__ import annotations

from decimal import Decimal

import pytest

from akun.models import Peran
from tests.skenario import buat_usulan
from usulan.models import Status, Usulan
from verifikasi import transitions as t
from verifikasi.models import Pagu


@pytest.fixture
def dua_di_kecamatan(warga, siklus, desa, operator_desa, operator_kecamatan):
    """Two proposals of Moro at the kecamatan level (30 and 25 million); the first already passed on."""
    a = buat_usulan(warga, siklus, desa, judul="Drainase RT 01")
    b = buat_usulan(warga, siklus, desa, judul="Drainase RT 02")
    Usulan.objects.filter(pk=a.pk).update(perkiraan_biaya=Decimal("30000000"))
    Usulan.objects.filter(pk=b.pk).update(perkiraan_biaya=Decimal("25000000"))
    for u in (a, b):
        t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=a.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    return Usulan.objects.get(pk=a.pk), Usulan.objects.get(pk=b.pk)


def test_pagu_kecamatan_memblokir(dua_di_kecamatan, siklus, kecamatan, operator_kecamatan, admin_user):
    _a, b = dua_di_kecamatan
    Pagu.objects.create(siklus=siklus, wilayah=kecamatan, jumlah=Decimal("50000000"), blokir=True)
    with pytest.raises(t.TransisiDitolak, match=r"Pagu terlampaui: Rp 55\.000\.000 dari pagu Rp 50\.000\.000"):
        t.teruskan(usulan_id=b.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    # An administrator acting at the kecamatan level meets the same ceiling.
    with pytest.raises(t.TransisiDitolak, match="Pagu terlampaui"):
        t.teruskan(usulan_id=b.pk, pelaku=admin_user, peran=Peran.ADMIN)
    b.refresh_from_db()
    assert b.status == Status.LOLOS_DESA


def test_pagu_kecamatan_hanya_memperingatkan(dua_di_kecamatan, siklus, kecamatan, operator_kecamatan):
    _a, b = dua_di_kecamatan
    Pagu.objects.create(siklus=siklus, wilayah=kecamatan, jumlah=Decimal("50000000"), blokir=False)
    sebelum = t.cek_pagu(b, Peran.KECAMATAN)
    assert (sebelum.terpakai, sebelum.lewat, sebelum.blokir) == (Decimal("55000000"), True, False)
    t.teruskan(usulan_id=b.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    b.refresh_from_db()
    assert b.status == Status.LOLOS_KECAMATAN
    assert t.cek_pagu(b, Peran.KECAMATAN).terpakai == Decimal("55000000")


def test_yang_dihitung_hanya_yang_diteruskan_kecamatan_itu(
    dua_di_kecamatan, siklus, kecamatan, desa, operator_kecamatan, usulan_lain
):
    _a, b = dua_di_kecamatan
    Usulan.objects.filter(pk=usulan_lain.pk).update(perkiraan_biaya=Decimal("90000000"), status=Status.LOLOS_KECAMATAN)
    Pagu.objects.create(siklus=siklus, wilayah=kecamatan, jumlah=Decimal("55000000"), blokir=True)
    # The desa's own ceiling was for the desa's passing-on; it does not hold the kecamatan back.
    Pagu.objects.create(siklus=siklus, wilayah=desa, jumlah=Decimal("1"), blokir=True)
    # Another kecamatan's 90 million does not count; exactly reaching the ceiling is allowed.
    t.teruskan(usulan_id=b.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    b.refresh_from_db()
    assert b.status == Status.LOLOS_KECAMATAN
    assert t.cek_pagu(b, Peran.KECAMATAN) == t.CekPagu(Decimal("55000000"), Decimal("55000000"), True)
