from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from kabar.models import Notifikasi


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
