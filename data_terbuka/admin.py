"""Admin for the Open311 API keys."""

from django.contrib import admin

from data_terbuka.models import KunciAPI


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
