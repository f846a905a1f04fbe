"""Writes of the verification flow that are not status changes: ranking. (What a new submission
announces is queued by usulan itself: usulan.pesan.pengajuan_kabarkan.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from musrenbang.selectors import siklus_aktif
from usulan.models import Usulan
from verifikasi import jenjang
from verifikasi.permissions import usulan_terlihat


def diperingkat(peran: str) -> tuple[str, str] | None:
    """What a role ranks, from the level table: (the status its level passes proposals on to, the
    rank column), i.e. what it passed on and that is still waiting at the next level; None when its
    level gives no rank."""
    j = next((k for k in jenjang.dengan_peran(peran) if k.kolom_peringkat), None)
    return (j.lolos, j.kolom_peringkat) if j is not None and j.kolom_peringkat else None


def peran_pemeringkat() -> list[str]:
    """The roles whose level ranks what it passes on, in the flow's order."""
    return list(dict.fromkeys(j.peran for j in jenjang.semua() if j.kolom_peringkat))


def daftar_untuk_peringkat(pengguna: Any, peran: str) -> QuerySet[Usulan]:
    """The proposals this desa/kecamatan official passed on in the active round, in rank order."""
    status, kolom = diperingkat(peran)
    siklus = siklus_aktif()
    return (
        usulan_terlihat(pengguna, peran)
        .filter(status=status, siklus=siklus)
        .select_related("desa")
        .order_by(kolom, "dibuat", "pk")
    )


def atur_peringkat(*, pelaku: Any, peran: str, urutan: dict[int, int | None]) -> int:
    """Set the ranks of proposals the official passed on (1 = most urgent; ranks must be unique).

    Only proposals in the official's area and still at the next level can be ranked. All or nothing.
    """
    dari_tabel = diperingkat(peran)
    if dari_tabel is None:
        raise ValidationError(_("Peran ini tidak memberi peringkat."))
    nilai = [v for v in urutan.values() if v is not None]
    if any(v < 1 for v in nilai):
        raise ValidationError(_("Peringkat dimulai dari 1."))
    if len(nilai) != len(set(nilai)):
        raise ValidationError(_("Setiap peringkat hanya boleh dipakai sekali."))
    status, kolom = dari_tabel
    with transaction.atomic():
        boleh = {
            u.pk: u
            for u in usulan_terlihat(pelaku, peran)
            .select_for_update(of=("self",))
            .filter(pk__in=list(urutan), status=status)
        }
        if set(urutan) - set(boleh):
            raise ValidationError(_("Sebagian usulan sudah berpindah tahap; muat ulang halaman."))
        for pk, rank in urutan.items():
            setattr(boleh[pk], kolom, rank)
        Usulan.objects.bulk_update(boleh.values(), [kolom])
    return len(boleh)
