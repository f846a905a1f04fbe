"""Bappeda's dashboard under /dasbor/ (peta.dasbor)."""

from django.urls import path

from peta import dasbor

app_name = "dasbor"

urlpatterns = [
    path("", dasbor.dasbor, name="dasbor"),
]
