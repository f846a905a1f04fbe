"""Validators for reference data and accounts."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# PP, PP.KK, PP.KK.CC or PP.KK.CC.DDDD (Kemendagri).
POLA_KODE_WILAYAH = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
POLA_TELEPON = re.compile(r"^\+62\d{8,13}$")


def validasi_kode_wilayah(value: str) -> None:
    if not POLA_KODE_WILAYAH.match(value or ""):
        raise ValidationError(
            _("Kode wilayah %(kode)s tidak sesuai format Kemendagri (PP.KK.CC.DDDD)."),
            code="kode_wilayah",
            params={"kode": value},
        )


def normalisasi_telepon(value: str) -> str:
    """Turn 0812-3456-7890, 62812…, +62 812… into +62812…; other input is returned stripped."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+"):
        return digits
    if digits.startswith("62"):
        return "+" + digits
    if digits.startswith("0"):
        return "+62" + digits[1:]
    return digits


def validasi_telepon(value: str) -> None:
    if not POLA_TELEPON.match(value or ""):
        raise ValidationError(
            _("Nomor telepon tidak valid. Tulis seperti 081234567890 atau +6281234567890."),
            code="telepon",
        )
