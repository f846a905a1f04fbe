"""Reads about accounts (no writes: those are in akun.services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from musrenbang.models import Pengguna

PESAN_EMAIL_TERDAFTAR = gettext_lazy(
    "Alamat e-mail ini sudah terdaftar. Silakan masuk; bila lupa kata sandi, pakai tautan “Lupa kata sandi?”."
)
PESAN_TELEPON_TERDAFTAR = gettext_lazy(
    "Nomor telepon ini sudah terdaftar. Silakan masuk; bila lupa kata sandi, hubungi operator desa/kelurahan Anda."
)


def pengguna_galat_terdaftar(*, email: str | None, telepon: str | None) -> dict[str, ValidationError]:
    """Per field, an error for an e-mail (in any letter case) or phone number another account uses.

    The message says only that the identity is taken: nothing about the account that holds it.
    """
    galat: dict[str, ValidationError] = {}
    if email and Pengguna._default_manager.filter(email__iexact=email).exists():
        galat["email"] = ValidationError(PESAN_EMAIL_TERDAFTAR, code="terdaftar")
    if telepon and Pengguna._default_manager.filter(telepon=telepon).exists():
        galat["telepon"] = ValidationError(PESAN_TELEPON_TERDAFTAR, code="terdaftar")
    return galat
