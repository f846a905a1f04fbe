"""A small round with known figures, moved through the real transitions under a controlled clock.

History rows are stamped by the database layer (`auto_now_add`) with `timezone.now()`, and the
transitions check the calendar with it too. To get known waiting times (days, not milliseconds)
the clock is set for each step with `jam(...)`: a test cannot wait five days, and rewriting the
append-only history afterwards is refused by its trigger (and would test something else).

The scenario (T0 = nine days ago; every window of the round is open from ten days ago):

    Kelurahan Moro (kecamatan Moro)                         Desa 21.02.05.2007 (kecamatan Tebing)
    u1 drainase A, Rp 100 jt: desa +1 d, kec +2 d,          u5 jalan, Rp 30 jt: desa +5 d → lolos_desa
       Bappeda +3 d diterima (Rp 90 jt), published          u6 sumur (kesehatan): desa tolak +1 d
    u2 drainase B, Rp 50 jt: desa +3 d, kec +1 d,              (lokasi-tidak-jelas)
       Bappeda +4 d ditolak (tidak-sesuai-prioritas), draft
    u3 posyandu (kesehatan): desa tolak +2 d (lokasi-tidak-jelas)
    u4 lampu jalan, no cost: still diajukan
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from akun.models import Peran
from musrenbang.models import AlasanKode, KamusUsulan, Siklus, Wilayah
from tests import factories
from tests.dasbor.bantu import HARI, buat, jam
from usulan.models import Usulan
from verifikasi import transitions as t
from verifikasi.models import Pagu


@pytest.fixture
def desa_tebing(karimun) -> Wilayah:
    return Wilayah.objects.get(kode="21.02.05.2007")


@pytest.fixture
def operator_desa_tebing(desa_tebing):
    pengguna = factories.buat_pengguna("operator_desa_tebing")
    factories.buat_penugasan(pengguna, Peran.DESA, wilayah=desa_tebing)
    return pengguna


@pytest.fixture
def operator_kecamatan_tebing(desa_tebing):
    pengguna = factories.buat_pengguna("operator_kecamatan_tebing")
    factories.buat_penugasan(pengguna, Peran.KECAMATAN, wilayah=desa_tebing.induk)
    return pengguna


@pytest.fixture
def kamus(siklus) -> KamusUsulan:
    return factories.buat_kamus(siklus, harga="1000000")


@dataclass
class Skenario:
    siklus: Siklus
    t0: datetime.datetime
    u1: Usulan
    u2: Usulan
    u3: Usulan
    u4: Usulan
    u5: Usulan
    u6: Usulan


@pytest.fixture
def skenario(
    siklus, desa, desa_tebing, warga, operator_desa, operator_kecamatan, operator_desa_tebing, bappeda, opd, kamus
) -> Skenario:
    lokasi = AlasanKode.objects.get(kode="lokasi-tidak-jelas")
    prioritas = AlasanKode.objects.get(kode="tidak-sesuai-prioritas")
    t0 = timezone.now().replace(microsecond=0) - 9 * HARI
    with jam(t0):
        u1 = buat(warga, siklus, desa, "Drainase A", kamus=kamus, volume="100")
        u2 = buat(warga, siklus, desa, "Drainase B", kamus=kamus, volume="50")
        u3 = buat(warga, siklus, desa, "Posyandu", bidang="06.01")
        u4 = buat(warga, siklus, desa, "Lampu jalan")
        u5 = buat(warga, siklus, desa_tebing, "Jalan lingkungan", kamus=kamus, volume="30")
        u6 = buat(warga, siklus, desa_tebing, "Sumur bor", bidang="06.01")
    langkah = [
        (1, lambda: t.teruskan(usulan_id=u1.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)),
        (
            1,
            lambda: t.tolak(
                usulan_id=u6.pk,
                pelaku=operator_desa_tebing,
                peran=Peran.DESA,
                alasan_kode=lokasi,
                catatan="Titik di laut",
            ),
        ),
        (
            2,
            lambda: t.tolak(
                usulan_id=u3.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=lokasi, catatan="Tidak jelas"
            ),
        ),
        (3, lambda: t.teruskan(usulan_id=u2.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=2)),
        (3, lambda: t.teruskan(usulan_id=u1.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=1)),
        (4, lambda: t.teruskan(usulan_id=u2.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=2)),
        (5, lambda: t.teruskan(usulan_id=u5.pk, pelaku=operator_desa_tebing, peran=Peran.DESA, peringkat=1)),
        (
            6,
            lambda: t.putuskan(
                usulan_id=u1.pk,
                pelaku=bappeda,
                peran=Peran.BAPPEDA,
                hasil="diterima",
                alasan="Prioritas banjir",
                perangkat_daerah=opd,
                volume=Decimal(100),
                biaya=Decimal("90000000"),
            ),
        ),
        (6, lambda: t.terbitkan(usulan_id=u1.pk, pelaku=bappeda, peran=Peran.BAPPEDA)),
        (
            8,
            lambda: t.putuskan(
                usulan_id=u2.pk,
                pelaku=bappeda,
                peran=Peran.BAPPEDA,
                hasil="ditolak",
                alasan="Bukan prioritas tahun ini",
                alasan_kode=prioritas,
            ),
        ),
    ]
    for hari, aksi in langkah:
        with jam(t0 + hari * HARI):
            aksi()
    Pagu.objects.create(siklus=siklus, wilayah=desa, jumlah=Decimal("120000000"))
    Pagu.objects.create(siklus=siklus, wilayah=desa.induk, jumlah=Decimal("100000000"))
    Pagu.objects.create(siklus=siklus, wilayah=desa_tebing, jumlah=Decimal("20000000"), blokir=True)
    for u in (u1, u2, u3, u4, u5, u6):
        u.refresh_from_db()
    return Skenario(siklus=siklus, t0=t0, u1=u1, u2=u2, u3=u3, u4=u4, u5=u5, u6=u6)


@pytest.fixture
def alasan_duplikat(db) -> AlasanKode:
    return AlasanKode.objects.get(kode="duplikat")
