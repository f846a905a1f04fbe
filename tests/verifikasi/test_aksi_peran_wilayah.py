"""Every action × role × in/out of area: exactly the right official may act; others are refused
with a readable reason, and nothing is written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from akun.models import Peran
from tests.skenario import usulan_pada
from usulan.models import RiwayatStatus, Status
from verifikasi import transitions as t

AKTOR = [
    ("warga", "pengusul"),
    ("orang_luar", "pengusul"),
    ("operator_desa", Peran.DESA),
    ("operator_desa_lain", Peran.DESA),
    ("operator_kecamatan", Peran.KECAMATAN),
    ("operator_kecamatan_lain", Peran.KECAMATAN),
    ("petugas_opd", Peran.OPD),
    ("petugas_opd_lain", Peran.OPD),
    ("bappeda", Peran.BAPPEDA),
    ("admin_user", Peran.ADMIN),
]


def _ke_status(usulan, status, *, operator_desa, operator_kecamatan, bappeda, opd, alasan):
    usulan_pada(
        status,
        usulan=usulan,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        alasan=alasan,
        peringkat=(1, 1),
    )
    if status == Status.LOLOS_KECAMATAN:  # the OPD asked, so that it may recommend
        t.minta_rekomendasi(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd])
        usulan.refresh_from_db()
    return usulan


def _lakukan(aksi, usulan, pelaku, peran, alasan, usulan_lain, opd):
    umum = {"usulan_id": usulan.pk, "pelaku": pelaku}
    if aksi == "teruskan":
        return t.teruskan(**umum, peran=peran, peringkat=2)
    if aksi in ("kembalikan", "tolak"):
        return getattr(t, aksi)(**umum, peran=peran, alasan_kode=alasan, catatan="Alasan tertulis")
    if aksi == "gabungkan":
        return t.gabungkan(**umum, peran=peran, ke_usulan_id=usulan_lain.pk, alasan_kode=alasan, catatan="Sama")
    if aksi == "minta_rekomendasi":
        from tests.factories import buat_opd

        return t.minta_rekomendasi(**umum, peran=peran, opd=[buat_opd("DISPERKIM", "Dinas Perkim")])
    if aksi == "rekomendasikan":
        return t.rekomendasikan(**umum, layak=True, volume=Decimal(90), biaya=Decimal(1000), catatan="Layak teknis")
    if aksi == "putuskan":
        return t.putuskan(
            **umum, peran=peran, hasil="diterima", alasan="Prioritas", perangkat_daerah=opd, biaya=Decimal(1000)
        )
    if aksi == "ajukan_ulang":
        return t.ajukan_ulang(**umum)
    if aksi == "tarik":
        return t.tarik(**umum)
    raise AssertionError(aksi)


KASUS = [
    (Status.DIAJUKAN, "teruskan", {"operator_desa", "admin_user"}),
    (Status.DIAJUKAN, "kembalikan", {"operator_desa", "admin_user"}),
    (Status.DIAJUKAN, "tolak", {"operator_desa", "admin_user"}),
    (Status.DIAJUKAN, "gabungkan", {"operator_desa", "admin_user"}),
    (Status.DIAJUKAN, "tarik", {"warga"}),
    (Status.LOLOS_DESA, "teruskan", {"operator_kecamatan", "admin_user"}),
    (Status.LOLOS_DESA, "kembalikan", {"operator_kecamatan", "admin_user"}),
    (Status.LOLOS_DESA, "tolak", {"operator_kecamatan", "admin_user"}),
    (Status.LOLOS_DESA, "gabungkan", {"operator_kecamatan", "admin_user"}),
    (Status.LOLOS_KECAMATAN, "minta_rekomendasi", {"bappeda", "admin_user"}),
    (Status.LOLOS_KECAMATAN, "rekomendasikan", {"petugas_opd"}),
    (Status.LOLOS_KECAMATAN, "putuskan", {"bappeda", "admin_user"}),
    (Status.LOLOS_KECAMATAN, "gabungkan", {"bappeda", "admin_user"}),
    (Status.LOLOS_KECAMATAN, "tarik", {"warga"}),
    (Status.DIKEMBALIKAN, "ajukan_ulang", {"warga"}),
    (Status.DIKEMBALIKAN, "tarik", {"warga"}),
]


@pytest.mark.parametrize(("status", "aksi", "boleh"), KASUS, ids=[f"{s}-{a}" for s, a, _ in KASUS])
@pytest.mark.parametrize(("nama_aktor", "peran"), AKTOR, ids=[a for a, _ in AKTOR])
def test_matriks(request, status, aksi, boleh, nama_aktor, peran, usulan, usulan_lain, alasan, opd):
    pemeran = {
        n: request.getfixturevalue(n)
        for n in (
            "operator_desa",
            "operator_kecamatan",
            "bappeda",
            "operator_desa_lain",
            "operator_kecamatan_lain",
            "petugas_opd",
            "petugas_opd_lain",
            "admin_user",
            "warga",
            "orang_luar",
        )
    }
    usulan = _ke_status(
        usulan,
        status,
        operator_desa=pemeran["operator_desa"],
        operator_kecamatan=pemeran["operator_kecamatan"],
        bappeda=pemeran["bappeda"],
        opd=opd,
        alasan=alasan,
    )
    riwayat_sebelum = RiwayatStatus.objects.filter(usulan=usulan).count()
    pelaku = pemeran[nama_aktor]
    if nama_aktor in boleh:
        hasil = _lakukan(aksi, usulan, pelaku, peran, alasan, usulan_lain, opd)
        assert RiwayatStatus.objects.filter(usulan=usulan).count() == riwayat_sebelum + 1
        terakhir = RiwayatStatus.objects.filter(usulan=usulan).latest("waktu", "pk")
        assert (terakhir.aksi, terakhir.pelaku, terakhir.dari_status, terakhir.ke_status) == (
            aksi,
            pelaku,
            status,
            hasil.status,
        )
    else:
        with pytest.raises(t.TransisiDitolak) as galat:
            _lakukan(aksi, usulan, pelaku, peran, alasan, usulan_lain, opd)
        assert str(galat.value)  # a sentence for the person
        usulan.refresh_from_db()
        assert usulan.status == status
        assert RiwayatStatus.objects.filter(usulan=usulan).count() == riwayat_sebelum
