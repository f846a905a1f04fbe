"""The outbox's messages as data: a code and its parameters, worded in the recipient's language.

A Notifikasi row keeps `kode_pesan` + `data_pesan` (plain JSON values: codes, names, links, dates,
never a translated label) next to `subjek`/`isi`, which hold the text in the site's language for the
admin and as a fallback. The worker words each message again, just before sending, in the
recipient's language (Pengguna.bahasa, set by the language switch; the site's language for a bare
contact). Rows without a code (written before codes existed) go out as stored.

Writers: verifikasi.transitions (status news, digests), verifikasi.services (submission
confirmation, desa digest). Reader: verifikasi.notifikasi.kirim_antrean.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from usulan.models import Status

Pesan = tuple[str, dict[str, Any]]  # (kode_pesan, data_pesan)


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


def pembuka_ringkasan() -> str:
    return _("Usulan berikut masuk ke antrean verifikasi Anda:")


def _ringkasan(data: dict[str, Any], isi: str) -> tuple[str, str]:
    # The lines themselves are codes, titles and places (no words of ours); the stored text is the
    # opening sentence, a blank line, then one line per proposal (verifikasi.notifikasi).
    tanggal = datetime.date.fromisoformat(data["tanggal"])
    subjek = _("Ringkasan usulan masuk %(tanggal)s") % {"tanggal": date_format(tanggal, "j F Y")}
    baris = isi.split("\n\n", 1)[1] if "\n\n" in isi else isi
    return subjek, f"{pembuka_ringkasan()}\n\n{baris}"


PENULIS: dict[str, Callable[[dict[str, Any], str], tuple[str, str]]] = {
    "status_usulan": _status_usulan,
    "konfirmasi_usulan": _konfirmasi_usulan,
    "ringkasan": _ringkasan,
}


def tulis(kode: str, data: dict[str, Any], isi_tersimpan: str = "") -> tuple[str, str]:
    """(subject, body) of a message in the active language. `isi_tersimpan`: the row's stored body,
    which a digest's lines are taken from. Raises KeyError for an unknown code."""
    return PENULIS[kode](data, isi_tersimpan)
