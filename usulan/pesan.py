"""What a proposal's life announces through the outbox (kabar): the wording of its message codes,
and the messages a new submission queues in its own transaction.

The outbox sits below this app, so usulan queues directly (no listener registry filled from above):
what `pengajuan_kabarkan` writes commits or rolls back with the proposal itself. The wording
functions are registered into kabar.pesan by UsulanConfig.ready, so the outbox words them again in
each recipient's language without importing upwards.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from akun.models import Penugasan, Peran
from kabar import notifikasi
from kabar.models import Saluran
from kabar.pesan import daftarkan_penulis
from usulan.models import Status, Usulan


def _status_usulan(data: dict[str, Any], _isi: str) -> tuple[str, str]:
    status = str(Status(data["status"]).label)
    subjek = _("Usulan %(kode)s: %(status)s") % {"kode": data["kode"], "status": status}
    isi = _("Status usulan “%(judul)s” sekarang: %(status)s.\nLihat alasan dan riwayatnya: %(tautan)s") % {
        "judul": data["judul"],
        "status": status,
        "tautan": data["tautan"],
    }
    return subjek, isi


def _konfirmasi_usulan(data: dict[str, Any], _isi: str) -> tuple[str, str]:
    konteks = {
        "usulan": {
            "judul": data["judul"],
            "kode_lacak": data["kode"],
            "desa": {"nama": data["desa"]},
            "kecamatan": {"nama": data["kecamatan"]},
        },
        "tautan": data["tautan"],
    }
    subjek = _("Usulan %(kode)s diterima sistem") % {"kode": data["kode"]}
    return subjek, render_to_string("usulan/email_konfirmasi.txt", konteks)


def daftarkan_pesan() -> None:
    """Register this app's message codes with the outbox (caller: UsulanConfig.ready)."""
    daftarkan_penulis("status_usulan", _status_usulan)
    daftarkan_penulis("konfirmasi_usulan", _konfirmasi_usulan)


def pengajuan_kabarkan(usulan: Usulan) -> None:
    """Queue what a new submission announces: the confirmation to the proposer's account (e-mail;
    none for a proposal filed on someone's behalf) and one line in the daily digest of each active
    official of its desa.

    Called by usulan.services.usulan_buat inside the submission's own transaction: the rows commit
    with the proposal or not at all, and every submission reaches each digest exactly once (the
    poller this replaced missed submissions committed after a run that had already moved its marker
    past their time). Writes Notifikasi rows.
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
