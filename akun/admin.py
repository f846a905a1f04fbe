"""Admin for accounts: users (with the two-step enrolment code action), their TOTP devices, and
officials' role assignments. The user model is musrenbang's (see akun.models); its admin lives here
because issuing enrolment codes and checking roles is accounts' business."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin  # registers it: replaced below
from django_otp.plugins.otp_totp.models import TOTPDevice

from akun.models import Penugasan
from akun.services import kode_pendaftaran_buat, perangkat_cabut_setelah_peran
from musrenbang.models import Pengguna


@admin.register(Pengguna)
class PenggunaAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]  # UserAdmin sets them (the stubs allow None)
        (_("Kontak warga"), {"fields": ("nama_lengkap", "telepon")}),
    )
    list_display = ("username", "nama_lengkap", "email", "telepon", "is_staff", "is_active")
    search_fields = ("username", "nama_lengkap", "email", "telepon")
    actions = ["buat_kode_dua_langkah"]

    @admin.action(description=_("Buat kode pendaftaran verifikasi dua langkah (sekali pakai)"), permissions=["change"])
    def buat_kode_dua_langkah(self, request: HttpRequest, queryset: QuerySet[Pengguna]) -> HttpResponse | None:
        # The code lets its holder put a phone on the account: only someone who may change users may
        # issue it, and only a superuser for staff and superusers (else a staff user could take over a
        # superuser's second factor). Shown once in this page's body, never through the messages
        # framework (its cookie storage would keep the code in the browser); only a hash is stored.
        if not request.user.is_superuser and queryset.filter(Q(is_staff=True) | Q(is_superuser=True)).exists():
            self.message_user(
                request,
                _("Hanya superuser yang boleh membuat kode pendaftaran untuk staf atau superuser."),
                messages.ERROR,
            )
            return None
        kode = []
        for pengguna in queryset.order_by("username"):
            teks, berlaku_sampai = kode_pendaftaran_buat(pengguna=pengguna, oleh=request.user)  # type: ignore[arg-type]
            kode.append({"pengguna": pengguna, "kode": teks, "berlaku_sampai": timezone.localtime(berlaku_sampai)})
        respons = TemplateResponse(
            request,
            "admin/musrenbang/kode_dua_langkah.html",
            {**self.admin_site.each_context(request), "opts": self.model._meta, "kode": kode},
        )
        patch_cache_control(respons, no_store=True, private=True)
        return respons

    def save_model(self, request: HttpRequest, obj: Pengguna, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if {"is_staff", "is_superuser"} & set(form.changed_data) and perangkat_cabut_setelah_peran(pengguna=obj):
            self.message_user(request, PESAN_PERLU_KODE % {"pengguna": obj.username}, messages.WARNING)


# When a grant makes two-step sign-in required: the account's devices enrolled on a password alone are gone.
PESAN_PERLU_KODE = _(
    "%(pengguna)s kini wajib memakai verifikasi dua langkah: buat kode pendaftaran dengan tindakan "
    "di daftar pengguna dan berikan kepadanya."
)


# django-otp's own admin for TOTP devices lets anyone with the add or change permission create a
# confirmed device with a key of their choosing (or confirm one), which skips the enrolment code.
# Devices are enrolled on the site only; here they are listed and deleted (a lost phone). Its QR
# and config views show the secret: not offered either.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class PerangkatTOTPAdmin(TOTPDeviceAdmin):
    def get_urls(self) -> list[URLPattern]:
        return admin.ModelAdmin.get_urls(self)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        return False


@admin.register(Penugasan)
class PenugasanAdmin(admin.ModelAdmin):
    list_display = ("pengguna", "peran", "wilayah", "perangkat_daerah", "aktif")
    list_filter = ("peran", "aktif")
    search_fields = ("pengguna__username", "pengguna__nama_lengkap", "wilayah__nama", "wilayah__kode")
    raw_id_fields = ("pengguna", "wilayah")
    list_select_related = ("pengguna", "wilayah", "perangkat_daerah")

    def save_model(self, request: HttpRequest, obj: Penugasan, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.aktif and perangkat_cabut_setelah_peran(pengguna=obj.pengguna):
            self.message_user(request, PESAN_PERLU_KODE % {"pengguna": obj.pengguna.username}, messages.WARNING)
