"""The actions' own rules: reasons required, history written and immutable, publication gating,
windows and the admin override, ceilings, merging, OPD advice, the proposer's resubmission."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from akun.models import Peran
from musrenbang.models import JadwalTahapan, Tahapan
from tests.skenario import usulan_pada
from usulan.models import Aksi, RiwayatStatus, Status
from verifikasi import transitions as t
from verifikasi.models import KeputusanBappeda, Pagu, RekomendasiOPD


@pytest.mark.parametrize("aksi", ["kembalikan", "tolak"])
@pytest.mark.parametrize(("pakai_alasan", "catatan"), [(False, "Ada catatan"), (True, ""), (True, "   ")])
def test_alasan_wajib(usulan, operator_desa, alasan, aksi, pakai_alasan, catatan):
    with pytest.raises(t.TransisiDitolak, match="Pilih kode alasan dan tulis alasannya"):
        getattr(t, aksi)(
            usulan_id=usulan.pk,
            pelaku=operator_desa,
            peran=Peran.DESA,
            alasan_kode=alasan if pakai_alasan else None,
            catatan=catatan,
        )
    assert RiwayatStatus.objects.filter(usulan=usulan).count() == 1


def test_riwayat_ditulis_dan_tidak_bisa_diubah(usulan, operator_desa, alasan):
    t.tolak(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Titik di laut")
    baris = RiwayatStatus.objects.filter(usulan=usulan).latest("pk")
    assert (baris.aksi, baris.alasan_kode, baris.catatan, baris.publik, baris.peran) == (
        Aksi.TOLAK,
        alasan,
        "Titik di laut",
        True,
        Peran.DESA,
    )
    for coba in (
        lambda: RiwayatStatus.objects.filter(pk=baris.pk).update(catatan="diubah"),
        lambda: RiwayatStatus.objects.filter(pk=baris.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="tidak boleh diubah atau dihapus"), transaction.atomic():
            coba()
    baris.refresh_from_db()
    assert baris.catatan == "Titik di laut"


def test_hasil_desa_langsung_publik(usulan, operator_desa, alasan):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto buram")
    usulan.refresh_from_db()
    assert usulan.status == usulan.status_publik == Status.DIKEMBALIKAN


def test_keputusan_bappeda_internal_sampai_diterbitkan(usulan, operator_desa, operator_kecamatan, bappeda, opd, alasan):
    usulan_pada(
        Status.LOLOS_KECAMATAN,
        usulan=usulan,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        peringkat=(1, 3),
    )
    t.putuskan(
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas banjir",
        perangkat_daerah=opd,
        volume=Decimal(100),
        biaya=Decimal("125000000"),
    )
    usulan.refresh_from_db()
    assert (usulan.status, usulan.status_publik) == (Status.DITERIMA, Status.LOLOS_KECAMATAN)
    assert not RiwayatStatus.objects.filter(usulan=usulan, aksi=Aksi.PUTUSKAN, publik=True).exists()
    # A draft may be changed before publication.
    t.putuskan(
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas banjir",
        perangkat_daerah=opd,
        volume=Decimal(80),
        biaya=Decimal("100000000"),
    )
    assert KeputusanBappeda.objects.get(usulan=usulan).volume == 80
    t.terbitkan(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    usulan.refresh_from_db()
    assert usulan.status_publik == Status.DITERIMA
    terbit = RiwayatStatus.objects.get(usulan=usulan, aksi=Aksi.TERBITKAN)
    assert terbit.publik and "Prioritas banjir" in terbit.teks_catatan and opd.nama in terbit.teks_catatan
    # Stored as data: the sentence is worded when read (usulan.kalimat), the typed reason kept as typed.
    assert (terbit.kalimat, terbit.kalimat_data, terbit.catatan) == (
        "diterima_rkpd",
        {"tahun": usulan.siklus.tahun, "opd": opd.nama},
        "Prioritas banjir",
    )
    with pytest.raises(t.TransisiDitolak, match="sudah diterbitkan"):
        t.putuskan(
            usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, hasil="ditolak", alasan="x", alasan_kode=alasan
        )
    with pytest.raises(t.TransisiDitolak):
        t.terbitkan(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA)


def test_tolak_bappeda_perlu_kode_alasan_dan_terbit_serentak(
    usulan, usulan_lain, operator_desa, operator_kecamatan, bappeda, alasan, opd
):
    usulan_pada(
        Status.LOLOS_KECAMATAN,
        usulan=usulan,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        peringkat=(1, 3),
    )
    with pytest.raises(t.TransisiDitolak, match="kode alasan penolakan"):
        t.putuskan(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, hasil="ditolak", alasan="Tidak prioritas")
    with pytest.raises(t.TransisiDitolak, match="OPD pelaksana"):
        t.putuskan(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, hasil="diterima", alasan="Ok")
    t.putuskan(
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="ditolak",
        alasan="Tidak prioritas",
        alasan_kode=alasan,
    )
    jumlah = t.terbitkan_semua(pelaku=bappeda, peran=Peran.BAPPEDA, siklus_id=usulan.siklus_id)
    assert jumlah == 1
    usulan.refresh_from_db()
    assert usulan.status_publik == Status.DITOLAK
    assert t.terbitkan_semua(pelaku=bappeda, peran=Peran.BAPPEDA, siklus_id=usulan.siklus_id) == 0


def test_jadwal_tertutup_ditolak_kecuali_admin_dan_dicatat(usulan, operator_desa, admin_user, siklus):
    JadwalTahapan.objects.filter(siklus=siklus, tahapan=Tahapan.DESA).update(
        mulai=timezone.now() - datetime.timedelta(days=20), selesai=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(t.TransisiDitolak, match="Jadwal tahap ini sedang tidak dibuka"):
        t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    with pytest.raises(t.TransisiDitolak, match="Jadwal"):
        t.teruskan(usulan_id=usulan.pk, pelaku=admin_user, peran=Peran.ADMIN)
    t.teruskan(usulan_id=usulan.pk, pelaku=admin_user, peran=Peran.ADMIN, paksa_jadwal=True)
    baris = RiwayatStatus.objects.filter(usulan=usulan).latest("pk")
    assert baris.di_luar_jadwal and baris.peran == Peran.ADMIN and baris.pelaku == admin_user


def test_operator_tidak_bisa_memaksa_jadwal(usulan, operator_desa, siklus):
    JadwalTahapan.objects.filter(siklus=siklus, tahapan=Tahapan.DESA).update(
        selesai=timezone.now() - datetime.timedelta(days=1), mulai=timezone.now() - datetime.timedelta(days=5)
    )
    with pytest.raises(t.TransisiDitolak):
        t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, paksa_jadwal=True)


def test_pagu_memperingatkan_atau_memblokir(usulan, operator_desa, siklus, desa):
    usulan.perkiraan_biaya = Decimal("60000000")
    usulan.save(update_fields=["perkiraan_biaya"])
    pagu = Pagu.objects.create(siklus=siklus, wilayah=desa, jumlah=Decimal("50000000"), blokir=True)
    with pytest.raises(t.TransisiDitolak, match="Pagu terlampaui"):
        t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    pagu.blokir = False
    pagu.save()
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    usulan.refresh_from_db()
    assert usulan.status == Status.LOLOS_DESA
    cek = t.cek_pagu(usulan, Peran.DESA)
    assert cek.lewat and cek.terpakai == Decimal("60000000")


def test_gabungkan_menunjuk_usulan_tujuan(usulan, usulan_lain, operator_desa, alasan):
    dup = alasan.__class__.objects.get(kode="duplikat")
    with pytest.raises(t.TransisiDitolak, match="usulan tujuan"):
        t.gabungkan(
            usulan_id=usulan.pk,
            pelaku=operator_desa,
            peran=Peran.DESA,
            ke_usulan_id=usulan.pk,
            alasan_kode=dup,
            catatan="Sama",
        )
    t.gabungkan(
        usulan_id=usulan.pk,
        pelaku=operator_desa,
        peran=Peran.DESA,
        ke_usulan_id=usulan_lain.pk,
        alasan_kode=dup,
        catatan="Sama dengan usulan Pongkar",
    )
    usulan.refresh_from_db()
    assert usulan.status == Status.DIGABUNG and usulan.digabung_ke == usulan_lain


def test_rekomendasi_opd_hanya_yang_diminta(usulan, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd):
    usulan_pada(
        Status.LOLOS_KECAMATAN,
        usulan=usulan,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        peringkat=(1, 3),
    )
    with pytest.raises(t.TransisiDitolak):
        t.rekomendasikan(usulan_id=usulan.pk, pelaku=petugas_opd, layak=True, volume=None, biaya=None, catatan="x")
    t.minta_rekomendasi(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd])
    with pytest.raises(t.TransisiDitolak, match="sudah diminta"):
        t.minta_rekomendasi(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd])
    t.rekomendasikan(
        usulan_id=usulan.pk,
        pelaku=petugas_opd,
        layak=False,
        volume=Decimal(50),
        biaya=Decimal(9),
        catatan="Lahan bukan milik pemda",
    )
    r = RekomendasiOPD.objects.get(usulan=usulan)
    assert (r.status, r.layak, r.volume, r.direkomendasikan_oleh) == ("diberikan", False, 50, petugas_opd)
    assert not RiwayatStatus.objects.filter(usulan=usulan, aksi=Aksi.REKOMENDASIKAN).get().publik
    with pytest.raises(t.TransisiDitolak, match="sudah diberikan"):
        t.rekomendasikan(usulan_id=usulan.pk, pelaku=petugas_opd, layak=True, volume=None, biaya=None, catatan="x")


def test_pengusul_mengajukan_ulang_dan_riwayat_mencatat_keduanya(usulan, warga, operator_desa, alasan):
    t.kembalikan(
        usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Perjelas lokasi"
    )

    def ubah(u):
        u.alamat = "Jl. Merdeka No. 5, depan masjid"

    t.ajukan_ulang(usulan_id=usulan.pk, pelaku=warga, ubah_isi=ubah)
    usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN and usulan.alamat.startswith("Jl. Merdeka No. 5")
    aksi = list(RiwayatStatus.objects.filter(usulan=usulan).order_by("pk").values_list("aksi", flat=True))
    assert aksi == [Aksi.AJUKAN, Aksi.KEMBALIKAN, Aksi.AJUKAN_ULANG]


def test_tarik_sebelum_keputusan_final_saja(usulan, warga, operator_desa, alasan):
    t.tolak(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="x")
    with pytest.raises(t.TransisiDitolak, match="berstatus"):
        t.tarik(usulan_id=usulan.pk, pelaku=warga)
