"""The outbox in the admin: staff can read it and filter it, nobody can add, change or delete a row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kabar.notifikasi import antrekan


@pytest.fixture
def masuk_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def test_daftar_dan_saringan(masuk_admin, warga, django_assert_max_num_queries):
    antrekan(warga, subjek="Usulan 2102-2027-00001: Lolos desa", isi="Isi")
    with django_assert_max_num_queries(12):
        teks = masuk_admin.get(reverse("admin:kabar_notifikasi_changelist")).content.decode()
    assert "Usulan 2102-2027-00001: Lolos desa" in teks
    assert "warga@contoh.test" in teks and "+6281200000001" in teks
    assert "Menunggu" in teks
    saring = masuk_admin.get(reverse("admin:kabar_notifikasi_changelist"), {"saluran__exact": "sms"})
    assert "+6281200000001" in saring.content.decode() and "warga@contoh.test" not in saring.content.decode()


def test_hanya_bisa_dibaca(masuk_admin, warga):
    (n, _) = antrekan(warga, subjek="Subjek", isi="Isi rahasia")
    assert masuk_admin.get(reverse("admin:kabar_notifikasi_add")).status_code == 403
    ubah = masuk_admin.get(reverse("admin:kabar_notifikasi_change", args=[n.pk]))
    assert ubah.status_code == 200 and "Isi rahasia" in ubah.content.decode()
    assert masuk_admin.post(reverse("admin:kabar_notifikasi_change", args=[n.pk]), {"isi": "x"}).status_code == 403
    assert masuk_admin.get(reverse("admin:kabar_notifikasi_delete", args=[n.pk])).status_code == 403
    n.refresh_from_db()
    assert n.isi == "Isi rahasia"
