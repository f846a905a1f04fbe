from django.urls import path

from usulan import views

app_name = "usulan"

urlpatterns = [
    path("baru/", views.buat, name="buat"),
    path("foto/", views.unggah_foto, name="unggah_foto"),
    path("foto/<uuid:token>/hapus/", views.hapus_unggahan, name="hapus_unggahan"),
    path("foto/<uuid:token>/kecil/", views.unggahan_kecil, name="unggahan_kecil"),
    path("token/", views.token_csrf, name="token_csrf"),
    path("saya/", views.saya, name="saya"),
    path("lacak/", views.cari, name="cari"),
    path("lacak/<str:kode>/", views.lacak, name="lacak"),
    path("serupa/", views.serupa, name="serupa"),
]
