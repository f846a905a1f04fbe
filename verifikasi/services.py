"""Writes of the verification flow beyond a single transition: ranking and a proposer's revision and
resubmission (with its photo files). What a new submission announces is queued by usulan itself
(usulan.pesan.pengajuan_kabarkan); reads live in verifikasi.selectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from usulan.models import Usulan
from usulan.services import IsiUsulan, berkas_hapus, foto_proses, usulan_perbarui
from verifikasi import transitions
from verifikasi.permissions import usulan_terlihat
from verifikasi.selectors import diperingkat


def peringkat_atur(*, pelaku: Any, peran: str, urutan: dict[int, int | None]) -> int:
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


def usulan_perbaiki(
    *, usulan_id: int, pelaku: Any, isi: IsiUsulan, foto: Sequence[Any] = (), hapus_foto: Sequence[int] = ()
) -> Usulan:
    """The proposer revises a returned proposal and resubmits it (caller: the `perbaiki` page).

    Decodes the new photos first (outside the transaction: the slow part), then, in the resubmission's
    transaction (transitions.ajukan_ulang: lock, table, window, history row, notifications), applies
    the edits, stores the new photos and removes the ones named in `hapus_foto` (usulan_perbarui).
    Owns every file it touches: on any failure, also one raised after new files were written (the
    proposal no longer returned, a closed window, a database error), the new files are removed and no
    row remains; the removed photos' files are deleted only after the commit. Raises ValidationError
    (a refused photo, field `foto`) or TransisiDitolak (the resubmission refused, in words).
    """
    diproses = foto_proses(foto, wajib=False)
    ditulis: list[tuple[Any, str]] = []
    try:
        return transitions.ajukan_ulang(
            usulan_id=usulan_id,
            pelaku=pelaku,
            ubah_isi=lambda u: usulan_perbarui(u, isi=isi, foto=diproses, ditulis=ditulis, hapus_foto=hapus_foto),
        )
    except BaseException:
        # The rows were rolled back; the files written for them must go too.
        berkas_hapus(ditulis)
        raise
