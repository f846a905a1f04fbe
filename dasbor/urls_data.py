"""Bappeda's SIPD workbook, served under /data/ in the "data" namespace beside the public downloads
(the root URLconf joins both lists into that one namespace, so `data:sipd` keeps its name and path)."""

from django.urls import path

from dasbor import sipd

urlpatterns = [
    path("sipd.xlsx", sipd.unduh_sipd, name="sipd"),
]
