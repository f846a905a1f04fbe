"""Small factories with real geometry (the Karimun boundaries shipped in musrenbang/data)."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from akun.models import Penugasan
from musrenbang.models import (
    Bidang,
    JadwalTahapan,
    JenisKegiatan,
    KamusUsulan,
    PerangkatDaerah,
    Siklus,
    Tahapan,
    Wilayah,
)

_urut = itertools.count(1)
KATA_SANDI = "kata-sandi-uji-123"


def buat_pengguna(username: str | None = None, **kwargs) -> object:
    nomor = next(_urut)
    username = username or f"pengguna{nomor}"
    kwargs.setdefault("email", f"{username}@contoh.test")
    kwargs.setdefault("nama_lengkap", username.replace("_", " ").title())
    pengguna = get_user_model().objects.create_user(username=username, password=KATA_SANDI, **kwargs)
    return pengguna


def buat_penugasan(pengguna, peran: str, *, wilayah: Wilayah | None = None, opd: PerangkatDaerah | None = None):
    return Penugasan.objects.create(pengguna=pengguna, peran=peran, wilayah=wilayah, perangkat_daerah=opd)


def buat_opd(singkatan: str = "DPUPR", nama: str = "Dinas Pekerjaan Umum dan Penataan Ruang") -> PerangkatDaerah:
    return PerangkatDaerah.objects.get_or_create(
        kode=f"OPD-{singkatan}", defaults={"nama": nama, "singkatan": singkatan}
    )[0]


def buat_siklus(kabkota: Wilayah, *, tahun: int | None = None, terbuka: bool = True, aktif: bool = True) -> Siklus:
    """A round with every window open now (or every window already closed when terbuka=False)."""
    sekarang = timezone.now()
    siklus = Siklus.objects.create(kabkota=kabkota, tahun=tahun or sekarang.year + 1, aktif=aktif)
    if terbuka:
        mulai, selesai = sekarang - datetime.timedelta(days=10), sekarang + datetime.timedelta(days=30)
    else:
        mulai, selesai = sekarang - datetime.timedelta(days=60), sekarang - datetime.timedelta(days=1)
    for tahapan in Tahapan:
        JadwalTahapan.objects.create(siklus=siklus, tahapan=tahapan, mulai=mulai, selesai=selesai)
    return siklus


def buat_kamus(siklus: Siklus, *, nama: str = "Semenisasi jalan lingkungan", harga: str = "450000") -> KamusUsulan:
    return KamusUsulan.objects.create(
        siklus=siklus,
        nama=nama,
        jenis=JenisKegiatan.FISIK,
        satuan="meter",
        harga_satuan=Decimal(harga),
        bidang=Bidang.objects.get(kode="05.01"),
        perangkat_daerah=buat_opd(),
    )
