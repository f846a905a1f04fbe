"""Sign-in with a username, an e-mail address or a phone number, and a password."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from musrenbang.validators import normalisasi_telepon


def cari_pengguna(identitas: str):
    """The account a typed identity names: its username or e-mail (any letter case) or its phone
    number (any spelling: 0812…, 62812…, +62 812-…); the oldest if several match. None if none.
    The sign-in backend and the per-account limit on failed sign-ins (akun.views) share it."""
    identitas = identitas.strip()
    cocok = Q(username__iexact=identitas) | Q(email__iexact=identitas)
    telepon = normalisasi_telepon(identitas)
    if telepon.startswith("+62"):
        cocok |= Q(telepon=telepon)
    return get_user_model()._default_manager.filter(cocok).order_by("pk").first()


class EmailAtauTeleponBackend(ModelBackend):
    """Authenticates with whatever the person typed as their identity: e-mail, phone or username."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: object
    ):
        if not username or password is None:
            return None
        pengguna = cari_pengguna(username)
        if pengguna is None:
            # Run the hasher anyway so timing does not reveal which identities exist.
            get_user_model()().set_password(password)
            return None
        if pengguna.check_password(password) and self.user_can_authenticate(pengguna):
            return pengguna
        return None
