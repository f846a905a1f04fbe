"""The outbox's messages as data: a code and its parameters, worded in the recipient's language.

A Notifikasi row keeps `kode_pesan` + `data_pesan` (plain JSON values: codes, names, links, dates,
never a translated label) next to `subjek`/`isi`, which hold the text in the site's language for the
admin and as a fallback. The worker words each message again, just before sending, in the
recipient's language (Pengguna.bahasa, set by the language switch; the site's language for a bare
contact). Rows without a code (written before codes existed) go out as stored.

Writers: verifikasi.transitions (status news, digests), usulan.pesan (submission confirmation,
desa digest), kabar.notifikasi.antrekan_reset_kata_sandi (password reset).
Reader: kabar.notifikasi.kirim_antrean. Wording of codes that belong to the apps above is registered
by them (PENULIS, daftarkan_penulis).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

Pesan = tuple[str, dict[str, Any]]  # (kode_pesan, data_pesan)


def pembuka_ringkasan() -> str:
    return _("Usulan berikut masuk ke antrean verifikasi Anda:")


def _ringkasan(data: dict[str, Any], isi: str) -> tuple[str, str]:
    # The lines themselves are codes, titles and places (no words of ours); the stored text is the
    # opening sentence, a blank line, then one line per proposal (kabar.notifikasi).
    tanggal = datetime.date.fromisoformat(data["tanggal"])
    subjek = _("Ringkasan usulan masuk %(tanggal)s") % {"tanggal": date_format(tanggal, "j F Y")}
    baris = isi.split("\n\n", 1)[1] if "\n\n" in isi else isi
    return subjek, f"{pembuka_ringkasan()}\n\n{baris}"


class PesanBatal(Exception):
    """The message has no one to go to, or is too old to mean anything: the worker deletes its row."""


def reset_kata_sandi(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(address, subject, body) of each password-reset e-mail a reset request asks for: one per
    account Django's own rule picks (active, a usable password, the address in any letter case), to
    the address stored on the account (never the typed one: a look-alike that folds to the same
    letters must not receive another person's link), worded in that account's language.

    The link is a credential: it is made here, while sending, and lives only in the message (never in
    the row; see kabar.notifikasi.antrekan_reset_kata_sandi). Raises PesanBatal when no account
    has the address or the request is older than a link's validity. Caller: kirim_antrean."""
    from django.conf import settings
    from django.contrib.auth.forms import PasswordResetForm
    from django.contrib.auth.tokens import default_token_generator
    from django.utils import timezone, translation
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    diminta = datetime.datetime.fromisoformat(data["diminta"])
    if timezone.now() - diminta > datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT):
        raise PesanBatal("the request is older than a reset link's validity")
    pengguna = list(PasswordResetForm().get_users(data["email"]))
    if not pengguna:
        raise PesanBatal("no account has this address")
    protokol, domain = settings.SITUS_URL.split("://", 1)
    hasil = []
    for orang in pengguna:
        with translation.override(orang.bahasa or translation.get_language()):
            konteks = {
                "email": orang.email,
                "domain": domain,
                "site_name": domain,
                "protocol": protokol,
                "uid": urlsafe_base64_encode(force_bytes(orang.pk)),
                "user": orang,
                "token": default_token_generator.make_token(orang),
                "berlaku_jam": settings.PASSWORD_RESET_TIMEOUT // 3600,
            }
            subjek = "".join(render_to_string("registration/password_reset_subject.txt", konteks).splitlines())
            teks = render_to_string("registration/password_reset_email.txt", konteks)
            hasil.append((orang.email, subjek, teks))
    # get_users() found these accounts by their address: email is set.
    return hasil  # type: ignore[return-value]


Penulis = Callable[[dict[str, Any], str], tuple[str, str]]
# Message code → wording function. The outbox's own codes are here; the apps above register theirs
# (usulan: status news and the submission confirmation) in their AppConfig.ready through
# `daftarkan_penulis`, so this module never imports upwards.
PENULIS: dict[str, Penulis] = {
    "ringkasan": _ringkasan,
}


def daftarkan_penulis(kode: str, fungsi: Penulis) -> None:
    """Register the wording of message `kode` (idempotent: ready() may run more than once). A second,
    different function for a code already taken is a programming error and raises."""
    ada = PENULIS.get(kode)
    if ada is not None and ada is not fungsi:
        raise ValueError(f"message code {kode!r} already has a wording function ({ada.__module__}.{ada.__name__})")
    PENULIS[kode] = fungsi


def tulis(kode: str, data: dict[str, Any], isi_tersimpan: str = "") -> tuple[str, str]:
    """(subject, body) of a message in the active language. `isi_tersimpan`: the row's stored body,
    which a digest's lines are taken from. Raises KeyError for an unknown code."""
    return PENULIS[kode](data, isi_tersimpan)
