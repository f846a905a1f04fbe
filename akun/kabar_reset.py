"""Messages the accounts code asks for, queued by an app above this one.

The outbox (kabar.Notifikasi) sits just above the accounts app: it sends to accounts, so accounts
cannot import it. So akun defines this one hook, kabar registers the function that queues at
start-up (KabarConfig.ready), and the password-reset form calls it. (usulan and verifikasi, above
the outbox, queue into it directly.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

PendengarReset = Callable[[str], object]  # what it answers is not used
_PENDENGAR_RESET: list[PendengarReset] = []


def dengarkan_reset_kata_sandi(fungsi: PendengarReset) -> PendengarReset:
    """Register `fungsi(email)` to queue a password-reset message (once, however often ready() runs).
    Caller: KabarConfig.ready."""
    if fungsi not in _PENDENGAR_RESET:
        _PENDENGAR_RESET.append(fungsi)
    return fungsi


def kabarkan_reset_kata_sandi(*, email: str) -> None:
    """Queue a password-reset message for the address as typed (caller: FormLupaKataSandi.save).
    Whether any account has that address is decided by the worker, not here: the request does the
    same work, in the same time, for a registered and an unknown address."""
    if not _PENDENGAR_RESET:
        # A reset request that silently went nowhere would look like a lost e-mail.
        raise ImproperlyConfigured("No outbox is registered for password-reset messages (is kabar installed?).")
    for fungsi in list(_PENDENGAR_RESET):
        fungsi(email)
