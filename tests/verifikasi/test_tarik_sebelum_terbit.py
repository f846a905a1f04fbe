"""Withdrawal is allowed until a decision the proposer can see is final. An unpublished Bappeda
decision is a draft: the proposer may still withdraw, the draft is then void (no batch publishes
it), and neither the refusal messages nor the public history reveal what the draft said."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from akun.models import Peran
from usulan.models import Aksi, RiwayatStatus, Status
from verifikasi import transitions as t
from verifikasi.models import KeputusanBappeda


@pytest.fixture
def draf_diterima(usulan, operator_desa, operator_kecamatan, bappeda, opd):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    t.putuskan(
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas",
        perangkat_daerah=opd,
        biaya=Decimal("1000000"),
    )
    usulan.refresh_from_db()
    assert (usulan.status, usulan.status_publik) == (Status.DITERIMA, Status.LOLOS_KECAMATAN)
    return usulan


def test_pengusul_menarik_draf_yang_belum_terbit(client, warga, draf_diterima, bappeda, opd):
    u = draf_diterima
    client.force_login(warga)
    jawab = client.post(reverse("verifikasi:tarik", args=[u.kode_lacak]), {"catatan": "Sudah dibangun swadaya"})
    assert jawab.status_code == 302
    u.refresh_from_db()
    assert u.status == u.status_publik == Status.DITARIK
    assert not KeputusanBappeda.objects.filter(usulan=u).exists()
    baris = RiwayatStatus.objects.filter(usulan=u).latest("pk")
    # Recorded from the status the proposer saw: the public history never mentions the draft.
    assert (baris.aksi, baris.dari_status, baris.ke_status, baris.publik) == (
        Aksi.TARIK,
        Status.LOLOS_KECAMATAN,
        Status.DITARIK,
        True,
    )
    # The void draft no longer blocks or joins a batch publication.
    assert t.terbitkan_semua(pelaku=bappeda, peran=Peran.BAPPEDA, siklus_id=u.siklus_id) == 0
    with pytest.raises(t.TransisiDitolak, match="berstatus “Ditarik pengusul”"):
        t.putuskan(
            usulan_id=u.pk,
            pelaku=bappeda,
            peran=Peran.BAPPEDA,
            hasil="diterima",
            alasan="x",
            perangkat_daerah=opd,
            biaya=Decimal(1),
        )


def test_pesan_penolakan_untuk_pengusul_memakai_status_publik(warga, draf_diterima):
    with pytest.raises(t.TransisiDitolak) as galat:
        t.ajukan_ulang(usulan_id=draf_diterima.pk, pelaku=warga)
    assert "Lolos kecamatan" in str(galat.value) and "Diterima" not in str(galat.value)


def test_setelah_terbit_tidak_bisa_ditarik(client, warga, draf_diterima, bappeda):
    t.terbitkan(usulan_id=draf_diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    client.force_login(warga)
    jawab = client.post(reverse("verifikasi:tarik", args=[draf_diterima.kode_lacak]), follow=True)
    assert "berstatus “Diterima”" in jawab.content.decode()
    draf_diterima.refresh_from_db()
    assert draf_diterima.status == Status.DITERIMA
    assert KeputusanBappeda.objects.get(usulan=draf_diterima).diterbitkan_pada is not None


def test_penolakan_desa_tetap_final(warga, usulan, operator_desa, alasan):
    t.tolak(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Di laut")
    with pytest.raises(t.TransisiDitolak, match="berstatus"):
        t.tarik(usulan_id=usulan.pk, pelaku=warga)
