"""Open311 GeoReport v2 under /open311/v2/ (data_terbuka.open311); every resource as .json or .xml."""

from django.urls import re_path

from data_terbuka import open311

app_name = "open311"

FORMAT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, open311.discovery, name="discovery"),
    re_path(r"^services" + FORMAT, open311.layanan, name="services"),
    # Service codes are Permendagri sub-sector codes such as 05.01 (with a dot).
    re_path(r"^services/(?P<kode>[0-9A-Za-z._-]+?)" + FORMAT, open311.definisi_layanan, name="service"),
    re_path(r"^requests" + FORMAT, open311.permintaan, name="requests"),
    re_path(r"^requests/(?P<kode>[0-9A-Za-z-]+)" + FORMAT, open311.satu_permintaan, name="request"),
    # Anything else under /open311/v2/ (requests.csv, requests/%00.json, a typo): the spec's 404, never
    # Django's HTML page.
    re_path(r"^(?P<jalur>[\s\S]*)$", open311.tidak_dikenal, name="tidak_dikenal"),
]
