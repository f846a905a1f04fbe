"""An OPD official sees only proposals routed to their OPD: one that Bappeda asked another OPD about
is a 404 for them (review page, original photo, actions) and stays out of their queue."""

from __future__ import annotations

from django.urls import reverse

from akun.models import Peran
from verifikasi import transitions as t
from verifikasi.models import RekomendasiOPD, StatusRekomendasi


def _dirutekan(usulan, operator_desa, operator_kecamatan, bappeda, opd):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    t.minta_rekomendasi(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd])


def test_opd_yang_tidak_diminta_mendapat_404(
    client, usulan, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd, petugas_opd_lain
):
    _dirutekan(usulan, operator_desa, operator_kecamatan, bappeda, opd)
    client.force_login(petugas_opd_lain)
    assert client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak])).status_code == 404
    foto = usulan.foto.get()
    assert client.get(reverse("verifikasi:foto_asli", args=[usulan.kode_lacak, foto.pk])).status_code == 404
    jawab = client.post(
        reverse("verifikasi:aksi", args=[usulan.kode_lacak, "rekomendasikan"]),
        {"peran": "opd", "opd-rekomendasikan-layak": "1", "opd-rekomendasikan-catatan": "Layak"},
    )
    assert jawab.status_code == 404
    antrean = client.get(reverse("verifikasi:antrian"), {"status": "lolos_kecamatan"}).content.decode()
    assert usulan.kode_lacak not in antrean
    assert RekomendasiOPD.objects.get(usulan=usulan).status == StatusRekomendasi.DIMINTA

    # The OPD it was routed to reaches it and may answer.
    client.force_login(petugas_opd)
    teks = client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak])).content.decode()
    assert "Beri rekomendasi" in teks
    assert usulan.kode_lacak in client.get(reverse("verifikasi:antrian")).content.decode()


def test_opd_tidak_melihat_usulan_sebelum_diminta(client, usulan, operator_desa, operator_kecamatan, petugas_opd):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    client.force_login(petugas_opd)
    assert client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak])).status_code == 404
