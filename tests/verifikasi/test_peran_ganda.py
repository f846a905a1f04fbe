"""One person holding several roles (here the desa operator of Kelurahan Moro who also works for
Dinas PUPR) gets one tab per role, each queue scoped to that role, and acts in the right role."""

from __future__ import annotations

from django.urls import reverse

from akun.models import Peran
from tests import factories
from verifikasi import transitions as t
from verifikasi.models import RekomendasiOPD, StatusRekomendasi


def test_dua_peran_dua_antrean(client, operator_desa, usulan, usulan_lain, opd, operator_desa_lain, bappeda):
    factories.buat_penugasan(operator_desa, Peran.OPD, opd=opd)
    # usulan_lain (another kecamatan) reaches Bappeda and is routed to the operator's OPD.
    kec_lain = factories.buat_pengguna("camat_lain")
    factories.buat_penugasan(kec_lain, Peran.KECAMATAN, wilayah=usulan_lain.kecamatan)
    t.teruskan(usulan_id=usulan_lain.pk, pelaku=operator_desa_lain, peran=Peran.DESA)
    t.teruskan(usulan_id=usulan_lain.pk, pelaku=kec_lain, peran=Peran.KECAMATAN)
    t.minta_rekomendasi(usulan_id=usulan_lain.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd])

    client.force_login(operator_desa)
    awal = client.get(reverse("verifikasi:antrian")).content.decode()
    assert '<a href="?peran=desa" aria-current="page">Operator/kepala desa/lurah</a>' in awal
    assert '<a href="?peran=opd">Perangkat daerah (OPD)</a>' in awal
    assert usulan.kode_lacak in awal and usulan_lain.kode_lacak not in awal  # the first role: desa

    desa = client.get(reverse("verifikasi:antrian"), {"peran": "desa", "status": "lolos_kecamatan"}).content.decode()
    assert usulan_lain.kode_lacak not in desa  # routed to the OPD, not in the desa's scope

    opd_teks = client.get(reverse("verifikasi:antrian"), {"peran": "opd"}).content.decode()
    assert '<a href="?peran=opd" aria-current="page">' in opd_teks
    assert usulan_lain.kode_lacak in opd_teks and usulan.kode_lacak not in opd_teks
    assert "Menunggu rekomendasi Anda" in opd_teks

    # On each proposal the actions of the role that covers it, and only those.
    teks = client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak])).content.decode()
    assert "Teruskan" in teks and "Beri rekomendasi" not in teks
    teks = client.get(reverse("verifikasi:tinjau", args=[usulan_lain.kode_lacak])).content.decode()
    assert "Beri rekomendasi" in teks and 'name="peran" value="desa"' not in teks

    jawab = client.post(
        reverse("verifikasi:aksi", args=[usulan_lain.kode_lacak, "rekomendasikan"]),
        {"peran": "opd", "opd-rekomendasikan-layak": "1", "opd-rekomendasikan-catatan": "Layak teknis"},
    )
    assert jawab.status_code == 302
    assert RekomendasiOPD.objects.get(usulan=usulan_lain).status == StatusRekomendasi.DIBERIKAN
    jawab = client.post(reverse("verifikasi:aksi", args=[usulan.kode_lacak, "teruskan"]), {"peran": "desa"})
    assert jawab.status_code == 302
    usulan.refresh_from_db()
    assert usulan.status == "lolos_desa"
