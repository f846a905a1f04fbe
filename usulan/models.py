"""Proposals (usulan), their photos and their append-only status history."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.files.storage import storages
from django.db.models import Q
from django.db.models.functions import Cast, Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from musrenbang.models import AlasanKode, Bidang, KamusUsulan, Siklus, Wilayah
from usulan.foto import ukuran_thumbnail

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Status(models.TextChoices):
    DIAJUKAN = "diajukan", _("Diajukan")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan untuk perbaikan")
    LOLOS_DESA = "lolos_desa", _("Lolos desa/kelurahan")
    LOLOS_KECAMATAN = "lolos_kecamatan", _("Lolos kecamatan")
    DITERIMA = "diterima", _("Diterima")
    DITOLAK = "ditolak", _("Ditolak")
    DIGABUNG = "digabung", _("Digabung")
    DITARIK = "ditarik", _("Ditarik pengusul")


STATUS_FINAL = frozenset({Status.DITERIMA, Status.DITOLAK, Status.DIGABUNG, Status.DITARIK})


class JenisPengusul(models.TextChoices):
    WARGA = "warga", _("Warga (perorangan)")
    RT = "rt", _("RT")
    RW = "rw", _("RW")
    LPM = "lpm", _("LPM")
    PKK = "pkk", _("PKK")
    KARANG_TARUNA = "karang_taruna", _("Karang Taruna")
    LAINNYA = "lainnya", _("Kelompok masyarakat lain")


class Usulan(models.Model):
    """A development proposal, located by a point; its desa and kecamatan are derived from the point.

    Written only through usulan.services (creation) and verifikasi.transitions (status changes).
    """

    kode_lacak = models.CharField(_("kode lacak"), max_length=24, unique=True, editable=False)
    siklus = models.ForeignKey(Siklus, verbose_name=_("siklus"), on_delete=models.PROTECT, related_name="usulan")
    # The account that submitted it and follows it ("Usulan saya").
    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun pengirim"), on_delete=models.PROTECT, related_name="usulan"
    )
    # Set when an official typed it in on behalf of a resident or a community body.
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="usulan_dicatat",
    )
    jenis_pengusul = models.CharField(_("jenis pengusul"), max_length=16, choices=JenisPengusul.choices)
    nama_pengusul = models.CharField(_("nama pengusul"), max_length=150)
    kontak_pengusul = models.CharField(_("kontak pengusul"), max_length=100, blank=True)
    # Filed on behalf of the proposer (a desa operator's `catat`, a partner app through Open311):
    # `pengguna` is then the recording account, and news about the proposal goes to kontak_pengusul.
    # db_default too: bulk loaders insert rows with SQL.
    atas_nama = models.BooleanField(
        _("dicatat atas nama pengusul"),
        default=False,
        db_default=False,
        help_text=_("Akun pengirim mencatatnya atas nama orang lain; kabar status dikirim ke kontak pengusul."),
    )
    tampilkan_nama = models.BooleanField(_("tampilkan nama pengusul di halaman publik"), default=False)

    judul = models.CharField(_("judul"), max_length=150)
    # Blank only for proposals sent through Open311 without attribute[permasalahan] (the form asks for it).
    permasalahan = models.TextField(_("permasalahan saat ini"), max_length=2000, blank=True)
    # 4000: Open311's description limit; the form keeps its own limit of 2000.
    uraian = models.TextField(_("usulan kegiatan"), max_length=4000)
    bidang = models.ForeignKey(Bidang, verbose_name=_("bidang"), on_delete=models.PROTECT)
    kamus = models.ForeignKey(
        KamusUsulan, verbose_name=_("kamus usulan"), on_delete=models.PROTECT, null=True, blank=True
    )
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2)
    satuan = models.CharField(_("satuan"), max_length=30)
    perkiraan_biaya = models.DecimalField(
        _("perkiraan biaya (Rp)"), max_digits=17, decimal_places=2, null=True, blank=True
    )

    alamat = models.CharField(_("alamat/patokan"), max_length=200)
    dusun = models.CharField(_("dusun/lingkungan"), max_length=100, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    lokasi = models.PointField(_("lokasi"), srid=4326)
    desa = models.ForeignKey(
        Wilayah, verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT, related_name="usulan_desa"
    )
    kecamatan = models.ForeignKey(
        Wilayah, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="usulan_kecamatan"
    )

    # Ranks given by the desa and the kecamatan when they pass proposals on (1 = most urgent).
    peringkat_desa = models.PositiveIntegerField(_("peringkat desa"), null=True, blank=True)
    peringkat_kecamatan = models.PositiveIntegerField(_("peringkat kecamatan"), null=True, blank=True)
    digabung_ke = models.ForeignKey(
        "self", verbose_name=_("digabung ke"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DIAJUKAN)
    # What the public sees: equal to `status` except while a Bappeda decision awaits publication.
    status_publik = models.CharField(_("status publik"), max_length=16, choices=Status.choices, default=Status.DIAJUKAN)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)
    diperbarui = models.DateTimeField(_("diperbarui"), auto_now=True)
    # When the public last saw this proposal change (submission, a public step, a revision, a
    # publication): the map's Last-Modified. `diperbarui` also moves on internal steps (a request to an
    # OPD, a draft decision), so it must never reach a public header. Set by verifikasi.transitions;
    # db_default for bulk loaders that insert with SQL.
    diperbarui_publik = models.DateTimeField(
        _("perubahan publik terakhir"), default=timezone.now, db_default=Now(), editable=False
    )
    # The client's key for one submission (an offline draft sent again after a lost answer): a second
    # request with the same key returns this proposal instead of creating another. Unique per account.
    kunci_idempoten = models.UUIDField(_("kunci idempoten"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("usulan")
        verbose_name_plural = _("usulan")
        ordering = ["-dibuat"]
        indexes = [
            models.Index(fields=["siklus", "status"], name="usulan_siklus_status"),
            models.Index(fields=["desa", "status"], name="usulan_desa_status"),
            models.Index(fields=["kecamatan", "status"], name="usulan_kecamatan_status"),
            # Metric radius queries (duplicate hints) run on geography.
            GistIndex(Cast("lokasi", models.PointField(geography=True)), name="usulan_lokasi_geog"),
            GinIndex(fields=["judul"], opclasses=["gin_trgm_ops"], name="usulan_judul_trgm"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="usulan_status_valid"),
            models.CheckConstraint(condition=Q(status_publik__in=Status.values), name="usulan_status_publik_valid"),
            models.CheckConstraint(condition=Q(volume__gt=0), name="usulan_volume_positif"),
            models.CheckConstraint(
                condition=Q(jenis_pengusul__in=JenisPengusul.values), name="usulan_jenis_pengusul_valid"
            ),
            models.UniqueConstraint(
                fields=["pengguna", "kunci_idempoten"],
                condition=Q(kunci_idempoten__isnull=False),
                name="usulan_kunci_idempoten_unik",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kode_lacak} {self.judul}"

    @property
    def final(self) -> bool:
        return self.status in STATUS_FINAL

    @property
    def final_publik(self) -> bool:
        """Final as the public and the proposer see it: an unpublished Bappeda draft is not."""
        return self.status_publik in STATUS_FINAL

    @property
    def alasan_publik(self) -> RiwayatStatus | None:
        """The public history row whose reason goes with the current public status (the note of a
        return, rejection or merge, or a published decision), or None. Reads `riwayat_publik`, which
        usulan_untuk_lacak prefetches; without it, None."""
        riwayat = getattr(self, "riwayat_publik", None)
        if not riwayat:
            return None
        terakhir = riwayat[-1]
        if terakhir.aksi not in AKSI_BERALASAN or terakhir.ke_status != self.status_publik:
            return None
        return terakhir if terakhir.alasan_kode_id or terakhir.kalimat or terakhir.catatan.strip() else None


class PenghitungKode(models.Model):
    """The last sequence number handed out per round, locked while a tracking code is made."""

    siklus = models.OneToOneField(Siklus, on_delete=models.CASCADE, primary_key=True)
    terakhir = models.PositiveIntegerField(default=0)


def _nama_berkas() -> str:
    return uuid.uuid4().hex


class FotoUsulan(models.Model):
    """One photo: the private original (evidence for verifiers) and public, metadata-free copies.

    File names are random; the original lives under MEDIA_ROOT/privat, never under a public URL.
    """

    usulan = models.ForeignKey(Usulan, verbose_name=_("usulan"), on_delete=models.CASCADE, related_name="foto")
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)
    asli = models.CharField(_("berkas asli (privat)"), max_length=200)
    web = models.CharField(_("salinan web"), max_length=200)
    thumbnail = models.CharField(_("gambar kecil"), max_length=200)
    sha256 = models.CharField(_("SHA-256 berkas asli"), max_length=64, db_index=True)
    # The picture's perceptual hash (usulan.foto.dhash) and its bands (pita_dhash, GIN-indexed): the same
    # photo resized or re-encoded elsewhere has other bytes, so SHA-256 alone would not recognise it.
    dhash = models.BigIntegerField(_("sidik perseptual (dHash)"), null=True, blank=True)
    dhash_pita = ArrayField(models.IntegerField(), verbose_name=_("pita dHash"), default=list, blank=True)
    format = models.CharField(_("format"), max_length=8)
    ukuran_byte = models.PositiveIntegerField(_("ukuran (byte)"))
    lebar = models.PositiveIntegerField(_("lebar (px)"))
    tinggi = models.PositiveIntegerField(_("tinggi (px)"))

    lokasi_exif = models.PointField(_("lokasi GPS foto"), srid=4326, null=True, blank=True)
    diambil_pada = models.DateTimeField(_("waktu pengambilan"), null=True, blank=True)
    merek_kamera = models.CharField(_("merek kamera"), max_length=100, blank=True)
    model_kamera = models.CharField(_("model kamera"), max_length=100, blank=True)

    # Flags for verifiers; they never reject a photo on their own.
    jarak_dari_pin_m = models.FloatField(_("jarak GPS foto dari pin (m)"), null=True, blank=True)
    bendera_jauh = models.BooleanField(_("GPS foto jauh dari pin"), default=False)
    bendera_lama = models.BooleanField(_("foto diambil jauh sebelum pengajuan"), default=False)
    bendera_masa_depan = models.BooleanField(_("waktu foto di masa depan"), default=False)
    duplikat_dari = models.ForeignKey(
        Usulan,
        verbose_name=_("foto yang sama dipakai di usulan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto usulan")
        verbose_name_plural = _("foto usulan")
        ordering = ["usulan", "urutan"]
        indexes = [GinIndex(fields=["dhash_pita"], name="foto_dhash_pita")]

    def __str__(self) -> str:
        return f"{self.usulan_id} #{self.urutan}"

    @property
    def url_web(self) -> str:
        return storages["default"].url(self.web)

    @property
    def url_thumbnail(self) -> str:
        return storages["default"].url(self.thumbnail)

    @property
    def ukuran_thumbnail(self) -> tuple[int, int]:
        """(width, height) of the thumbnail, from the stored upright size of the original."""
        return ukuran_thumbnail(self.lebar, self.tinggi)

    @property
    def bendera(self) -> list[StrOrPromise]:
        """The flags as readable sentences for verifiers."""
        hasil: list[StrOrPromise] = []
        if self.bendera_jauh:
            hasil.append(_("Lokasi GPS foto %(jarak)d m dari pin.") % {"jarak": round(self.jarak_dari_pin_m or 0)})
        if self.bendera_lama:
            hari = settings.FOTO_UMUR_MAKS_HARI
            if hari == 365:
                hasil.append(_("Foto diambil lebih dari 12 bulan sebelum pengajuan."))
            else:  # FOTO_UMUR_MAKS_HARI changed: say the limit actually applied
                hasil.append(_("Foto diambil lebih dari %(hari)d hari sebelum pengajuan.") % {"hari": hari})
        if self.bendera_masa_depan:
            hasil.append(_("Waktu pengambilan foto di masa depan."))
        if self.duplikat_dari_id:
            hasil.append(_("Foto yang sama sudah dipakai usulan lain."))
        return hasil


class UnggahanFoto(models.Model):
    """A photo uploaded as soon as the resident chose it, waiting for the proposal it will belong to.

    The photo pipeline has already checked it; the three files (original, web copy, thumbnail) sit
    in the private storage under `unggahan/` until usulan.services.usulan_buat copies them into a
    FotoUsulan and deletes this row in the same transaction. Only its owner may attach it, once.
    Rows never attached are removed with their files by `manage.py hapus_unggahan_usang`.
    """

    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemilik"), on_delete=models.CASCADE, related_name="+"
    )
    nama_berkas = models.CharField(_("nama berkas"), max_length=200, blank=True)
    asli = models.CharField(_("berkas asli (privat)"), max_length=200)
    web = models.CharField(_("salinan web (privat)"), max_length=200)
    thumbnail = models.CharField(_("gambar kecil (privat)"), max_length=200)
    ekstensi = models.CharField(_("ekstensi"), max_length=8)
    sha256 = models.CharField(_("SHA-256 berkas asli"), max_length=64)
    format = models.CharField(_("format"), max_length=8)
    ukuran_byte = models.PositiveIntegerField(_("ukuran (byte)"))
    lebar = models.PositiveIntegerField(_("lebar (px)"))
    tinggi = models.PositiveIntegerField(_("tinggi (px)"))
    # What the verifiers' flags need from the EXIF, read once by the pipeline.
    lat = models.FloatField(_("lintang GPS foto"), null=True, blank=True)
    lon = models.FloatField(_("bujur GPS foto"), null=True, blank=True)
    diambil_pada = models.DateTimeField(_("waktu pengambilan"), null=True, blank=True)
    orientasi = models.PositiveSmallIntegerField(_("orientasi EXIF"), null=True, blank=True)
    merek_kamera = models.CharField(_("merek kamera"), max_length=100, blank=True)
    model_kamera = models.CharField(_("model kamera"), max_length=100, blank=True)
    # The pipeline's perceptual hash, carried to the FotoUsulan row for the reuse flag.
    dhash = models.BigIntegerField(_("sidik perseptual (dHash)"), null=True, blank=True)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("unggahan foto")
        verbose_name_plural = _("unggahan foto")
        ordering = ["dibuat", "pk"]

    def __str__(self) -> str:
        return f"{self.pengguna_id} {self.token}"


class Aksi(models.TextChoices):
    AJUKAN = "ajukan", _("Ajukan")
    AJUKAN_ULANG = "ajukan_ulang", _("Ajukan ulang")
    TARIK = "tarik", _("Tarik")
    TERUSKAN = "teruskan", _("Teruskan")
    KEMBALIKAN = "kembalikan", _("Kembalikan")
    TOLAK = "tolak", _("Tolak")
    GABUNGKAN = "gabungkan", _("Gabungkan")
    MINTA_REKOMENDASI = "minta_rekomendasi", _("Minta rekomendasi OPD")
    REKOMENDASIKAN = "rekomendasikan", _("Beri rekomendasi")
    PUTUSKAN = "putuskan", _("Putuskan")
    TERBITKAN = "terbitkan", _("Terbitkan")


# Actions whose reason is published with the status they lead to: the note of a return, rejection or
# merge, or the text Bappeda publishes with a decision.
AKSI_BERALASAN = frozenset({Aksi.KEMBALIKAN, Aksi.TOLAK, Aksi.GABUNGKAN, Aksi.TERBITKAN})
JUDUL_ALASAN: dict[str, StrOrPromise] = {
    Aksi.KEMBALIKAN: _("Catatan untuk diperbaiki"),
    Aksi.TOLAK: _("Alasan penolakan"),
    Aksi.GABUNGKAN: _("Alasan digabung"),
    Aksi.TERBITKAN: _("Keputusan Bappeda"),
}


class RiwayatStatus(models.Model):
    """Append-only history: one row per action on a proposal. Never updated, never deleted
    (a database trigger refuses both, and the application's database role may only read and add)."""

    # The rights `manage.py migrate` grants the application's role on this table (musrenbang/peran_db.py).
    HAK_PERAN_APLIKASI = ("SELECT", "INSERT")

    usulan = models.ForeignKey(Usulan, verbose_name=_("usulan"), on_delete=models.PROTECT, related_name="riwayat")
    aksi = models.CharField(_("aksi"), max_length=20, choices=Aksi.choices)
    dari_status = models.CharField(_("dari status"), max_length=16, choices=Status.choices, blank=True)
    ke_status = models.CharField(_("ke status"), max_length=16, choices=Status.choices)
    pelaku = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), on_delete=models.PROTECT, related_name="+"
    )
    # The role the actor acted in (desa, kecamatan, opd, bappeda, admin, pengusul).
    peran = models.CharField(_("peran"), max_length=12)
    alasan_kode = models.ForeignKey(
        AlasanKode, verbose_name=_("kode alasan"), on_delete=models.PROTECT, null=True, blank=True
    )
    catatan = models.TextField(_("catatan"), max_length=2000, blank=True)
    # A sentence the system wrote, as data (usulan.kalimat): worded in each reader's language.
    # db_default: bulk loaders insert history with SQL.
    kalimat = models.CharField(_("kalimat sistem"), max_length=40, blank=True, default="", db_default="")
    kalimat_data = models.JSONField(_("data kalimat"), null=True, blank=True)
    publik = models.BooleanField(_("publik"), default=True)
    # An administrator acted outside the level's calendar window.
    di_luar_jadwal = models.BooleanField(_("di luar jadwal (wewenang admin)"), default=False)
    waktu = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        ordering = ["usulan", "waktu", "pk"]
        indexes = [models.Index(fields=["usulan", "waktu"], name="riwayat_usulan_waktu")]

    def __str__(self) -> str:
        return f"{self.usulan_id}: {self.dari_status or '-'} → {self.ke_status}"

    @property
    def teks_catatan(self) -> str:
        """The note as a reader sees it: the system's sentence in the active language, then the typed text."""
        from usulan.kalimat import teks_catatan

        return teks_catatan(self.kalimat, self.kalimat_data, self.catatan)

    def judul_alasan(self) -> str:
        """The heading a page puts over this row's published reason."""
        return str(JUDUL_ALASAN.get(self.aksi, _("Alasan")))
