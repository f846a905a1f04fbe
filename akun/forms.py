"""Account forms: sign-in with one identity field, resident sign-up, and the password forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SetPasswordMixin,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from akun import kabar_reset
from akun.selectors import pengguna_galat_terdaftar
from musrenbang.models import Pengguna
from musrenbang.validators import normalisasi_telepon, validasi_telepon


class TelInput(forms.TextInput):
    """A phone-number box: the phone shows its number pad."""

    input_type = "tel"


class FormMasuk(AuthenticationForm):
    username = forms.CharField(
        label=_("E-mail, nomor telepon, atau nama pengguna"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("Identitas atau kata sandi salah. Periksa lagi, huruf besar dan kecil dibedakan."),
        "inactive": _("Akun ini tidak aktif."),
    }


class FormDaftar(SetPasswordMixin, forms.Form):
    """Resident sign-up: a name, an e-mail address and/or a phone number, and a password."""

    nama_lengkap = forms.CharField(
        label=_("Nama lengkap"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words"}),
    )
    email = forms.EmailField(
        label=_("Alamat e-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none"}),
    )
    telepon = forms.CharField(
        label=_("Nomor telepon (HP)"),
        # Room for spaces and dashes as people type them; stored as +62… (at most 16 characters).
        max_length=20,
        required=False,
        widget=TelInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Mis. 081234567890."),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Kata sandi"), label2=_("Ulangi kata sandi")
    )

    def clean_email(self) -> str | None:
        return BaseUserManager.normalize_email(self.cleaned_data["email"]) or None

    def clean_telepon(self) -> str | None:
        telepon = normalisasi_telepon(self.cleaned_data["telepon"])
        if not telepon:
            return None
        validasi_telepon(telepon)
        return telepon

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # clean() returns cleaned_data: never None
        email, telepon = data.get("email"), data.get("telepon")
        if not email and not telepon and not self.has_error("email") and not self.has_error("telepon"):
            kosong = ValidationError(_("Isi alamat e-mail atau nomor telepon (salah satu cukup)."), code="kosong")
            self.add_error("email", kosong)
            self.add_error("telepon", kosong)
        for nama, galat in pengguna_galat_terdaftar(email=email, telepon=telepon).items():
            self.add_error(nama, galat)
        self.validate_passwords()
        self.validate_password_for_user(
            Pengguna(email=email, telepon=telepon, nama_lengkap=data.get("nama_lengkap", ""))
        )
        return data

    def menyebut_identitas_terdaftar(self) -> bool:
        """Did validation tell the visitor that an e-mail or phone number is registered?"""
        return self.has_error("email", "terdaftar") or self.has_error("telepon", "terdaftar")


class FormLupaKataSandi(PasswordResetForm):
    email = forms.EmailField(
        label=_("Alamat e-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "autofocus": True}),
    )

    def save(self, **_opsi: Any) -> None:  # type: ignore[override]
        """Queue the reset e-mail in the outbox (akun.kabar_reset) instead of Django's lookup and
        send during the request: no mail lost when the server is down, and no answer, delay or query
        that differs between a registered and an unknown address. The worker finds the accounts and
        makes the link when it sends (kabar.pesan)."""
        kabar_reset.kabarkan_reset_kata_sandi(email=self.cleaned_data["email"])


class FormKataSandiBaru(SetPasswordForm):
    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1=_("Kata sandi baru"), label2=_("Ulangi kata sandi baru")
    )


class FormGantiKataSandi(PasswordChangeForm):
    old_password = forms.CharField(
        label=_("Kata sandi lama"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1=_("Kata sandi baru"), label2=_("Ulangi kata sandi baru")
    )
