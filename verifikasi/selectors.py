"""Reads for officials: scoped queues with filters and counts, the review page's data, and what a
level ranks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from akun.models import Peran
from musrenbang.selectors import siklus_aktif
from usulan.models import FotoUsulan, RiwayatStatus, Status, Usulan
from verifikasi import jenjang
from verifikasi.models import RekomendasiOPD, StatusRekomendasi
from verifikasi.permissions import usulan_terlihat
from verifikasi.transitions import status_kerja

URUTAN = {
    "tanggal": ["dibuat", "pk"],
    "-tanggal": ["-dibuat", "-pk"],
    "peringkat": ["peringkat_kecamatan", "peringkat_desa", "dibuat", "pk"],
}

if TYPE_CHECKING:
    from musrenbang.models import Pengguna


@dataclass(frozen=True)
class Saringan:
    status: str = ""
    desa: int | None = None
    bidang: int | None = None
    bendera: bool = False
    q: str = ""
    urut: str = "peringkat"


def _bendera_foto() -> Exists:
    return Exists(
        FotoUsulan.objects.filter(usulan=OuterRef("pk")).filter(
            Q(bendera_jauh=True) | Q(bendera_lama=True) | Q(bendera_masa_depan=True) | Q(duplikat_dari__isnull=False)
        )
    )


def antrian_verifikasi(pengguna: Pengguna, peran: str, saring: Saringan) -> QuerySet[Usulan]:
    """The proposals one role of this official works on, filtered and sorted; constant queries
    when iterated (first photo, desa, bidang and the flag come with it)."""
    qs = usulan_terlihat(pengguna, peran)
    if peran == Peran.OPD:
        # OPD staff see what awaits their recommendation first; answered ones stay visible.
        from verifikasi.permissions import wewenang

        qs = qs.annotate(
            menunggu_opd=Exists(
                RekomendasiOPD.objects.filter(
                    usulan=OuterRef("pk"),
                    perangkat_daerah_id__in=wewenang(pengguna).opd,
                    status=StatusRekomendasi.DIMINTA,
                )
            )
        )
    # What each role works on by default (its inbox, from the tables); the status filter can widen it.
    status = [saring.status] if saring.status in Status.values else status_kerja(peran)
    qs = qs.filter(status__in=status)
    if saring.desa:
        qs = qs.filter(desa_id=saring.desa)
    if saring.bidang:
        qs = qs.filter(bidang_id=saring.bidang)
    qs = qs.annotate(berbendera=_bendera_foto())
    if saring.bendera:
        qs = qs.filter(berbendera=True)
    if saring.q:
        qs = qs.filter(Q(judul__icontains=saring.q) | Q(kode_lacak__icontains=saring.q) | Q(alamat__icontains=saring.q))
    urutan = URUTAN.get(saring.urut, URUTAN["peringkat"])
    return (
        qs.select_related("desa", "kecamatan", "bidang")
        .prefetch_related(
            Prefetch("foto", queryset=FotoUsulan.objects.order_by("urutan").only("usulan_id", "urutan", "thumbnail"))
        )
        .order_by(*urutan)
    )


def usulan_jumlah_per_status(pengguna: Any, peran: str) -> dict[str, int]:
    """Counts of the role's whole scope per status (one query)."""
    baris = usulan_terlihat(pengguna, peran).values("status").annotate(n=Count("pk")).order_by()
    hasil = dict.fromkeys(Status.values, 0)
    hasil.update({b["status"]: b["n"] for b in baris})
    return hasil


def usulan_untuk_tinjau(pengguna: Pengguna, kode_lacak: str) -> Usulan | None:
    """One proposal the official may open, with everything the review page shows."""
    return (
        usulan_terlihat(pengguna)
        .select_related("desa", "kecamatan", "bidang", "kamus", "siklus__kabkota", "pengguna", "digabung_ke")
        .prefetch_related(
            Prefetch("foto", queryset=FotoUsulan.objects.order_by("urutan").select_related("duplikat_dari")),
            Prefetch(
                "riwayat",
                queryset=RiwayatStatus.objects.select_related("pelaku", "alasan_kode").order_by("waktu", "pk"),
            ),
            Prefetch("rekomendasi", queryset=RekomendasiOPD.objects.select_related("perangkat_daerah")),
        )
        .filter(kode_lacak=kode_lacak)
        .first()
    )


def keputusan_belum_terbit(pengguna: Pengguna, peran: str, siklus_id: int) -> list[dict[str, Any]]:
    """Bappeda's publication choices: per kecamatan of the round, how many decisions this role may see
    are still unpublished (one query; kecamatan without any are left out), ordered by name."""
    return list(
        usulan_terlihat(pengguna, peran)  # type: ignore[arg-type]  # values() rows are plain dicts
        .filter(siklus_id=siklus_id, keputusan__isnull=False, keputusan__diterbitkan_pada__isnull=True)
        .values("kecamatan_id", "kecamatan__nama")
        .annotate(n=Count("pk"))
        .order_by("kecamatan__nama", "kecamatan_id")
    )


def diperingkat(peran: str) -> tuple[str, str] | None:
    """What a role ranks, from the level table: (the status its level passes proposals on to, the
    rank column), i.e. what it passed on and that is still waiting at the next level; None when its
    level gives no rank."""
    j = next((k for k in jenjang.dengan_peran(peran) if k.kolom_peringkat), None)
    return (j.lolos, j.kolom_peringkat) if j is not None and j.kolom_peringkat else None


def peran_pemeringkat() -> list[str]:
    """The roles whose level ranks what it passes on, in the flow's order."""
    return list(dict.fromkeys(j.peran for j in jenjang.semua() if j.kolom_peringkat))


def usulan_untuk_peringkat(pengguna: Any, peran: str) -> QuerySet[Usulan]:
    """The proposals this desa/kecamatan official passed on in the active round, in rank order."""
    dari_tabel = diperingkat(peran)
    if dari_tabel is None:
        return Usulan.objects.none()
    status, kolom = dari_tabel
    siklus = siklus_aktif()
    return (
        usulan_terlihat(pengguna, peran)
        .filter(status=status, siklus=siklus)
        .select_related("desa")
        .order_by(kolom, "dibuat", "pk")
    )
