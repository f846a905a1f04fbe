"""Reference data of a planning round: areas, cycles and their calendars, agencies, sectors,
the proposal catalogue and reason codes; plus the user model every app shares."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from musrenbang.validators import validasi_kode_wilayah, validasi_telepon


class Pengguna(AbstractUser):
    """A person who signs in: a resident (warga) or an official.

    Residents sign in with a phone number or an e-mail address; `username` is kept for officials
    and the admin, and is generated for residents.
    """

    if TYPE_CHECKING:
        # Set on request.user by django_otp's OTPMiddleware: whether this session passed a second factor.
        def is_verified(self) -> bool: ...

    # NULL, not "", for a person without an address: it stays unique (AbstractUser's is not nullable).
    email = models.EmailField(_("alamat e-mail"), unique=True, null=True, blank=True)  # type: ignore[assignment]
    telepon = models.CharField(
        _("nomor telepon"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        validators=[validasi_telepon],
        help_text=_("Format internasional, mis. +6281234567890."),
    )
    nama_lengkap = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    # The language the person last picked with the switch: messages from the outbox are worded in
    # it. Empty: the site's language (settings.LANGUAGE_CODE).
    bahasa = models.CharField(
        _("bahasa pesan"), max_length=8, choices=settings.LANGUAGES, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.nama_lengkap or self.username

    def clean(self) -> None:
        super().clean()
        # AbstractUser.clean() turns a missing e-mail into "", which the unique index allows only once.
        self.email = self.email or None


class Tingkat(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN_KOTA = "kabupaten_kota", _("Kabupaten/kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA_KELURAHAN = "desa_kelurahan", _("Desa/kelurahan")


# The number of dot-separated blocks in a Kemendagri code at each level.
BLOK_KODE_PER_TINGKAT: dict[str, int] = {
    Tingkat.PROVINSI: 1,
    Tingkat.KABUPATEN_KOTA: 2,
    Tingkat.KECAMATAN: 3,
    Tingkat.DESA_KELURAHAN: 4,
}


class Wilayah(models.Model):
    """One administrative area in the Kemendagri tree, with its boundary.

    Codes are text (`12.10` is not `12.1`) and unique; the boundary may be empty when only the code
    list is known. Loaded and updated by `manage.py impor_wilayah`, never by fixtures.
    """

    kode = models.CharField(_("kode"), max_length=13, unique=True, validators=[validasi_kode_wilayah])
    nama = models.CharField(_("nama"), max_length=100)
    tingkat = models.CharField(_("tingkat"), max_length=16, choices=Tingkat.choices)
    induk = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="anak",
    )
    batas = models.MultiPolygonField(_("batas wilayah"), srid=4326, null=True, blank=True)
    sumber = models.CharField(
        _("sumber"),
        max_length=200,
        blank=True,
        help_text=_("Sumber dan versi daftar kode/batas, mis. Kepmendagri 300.2.2-2430/2025."),
    )
    diperbarui = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["kode"]
        indexes = [models.Index(fields=["tingkat", "kode"], name="wilayah_tingkat_kode")]
        constraints = [
            models.CheckConstraint(condition=Q(tingkat__in=Tingkat.values), name="wilayah_tingkat_valid"),
            models.CheckConstraint(
                condition=Q(tingkat=Tingkat.PROVINSI) | Q(induk__isnull=False),
                name="wilayah_induk_wajib_di_bawah_provinsi",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.kode})"

    @property
    def adalah_kelurahan(self) -> bool:
        """Kemendagri: the last block 1xxx is a kelurahan, 2xxx a desa (3xxx desa adat)."""
        return self.tingkat == Tingkat.DESA_KELURAHAN and self.kode.rsplit(".", 1)[-1].startswith("1")


class Tahapan(models.TextChoices):
    PENGAJUAN = "pengajuan", _("Pengajuan usulan warga")
    DESA = "desa", _("Verifikasi desa/kelurahan")
    KECAMATAN = "kecamatan", _("Verifikasi kecamatan")
    BAPPEDA = "bappeda", _("Verifikasi dan keputusan Bappeda")


class Siklus(models.Model):
    """One planning round of a kabupaten/kota, named by the budget year it plans for.

    At most one round per kabupaten/kota is active; its calendar is in `JadwalTahapan`.
    """

    kabkota = models.ForeignKey(
        Wilayah,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        limit_choices_to={"tingkat": Tingkat.KABUPATEN_KOTA},
        related_name="siklus",
    )
    tahun = models.PositiveSmallIntegerField(_("tahun perencanaan"))
    nama = models.CharField(_("nama"), max_length=150, blank=True)
    aktif = models.BooleanField(_("aktif"), default=False)

    class Meta:
        verbose_name = _("siklus perencanaan")
        verbose_name_plural = _("siklus perencanaan")
        ordering = ["-tahun"]
        constraints = [
            models.UniqueConstraint(fields=["kabkota", "tahun"], name="siklus_unik_per_tahun"),
            models.UniqueConstraint(fields=["kabkota"], condition=Q(aktif=True), name="siklus_satu_aktif_per_kabkota"),
            models.CheckConstraint(condition=Q(tahun__gte=2000, tahun__lte=2100), name="siklus_tahun_wajar"),
        ]

    def __str__(self) -> str:
        return self.nama or str(_("Musrenbang RKPD %(tahun)s") % {"tahun": self.tahun})

    def jadwal(self, tahapan: str) -> JadwalTahapan | None:
        """The calendar window of one stage (None if the round has not scheduled it)."""
        return next((j for j in self.jadwaltahapan_set.all() if j.tahapan == tahapan), None)

    def terbuka(self, tahapan: str, pada: datetime.datetime | None = None) -> bool:
        """Is the window of `tahapan` open at `pada` (default: now)?"""
        jadwal = self.jadwal(tahapan)
        return jadwal is not None and jadwal.terbuka(pada)


class JadwalTahapan(models.Model):
    """The calendar window of one stage of a round: actions of that stage are allowed inside it."""

    siklus = models.ForeignKey(Siklus, verbose_name=_("siklus"), on_delete=models.CASCADE)
    tahapan = models.CharField(_("tahapan"), max_length=16, choices=Tahapan.choices)
    mulai = models.DateTimeField(_("mulai"))
    selesai = models.DateTimeField(_("selesai"))

    class Meta:
        verbose_name = _("jadwal tahapan")
        verbose_name_plural = _("jadwal tahapan")
        ordering = ["siklus", "mulai"]
        constraints = [
            models.UniqueConstraint(fields=["siklus", "tahapan"], name="jadwal_satu_per_tahapan"),
            models.CheckConstraint(condition=Q(selesai__gt=F("mulai")), name="jadwal_selesai_setelah_mulai"),
            models.CheckConstraint(condition=Q(tahapan__in=Tahapan.values), name="jadwal_tahapan_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tahapan_display()}: {self.mulai:%d-%m-%Y} – {self.selesai:%d-%m-%Y}"

    def terbuka(self, pada: datetime.datetime | None = None) -> bool:
        pada = pada or timezone.now()
        return self.mulai <= pada < self.selesai


class PerangkatDaerah(models.Model):
    """A regional technical agency (OPD), e.g. Dinas PUPR."""

    kode = models.CharField(_("kode"), max_length=30, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    singkatan = models.CharField(_("singkatan"), max_length=50)
    aktif = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("perangkat daerah (OPD)")
        verbose_name_plural = _("perangkat daerah (OPD)")
        ordering = ["singkatan"]

    def __str__(self) -> str:
        return self.singkatan


class Bidang(models.Model):
    """A sector: a fungsi or sub-fungsi of the Permendagri 90/2019 classification."""

    kode = models.CharField(_("kode"), max_length=10, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    induk = models.ForeignKey(
        "self", verbose_name=_("induk"), on_delete=models.PROTECT, null=True, blank=True, related_name="anak"
    )
    aktif = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("bidang")
        verbose_name_plural = _("bidang")
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class JenisKegiatan(models.TextChoices):
    FISIK = "fisik", _("Fisik")
    NON_FISIK = "non_fisik", _("Non-fisik")


class KamusUsulan(models.Model):
    """A catalogue item a region allows in one round, with unit, unit price and responsible OPD."""

    siklus = models.ForeignKey(Siklus, verbose_name=_("siklus"), on_delete=models.CASCADE, related_name="kamus")
    nama = models.CharField(_("nama"), max_length=200)
    jenis = models.CharField(_("jenis"), max_length=10, choices=JenisKegiatan.choices)
    satuan = models.CharField(_("satuan"), max_length=30)
    harga_satuan = models.DecimalField(_("harga satuan (Rp)"), max_digits=15, decimal_places=2)
    bidang = models.ForeignKey(Bidang, verbose_name=_("bidang"), on_delete=models.PROTECT)
    perangkat_daerah = models.ForeignKey(PerangkatDaerah, verbose_name=_("OPD"), on_delete=models.PROTECT)
    aktif = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kamus usulan")
        verbose_name_plural = _("kamus usulan")
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(fields=["siklus", "nama"], name="kamus_nama_unik_per_siklus"),
            models.CheckConstraint(condition=Q(harga_satuan__gte=0), name="kamus_harga_tidak_negatif"),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.satuan})"


class AlasanKode(models.Model):
    """A reason code for returning, rejecting or merging a proposal (published with its text)."""

    kode = models.SlugField(_("kode"), max_length=50, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)
    aktif = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kode alasan")
        verbose_name_plural = _("kode alasan")
        ordering = ["urutan", "kode"]

    def __str__(self) -> str:
        return self.nama


class BatasLaju(models.Model):
    """A fixed-window counter for rate limits, shared by every process through the database."""

    kunci = models.CharField(max_length=200, primary_key=True)
    mulai = models.DateTimeField()
    jumlah = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("batas laju")
        verbose_name_plural = _("batas laju")
