"""Fixtures for the open data downloads and the Open311 API: a round with proposals at every public
stage, and one proposal full of personal and internal data that must never leave the private side."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from akun.models import Peran
from musrenbang.models import AlasanKode
from tests import factories
from tests.peta_data.bantu import RAHASIA, buat
from tests.skenario import usulan_pada
from usulan.models import Status, Usulan
from verifikasi import transitions as t


@dataclass
class Ronde:
    diajukan: Usulan  # waiting at the desa
    ditolak: Usulan  # rejected by the desa with a reason
    lolos_desa: Usulan  # waiting at the kecamatan; proposer opted in to show their name
    diterima: Usulan  # accepted by Bappeda and published
    rahasia: Usulan  # accepted by Bappeda but not published; full of private data

    def semua(self) -> list[Usulan]:
        return [self.diajukan, self.ditolak, self.lolos_desa, self.diterima, self.rahasia]


@pytest.fixture
def alasan(db) -> AlasanKode:
    return AlasanKode.objects.get(kode="lokasi-tidak-jelas")


@pytest.fixture
def opd_rahasia(db):
    return factories.buat_opd("DRI", RAHASIA["opd_keputusan"])


@pytest.fixture
def ronde(
    warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd, alasan, opd_rahasia
) -> Ronde:
    di_jalan = {"operator_desa": operator_desa, "operator_kecamatan": operator_kecamatan, "peringkat": (1, 2)}
    diajukan = buat(warga, desa, siklus, "Lampu jalan gang Melati")
    ditolak = buat(warga, desa, siklus, "Jalan ke kebun sawit")
    t.tolak(usulan_id=ditolak.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Titik di laut")
    lolos_desa = buat(warga, desa, siklus, "Posyandu RW 02", nama_pengusul="Ketua RW 02 Terbuka", tampilkan_nama=True)
    t.teruskan(usulan_id=lolos_desa.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=3)
    diterima = buat(warga, desa, siklus, "Drainase Jalan Merdeka")
    usulan_pada(Status.LOLOS_KECAMATAN, usulan=diterima, **di_jalan)
    t.putuskan(
        usulan_id=diterima.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas banjir",
        perangkat_daerah=opd,
        volume=Decimal(80),
        biaya=Decimal("125000000"),
    )
    t.terbitkan(usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA)

    pengusul = factories.buat_pengguna(RAHASIA["username"], email=RAHASIA["email"], telepon=RAHASIA["telepon"])
    rahasia = buat(
        pengusul,
        desa,
        siklus,
        "Pelebaran jembatan kampung",
        nama_pengusul=RAHASIA["nama"],
        kontak_pengusul=RAHASIA["kontak"],
        tampilkan_nama=False,
    )
    usulan_pada(Status.LOLOS_KECAMATAN, usulan=rahasia, **di_jalan)
    t.minta_rekomendasi(
        usulan_id=rahasia.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd], catatan=RAHASIA["permintaan_opd"]
    )
    t.rekomendasikan(
        usulan_id=rahasia.pk,
        pelaku=petugas_opd,
        layak=True,
        volume=Decimal(40),
        biaya=Decimal("90000000"),
        catatan=RAHASIA["catatan_opd"],
    )
    t.putuskan(
        usulan_id=rahasia.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan=RAHASIA["alasan_keputusan"],
        perangkat_daerah=opd_rahasia,
        volume=Decimal(40),
        biaya=Decimal("777000000"),
    )
    for u in (diajukan, ditolak, lolos_desa, diterima, rahasia):
        u.refresh_from_db()
    return Ronde(diajukan, ditolak, lolos_desa, diterima, rahasia)
