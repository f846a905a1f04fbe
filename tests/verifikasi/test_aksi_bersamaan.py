"""Two officials act on the same proposal at the same moment: exactly one succeeds, the other is
told it was already handled. Real threads, real PostgreSQL row locks."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests import factories
from tests.verifikasi.conftest import buat_usulan
from usulan.models import RiwayatStatus, Status
from verifikasi import transitions as t
from verifikasi.models import Peran

pytestmark = pytest.mark.django_db(transaction=True)


def test_dua_petugas_bersamaan_hanya_satu_berhasil(warga, siklus, desa, alasan):
    usulan = buat_usulan(warga, siklus, desa)
    kepala_desa = factories.buat_pengguna("kepala_desa")
    operator = factories.buat_pengguna("operator")
    for p in (kepala_desa, operator):
        factories.buat_penugasan(p, Peran.DESA, wilayah=desa)

    mulai = threading.Barrier(2)
    hasil: dict[str, object] = {}

    def jalankan(nama: str, aksi) -> None:
        try:
            mulai.wait(timeout=10)
            aksi()
            hasil[nama] = "ok"
        except t.TransisiDitolak as exc:
            hasil[nama] = exc
        finally:
            connection.close()

    utas = [
        threading.Thread(
            target=jalankan,
            args=(
                "teruskan",
                lambda: t.teruskan(usulan_id=usulan.pk, pelaku=kepala_desa, peran=Peran.DESA, peringkat=1),
            ),
        ),
        threading.Thread(
            target=jalankan,
            args=(
                "tolak",
                lambda: t.tolak(
                    usulan_id=usulan.pk, pelaku=operator, peran=Peran.DESA, alasan_kode=alasan, catatan="Lokasi di laut"
                ),
            ),
        ),
    ]
    for u in utas:
        u.start()
    for u in utas:
        u.join(timeout=30)
    assert sorted(type(v).__name__ for v in hasil.values()) == ["TransisiDitolak", "str"]
    kalah = next(v for v in hasil.values() if isinstance(v, t.TransisiDitolak))
    assert "Mungkin sudah ditangani petugas lain" in str(kalah)
    usulan.refresh_from_db()
    menang = next(k for k, v in hasil.items() if v == "ok")
    assert usulan.status == {"teruskan": Status.LOLOS_DESA, "tolak": Status.DITOLAK}[menang]
    assert RiwayatStatus.objects.filter(usulan=usulan).count() == 2  # submission + the one winner
