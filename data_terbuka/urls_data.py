"""Open data downloads under /data/ (data_terbuka.views). The root URLconf adds Bappeda's SIPD
workbook (dasbor.urls_data) to the same "data" namespace."""

from django.urls import path

from data_terbuka import views

app_name = "data"

urlpatterns = [
    path("usulan.csv", views.unduh_csv, name="csv"),
    path("usulan.geojson", views.unduh_geojson, name="geojson"),
    path("usulan.xlsx", views.unduh_xlsx, name="xlsx"),
]
