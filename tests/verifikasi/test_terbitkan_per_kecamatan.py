"""Bappeda publishes decided proposals from the queue page either one kecamatan at a time or for the
whole round at once; the page says what each kecamatan still holds."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from akun.models import Peran
from usulan.models import Status
from verifikasi import transitions as t
from verifikasi.models import KeputusanBappeda


def _opsi_terbit(teks: str) -> dict[str, str]:
    """value → label of the publication scope <select>."""
    pilihan = re.search(r'<select id="terbit-kecamatan" name="kecamatan">(.*?)</select>', teks, re.S)
    assert pilihan, "formulir terbitkan tidak ada"
    return {v: " ".join(label.split()) for v, label in re.findall(r'<option value="(\d*)">(.*?)</option>', pilihan[1])}


@pytest.fixture
def dua_keputusan(
    usulan,
    usulan_lain,
    operator_desa,
    operator_kecamatan,
    operator_desa_lain,
    operator_kecamatan_lain,
    bappeda,
    opd,
    alasan,
):
    """Moro's proposal accepted, the other kecamatan's rejected; neither published yet."""
    for u, desa, kec in (
        (usulan, operator_desa, operator_kecamatan),
        (usulan_lain, operator_desa_lain, operator_kecamatan_lain),
    ):
        t.teruskan(usulan_id=u.pk, pelaku=desa, peran=Peran.DESA)
        t.teruskan(usulan_id=u.pk, pelaku=kec, peran=Peran.KECAMATAN)
    t.putuskan(
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Rawan banjir",
        perangkat_daerah=opd,
        volume=Decimal(100),
        biaya=Decimal("90000000"),
    )
    t.putuskan(
        usulan_id=usulan_lain.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="ditolak",
        alasan="Sudah ada di APBDes",
        alasan_kode=alasan,
    )
    return usulan, usulan_lain


def _terbit(*usulan) -> list[bool]:
    return [KeputusanBappeda.objects.get(usulan=u).diterbitkan_pada is not None for u in usulan]


def test_antrian_bappeda_menawarkan_per_kecamatan_dan_seluruh_siklus(client, bappeda, dua_keputusan, kecamatan):
    _moro, lain = dua_keputusan
    client.force_login(bappeda)
    teks = client.get(reverse("verifikasi:antrian"), {"peran": "bappeda"}).content.decode()
    kecamatan_lain = lain.kecamatan
    # The whole round first (the default), then each kecamatan by name with what it still holds.
    urut = sorted([kecamatan, kecamatan_lain], key=lambda k: k.nama)
    assert list(_opsi_terbit(teks).items()) == [
        ("", "Seluruh siklus"),
        *((str(k.pk), f"Kecamatan {k.nama} (1)") for k in urut),
    ]
    assert "Keputusan yang menunggu diterbitkan: 2." in teks


def test_petugas_desa_tidak_melihat_formulir_terbitkan(client, operator_desa, dua_keputusan):
    client.force_login(operator_desa)
    teks = client.get(reverse("verifikasi:antrian")).content.decode()
    assert reverse("verifikasi:terbitkan_semua") not in teks


def test_terbitkan_satu_kecamatan_lalu_sisanya(client, bappeda, dua_keputusan, kecamatan):
    moro, lain = dua_keputusan
    client.force_login(bappeda)
    jawab = client.post(reverse("verifikasi:terbitkan_semua"), {"kecamatan": kecamatan.pk}, follow=True)
    teks = jawab.content.decode()
    assert "1 keputusan diterbitkan." in teks
    assert _terbit(moro, lain) == [True, False]
    moro.refresh_from_db()
    lain.refresh_from_db()
    assert (moro.status_publik, lain.status_publik) == (Status.DITERIMA, Status.LOLOS_KECAMATAN)
    # The page now offers only what is left.
    assert _opsi_terbit(teks) == {"": "Seluruh siklus", str(lain.kecamatan_id): f"Kecamatan {lain.kecamatan.nama} (1)"}

    jawab = client.post(reverse("verifikasi:terbitkan_semua"), {"kecamatan": ""}, follow=True)
    teks = jawab.content.decode()
    assert "1 keputusan diterbitkan." in teks
    assert _terbit(moro, lain) == [True, True]
    lain.refresh_from_db()
    assert lain.status_publik == Status.DITOLAK
    assert _opsi_terbit(teks) == {"": "Seluruh siklus"} and "Keputusan yang menunggu diterbitkan: 0." in teks


def test_terbitkan_seluruh_siklus_sekaligus(client, bappeda, dua_keputusan):
    client.force_login(bappeda)
    jawab = client.post(reverse("verifikasi:terbitkan_semua"), follow=True)
    assert "2 keputusan diterbitkan." in jawab.content.decode()
    assert _terbit(*dua_keputusan) == [True, True]


def test_pilihan_kecamatan_rusak_tidak_menerbitkan_seluruh_siklus(client, bappeda, dua_keputusan):
    client.force_login(bappeda)
    assert client.post(reverse("verifikasi:terbitkan_semua"), {"kecamatan": "moro"}).status_code == 404
    assert _terbit(*dua_keputusan) == [False, False]
