from django.urls import path

from verifikasi import views

app_name = "verifikasi"

urlpatterns = [
    path("", views.antrian, name="antrian"),
    path("peringkat/", views.peringkat, name="peringkat"),
    path("terbitkan/", views.terbitkan_semua, name="terbitkan_semua"),
    path("catat/", views.catat, name="catat"),
    # <slug:kode>: tracking codes are letters, digits and dashes; anything else (a "%00", which PostgreSQL
    # refuses in a query) is a 404 before any view runs.
    path("u/<slug:kode>/", views.tinjau, name="tinjau"),
    path("u/<slug:kode>/aksi/<str:nama>/", views.aksi, name="aksi"),
    path("u/<slug:kode>/foto/<int:foto_id>/asli/", views.foto_asli, name="foto_asli"),
    path("pengusul/<slug:kode>/perbaiki/", views.perbaiki, name="perbaiki"),
    path("pengusul/<slug:kode>/tarik/", views.tarik, name="tarik"),
]
