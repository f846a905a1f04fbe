"""Workers and writers at the same time, on real separate connections: nothing is sent twice or lost."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from kabar.models import Notifikasi, StatusNotifikasi
from kabar.notifikasi import antrekan, antrekan_ringkasan, kirim_antrean
from tests.verifikasi import notifikasi_uji

pytestmark = pytest.mark.django_db(transaction=True)
TUNGGU = 30  # seconds; only reached when something is broken


def _jalankan_bersamaan(*tugas: Callable[[], None]) -> list[BaseException]:
    """Run each task in its own thread (so on its own database connection); return their errors."""
    galat: list[BaseException] = []

    def bungkus(fungsi: Callable[[], None]) -> None:
        try:
            fungsi()
        except BaseException as e:
            galat.append(e)
        finally:
            connection.close()

    utas = [threading.Thread(target=bungkus, args=(f,), name=f"pekerja-{i}") for i, f in enumerate(tugas)]
    for u in utas:
        u.start()
    for u in utas:
        u.join(TUNGGU)
        assert not u.is_alive()
    return galat


def test_dua_pekerja_tidak_mengirim_baris_yang_sama(settings, warga):
    pencatat = notifikasi_uji.pasang(settings)
    # Each worker's first send waits for the other's: both have a batch in flight at the same time.
    pencatat.penghalang = threading.Barrier(2)
    semua = [n.pk for i in range(20) for n in antrekan(warga, subjek=f"Peristiwa {i}", isi="Isi")]
    assert len(semua) == 40
    mulai = threading.Barrier(2)
    hitungan: list[dict[str, int]] = []

    def pekerja() -> None:
        mulai.wait(TUNGGU)
        while any((hasil := kirim_antrean(batas=5)).values()):
            hitungan.append(hasil)

    assert _jalankan_bersamaan(pekerja, pekerja) == []
    terkirim = [pk for pk, _, _ in pencatat.terkirim]
    assert sorted(terkirim) == sorted(semua)  # every row once: no duplicate, none missing
    assert {nama for _, _, nama in pencatat.terkirim} == {"pekerja-0", "pekerja-1"}
    assert sum(h["terkirim"] for h in hitungan) == 40
    assert sum(h["dicoba_lagi"] + h["gagal"] for h in hitungan) == 0
    assert set(Notifikasi.objects.values_list("status", "percobaan")) == {(StatusNotifikasi.TERKIRIM, 1)}


def test_baris_yang_sedang_dikunci_dilewati_tanpa_menunggu(settings, warga):
    pencatat = notifikasi_uji.pasang(settings)
    dikunci, lain = antrekan(warga, subjek="Subjek", isi="Isi")
    terkunci, lepas = threading.Event(), threading.Event()

    def pekerja_lain_sedang_mengklaim() -> None:
        with transaction.atomic():
            Notifikasi.objects.select_for_update().get(pk=dikunci.pk)
            terkunci.set()
            assert lepas.wait(TUNGGU)

    utas = threading.Thread(target=lambda: _jalankan_bersamaan(pekerja_lain_sedang_mengklaim))
    utas.start()
    try:
        assert terkunci.wait(TUNGGU)
        with connection.cursor() as kursor:
            kursor.execute("SET lock_timeout = '5s'")  # a wait for the lock would fail, not hang
        assert kirim_antrean() == {"terkirim": 1, "dicoba_lagi": 0, "gagal": 0}
    finally:
        lepas.set()
        utas.join(TUNGGU)
        with connection.cursor() as kursor:
            kursor.execute("RESET lock_timeout")
    assert [pk for pk, _, _ in pencatat.terkirim] == [lain.pk]
    assert kirim_antrean() == {"terkirim": 1, "dicoba_lagi": 0, "gagal": 0}
    assert [pk for pk, _, _ in pencatat.terkirim] == [lain.pk, dikunci.pk]


def test_dua_penulis_ringkasan_tidak_saling_menimpa(operator_desa):
    pagi = datetime.datetime(2026, 5, 5, 5, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    mulai = threading.Barrier(2)

    def penulis(nama: str) -> Callable[[], None]:
        def tulis() -> None:
            mulai.wait(TUNGGU)
            for i in range(10):
                antrekan_ringkasan(operator_desa, baris=f"{nama}-{i}", pada=pagi)

        return tulis

    assert _jalankan_bersamaan(penulis("desa"), penulis("kecamatan")) == []
    (ringkasan,) = Notifikasi.objects.all()
    baris = ringkasan.isi.split("\n")[2:]
    assert sorted(baris) == sorted([f"desa-{i}" for i in range(10)] + [f"kecamatan-{i}" for i in range(10)])
