"""Open data downloads under /data/ (peta.ekspor)."""

from django.urls import path

from peta import ekspor

app_name = "data"

urlpatterns = [
    path("usulan.csv", ekspor.unduh_csv, name="csv"),
    path("usulan.geojson", ekspor.unduh_geojson, name="geojson"),
    path("usulan.xlsx", ekspor.unduh_xlsx, name="xlsx"),
    path("sipd.xlsx", ekspor.unduh_sipd, name="sipd"),
]
