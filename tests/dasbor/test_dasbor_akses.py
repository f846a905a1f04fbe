"""Only Bappeda and administrators of the deployment's kabupaten/kota open the dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akun.models import Peran
from tests import factories

URL = "/dasbor/"


def test_alamat():
    assert reverse("dasbor:dasbor") == URL


def test_tamu_diarahkan_ke_halaman_masuk(client, siklus):
    jawab = client.get(URL, {"format": "csv", "tabel": "kecamatan"})
    assert jawab.status_code == 302 and jawab["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("nama", ["warga", "orang_luar", "operator_desa", "operator_kecamatan", "petugas_opd"])
def test_selain_bappeda_dan_admin_mendapat_404(client, request, nama, siklus):
    client.force_login(request.getfixturevalue(nama))
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"format": "csv", "tabel": "kecamatan"}).status_code == 404


def test_bappeda_kabupaten_lain_mendapat_404(client, siklus):
    from musrenbang.models import Wilayah

    lain = factories.buat_pengguna("bappeda_lain")
    kabkota_lain = Wilayah.objects.create(
        kode="21.01", nama="Bintan", tingkat="kabupaten_kota", induk=siklus.kabkota.induk
    )
    factories.buat_penugasan(lain, Peran.BAPPEDA, wilayah=kabkota_lain)
    client.force_login(lain)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("nama", ["bappeda", "admin_user"])
def test_bappeda_dan_admin_boleh(client, request, nama, siklus):
    client.force_login(request.getfixturevalue(nama))
    jawab = client.get(URL)
    assert jawab.status_code == 200
    assert jawab.context["siklus"] == siklus
    assert "Dasbor Bappeda" in jawab.content.decode()


def test_pilih_siklus(client, bappeda, siklus, karimun):
    lama = factories.buat_siklus(karimun, tahun=siklus.tahun - 1, aktif=False)
    client.force_login(bappeda)
    assert client.get(URL).context["siklus"] == siklus  # the active round by default
    jawab = client.get(URL, {"siklus": lama.pk})
    assert jawab.context["siklus"] == lama
    teks = jawab.content.decode()
    assert f'<option value="{lama.pk}" selected>' in teks
    # Malformed ids are ignored like on the public map; unknown ids are a 404.
    assert client.get(URL, {"siklus": "abc"}).context["siklus"] == siklus
    assert client.get(URL, {"siklus": lama.pk + siklus.pk + 1000}).status_code == 404


def test_siklus_kabupaten_lain_mendapat_404(client, bappeda, siklus, karimun):
    from musrenbang.models import Wilayah

    kabkota_lain = Wilayah.objects.create(kode="21.01", nama="Bintan", tingkat="kabupaten_kota", induk=karimun.induk)
    lain = factories.buat_siklus(kabkota_lain)
    client.force_login(bappeda)
    assert client.get(URL, {"siklus": lain.pk}).status_code == 404


def test_tanpa_siklus(client, bappeda):
    client.force_login(bappeda)
    jawab = client.get(URL)
    assert jawab.status_code == 200
    assert "Belum ada siklus perencanaan." in jawab.content.decode()
    jawab = client.get(URL, {"format": "csv", "tabel": "kecamatan"})
    assert jawab.status_code == 400 and "Belum ada siklus" in jawab.content.decode()
