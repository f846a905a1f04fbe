"""Writes of the verification flow that are not status changes: ranking, and what a new submission
announces (the confirmation and the desa digest, queued in the submission's transaction)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from musrenbang.selectors import siklus_aktif
from usulan.models import Status, Usulan
from verifikasi import notifikasi
from verifikasi.models import Penugasan, Peran, Saluran
from verifikasi.permissions import usulan_terlihat

if TYPE_CHECKING:
    from musrenbang.models import Pengguna

# What each level ranks: what it passed on (and that is still waiting at the next level).
_DIPERINGKAT: dict[str, tuple[Status, str]] = {
    Peran.DESA: (Status.LOLOS_DESA, "peringkat_desa"),
    Peran.KECAMATAN: (Status.LOLOS_KECAMATAN, "peringkat_kecamatan"),
}


def daftar_untuk_peringkat(pengguna: Pengguna, peran: str) -> QuerySet[Usulan]:
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


def kabari_pengajuan(usulan: Usulan) -> None:
    """Queue what a new submission announces: the confirmation to the proposer's account (e-mail;
    none for a proposal filed on someone's behalf) and one line in the daily digest of each active official of its desa.

    Registered with usulan.kabar in VerifikasiConfig.ready, so usulan.services.usulan_buat calls it
    inside the submission's own transaction: the rows commit with the proposal or not at all, and
    every submission reaches each digest exactly once (the poller this replaces missed submissions
    committed after a run that had already moved its marker past their time). Writes Notifikasi rows.
    """
    tautan = settings.SITUS_URL + reverse("usulan:lacak", args=[usulan.kode_lacak])
    data = {
        "kode": usulan.kode_lacak,
        "judul": usulan.judul,
        "desa": usulan.desa.nama,
        "kecamatan": usulan.kecamatan.nama,
        "tautan": tautan,
    }
    if not usulan.atas_nama:
        # Filed on someone's behalf, the recording account (an operator, a partner app) already has
        # the code on its screen or in the API's answer, and hears nothing more about the proposal.
        notifikasi.antrekan(
            usulan.pengguna, pesan=("konfirmasi_usulan", data), usulan=usulan, saluran=[Saluran.EMAIL.value]
        )
    baris = f"{usulan.kode_lacak} — {usulan.judul} ({usulan.desa.nama})"
    # The operator who recorded it (verifikasi `catat`) knows it already.
    petugas = (
        Penugasan.objects.filter(peran=Peran.DESA, aktif=True, wilayah_id=usulan.desa_id)
        .exclude(pengguna_id=usulan.dicatat_oleh_id)  # type: ignore[misc]  # None (filed by the resident) excludes nobody
        .select_related("pengguna")
    )
    for p in petugas:
        notifikasi.antrekan_ringkasan(p.pengguna, baris=baris, usulan=usulan)
