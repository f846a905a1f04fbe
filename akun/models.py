"""Accounts beyond the user model: officials' role assignments and two-step enrolment codes.

The user model itself (musrenbang.Pengguna) stays in musrenbang: Django cannot move the app of
AUTH_USER_MODEL with migrations on an existing database (every foreign key to it, the admin log and
the permissions tables name the model by app label). Everything that asks what roles a user holds
(penugasan__peran, Penugasan) lives here or in the apps above.

The tables moved here from verifikasi (Penugasan) and musrenbang (KodePendaftaranDuaLangkah) with
their rows: see migrations/0001_peran_dan_kode_dua_langkah.py.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musrenbang.models import PerangkatDaerah, Tingkat, Wilayah


class Peran(models.TextChoices):
    DESA = "desa", _("Operator/kepala desa/lurah")
    KECAMATAN = "kecamatan", _("Kecamatan")
    OPD = "opd", _("Perangkat daerah (OPD)")
    BAPPEDA = "bappeda", _("Bappeda")
    ADMIN = "admin", _("Administrator")


# Which level of area each role is assigned to (OPD is assigned to an agency instead).
TINGKAT_PER_PERAN: dict[str, Tingkat] = {
    Peran.DESA: Tingkat.DESA_KELURAHAN,
    Peran.KECAMATAN: Tingkat.KECAMATAN,
    Peran.BAPPEDA: Tingkat.KABUPATEN_KOTA,
    Peran.ADMIN: Tingkat.KABUPATEN_KOTA,
}


class Penugasan(models.Model):
    """An official's role in one area (or, for OPD staff, one agency). A user may hold several."""

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="penugasan"
    )
    peran = models.CharField(_("peran"), max_length=12, choices=Peran.choices)
    wilayah = models.ForeignKey(Wilayah, verbose_name=_("wilayah"), on_delete=models.PROTECT, null=True, blank=True)
    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, verbose_name=_("OPD"), on_delete=models.PROTECT, null=True, blank=True
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        constraints = [
            models.CheckConstraint(condition=Q(peran__in=Peran.values), name="penugasan_peran_valid"),
            models.CheckConstraint(
                condition=(Q(peran=Peran.OPD, perangkat_daerah__isnull=False, wilayah__isnull=True))
                | (~Q(peran=Peran.OPD) & Q(perangkat_daerah__isnull=True, wilayah__isnull=False)),
                name="penugasan_wilayah_atau_opd",
            ),
            models.UniqueConstraint(
                fields=["pengguna", "peran", "wilayah", "perangkat_daerah"],
                nulls_distinct=False,
                name="penugasan_unik",
            ),
        ]

    def __str__(self) -> str:
        tempat = self.perangkat_daerah or self.wilayah
        return f"{self.pengguna} — {self.get_peran_display()} {tempat}"

    def clean(self) -> None:
        tingkat = TINGKAT_PER_PERAN.get(self.peran)
        # wilayah_id is set, so wilayah is an area, not None.
        if tingkat and self.wilayah_id and self.wilayah.tingkat != tingkat:  # type: ignore[union-attr]
            raise ValidationError(
                {
                    "wilayah": _("Peran %(peran)s harus ditugaskan pada wilayah tingkat %(tingkat)s.")
                    % {"peran": self.get_peran_display(), "tingkat": Tingkat(tingkat).label}
                }
            )


class KodePendaftaranDuaLangkah(models.Model):
    """A one-time code an administrator gives an official whose role requires two-step sign-in, so
    that they can enrol an authenticator app: the first time, and again after a lost phone.

    Without it the password alone would be enough to enrol a phone of one's own. Only a SHA-256 of
    the code is stored (the code is random, so a plain hash cannot be reversed); it expires after
    settings.DUA_FAKTOR_KODE_BERLAKU_JAM and is spent when accepted. Made by
    akun.services.kode_pendaftaran_buat (`manage.py tugaskan`, the admin), which shows it once.
    """

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="kode_pendaftaran_dua_langkah",
    )
    hash_kode = models.CharField(_("SHA-256 kode"), max_length=64, unique=True, editable=False)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    berlaku_sampai = models.DateTimeField(_("berlaku sampai"))
    dipakai_pada = models.DateTimeField(_("dipakai pada"), null=True, blank=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The authenticator app enrolled with this code (moved to its successor when the app is replaced
    # from a session verified with it). A device without one was enrolled on a password alone: when a
    # role that requires two-step sign-in is granted, it stops counting (akun.services
    # .perangkat_tanpa_kode_hapus).
    perangkat = models.OneToOneField(
        "otp_totp.TOTPDevice",
        verbose_name=_("perangkat"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kode_pendaftaran",
    )

    class Meta:
        verbose_name = _("kode pendaftaran dua langkah")
        verbose_name_plural = _("kode pendaftaran dua langkah")
        ordering = ["-dibuat"]

    def __str__(self) -> str:
        return f"{self.pengguna} ({self.berlaku_sampai:%Y-%m-%d %H:%M})"

    @staticmethod
    def hash(kode: str) -> str:
        """The stored form of a code as typed: letters and digits only, upper case."""
        baku = "".join(c for c in kode.upper() if c.isascii() and c.isalnum())
        return hashlib.sha256(baku.encode()).hexdigest()
