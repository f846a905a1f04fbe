from __future__ import annotations

from django.contrib import admin

from verifikasi.models import KeputusanBappeda, Pagu, RekomendasiOPD


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
