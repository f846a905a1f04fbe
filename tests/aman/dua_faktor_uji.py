"""Helpers for two-factor tests: TOTP codes computed like an authenticator app, signing in by form."""

from __future__ import annotations

import time

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import KATA_SANDI


def kode(perangkat: TOTPDevice, *, langkah: int = 0) -> str:
    """The code an app shows now (langkah=1: the next 30-second step, for a second code in one step:
    a code once accepted is never accepted again)."""
    totp = TOTP(perangkat.bin_key, perangkat.step, perangkat.t0, perangkat.digits, perangkat.drift)
    totp.time = time.time() + langkah * perangkat.step
    return f"{totp.token():0{perangkat.digits}d}"


def perangkat_aktif(pengguna) -> TOTPDevice:
    return TOTPDevice.objects.create(user=pengguna, name="Ponsel", confirmed=True)


def masuk(client, username: str, next_url: str = ""):
    """Sign in with the password through the real form, following the redirects."""
    data = {"username": username, "password": KATA_SANDI}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data, follow=True)
