"""Writes of the verification flow beyond a single transition: ranking, a proposer's revision and
resubmission (with its photo files), and what a new submission announces (the confirmation and the
desa digest, queued in the submission's transaction). Reads live in verifikasi.selectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from usulan.models import Usulan
from usulan.services import IsiUsulan, berkas_hapus, foto_proses, usulan_perbarui
from verifikasi import notifikasi, transitions
from verifikasi.models import Penugasan, Peran, Saluran
from verifikasi.permissions import usulan_terlihat
from verifikasi.selectors import DIPERINGKAT


def peringkat_atur(*, pelaku: Any, peran: str, urutan: dict[int, int | None]) -> int:
    """Set the ranks of proposals the official passed on (1 = most urgent; ranks must be unique).

    Only proposals in the official's area and still at the next level can be ranked. All or nothing.
    """
    if peran not in DIPERINGKAT:
        raise ValidationError(_("Peran ini tidak memberi peringkat."))
    nilai = [v for v in urutan.values() if v is not None]
    if any(v < 1 for v in nilai):
        raise ValidationError(_("Peringkat dimulai dari 1."))
    if len(nilai) != len(set(nilai)):
        raise ValidationError(_("Setiap peringkat hanya boleh dipakai sekali."))
    status, kolom = DIPERINGKAT[peran]
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


def pengajuan_kabari(usulan: Usulan) -> None:
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
        .exclude(pengguna_id=usulan.dicatat_oleh_id)
        .select_related("pengguna")
    )
    for p in petugas:
        notifikasi.antrekan_ringkasan(p.pengguna, baris=baris, usulan=usulan)
