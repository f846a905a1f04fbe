"""The review page shows the ceiling against what passing on would total, and after passing on over
a warning-only ceiling the official is told so on the page they land on."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from akun.models import Peran
from tests.skenario import buat_usulan
from usulan.models import Status, Usulan
from verifikasi import transitions as t
from verifikasi.models import Pagu

PERINGATAN = "Perhatian: usulan yang diteruskan sudah melebihi pagu indikatif"


def _biaya(u, rupiah: str) -> None:
    Usulan.objects.filter(pk=u.pk).update(perkiraan_biaya=Decimal(rupiah))


def test_peringatan_setelah_desa_meneruskan(client, usulan, operator_desa, siklus, desa):
    _biaya(usulan, "60000000")
    Pagu.objects.create(siklus=siklus, wilayah=desa, jumlah=Decimal("50000000"))
    client.force_login(operator_desa)
    tinjau = client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak])).content.decode()
    assert "Pagu Operator/kepala desa/lurah: Rp 60.000.000 dari Rp 50.000.000 bila usulan ini diteruskan." in tinjau
    assert "Melebihi pagu." in tinjau
    jawab = client.post(
        reverse("verifikasi:aksi", args=[usulan.kode_lacak, "teruskan"]), {"peran": "desa"}, follow=True
    )
    teks = jawab.content.decode()
    assert f"{PERINGATAN} (Rp 60.000.000 dari Rp 50.000.000)." in teks
    usulan.refresh_from_db()
    assert usulan.status == Status.LOLOS_DESA


@pytest.mark.parametrize("nama_pelaku", ["operator_kecamatan", "admin_user"])
def test_peringatan_setelah_kecamatan_meneruskan(
    client, request, nama_pelaku, warga, siklus, desa, kecamatan, operator_desa
):
    pelaku = request.getfixturevalue(nama_pelaku)
    peran = "kecamatan" if nama_pelaku == "operator_kecamatan" else "admin"
    lama, baru = buat_usulan(warga, siklus, desa, judul="Lama"), buat_usulan(warga, siklus, desa, judul="Baru")
    _biaya(lama, "40000000")
    _biaya(baru, "20000000")
    for u in (lama, baru):
        t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=lama.pk, pelaku=pelaku, peran=peran)
    Pagu.objects.create(siklus=siklus, wilayah=kecamatan, jumlah=Decimal("50000000"))
    client.force_login(pelaku)
    jawab = client.post(reverse("verifikasi:aksi", args=[baru.kode_lacak, "teruskan"]), {"peran": peran}, follow=True)
    assert f"{PERINGATAN} (Rp 60.000.000 dari Rp 50.000.000)." in jawab.content.decode()


def test_tanpa_peringatan_di_bawah_pagu(client, usulan, operator_desa, siklus, desa):
    _biaya(usulan, "40000000")
    Pagu.objects.create(siklus=siklus, wilayah=desa, jumlah=Decimal("50000000"))
    client.force_login(operator_desa)
    jawab = client.post(
        reverse("verifikasi:aksi", args=[usulan.kode_lacak, "teruskan"]), {"peran": "desa"}, follow=True
    )
    teks = jawab.content.decode()
    assert "Tersimpan: teruskan" in teks and PERINGATAN not in teks


def test_pagu_blokir_ditolak_dengan_pesan(client, usulan, operator_desa, siklus, desa):
    _biaya(usulan, "60000000")
    Pagu.objects.create(siklus=siklus, wilayah=desa, jumlah=Decimal("50000000"), blokir=True)
    client.force_login(operator_desa)
    jawab = client.post(
        reverse("verifikasi:aksi", args=[usulan.kode_lacak, "teruskan"]), {"peran": "desa"}, follow=True
    )
    assert "Pagu terlampaui: Rp 60.000.000 dari pagu Rp 50.000.000." in jawab.content.decode()
    usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN
