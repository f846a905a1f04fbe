"""The admin covers every reference model, in Indonesian, with boundaries on a Leaflet map."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akun.models import Penugasan
from musrenbang.models import AlasanKode, Bidang, KamusUsulan, PerangkatDaerah, Siklus, Wilayah
from tests import factories
from verifikasi.models import Pagu

MODEL = [Wilayah, Siklus, PerangkatDaerah, Bidang, KamusUsulan, AlasanKode, Penugasan, Pagu]


@pytest.fixture
def masuk_admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", MODEL, ids=lambda m: m.__name__)
def test_daftar_dan_tambah_terbuka(masuk_admin, siklus, model):
    factories.buat_kamus(siklus)
    meta = model._meta
    daftar = masuk_admin.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert daftar.status_code == 200
    tambah = masuk_admin.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert tambah.status_code == 200


def test_admin_berbahasa_indonesia(masuk_admin):
    teks = masuk_admin.get(reverse("admin:index")).content.decode()
    assert "Administrasi e-Musrenbang" in teks
    assert "Data acuan" in teks and "Kamus usulan" in teks


def test_batas_wilayah_disunting_di_peta_leaflet(masuk_admin, desa):
    teks = masuk_admin.get(reverse("admin:musrenbang_wilayah_change", args=[desa.pk])).content.decode()
    assert "leaflet" in teks.lower()
    assert 'id="id_batas"' in teks
    assert "MultiPolygon" in teks
    # Served locally: django-leaflet's own copy of Leaflet.
    assert "/static/leaflet/leaflet.js" in teks


def test_bukan_staf_tidak_masuk_admin(client, warga):
    client.force_login(warga)
    assert client.get(reverse("admin:index")).status_code == 302
