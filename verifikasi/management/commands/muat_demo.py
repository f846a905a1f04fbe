"""manage.py muat_demo: demo data for local development (DEBUG only).

Loads Kabupaten Karimun, an active round with open windows, a few OPD and catalogue items, and one
account per role. Running it again updates the same rows; it never duplicates anything.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from akun.models import Penugasan, Peran
from akun.services import kode_pendaftaran_buat
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

KODE_KABKOTA = "21.02"  # Kabupaten Karimun
KODE_KECAMATAN = "21.02.01"  # Moro
KODE_DESA = "21.02.01.1003"  # Kelurahan Moro
KATA_SANDI_DEMO = "demo-musrenbang-2027"

OPD = [
    ("1.03.01", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("1.04.01", "Dinas Perumahan, Kawasan Permukiman dan Pertanahan", "DISPERKIM"),
    ("1.02.01", "Dinas Kesehatan", "DINKES"),
    ("1.01.01", "Dinas Pendidikan", "DISDIK"),
    ("2.17.01", "Dinas Koperasi, Usaha Kecil dan Menengah", "DISKOP-UKM"),
    ("2.11.01", "Dinas Lingkungan Hidup", "DLH"),
]

# (name, kind, unit, unit price, bidang code, OPD short name)
KAMUS = [
    ("Semenisasi jalan lingkungan", JenisKegiatan.FISIK, "meter", "450000", "05.01", "DPUPR"),
    ("Pembangunan drainase/saluran lingkungan", JenisKegiatan.FISIK, "meter", "1250000", "05.01", "DPUPR"),
    ("Lampu penerangan jalan umum", JenisKegiatan.FISIK, "unit", "8500000", "05.02", "DISPERKIM"),
    ("Rehabilitasi rumah tidak layak huni", JenisKegiatan.FISIK, "unit", "20000000", "05.02", "DISPERKIM"),
    ("Peralatan posyandu", JenisKegiatan.NON_FISIK, "paket", "15000000", "06.01", "DINKES"),
    ("Pelatihan keterampilan UMKM", JenisKegiatan.NON_FISIK, "paket", "25000000", "03.03", "DISKOP-UKM"),
    ("Tempat sampah terpilah", JenisKegiatan.FISIK, "unit", "2750000", "04.02", "DLH"),
]

# (username, full name, role, area code or OPD short name, staff)
AKUN = [
    ("warga", "Siti Aminah", None, None, False),
    ("operator_desa", "Budi Santoso", Peran.DESA, KODE_DESA, False),
    ("operator_kecamatan", "Rahmat Hidayat", Peran.KECAMATAN, KODE_KECAMATAN, False),
    ("petugas_opd", "Dewi Lestari", Peran.OPD, "DPUPR", False),
    ("bappeda", "Andi Pratama", Peran.BAPPEDA, KODE_KABKOTA, False),
    ("admin", "Administrator", Peran.ADMIN, KODE_KABKOTA, True),
]


class Command(BaseCommand):
    help = "Muat data demo (hanya saat DEBUG): Karimun, siklus aktif, OPD, kamus usulan, satu akun per peran."

    def handle(self, *args: object, **opts: object) -> None:
        if not settings.DEBUG:
            raise CommandError("muat_demo hanya berjalan saat DEBUG=true: akun demo tidak boleh ada di produksi.")
        if not Wilayah.objects.filter(kode=KODE_DESA).exclude(batas=None).exists():
            call_command("impor_wilayah", stdout=self.stdout)
        with transaction.atomic():
            siklus = self._siklus()
            opd = self._opd()
            self._kamus(siklus, opd)
            self._akun(opd)
        self.stdout.write(self.style.SUCCESS(f"Data demo siap: {siklus}."))
        self.stdout.write("Akun demo (hanya untuk lokal), kata sandi semuanya: " + KATA_SANDI_DEMO)
        for username, nama, peran, tempat, _staf in AKUN:
            self.stdout.write(f"  {username:<20} {nama:<16} {peran.label if peran else 'Warga'} {tempat or ''}")
        self._kode_dua_langkah()

    def _kode_dua_langkah(self) -> None:
        """Accounts that must use two-step sign-in and have no app yet get a one-time enrolment code,
        as an administrator would give them (`tugaskan --kode-dua-langkah`)."""
        if not settings.DUA_FAKTOR_WAJIB:
            return
        Pengguna = get_user_model()
        wajib = Pengguna.objects.filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(penugasan__peran__in=settings.DUA_FAKTOR_PERAN_WAJIB, penugasan__aktif=True),
            username__in=[a[0] for a in AKUN],
        ).exclude(totpdevice__confirmed=True)
        for pengguna in wajib.distinct().order_by("username"):
            kode, _berlaku = kode_pendaftaran_buat(pengguna=pengguna)
            self.stdout.write(f"  kode pendaftaran dua langkah {pengguna.username}: {kode}")

    def _siklus(self) -> Siklus:
        kabkota = Wilayah.objects.get(kode=KODE_KABKOTA)
        sekarang = timezone.now()
        tahun = sekarang.year + 1
        Siklus.objects.filter(kabkota=kabkota, aktif=True).exclude(tahun=tahun).update(aktif=False)
        siklus, _ = Siklus.objects.update_or_create(
            kabkota=kabkota,
            tahun=tahun,
            defaults={"aktif": True, "nama": f"Musrenbang RKPD {tahun} Kabupaten Karimun"},
        )
        # Every window open now, so each role can try its part of the flow in the demo.
        mulai = sekarang - datetime.timedelta(days=30)
        for tahapan in Tahapan:
            JadwalTahapan.objects.update_or_create(
                siklus=siklus,
                tahapan=tahapan,
                defaults={"mulai": mulai, "selesai": sekarang + datetime.timedelta(days=90)},
            )
        return siklus

    def _opd(self) -> dict[str, PerangkatDaerah]:
        hasil = {}
        for kode, nama, singkatan in OPD:
            obj, _ = PerangkatDaerah.objects.update_or_create(
                kode=kode, defaults={"nama": nama, "singkatan": singkatan}
            )
            hasil[singkatan] = obj
        return hasil

    def _kamus(self, siklus: Siklus, opd: dict[str, PerangkatDaerah]) -> None:
        bidang = {b.kode: b for b in Bidang.objects.all()}
        for nama, jenis, satuan, harga, kode_bidang, singkatan in KAMUS:
            KamusUsulan.objects.update_or_create(
                siklus=siklus,
                nama=nama,
                defaults={
                    "jenis": jenis,
                    "satuan": satuan,
                    "harga_satuan": Decimal(harga),
                    "bidang": bidang[kode_bidang],
                    "perangkat_daerah": opd[singkatan],
                },
            )

    def _akun(self, opd: dict[str, PerangkatDaerah]) -> None:
        Pengguna = get_user_model()
        for nomor, (username, nama, peran, tempat, staf) in enumerate(AKUN, start=1):
            pengguna, _ = Pengguna.objects.update_or_create(
                username=username,
                defaults={
                    "nama_lengkap": nama,
                    "email": f"{username}@demo.musrenbang.test",
                    "telepon": f"+62812000000{nomor:02d}",
                    "is_staff": staf,
                    "is_superuser": staf,
                },
            )
            pengguna.set_password(KATA_SANDI_DEMO)
            pengguna.save(update_fields=["password"])
            if peran is None:
                continue
            if peran == Peran.OPD:
                # Every demo account with a role names its place (AKUN).
                Penugasan.objects.get_or_create(pengguna=pengguna, peran=peran, perangkat_daerah=opd[tempat])  # type: ignore[index]
            else:
                Penugasan.objects.get_or_create(
                    pengguna=pengguna, peran=peran, wilayah=Wilayah.objects.get(kode=tempat)
                )
