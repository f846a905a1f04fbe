"""Desa and kecamatan outcomes, with their reasons, are on the public page at once for an anonymous
visitor; Bappeda's request for OPD advice and the advice itself never are."""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from akun.models import Peran
from verifikasi import transitions as t


def _riwayat_publik(client, usulan) -> list[str]:
    teks = client.get(reverse("usulan:lacak", args=[usulan.kode_lacak])).content.decode()
    ol = re.search(r'<ol class="riwayat">(.*?)</ol>', teks, re.S)[1]
    return [" ".join(re.sub(r"<[^>]+>", " ", li).split()) for li in re.findall(r"<li>(.*?)</li>", ol, re.S)]


def _lencana(client, usulan) -> str:
    teks = client.get(reverse("usulan:lacak", args=[usulan.kode_lacak])).content.decode()
    return re.search(r'<article class="usulan-publik">.*?<span class="lencana lencana--(\w+)"', teks, re.S)[1]


def test_penolakan_desa_dan_alasannya_langsung_publik(client, usulan, operator_desa, alasan):
    t.tolak(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Titik di laut")
    assert _lencana(client, usulan) == "ditolak"
    terakhir = _riwayat_publik(client, usulan)[-1]
    assert terakhir.endswith(f"Tolak → Ditolak Alasan: {alasan.nama} Titik di laut")


def test_pengembalian_kecamatan_dan_catatannya_langsung_publik(
    client, usulan, operator_desa, operator_kecamatan, alasan
):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, catatan="Disepakati musdes")
    t.kembalikan(
        usulan_id=usulan.pk,
        pelaku=operator_kecamatan,
        peran=Peran.KECAMATAN,
        alasan_kode=alasan,
        catatan="Perjelas titik",
    )
    assert _lencana(client, usulan) == "dikembalikan"
    baris = _riwayat_publik(client, usulan)
    assert len(baris) == 3
    assert baris[1].endswith("Teruskan → Lolos desa/kelurahan Disepakati musdes")
    assert baris[2].endswith(f"Kembalikan → Dikembalikan untuk perbaikan Alasan: {alasan.nama} Perjelas titik")
    # Officials' names never reach the public page.
    assert not any(str(operator_kecamatan) in b or str(operator_desa) in b for b in baris)


def test_saran_opd_tidak_pernah_publik(client, usulan, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    sebelum = _riwayat_publik(client, usulan)
    t.minta_rekomendasi(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd], catatan="MINTA-INTERNAL")
    t.rekomendasikan(
        usulan_id=usulan.pk, pelaku=petugas_opd, layak=False, volume=None, biaya=Decimal(0), catatan="SARAN-INTERNAL"
    )
    assert _riwayat_publik(client, usulan) == sebelum and len(sebelum) == 3
    assert _lencana(client, usulan) == "lolos_kecamatan"
