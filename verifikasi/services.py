"""Writes of the verification flow that are not status changes: ranking."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from musrenbang.selectors import siklus_aktif
from usulan.models import Status, Usulan
from verifikasi.models import Peran
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


def ringkas_pengajuan_baru(*, pada: Any = None) -> int:
    """Put proposals submitted since the last run into the digests of their desa's officials.

    Submissions are written by the usulan app, which cannot depend on verifikasi; the worker
    (`kirim_notifikasi`) calls this on every round instead. A marker row, locked for the run, makes
    every submission land in exactly one digest even with several workers. Returns the lines queued.
    """
    from django.utils import timezone

    from usulan.models import Aksi, RiwayatStatus
    from verifikasi.models import PenandaRingkasan, Penugasan
    from verifikasi.notifikasi import antrekan_ringkasan

    sekarang = pada or timezone.now()
    jumlah = 0
    with transaction.atomic():
        PenandaRingkasan.objects.get_or_create(nama="pengajuan", defaults={"sampai": sekarang})
        penanda = PenandaRingkasan.objects.select_for_update().get(nama="pengajuan")
        baru = (
            RiwayatStatus.objects.filter(aksi=Aksi.AJUKAN, waktu__gt=penanda.sampai, waktu__lte=sekarang)
            .select_related("usulan__desa")
            .order_by("waktu", "pk")
        )
        per_desa: dict[int, list[str]] = {}
        for r in baru:
            u = r.usulan
            per_desa.setdefault(u.desa_id, []).append(f"{u.kode_lacak} — {u.judul} ({u.desa.nama})")
        petugas = Penugasan.objects.filter(peran=Peran.DESA, aktif=True, wilayah_id__in=per_desa).select_related(
            "pengguna"
        )
        for p in petugas:
            for baris in per_desa[p.wilayah_id]:
                antrekan_ringkasan(p.pengguna, baris=baris, pada=sekarang)
                jumlah += 1
        penanda.sampai = sekarang
        penanda.save(update_fields=["sampai"])
    return jumlah
