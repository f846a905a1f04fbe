"""The public map under /peta/: the page, its data endpoint, popups and outlines."""

from django.urls import path

from peta import api, views

app_name = "peta"

urlpatterns = [
    path("", views.peta, name="peta"),
    path("data/", api.data, name="data"),
    # slug: a tracking code is letters, digits and dashes; a "%00" (refused by PostgreSQL) is a 404, not a 500.
    path("usulan/<slug:kode>/", api.popup, name="popup"),
    path("batas/<str:tingkat>/", api.batas, name="batas"),
]
