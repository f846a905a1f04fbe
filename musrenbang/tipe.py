"""Request types for the type checker: what Django's HttpRequest is behind login_required."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from musrenbang.models import Pengguna


class PermintaanMasuk(HttpRequest):
    """A request from a signed-in account (a view behind login_required, or a helper it calls): its
    user is a Pengguna, never AnonymousUser. Only an annotation; the view still receives Django's
    HttpRequest (healthchecks' AuthenticatedHttpRequest)."""

    user: Pengguna
