from django.urls import path

from usulan import views

app_name = "usulan"

urlpatterns = [
    path("baru/", views.buat, name="buat"),
    path("saya/", views.saya, name="saya"),
    path("lacak/", views.cari, name="cari"),
    path("lacak/<str:kode>/", views.lacak, name="lacak"),
    path("serupa/", views.serupa, name="serupa"),
]
