"""Admin for reference data (Indonesian first); boundaries are edited on a Leaflet map."""

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
from leaflet.admin import LeafletGeoAdmin

from musrenbang.models import (
    AlasanKode,
    Bidang,
    JadwalTahapan,
    KamusUsulan,
    KunciAPI,
    Pengguna,
    PerangkatDaerah,
    Siklus,
    Wilayah,
)
from musrenbang.services import kode_pendaftaran_buat, peran_wajib_dua_langkah_diberikan

admin.site.site_header = _("Administrasi e-Musrenbang")
admin.site.site_title = _("e-Musrenbang")
admin.site.index_title = _("Data acuan dan pengguna")


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
            # Only staff reach an admin action: request.user is signed in.
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
        if {"is_staff", "is_superuser"} & set(form.changed_data) and peran_wajib_dua_langkah_diberikan(pengguna=obj):
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


@admin.register(Wilayah)
class WilayahAdmin(LeafletGeoAdmin):
    list_display = ("kode", "nama", "tingkat", "induk", "punya_batas")
    list_filter = ("tingkat",)
    search_fields = ("kode", "nama")
    list_select_related = ("induk",)
    raw_id_fields = ("induk",)
    readonly_fields = ("diperbarui",)

    @admin.display(boolean=True, description=_("batas"))
    def punya_batas(self, obj: Wilayah) -> bool:
        return obj.batas is not None

    def get_queryset(self, request):
        # The list does not need the polygons; the change form loads its own object.
        return super().get_queryset(request).defer("batas")


class JadwalTahapanInline(admin.TabularInline):
    model = JadwalTahapan
    extra = 0


@admin.register(Siklus)
class SiklusAdmin(admin.ModelAdmin):
    list_display = ("__str__", "tahun", "kabkota", "aktif")
    list_filter = ("aktif",)
    inlines = [JadwalTahapanInline]
    raw_id_fields = ("kabkota",)


@admin.register(PerangkatDaerah)
class PerangkatDaerahAdmin(admin.ModelAdmin):
    list_display = ("kode", "singkatan", "nama", "aktif")
    search_fields = ("kode", "singkatan", "nama")
    list_filter = ("aktif",)


@admin.register(Bidang)
class BidangAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "induk", "aktif")
    search_fields = ("kode", "nama")
    list_filter = ("aktif",)
    list_select_related = ("induk",)


@admin.register(KamusUsulan)
class KamusUsulanAdmin(admin.ModelAdmin):
    list_display = ("nama", "jenis", "satuan", "harga_satuan", "bidang", "perangkat_daerah", "siklus", "aktif")
    list_filter = ("siklus", "jenis", "aktif", "perangkat_daerah")
    search_fields = ("nama",)
    list_select_related = ("bidang", "perangkat_daerah", "siklus")


@admin.register(AlasanKode)
class AlasanKodeAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "urutan", "aktif")
    list_editable = ("urutan", "aktif")


@admin.register(KunciAPI)
class KunciAPIAdmin(admin.ModelAdmin):
    """Keys are made with `manage.py buat_kunci_api` (the only moment the key is shown); here an
    administrator renames, deactivates or inspects them."""

    list_display = ("nama", "awalan", "pengguna", "aktif", "dibuat", "terakhir_dipakai")
    list_filter = ("aktif",)
    search_fields = ("nama", "awalan", "pengguna__username")
    list_select_related = ("pengguna",)
    fields = ("nama", "awalan", "pengguna", "aktif", "dibuat", "terakhir_dipakai")
    readonly_fields = ("awalan", "pengguna", "dibuat", "terakhir_dipakai")

    def has_add_permission(self, request) -> bool:
        return False
