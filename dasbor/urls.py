"""Bappeda's dashboard under /dasbor/ (dasbor.views)."""

from django.urls import path

from dasbor import views

app_name = "dasbor"

urlpatterns = [
    path("", views.dasbor, name="dasbor"),
]
