"""Two officials act on the same proposal at the same moment: exactly one succeeds, the other is
told it was already handled. Real threads, real PostgreSQL row locks, and a fixed order: the first
official's transaction holds the row lock until the second one is seen waiting for it in pg_locks."""

from __future__ import annotations

import threading

import pytest

from akun.models import Peran
from tests import factories
from tests.skenario import buat_usulan
from tests.verifikasi.kunci_uji import BATAS_DETIK, Utas, pegang_dalam_transaksi, tunggu_terhalang_kunci
from usulan.models import RiwayatStatus, Status
from verifikasi import transitions as t

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("pertama", "kedua"), [("teruskan", "tolak"), ("tolak", "teruskan")])
def test_dua_petugas_bersamaan_hanya_satu_berhasil(warga, siklus, desa, alasan, pertama, kedua):
    usulan = buat_usulan(warga, siklus, desa)
    kepala_desa = factories.buat_pengguna("kepala_desa")
    operator = factories.buat_pengguna("operator")
    for p in (kepala_desa, operator):
        factories.buat_penugasan(p, Peran.DESA, wilayah=desa)
    aksi = {
        "teruskan": lambda: t.teruskan(usulan_id=usulan.pk, pelaku=kepala_desa, peran=Peran.DESA, peringkat=1),
        "tolak": lambda: t.tolak(
            usulan_id=usulan.pk, pelaku=operator, peran=Peran.DESA, alasan_kode=alasan, catatan="Lokasi di laut"
        ),
    }
    dipegang, lepas = threading.Event(), threading.Event()
    menang = Utas(lambda: pegang_dalam_transaksi(aksi[pertama], dipegang, lepas), nama=pertama)
    kalah = Utas(aksi[kedua], nama=kedua)
    try:
        menang.start()
        assert dipegang.wait(BATAS_DETIK), f"the first action failed: {menang.galat!r}"
        kalah.start()
        tunggu_terhalang_kunci(kalah, pada_tabel="usulan_usulan")  # waiting for the first one's row lock
    finally:
        lepas.set()
        menang.join(BATAS_DETIK)
        kalah.join(BATAS_DETIK)
    assert not menang.is_alive() and not kalah.is_alive()
    assert menang.galat is None
    assert isinstance(kalah.galat, t.TransisiDitolak), kalah.galat
    assert "Mungkin sudah ditangani petugas lain" in str(kalah.galat)
    usulan.refresh_from_db()
    assert usulan.status == {"teruskan": Status.LOLOS_DESA, "tolak": Status.DITOLAK}[pertama]
    assert RiwayatStatus.objects.filter(usulan=usulan).count() == 2  # submission + the one winner
