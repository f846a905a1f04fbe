"""Officials and their areas. The verification flow itself builds on these."""

from __future__ import annotations

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
    # from the code and data below (verifikasi.pesan). Rows without a code go out as stored.
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
