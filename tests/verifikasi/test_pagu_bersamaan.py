"""A blocking ceiling holds under concurrency: two passings-on under the same Pagu take turns (the
Pagu row is locked while summing), so the second sees the first and is refused. Real threads; the
first transaction stays open until the second is seen waiting for the Pagu row in pg_locks."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from akun.models import Peran
from tests.skenario import buat_usulan
from tests.verifikasi.kunci_uji import BATAS_DETIK, Utas, pegang_dalam_transaksi, tunggu_terhalang_kunci
from usulan.models import Status, Usulan
from verifikasi import transitions as t
from verifikasi.models import Pagu

pytestmark = pytest.mark.django_db(transaction=True)


def test_dua_teruskan_bersamaan_tidak_melampaui_pagu_blokir(warga, siklus, desa, operator_desa):
    a = buat_usulan(warga, siklus, desa, judul="Drainase RT 01")
    b = buat_usulan(warga, siklus, desa, judul="Drainase RT 02")
    Usulan.objects.filter(pk__in=[a.pk, b.pk]).update(perkiraan_biaya=Decimal("30000000"))
    Pagu.objects.create(siklus=siklus, wilayah=desa, jumlah=Decimal("50000000"), blokir=True)

    dipegang, lepas = threading.Event(), threading.Event()
    pertama = Utas(
        lambda: pegang_dalam_transaksi(
            lambda: t.teruskan(usulan_id=a.pk, pelaku=operator_desa, peran=Peran.DESA), dipegang, lepas
        ),
        nama="a",
    )
    kedua = Utas(lambda: t.teruskan(usulan_id=b.pk, pelaku=operator_desa, peran=Peran.DESA), nama="b")
    try:
        pertama.start()
        assert dipegang.wait(BATAS_DETIK), f"the first passing-on failed: {pertama.galat!r}"
        kedua.start()
        # Another proposal's row: the second one must wait for the Pagu row, before it sums.
        tunggu_terhalang_kunci(kedua, pada_tabel="verifikasi_pagu")
    finally:
        lepas.set()
        pertama.join(BATAS_DETIK)
        kedua.join(BATAS_DETIK)
    assert pertama.galat is None
    assert isinstance(kedua.galat, t.TransisiDitolak) and "Pagu terlampaui" in str(kedua.galat)
    assert "Rp 60.000.000 dari pagu Rp 50.000.000" in str(kedua.galat)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (Status.LOLOS_DESA, Status.DIAJUKAN)
