"""Reads of proposals: duplicate hints, the public tracking page, a resident's own list, the
submission window's state and the estimated cost (computations without writes)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import BigIntegerField, BooleanField, F, Func, IntegerField, Prefetch, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from musrenbang.models import KamusUsulan, Siklus
from usulan.foto import AMBANG_DHASH, pita_dhash
from usulan.models import FotoUsulan, RiwayatStatus, Status, UnggahanFoto, Usulan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from musrenbang.models import Pengguna

# Similar enough to be the same proposal in other words ("perbaikan jalan" / "jalan rusak diperbaiki").
AMBANG_KEMIRIPAN = 0.2
RADIUS_SERUPA_M = 150
RADIUS_LOKASI_SAMA_M = 50


def _geografi(ekspresi: Any) -> Cast:
    # Must render exactly like the functional GiST index usulan_lokasi_geog for the index to be used.
    return Cast(ekspresi, models.PointField(geography=True))


class DalamRadius(Func):
    """ST_DWithin on geography: true within `meter` metres (uses the geography index)."""

    function = "ST_DWithin"
    output_field = BooleanField()

    def __init__(self, kolom: str, titik: Point, meter: float):
        super().__init__(_geografi(kolom), _geografi(Value(titik.ewkt)), Value(float(meter)))


def _dengan_foto_pertama(qs: QuerySet[Usulan]) -> QuerySet[Usulan]:
    return qs.prefetch_related(
        Prefetch(
            "foto",
            # lebar/tinggi give the thumbnail's size to the page (width, height, srcset) without a query.
            queryset=FotoUsulan.objects.order_by("urutan").only(
                "usulan_id", "urutan", "thumbnail", "web", "lebar", "tinggi"
            ),
        )
    )


def usulan_serupa(*, titik: Point, judul: str, siklus: Siklus | None, batas: int = 5) -> dict[str, list[Usulan]]:
    """Duplicate hints for a pin: proposals of this round within 150 m whose titles look alike
    (pg_trgm), and proposals of earlier rounds within 50 m that were not funded. Public fields only."""
    titik_geo = _geografi(Value(titik.ewkt))
    dasar = (
        Usulan.objects.select_related("desa", "bidang")
        .annotate(jarak=Distance(_geografi("lokasi"), titik_geo))
        .only("kode_lacak", "judul", "status_publik", "lokasi", "desa__nama", "bidang__nama", "siklus_id")
    )
    hasil: dict[str, list[Usulan]] = {"siklus_ini": [], "sebelumnya": []}
    if siklus is not None:
        ini = dasar.filter(siklus=siklus).annotate(mirip=TrigramSimilarity("judul", judul or ""))
        ini = ini.filter(DalamRadius("lokasi", titik, RADIUS_SERUPA_M))
        if judul:
            ini = ini.filter(mirip__gte=AMBANG_KEMIRIPAN)
        hasil["siklus_ini"] = list(_dengan_foto_pertama(ini.order_by("-mirip", "jarak"))[:batas])
    lama = dasar.filter(DalamRadius("lokasi", titik, RADIUS_LOKASI_SAMA_M)).exclude(status_publik=Status.DITERIMA)
    if siklus is not None:
        lama = lama.filter(siklus__tahun__lt=siklus.tahun)
    hasil["sebelumnya"] = list(_dengan_foto_pertama(lama.order_by("jarak"))[:batas])
    return hasil


def usulan_untuk_lacak(kode_lacak: str) -> Usulan | None:
    """One proposal for its public page, with photos and public history (constant queries)."""
    if "\x00" in kode_lacak:  # no code holds NUL, and PostgreSQL would refuse the query (a 500 for "%00")
        return None
    return (
        _dengan_foto_pertama(
            Usulan.objects.select_related("desa", "kecamatan", "bidang", "kamus", "siklus__kabkota", "digabung_ke")
        )
        .prefetch_related(
            Prefetch(
                "riwayat",
                queryset=RiwayatStatus.objects.filter(publik=True)
                .select_related("alasan_kode")
                .order_by("waktu", "pk"),
                to_attr="riwayat_publik",
            )
        )
        .filter(kode_lacak=kode_lacak.strip().upper())
        .first()
    )


def usulan_milik(pengguna: Pengguna) -> QuerySet[Usulan]:
    """A resident's own proposals (submitted from their account), newest first."""
    return _dengan_foto_pertama(
        Usulan.objects.filter(pengguna=pengguna).select_related("desa", "kecamatan", "bidang", "siklus")
    ).order_by("-dibuat")


class JarakHamming(Func):
    """Bits that differ between a bigint column and a 64-bit value (PostgreSQL 14+: bit_count)."""

    template = "bit_count((%(expressions)s)::bit(64))"
    output_field = IntegerField()

    def __init__(self, kolom: str, nilai: int):
        # bitxor() takes any expression; the stubs ask for a plain int.
        super().__init__(F(kolom).bitxor(Value(nilai, output_field=BigIntegerField())))  # type: ignore[arg-type]


def foto_sama_di_usulan_lain(*, sha256: str, dhash: int | None, kecuali_usulan_id: int) -> FotoUsulan | None:
    """The first stored photo of another proposal that is the same picture: the same bytes (SHA-256), or
    a resized, recompressed or re-encoded copy (perceptual hashes at most AMBANG_DHASH bits apart).

    Called by usulan.services when a photo is stored, for the verifiers' flag. Two indexed queries, never
    a scan: the SHA-256 index, then the GIN index on the hash bands (every hash within the threshold
    shares a band), with the exact distance checked in PostgreSQL on those candidates only."""
    lain = FotoUsulan.objects.exclude(usulan_id=kecuali_usulan_id).only("pk", "usulan_id").order_by("pk")
    sama = lain.filter(sha256=sha256).first()
    if sama is not None or dhash is None:
        return sama
    return (
        lain.filter(dhash_pita__overlap=pita_dhash(dhash))
        .annotate(jarak_dhash=JarakHamming("dhash", dhash))
        .filter(jarak_dhash__lte=AMBANG_DHASH)
        .first()
    )


def unggahan_milik(pengguna: Pengguna | AnonymousUser, token: Sequence[Any]) -> list[UnggahanFoto]:
    """The pending uploads of `pengguna` named by `token`, in the order given; others' and unknown
    tokens are left out (the caller compares the counts). Caller: the form view and usulan_buat."""
    if not token or not getattr(pengguna, "is_authenticated", False):
        return []
    urutan = {str(t): i for i, t in enumerate(token)}
    baris = UnggahanFoto.objects.filter(pengguna=pengguna, token__in=list(urutan))  # type: ignore[misc]  # signed in
    return sorted(baris, key=lambda u: urutan[str(u.token)])


def usulan_dengan_kunci(pengguna: Pengguna, kunci: Any) -> Usulan | None:
    """The proposal `pengguna` already submitted under the idempotency key `kunci` (text or UUID), if any."""
    try:
        kunci = uuid.UUID(str(kunci))
    except ValueError:
        return None
    return Usulan.objects.filter(pengguna=pengguna, kunci_idempoten=kunci).first()


def kamus_perkiraan_biaya(kamus: KamusUsulan | None, volume: Decimal) -> Decimal | None:
    """volume × unit price of the catalogue item, rounded to whole rupiah (None without an item)."""
    if kamus is None:
        return None
    return (volume * kamus.harga_satuan).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def jendela_pesan_tertutup(siklus: Siklus | None, tahapan: str, pada: datetime.datetime | None = None) -> str | None:
    """None while the window of `tahapan` is open; otherwise a sentence saying when it opens/closed."""
    if siklus is None:
        return _("Belum ada siklus perencanaan yang aktif.")
    pada = pada or timezone.now()
    jadwal = siklus.jadwal(tahapan)
    if jadwal is None:
        return _("Jadwal tahapan ini belum ditetapkan.")
    if jadwal.terbuka(pada):
        return None
    if pada < jadwal.mulai:
        return _("Tahapan %(tahapan)s baru dibuka pada %(waktu)s.") % {
            "tahapan": jadwal.get_tahapan_display().lower(),
            "waktu": timezone.localtime(jadwal.mulai).strftime("%d-%m-%Y %H:%M"),
        }
    return _("Tahapan %(tahapan)s sudah ditutup pada %(waktu)s.") % {
        "tahapan": jadwal.get_tahapan_display().lower(),
        "waktu": timezone.localtime(jadwal.selesai).strftime("%d-%m-%Y %H:%M"),
    }
