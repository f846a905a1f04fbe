"""Admin for reference data (Indonesian first); boundaries are edited on a Leaflet map."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from musrenbang.models import (
    AlasanKode,
    Bidang,
    JadwalTahapan,
    KamusUsulan,
    PerangkatDaerah,
    Siklus,
    Wilayah,
)

admin.site.site_header = _("Administrasi e-Musrenbang")
admin.site.site_title = _("e-Musrenbang")
admin.site.index_title = _("Data acuan dan pengguna")


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
