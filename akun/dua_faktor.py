"""Two-factor sign-in with a TOTP app (django-otp): enrolment, the code step after the password,
and switching it off where it is optional.

Who must use it (Bappeda, admin, staff) and what an official who still owes a code may open is
decided in akun.middleware.KeamananPetugasMiddleware; these views only do the steps.
The secret is shown as a QR code drawn on the server (inline SVG, no script) and as text.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.plugins.otp_totp.models import TOTPDevice

from akun.middleware import dua_faktor_wajib, status_keamanan
from akun.services import kode_pendaftaran_pakai, perangkat_konfirmasi
from musrenbang import batas_laju
from musrenbang.tipe import PermintaanMasuk


class FormKode(forms.Form):
    kode = forms.CharField(
        label=gettext_lazy("Kode dari aplikasi autentikator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "size": 8}
        ),
        help_text=gettext_lazy("Enam angka yang tampil di aplikasi, berganti tiap 30 detik."),
    )

    def clean_kode(self) -> str:
        # Apps show the code as "123 456"; people copy it with the space.
        kode = "".join(self.cleaned_data["kode"].split())
        if not (kode.isascii() and kode.isdigit() and len(kode) == 6):
            raise forms.ValidationError(_("Kode terdiri dari 6 angka."))
        return kode


def _tujuan(request: HttpRequest) -> str:
    """The safe `next` address (same site only), or the home page."""
    tujuan = request.POST.get("next") or request.GET.get("next")
    if tujuan and url_has_allowed_host_and_scheme(
        tujuan, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return tujuan
    return reverse("beranda")


def _perangkat(pengguna: object) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=pengguna, confirmed=True).order_by("pk").first()


def _tunggu_detik(perangkat: TOTPDevice) -> int | None:
    """Seconds until the device accepts another code after wrong ones (django-otp doubles the wait
    after each failure), or None when a code may be tried now."""
    boleh, info = perangkat.verify_is_allowed()
    if boleh or not info or info.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return None
    sisa = (info["locked_until"] - timezone.now()).total_seconds()
    return max(1, round(sisa + 0.5))


def _qr_svg(perangkat: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (attributes only, no style: CSP allows it)."""
    qr = segno.make(perangkat.config_url, error="m")
    # No width/height, only a viewBox: the code fills the card on any screen width.
    return qr.svg_inline(border=2, omitsize=True, title=_("Kode QR untuk aplikasi autentikator"), svgclass="qr-kode")


def _rahasia_teks(perangkat: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app without a camera."""
    teks = b32encode(perangkat.bin_key).decode().rstrip("=")
    return " ".join(teks[i : i + 4] for i in range(0, len(teks), 4))


def _naikkan_sesi(request: PermintaanMasuk, perangkat: TOTPDevice) -> None:
    """Mark the session as verified by `perangkat`, under a new session key (the session just
    gained rights, so a key seen before this point must not carry them)."""
    otp_login(request, perangkat)
    request.session.cycle_key()
    status_keamanan(request.user, segarkan=True)


@login_required
def status(request: PermintaanMasuk) -> HttpResponse:
    """The account's two-factor page: on or off, and why it cannot be switched off when required."""
    data = status_keamanan(request.user)
    perangkat = _perangkat(request.user)
    return render(
        request,
        "akun/dua_faktor_status.html",
        {
            "perangkat": perangkat,
            "wajib": dua_faktor_wajib(request.user, data),
            "terverifikasi": request.user.is_verified(),
        },
    )


@login_required
@sensitive_post_parameters("kode", "kode_pendaftaran")
def daftar(request: PermintaanMasuk) -> HttpResponse:
    """Enrol an authenticator app: show the QR code and the secret, confirm with a first code.

    The unconfirmed device keeps its secret across reloads and wrong codes. A user who already has
    a device may replace it only from a session verified with it (otherwise a stolen password would
    be enough to move the second factor); the old device goes when the new one is confirmed. A user
    whose role requires two-step sign-in and who has no device (the first time, or after an
    administrator removed a lost one) first types an administrator's one-time enrolment code
    (_minta_kode_pendaftaran), and the secret is made for that session only.
    """
    pengguna = request.user
    lama = _perangkat(pengguna)
    if lama is not None and not pengguna.is_verified():
        return HttpResponseRedirect(f"{reverse('dua_faktor_verifikasi')}?{urlencode({'next': _tujuan(request)})}")
    # A fresh read, not the status cached for up to CEK_ULANG_DETIK: right after a grant of a role that
    # requires two-step sign-in the cache still says "optional", and a secret made now would need no code.
    wajib = dua_faktor_wajib(pengguna, status_keamanan(request.user, segarkan=True))
    if wajib and lama is None:
        # The first enrolment of a role that requires it (or again after a lost phone) needs an
        # administrator's one-time code, and the secret is made only after it, for this session:
        # a password alone must not be enough to put one's own phone on the account.
        calon = TOTPDevice.objects.filter(
            pk=request.session.get(SESI_CALON_BERKODE), user=pengguna, confirmed=False
        ).first()
        if calon is None:
            return _minta_kode_pendaftaran(request)
    else:
        calon = TOTPDevice.objects.filter(user=pengguna, confirmed=False).order_by("pk").first()
        if calon is None:
            calon = TOTPDevice.objects.create(user=pengguna, name=_("Aplikasi autentikator"), confirmed=False)
    form = FormKode(request.POST or None)
    status_http = 200
    if request.method == "POST" and form.is_valid():
        tunggu = _tunggu_detik(calon)
        if tunggu is not None:
            form.add_error("kode", _("Terlalu banyak kode salah. Coba lagi dalam %(detik)s detik.") % {"detik": tunggu})
            status_http = 429
        elif verify_token(pengguna, calon.persistent_id, form.cleaned_data["kode"]):
            perangkat_konfirmasi(pengguna=pengguna, calon=calon)
            calon.refresh_from_db()
            request.session.pop(SESI_CALON_BERKODE, None)
            _naikkan_sesi(request, calon)
            messages.success(request, _("Verifikasi dua langkah aktif. Simpan aplikasi autentikator Anda baik-baik."))
            return redirect(_tujuan(request))
        else:
            form.add_error("kode", _("Kode salah atau sudah kedaluwarsa. Periksa jam ponsel Anda, lalu coba lagi."))
    return render(
        request,
        "akun/dua_faktor_daftar.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(calon)),  # noqa: S308 (segno's SVG of our own otpauth:// address)
            "rahasia": _rahasia_teks(calon),
            "penerbit": settings.OTP_TOTP_ISSUER,
            "ganti": lama is not None,
            "wajib": wajib,
            "next": request.POST.get("next") or request.GET.get("next") or "",
        },
        status=status_http,
    )


# The unconfirmed device made for this session once its enrolment code was accepted.
SESI_CALON_BERKODE = "dua_faktor_calon_berkode"


class FormKodePendaftaran(forms.Form):
    kode_pendaftaran = forms.CharField(
        label=gettext_lazy("Kode pendaftaran dari administrator"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}),
        help_text=gettext_lazy("Sekali pakai, mis. ABCD-EFGH-JKMN-PQRS. Minta kepada administrator e-Musrenbang."),
    )


def _minta_kode_pendaftaran(request: PermintaanMasuk) -> HttpResponse:
    """Step one of a required enrolment: the administrator's one-time code. Accepted, it is spent
    and a fresh secret is made for this session (step two, the QR code, follows on `daftar`)."""
    pengguna = request.user
    form = FormKodePendaftaran(request.POST or None)
    status_http = 200
    if request.method == "POST" and form.is_valid():
        kunci = f"dua-langkah-kode:{pengguna.pk}"
        if not batas_laju.hitung(kunci, batas=settings.BATAS_KODE_PENDAFTARAN_PER_JAM):
            form.add_error("kode_pendaftaran", _("Terlalu banyak kode pendaftaran salah. Coba lagi dalam satu jam."))
            status_http = 429
        elif calon := kode_pendaftaran_pakai(pengguna=pengguna, kode=form.cleaned_data["kode_pendaftaran"]):
            batas_laju.kembalikan(kunci)
            request.session[SESI_CALON_BERKODE] = calon.pk
            tujuan = request.POST.get("next") or ""
            return HttpResponseRedirect(
                reverse("dua_faktor_daftar") + (f"?{urlencode({'next': tujuan})}" if tujuan else "")
            )
        else:
            form.add_error(
                "kode_pendaftaran",
                _("Kode pendaftaran salah, sudah dipakai, atau kedaluwarsa. Minta kode baru kepada administrator."),
            )
    return render(
        request,
        "akun/dua_faktor_kode_pendaftaran.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next") or ""},
        status=status_http,
    )


@login_required
@sensitive_post_parameters("kode")
def verifikasi(request: PermintaanMasuk) -> HttpResponse:
    """The code step after the password. Wrong codes make the device wait longer each time."""
    pengguna = request.user
    if pengguna.is_verified():
        return redirect(_tujuan(request))
    perangkat = _perangkat(pengguna)
    if perangkat is None:
        # Removed meanwhile (an administrator resets a lost phone this way): enrol again if required.
        data = status_keamanan(request.user, segarkan=True)
        if dua_faktor_wajib(pengguna, data):
            return HttpResponseRedirect(f"{reverse('dua_faktor_daftar')}?{urlencode({'next': _tujuan(request)})}")
        return redirect(_tujuan(request))
    form = FormKode(request.POST or None)
    status_http = 200
    if request.method == "POST" and form.is_valid():
        tunggu = _tunggu_detik(perangkat)
        if tunggu is not None:
            form.add_error("kode", _("Terlalu banyak kode salah. Coba lagi dalam %(detik)s detik.") % {"detik": tunggu})
            status_http = 429
        elif verify_token(pengguna, perangkat.persistent_id, form.cleaned_data["kode"]):
            _naikkan_sesi(request, perangkat)
            return redirect(_tujuan(request))
        else:
            form.add_error("kode", _("Kode salah atau sudah kedaluwarsa. Periksa jam ponsel Anda, lalu coba lagi."))
    return render(
        request,
        "akun/dua_faktor_verifikasi.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next") or ""},
        status=status_http,
    )


@login_required
@require_POST
def matikan(request: PermintaanMasuk) -> HttpResponse:
    """Switch two-factor sign-in off, where it is optional, from a session verified with it."""
    pengguna = request.user
    if dua_faktor_wajib(pengguna, status_keamanan(request.user)):
        messages.error(request, _("Verifikasi dua langkah wajib untuk peran Anda dan tidak bisa dimatikan."))
        return redirect("dua_faktor")
    if _perangkat(pengguna) is not None and not pengguna.is_verified():
        return HttpResponseRedirect(f"{reverse('dua_faktor_verifikasi')}?{urlencode({'next': reverse('dua_faktor')})}")
    TOTPDevice.objects.filter(user=pengguna).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    status_keamanan(request.user, segarkan=True)
    messages.success(request, _("Verifikasi dua langkah sudah dimatikan."))
    return redirect("dua_faktor")


def masuk_admin(request: HttpRequest) -> HttpResponse:
    """The admin's own sign-in form would bypass the limits on failed sign-ins and the code step:
    send it to the site's sign-in page, keeping where the person was going."""
    tujuan = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': tujuan})}")
