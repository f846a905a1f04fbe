"""Resident accounts: sign-up, sign-in with limits on failures, password reset by e-mail and change.

Every public form here is rate-limited with `musrenbang.batas_laju`; an attempt over a limit gets
HTTP 429 with a page that says so, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.i18n import set_language

from akun.auth import cari_pengguna
from akun.forms import FormDaftar, FormGantiKataSandi, FormKataSandiBaru, FormLupaKataSandi, FormMasuk
from akun.services import pengguna_daftar
from musrenbang import batas_laju
from musrenbang.validators import POLA_TELEPON, normalisasi_telepon

JAM = 3600


def _terlalu_sering(request: HttpRequest, pesan: str, *, jendela_detik: int = JAM) -> HttpResponse:
    respons = render(request, "akun/terlalu_sering.html", {"pesan": pesan}, status=429)
    respons["Retry-After"] = str(batas_laju.sisa_detik(jendela_detik))
    return respons


def _tujuan_aman(request: HttpRequest) -> str | None:
    """The `next` address from the form or the query string, if it stays on this site."""
    tujuan = request.POST.get("next") or request.GET.get("next")
    if tujuan and url_has_allowed_host_and_scheme(
        tujuan, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return tujuan
    return None


# --- Sign-up ------------------------------------------------------------------------------------
@sensitive_post_parameters("password1", "password2")
def daftar(request: HttpRequest) -> HttpResponse:
    """Sign-up page for residents: creates the account, signs the person in, goes to a safe `next`.

    Per address, at most settings.BATAS_DAFTAR_PER_JAM_IP submissions an hour count: those that
    create an account and those that reveal an e-mail or phone number is registered. Submissions
    that only had a typo give their slot back, so a resident is not locked out by their mistakes.
    """
    tujuan = _tujuan_aman(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(tujuan) if tujuan else redirect("beranda")
    if request.method != "POST":
        return render(request, "akun/daftar.html", {"form": FormDaftar(), "next": tujuan or ""})

    kunci = batas_laju.kunci_ip(request, "daftar")
    if not batas_laju.hitung(kunci, batas=settings.BATAS_DAFTAR_PER_JAM_IP, jendela_detik=JAM):
        return _terlalu_sering(
            request,
            _(
                "Terlalu banyak pendaftaran dari jaringan Anda. Coba lagi nanti (paling lama satu jam), "
                "atau minta bantuan operator desa/kelurahan Anda."
            ),
        )
    form = FormDaftar(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            pengguna = pengguna_daftar(
                nama_lengkap=data["nama_lengkap"],
                email=data["email"],
                telepon=data["telepon"],
                kata_sandi=data["password1"],
            )
        except ValidationError as galat:
            form.add_error(None, galat)
        else:
            login(request, pengguna)
            messages.success(request, _("Akun Anda sudah dibuat. Selamat datang, %(nama)s!") % {"nama": pengguna})
            return HttpResponseRedirect(tujuan) if tujuan else redirect("beranda")
    if not form.menyebut_identitas_terdaftar():
        batas_laju.kembalikan(kunci, jendela_detik=JAM)
    return render(request, "akun/daftar.html", {"form": form, "next": tujuan or ""})


# --- Sign-in ------------------------------------------------------------------------------------
def identitas_baku(teks: str) -> str:
    """The typed identity as the sign-in backend matches it, so that its spellings share one limit:
    0812-…, 62812… and +62812… are one phone number; e-mail and username ignore letter case."""
    teks = teks.strip()
    telepon = normalisasi_telepon(teks)
    return telepon if POLA_TELEPON.match(telepon) else teks.lower()


class MasukView(auth_views.LoginView):
    """Django's sign-in page, refusing further attempts after too many failed ones.

    Failures are limited per account (settings.BATAS_MASUK_GAGAL_PER_IDENTITAS), whichever of its
    identities is typed (username, e-mail, any spelling of the phone number: one budget, not one
    each), and per address (settings.BATAS_MASUK_GAGAL_PER_IP) within
    settings.BATAS_MASUK_JENDELA_MENIT. An identity that names no account is limited as typed
    (normalised), so both cases answer alike. Each attempt takes a slot before the password is
    checked and gives it back when it succeeds, so parallel guesses cannot overshoot the limit and
    successful sign-ins do not count.
    """

    authentication_form = FormMasuk

    def _kunci(self, identitas: str) -> list[tuple[str, int]]:
        akun = cari_pengguna(identitas)
        if akun is not None:
            kunci = batas_laju.kunci_identitas(str(akun.pk), "masuk:akun")
        else:
            kunci = batas_laju.kunci_identitas(identitas_baku(identitas), "masuk")
        return [
            (kunci, settings.BATAS_MASUK_GAGAL_PER_IDENTITAS),
            (batas_laju.kunci_ip(self.request, "masuk"), settings.BATAS_MASUK_GAGAL_PER_IP),
        ]

    def _kembalikan(self) -> None:
        for kunci, _batas in self.kunci_batas:
            batas_laju.kembalikan(kunci, jendela_detik=self.jendela_detik)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        identitas = request.POST.get("username", "")
        self.kunci_batas: list[tuple[str, int]] = []
        self.jendela_detik = settings.BATAS_MASUK_JENDELA_MENIT * 60
        if not identitas.strip() or not request.POST.get("password"):
            # No password will be checked; the form only reports the empty field.
            return super().post(request, *args, **kwargs)
        self.kunci_batas = self._kunci(identitas)
        dalam_batas = [
            batas_laju.hitung(kunci, batas=batas, jendela_detik=self.jendela_detik) for kunci, batas in self.kunci_batas
        ]
        if not all(dalam_batas):
            # A refused attempt checks no password, so it is no failure either.
            self._kembalikan()
            return self._terlalu_banyak(identitas)
        return super().post(request, *args, **kwargs)

    # form_class is FormMasuk, a subclass of the AuthenticationForm the parent names.
    def form_valid(self, form: FormMasuk) -> HttpResponse:  # type: ignore[override]
        self._kembalikan()
        return super().form_valid(form)

    def _terlalu_banyak(self, identitas: str) -> TemplateResponse:
        konteks = self.get_context_data(
            form=FormMasuk(self.request, initial={"username": identitas[:254]}),
            galat_batas=_(
                "Terlalu banyak percobaan masuk yang gagal. Tunggu paling lama %(menit)s menit, lalu coba lagi."
            )
            % {"menit": settings.BATAS_MASUK_JENDELA_MENIT},
        )
        respons = self.render_to_response(konteks, status=429)
        respons["Retry-After"] = str(batas_laju.sisa_detik(self.jendela_detik))
        return respons  # type: ignore[return-value]  # render_to_response() gives a TemplateResponse


masuk = MasukView.as_view()


# --- Password reset by e-mail and password change -----------------------------------------------
_lupa_kata_sandi = auth_views.PasswordResetView.as_view(
    form_class=FormLupaKataSandi,
    email_template_name="registration/password_reset_email.txt",
    extra_email_context={"berlaku_jam": settings.PASSWORD_RESET_TIMEOUT // JAM},
)


def lupa_kata_sandi(request: HttpRequest) -> HttpResponse:
    """Ask for a password-reset link by e-mail (Django's view: the same answer whether or not the
    address is registered). At most settings.BATAS_RESET_PER_JAM_IP requests per address an hour."""
    if request.method == "POST" and not batas_laju.hitung(
        batas_laju.kunci_ip(request, "reset"), batas=settings.BATAS_RESET_PER_JAM_IP, jendela_detik=JAM
    ):
        return _terlalu_sering(
            request,
            _(
                "Terlalu banyak permintaan atur ulang kata sandi dari jaringan Anda. "
                "Coba lagi nanti (paling lama satu jam)."
            ),
        )
    return _lupa_kata_sandi(request)  # type: ignore[return-value]  # a TemplateResponse or a redirect


lupa_kata_sandi_terkirim = auth_views.PasswordResetDoneView.as_view()
atur_ulang_kata_sandi = auth_views.PasswordResetConfirmView.as_view(form_class=FormKataSandiBaru)
atur_ulang_kata_sandi_selesai = auth_views.PasswordResetCompleteView.as_view()
ganti_kata_sandi = auth_views.PasswordChangeView.as_view(
    form_class=FormGantiKataSandi, template_name="akun/kata_sandi_ganti.html"
)
ganti_kata_sandi_selesai = auth_views.PasswordChangeDoneView.as_view(template_name="akun/kata_sandi_ganti_selesai.html")


# --- Language ------------------------------------------------------------------------------------
def pilih_bahasa(request: HttpRequest) -> HttpResponse:
    """Django's language switch (a cookie); a signed-in person's choice is also kept on the account,
    since the messages the outbox sends them are worded in it (kabar.pesan)."""
    respons = set_language(request)
    bahasa = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and bahasa in dict(settings.LANGUAGES) and request.user.bahasa != bahasa:
        get_user_model().objects.filter(pk=request.user.pk).update(bahasa=bahasa)
    return respons
