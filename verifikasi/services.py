"""Writes of the verification flow that are not status changes: ranking. (What a new submission
announces is queued by usulan itself: usulan.pesan.pengajuan_kabarkan.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from akun.models import Peran
from musrenbang.selectors import siklus_aktif
from usulan.models import Status, Usulan
from verifikasi.permissions import usulan_terlihat

# What each level ranks: what it passed on (and that is still waiting at the next level).
_DIPERINGKAT = {
    Peran.DESA: (Status.LOLOS_DESA, "peringkat_desa"),
    Peran.KECAMATAN: (Status.LOLOS_KECAMATAN, "peringkat_kecamatan"),
}


def daftar_untuk_peringkat(pengguna: Any, peran: str) -> QuerySet[Usulan]:
    """The proposals this desa/kecamatan official passed on in the active round, in rank order."""
    status, kolom = _DIPERINGKAT[peran]
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
    if peran not in _DIPERINGKAT:
        raise ValidationError(_("Peran ini tidak memberi peringkat."))
    nilai = [v for v in urutan.values() if v is not None]
    if any(v < 1 for v in nilai):
        raise ValidationError(_("Peringkat dimulai dari 1."))
    if len(nilai) != len(set(nilai)):
        raise ValidationError(_("Setiap peringkat hanya boleh dipakai sekali."))
    status, kolom = _DIPERINGKAT[peran]
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
