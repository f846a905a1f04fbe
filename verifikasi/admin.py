from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from musrenbang.admin import PESAN_PERLU_KODE
from musrenbang.services import perangkat_cabut_setelah_peran
from verifikasi.models import KeputusanBappeda, Notifikasi, Pagu, Penugasan, RekomendasiOPD


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


@admin.register(Notifikasi)
class NotifikasiAdmin(admin.ModelAdmin):
    """The outbox, read-only: staff see what was sent, what waits for a retry and why it failed."""

    list_display = ("dibuat", "penerima", "saluran", "alamat", "subjek", "status", "percobaan", "kirim_setelah")
    list_filter = ("status", "saluran", "dibuat")
    search_fields = ("alamat", "subjek", "penerima__username", "penerima__nama_lengkap", "usulan__kode_lacak")
    list_select_related = ("penerima",)
    date_hierarchy = "dibuat"
    readonly_fields = [f.name for f in Notifikasi._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notifikasi | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notifikasi | None = None) -> bool:
        return False


@admin.register(Pagu)
class PaguAdmin(admin.ModelAdmin):
    list_display = ("wilayah", "siklus", "jumlah", "blokir")
    list_filter = ("siklus", "blokir")
    search_fields = ("wilayah__nama", "wilayah__kode")
    raw_id_fields = ("wilayah",)
    list_select_related = ("wilayah", "siklus")


class HanyaBaca(admin.ModelAdmin):
    """Written only by the verification flow: the admin may look, never change."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RekomendasiOPD)
class RekomendasiOPDAdmin(HanyaBaca):
    list_display = ("usulan", "perangkat_daerah", "status", "layak", "direkomendasikan_pada")
    list_filter = ("status", "perangkat_daerah")
    list_select_related = ("usulan", "perangkat_daerah")


@admin.register(KeputusanBappeda)
class KeputusanBappedaAdmin(HanyaBaca):
    list_display = ("usulan", "hasil", "perangkat_daerah", "biaya", "diputuskan_pada", "diterbitkan_pada")
    list_filter = ("hasil",)
    list_select_related = ("usulan", "perangkat_daerah")
