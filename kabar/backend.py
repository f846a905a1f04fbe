"""Senders for the notification outbox, one per channel, chosen in settings.NOTIFIKASI_BACKEND.

A backend is a class built without arguments with one method, `kirim(notifikasi)`, that delivers the
message to `notifikasi.alamat` or raises. The worker (`kabar.notifikasi.kirim_antrean`) records
the exception and retries later, so a backend never catches its own failures. An SMS or WhatsApp
gateway is added by writing such a class and naming it in NOTIFIKASI_BACKEND_SMS/_WHATSAPP.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from django.core.mail import send_mail

if TYPE_CHECKING:
    from kabar.models import Notifikasi

logger = logging.getLogger(__name__)


class BackendNotifikasi(Protocol):
    def kirim(self, notifikasi: Notifikasi) -> None:
        """Deliver one message; raise on any failure (the worker retries)."""


class EmailBackend:
    """E-mail through Django's mail framework, so settings.EMAIL_BACKEND and EMAIL_* apply."""

    def kirim(self, notifikasi: Notifikasi) -> None:
        send_mail(
            subject=notifikasi.subjek,
            message=notifikasi.isi,
            from_email=None,
            recipient_list=[notifikasi.alamat],
            fail_silently=False,
        )


class LogBackend:
    """Writes the message to the log instead of sending it: the default for SMS and WhatsApp until a
    gateway is configured (development, or a deployment that only sends e-mail)."""

    def kirim(self, notifikasi: Notifikasi) -> None:
        logger.info(
            "%s to %s (notifikasi %s): %s\n%s",
            notifikasi.saluran,
            notifikasi.alamat,
            notifikasi.pk,
            notifikasi.subjek,
            notifikasi.isi,
        )
