"""The Open311 API keys: which outside application may submit proposals, and on whose behalf."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KunciAPI(models.Model):
    """A key that lets an outside application submit proposals through the Open311 API.

    Only a SHA-256 of the key is stored (the key is random and long, so a plain hash cannot be
    reversed or guessed); the first characters are kept to tell keys apart. Proposals submitted
    with the key belong to `pengguna`. Made by `manage.py buat_kunci_api`, which shows the key once.
    """

    nama = models.CharField(_("nama"), max_length=100, help_text=_("Aplikasi atau mitra pemegang kunci."))
    awalan = models.CharField(_("awalan"), max_length=16, help_text=_("Awal kunci, untuk mengenali kunci."))
    hash_kunci = models.CharField(_("SHA-256 kunci"), max_length=64, unique=True, editable=False)
    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun pengirim"),
        on_delete=models.PROTECT,
        related_name="kunci_api",
        help_text=_("Usulan yang dikirim dengan kunci ini tercatat atas nama akun ini."),
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    terakhir_dipakai = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kunci API")
        verbose_name_plural = _("kunci API")
        ordering = ["nama"]

    def __str__(self) -> str:
        return f"{self.nama} ({self.awalan}…)"

    @staticmethod
    def hash(kunci: str) -> str:
        return hashlib.sha256(kunci.encode()).hexdigest()

    @staticmethod
    def kunci_baru() -> str:
        """A new random key: 256 bits, URL-safe, with a prefix that says what it is."""
        return "mus_" + secrets.token_urlsafe(32)
