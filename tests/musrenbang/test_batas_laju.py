"""The shared rate limiter: counts per window, atomically, with hashed addresses."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import RequestFactory

from musrenbang import batas_laju
from musrenbang.models import BatasLaju


def test_batas_dihitung_per_jendela(db):
    assert [batas_laju.hitung("uji", batas=3) for _ in range(5)] == [True, True, True, False, False]
    # The next window starts again from one.
    BatasLaju.objects.filter(kunci="uji").update(mulai="2000-01-01T00:00:00Z")
    assert batas_laju.hitung("uji", batas=3) is True
    assert BatasLaju.objects.get(kunci="uji").jumlah == 1


@pytest.mark.django_db(transaction=True)
def test_hitungan_atomik_dengan_utas_sungguhan():
    hasil: list[bool] = []
    kunci = threading.Lock()

    def coba() -> None:
        try:
            ok = batas_laju.hitung("balapan", batas=10)
            with kunci:
                hasil.append(ok)
        finally:
            connection.close()

    utas = [threading.Thread(target=coba) for _ in range(16)]
    for u in utas:
        u.start()
    for u in utas:
        u.join()
    assert sorted(hasil) == [False] * 6 + [True] * 10
    assert BatasLaju.objects.get(kunci="balapan").jumlah == 16


def test_kunci_ip_tidak_menyimpan_alamat(settings):
    rf = RequestFactory()
    kunci = batas_laju.kunci_ip(rf.get("/", REMOTE_ADDR="203.0.113.7"), "usulan")
    assert "203.0.113.7" not in kunci and kunci.startswith("usulan:ip:")
    assert kunci != batas_laju.kunci_ip(rf.get("/", REMOTE_ADDR="203.0.113.8"), "usulan")


def test_proxy_tepercaya(settings):
    rf = RequestFactory()
    palsu = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.9")
    settings.JUMLAH_PROXY_TEPERCAYA = 0
    assert batas_laju.ip_klien(palsu) == "10.0.0.1"
    settings.JUMLAH_PROXY_TEPERCAYA = 1
    assert batas_laju.ip_klien(palsu) == "198.51.100.9"  # the client cannot choose the rightmost entry
    ipv6 = rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")
    settings.JUMLAH_PROXY_TEPERCAYA = 0
    assert batas_laju.ip_klien(ipv6) == "2001:db8:1:2::"


def test_kembalikan_satu_hitungan_tidak_pernah_di_bawah_nol(db):
    assert [batas_laju.hitung("kembali", batas=2) for _ in range(3)] == [True, True, False]
    batas_laju.kembalikan("kembali")
    assert BatasLaju.objects.get(kunci="kembali").jumlah == 2
    for _ in range(5):
        batas_laju.kembalikan("kembali")
    assert BatasLaju.objects.get(kunci="kembali").jumlah == 0
    batas_laju.kembalikan("belum-pernah-dihitung")  # no row: nothing to do
    assert not BatasLaju.objects.filter(kunci="belum-pernah-dihitung").exists()


def test_kembalikan_tidak_menyentuh_jendela_lama(db):
    batas_laju.hitung("lama", batas=5)
    BatasLaju.objects.filter(kunci="lama").update(mulai="2000-01-01T00:00:00Z")
    batas_laju.kembalikan("lama")
    assert BatasLaju.objects.get(kunci="lama").jumlah == 1


@pytest.mark.django_db(transaction=True)
def test_hitung_dan_kembalikan_serentak_tetap_tepat():
    def coba() -> None:
        try:
            batas_laju.hitung("serentak", batas=100)
            batas_laju.kembalikan("serentak")
        finally:
            connection.close()

    utas = [threading.Thread(target=coba) for _ in range(16)]
    for u in utas:
        u.start()
    for u in utas:
        u.join()
    assert BatasLaju.objects.get(kunci="serentak").jumlah == 0


def test_sisa_detik_sampai_jendela_berakhir(settings):
    for jendela in (60, 900, 3600):
        assert 0 < batas_laju.sisa_detik(jendela) <= jendela


def test_kunci_identitas_tidak_menyimpan_teks():
    kunci = batas_laju.kunci_identitas("warga@contoh.test", "masuk")
    assert kunci.startswith("masuk:identitas:") and "warga" not in kunci
    assert kunci == batas_laju.kunci_identitas("warga@contoh.test", "masuk")
    assert kunci != batas_laju.kunci_identitas("warga@contoh.tes", "masuk")
