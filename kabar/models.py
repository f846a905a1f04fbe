"""The notification outbox's table: one row per message, written with the change it announces.

Moved here from verifikasi with its rows (migrations/0001_notifikasi.py) so that every app above
(usulan, verifikasi) queues into it directly. The link to a proposal is the lazy reference
"usulan.Usulan": no Python import of usulan, so this app stays below it; only this app's migration
depends on usulan's (a nullable link, so the outbox itself needs nothing from above).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Saluran(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class StatusNotifikasi(models.TextChoices):
    ANTRE = "antre", _("Menunggu")
    TERKIRIM = "terkirim", _("Terkirim")
    GAGAL = "gagal", _("Gagal permanen")


class Notifikasi(models.Model):
    """Outbox: one row per recipient per event (or per official per day for digests).

    Written in the same transaction as the change it announces, so nothing is lost; sent by
    `manage.py kirim_notifikasi`, which claims rows with SELECT … FOR UPDATE SKIP LOCKED.
    """

    # None: the proposer's recorded contact (kontak_pengusul) of a proposal filed on their behalf.
    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifikasi",
    )
    saluran = models.CharField(_("saluran"), max_length=10, choices=Saluran.choices)
    alamat = models.CharField(_("alamat tujuan"), max_length=254)
    # In the site's language (the admin, a fallback); sent worded again in the recipient's language
    # from the code and data below (kabar.pesan). Rows without a code go out as stored.
    subjek = models.CharField(_("subjek"), max_length=200)
    isi = models.TextField(_("isi"))
    kode_pesan = models.CharField(_("kode pesan"), max_length=40, blank=True, default="", db_default="")
    data_pesan = models.JSONField(_("data pesan"), null=True, blank=True)
    usulan = models.ForeignKey(
        "usulan.Usulan", verbose_name=_("usulan"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Digest rows: one per (recipient, channel, day); later events append to the same row.
    kunci_ringkasan = models.CharField(_("kunci ringkasan"), max_length=100, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StatusNotifikasi.choices, default=StatusNotifikasi.ANTRE
    )
    kirim_setelah = models.DateTimeField(_("kirim setelah"))
    percobaan = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    galat_terakhir = models.TextField(_("galat terakhir"), blank=True)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    terkirim_pada = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["kirim_setelah", "pk"]
        indexes = [
            models.Index(fields=["kirim_setelah"], condition=Q(status="antre"), name="notifikasi_antre_siap"),
        ]
        constraints = [
            # Digests are for officials' accounts; only a single message may go to a bare contact.
            models.CheckConstraint(
                condition=Q(penerima__isnull=False) | Q(kunci_ringkasan__isnull=True),
                name="notifikasi_ringkasan_punya_penerima",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_saluran_display()} → {self.alamat}: {self.subjek}"
