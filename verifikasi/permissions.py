"""Who may see and act on which proposal. Every check of the verification flow lives here.

An official sees only proposals in their area (desa → its desa, kecamatan → its kecamatan, OPD →
proposals routed to it, Bappeda and admin → their kabupaten/kota); anything else is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from akun.models import Penugasan, Peran
from usulan.models import Usulan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from musrenbang.models import Pengguna


@dataclass(frozen=True)
class Wewenang:
    """The active assignments of one user, grouped by role (area ids, or OPD ids for OPD staff)."""

    desa: frozenset[int] = field(default_factory=frozenset)
    kecamatan: frozenset[int] = field(default_factory=frozenset)
    opd: frozenset[int] = field(default_factory=frozenset)
    bappeda: frozenset[int] = field(default_factory=frozenset)
    admin: frozenset[int] = field(default_factory=frozenset)

    @property
    def peran(self) -> list[str]:
        """The roles this user holds, in the order of the flow."""
        return [p for p in (Peran.DESA, Peran.KECAMATAN, Peran.OPD, Peran.BAPPEDA, Peran.ADMIN) if getattr(self, p)]

    @property
    def petugas(self) -> bool:
        return bool(self.peran)


def wewenang(pengguna: Pengguna | AnonymousUser) -> Wewenang:
    """The user's assignments (cached on the user object for the request)."""
    if not getattr(pengguna, "is_authenticated", False):
        return Wewenang()
    simpanan = getattr(pengguna, "_wewenang_musrenbang", None)
    if simpanan is not None:
        return simpanan
    kelompok: dict[str, set[int]] = {p: set() for p in Peran.values}
    # Signed in (checked above): a Pengguna.
    for peran, wilayah_id, opd_id in Penugasan.objects.filter(pengguna=pengguna, aktif=True).values_list(  # type: ignore[misc]
        "peran", "wilayah_id", "perangkat_daerah_id"
    ):
        kelompok[peran].add(opd_id if peran == Peran.OPD else wilayah_id)
    hasil = Wewenang(**{p: frozenset(ids) for p, ids in kelompok.items()})
    pengguna._wewenang_musrenbang = hasil  # type: ignore[union-attr]  # a cache on the request's user object
    return hasil


def syarat_peran(w: Wewenang, peran: str) -> Q | None:
    """The proposals one role of this user covers, as a filter (None: the user lacks the role)."""
    if peran == Peran.DESA and w.desa:
        return Q(desa_id__in=w.desa)
    if peran == Peran.KECAMATAN and w.kecamatan:
        return Q(kecamatan_id__in=w.kecamatan)
    if peran == Peran.OPD and w.opd:
        return Q(pk__in=_dirutekan_ke(w.opd))
    if peran == Peran.BAPPEDA and w.bappeda:
        return Q(siklus__kabkota_id__in=w.bappeda)
    if peran == Peran.ADMIN and w.admin:
        return Q(siklus__kabkota_id__in=w.admin)
    return None


def _dirutekan_ke(opd_ids: frozenset[int]) -> QuerySet:
    from verifikasi.models import RekomendasiOPD

    return RekomendasiOPD.objects.filter(perangkat_daerah_id__in=opd_ids).values("usulan_id")


def usulan_terlihat(pengguna: Pengguna, peran: str | None = None) -> QuerySet[Usulan]:
    """Proposals this official may open (in one role, or in any of theirs). Empty for others."""
    w = wewenang(pengguna)
    syarat = [s for p in ([peran] if peran else w.peran) if (s := syarat_peran(w, p)) is not None]
    if not syarat:
        return Usulan.objects.none()
    gabungan = syarat[0]
    for s in syarat[1:]:
        gabungan |= s
    return Usulan.objects.filter(gabungan)


def boleh_bertindak(pengguna: Pengguna, usulan: Usulan, peran: str) -> bool:
    """Does the user hold `peran` for this proposal's area (or, for OPD, is it routed to them)?"""
    w = wewenang(pengguna)
    if peran == "pengusul":
        return usulan.pengguna_id == pengguna.pk
    if peran == Peran.DESA:
        return usulan.desa_id in w.desa
    if peran == Peran.KECAMATAN:
        return usulan.kecamatan_id in w.kecamatan
    if peran == Peran.BAPPEDA:
        return usulan.siklus.kabkota_id in w.bappeda
    if peran == Peran.ADMIN:
        return usulan.siklus.kabkota_id in w.admin
    if peran == Peran.OPD:
        return bool(w.opd) and usulan.rekomendasi.filter(perangkat_daerah_id__in=w.opd).exists()
    return False


def opd_pengguna_untuk(pengguna: Pengguna, usulan: Usulan) -> list[int]:
    """The OPD ids of this user that the proposal is routed to."""
    w = wewenang(pengguna)
    return list(usulan.rekomendasi.filter(perangkat_daerah_id__in=w.opd).values_list("perangkat_daerah_id", flat=True))
