"""Sign-in with a username, an e-mail address or a phone number, and a password."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from musrenbang.validators import normalisasi_telepon


class EmailAtauTeleponBackend(ModelBackend):
    """Authenticates with whatever the person typed as their identity: e-mail, phone or username."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: object
    ):
        if not username or password is None:
            return None
        identitas = username.strip()
        Pengguna = get_user_model()
        cocok = Q(username__iexact=identitas) | Q(email__iexact=identitas)
        telepon = normalisasi_telepon(identitas)
        if telepon.startswith("+62"):
            cocok |= Q(telepon=telepon)
        pengguna = Pengguna._default_manager.filter(cocok).order_by("pk").first()
        if pengguna is None:
            # Run the hasher anyway so timing does not reveal which identities exist.
            Pengguna().set_password(password)
            return None
        if pengguna.check_password(password) and self.user_can_authenticate(pengguna):
            return pengguna
        return None
