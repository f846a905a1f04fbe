"""Officials and their areas. The verification flow itself builds on these."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from musrenbang.models import PerangkatDaerah, Wilayah


class StatusRekomendasi(models.TextChoices):
    DIMINTA = "diminta", _("Diminta")
    DIBERIKAN = "diberikan", _("Diberikan")


class RekomendasiOPD(models.Model):
    """Bappeda's request for an OPD's technical opinion on one proposal, and the OPD's answer."""

    usulan = models.ForeignKey(
        "usulan.Usulan", verbose_name=_("usulan"), on_delete=models.PROTECT, related_name="rekomendasi"
    )
    perangkat_daerah = models.ForeignKey(PerangkatDaerah, verbose_name=_("OPD"), on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=10, choices=StatusRekomendasi.choices, default=StatusRekomendasi.DIMINTA
    )
    diminta_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), on_delete=models.PROTECT, related_name="+"
    )
    diminta_pada = models.DateTimeField(_("diminta pada"), auto_now_add=True)
    layak = models.BooleanField(_("layak"), null=True, blank=True)
    volume = models.DecimalField(_("volume disesuaikan"), max_digits=12, decimal_places=2, null=True, blank=True)
    biaya = models.DecimalField(_("biaya disesuaikan (Rp)"), max_digits=17, decimal_places=2, null=True, blank=True)
    catatan = models.TextField(_("catatan teknis"), max_length=2000, blank=True)
    direkomendasikan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("direkomendasikan oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    direkomendasikan_pada = models.DateTimeField(_("direkomendasikan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("rekomendasi OPD")
        verbose_name_plural = _("rekomendasi OPD")
        ordering = ["usulan", "diminta_pada"]
        constraints = [
            models.UniqueConstraint(fields=["usulan", "perangkat_daerah"], name="rekomendasi_satu_per_opd"),
            models.CheckConstraint(
                condition=Q(status=StatusRekomendasi.DIMINTA) | Q(layak__isnull=False),
                name="rekomendasi_diberikan_punya_kelayakan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.usulan_id} → {self.perangkat_daerah}"


class HasilKeputusan(models.TextChoices):
    DITERIMA = "diterima", _("Diterima")
    DITOLAK = "ditolak", _("Ditolak")


class KeputusanBappeda(models.Model):
    """Bappeda's decision on a proposal: a draft until published, then public and final."""

    usulan = models.OneToOneField(
        "usulan.Usulan", verbose_name=_("usulan"), on_delete=models.PROTECT, related_name="keputusan"
    )
    hasil = models.CharField(_("hasil"), max_length=10, choices=HasilKeputusan.choices)
    perangkat_daerah = models.ForeignKey(
        PerangkatDaerah, verbose_name=_("OPD pelaksana"), on_delete=models.PROTECT, null=True, blank=True
    )
    volume = models.DecimalField(_("volume disepakati"), max_digits=12, decimal_places=2, null=True, blank=True)
    biaya = models.DecimalField(_("pagu disepakati (Rp)"), max_digits=17, decimal_places=2, null=True, blank=True)
    tahun = models.PositiveSmallIntegerField(_("tahun anggaran"), null=True, blank=True)
    alasan_kode = models.ForeignKey(
        "musrenbang.AlasanKode", verbose_name=_("kode alasan"), on_delete=models.PROTECT, null=True, blank=True
    )
    alasan = models.TextField(_("alasan"), max_length=2000)
    diputuskan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diputuskan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    diputuskan_pada = models.DateTimeField(_("diputuskan pada"))
    diterbitkan_pada = models.DateTimeField(_("diterbitkan pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("keputusan Bappeda")
        verbose_name_plural = _("keputusan Bappeda")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(hasil=HasilKeputusan.DITERIMA, perangkat_daerah__isnull=False, biaya__isnull=False)
                    | Q(hasil=HasilKeputusan.DITOLAK, alasan_kode__isnull=False)
                ),
                name="keputusan_lengkap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.usulan_id}: {self.get_hasil_display()}"


class Pagu(models.Model):
    """An indicative budget ceiling for one desa or kecamatan in one round."""

    siklus = models.ForeignKey("musrenbang.Siklus", verbose_name=_("siklus"), on_delete=models.CASCADE)
    wilayah = models.ForeignKey(Wilayah, verbose_name=_("wilayah"), on_delete=models.PROTECT)
    jumlah = models.DecimalField(_("pagu (Rp)"), max_digits=17, decimal_places=2)
    blokir = models.BooleanField(
        _("blokir bila terlampaui"), default=False, help_text=_("Tanpa centang: hanya peringatan.")
    )

    class Meta:
        verbose_name = _("pagu indikatif")
        verbose_name_plural = _("pagu indikatif")
        constraints = [
            models.UniqueConstraint(fields=["siklus", "wilayah"], name="pagu_satu_per_wilayah"),
            models.CheckConstraint(condition=Q(jumlah__gte=0), name="pagu_tidak_negatif"),
        ]

    def __str__(self) -> str:
        return f"{self.wilayah} {self.siklus}: {self.jumlah}"
