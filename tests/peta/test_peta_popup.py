"""The popup, loaded on demand: thumbnail, title, public status, published reason and a link to the
proposal's public page; nothing private, nothing unpublished, nothing from another deployment."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages

from tests.peta.bantu import RAHASIA
from usulan.models import FotoUsulan

pytestmark = pytest.mark.django_db


def test_popup_usulan_ditolak_menampilkan_alasan(client, alur, alasan):
    respons = client.get(f"/peta/usulan/{alur.ditolak.kode_lacak}/")
    assert respons.status_code == 200 and respons["Content-Type"].startswith("text/html")
    html = respons.content.decode()
    foto = FotoUsulan.objects.filter(usulan=alur.ditolak).order_by("urutan").first()
    assert f'src="{storages["default"].url(foto.thumbnail)}"' in html
    assert alur.ditolak.judul in html
    assert "Ditolak" in html
    assert alasan.nama in html
    assert "Titik lokasi berada di laut, bukan di jalan kebun." in html
    assert f'href="/usulan/lacak/{alur.ditolak.kode_lacak}/"' in html
    assert "<script" not in html and "style=" not in html


def test_popup_keputusan_terbit_dan_belum_terbit(client, alur):
    terbit = client.get(f"/peta/usulan/{alur.diterima.kode_lacak}/").content.decode()
    assert "Diterima" in terbit and "Diterima dalam RKPD" in terbit and "Prioritas penanganan banjir" in terbit
    # Decided but not published: the public still sees "Lolos kecamatan" and no decision text.
    belum = client.get(f"/peta/usulan/{alur.rahasia.kode_lacak.lower()}/").content.decode()
    assert "Lolos kecamatan" in belum and "Diterima" not in belum
    for nilai in RAHASIA.values():
        assert nilai not in belum
    assert "Siti Aminah" not in belum and "+6281200000001" not in belum
    # Still waiting at the desa: no reason to show.
    diajukan = client.get(f"/peta/usulan/{alur.diajukan.kode_lacak}/").content.decode()
    assert "Diajukan" in diajukan and "Alasan" not in diajukan


def test_popup_tidak_ditemukan(client, alur, karimun):
    assert client.get("/peta/usulan/TIDAK-ADA-123/").status_code == 404
    for aneh in ("A%00B", "%27%20OR%201=1", "x" * 40):
        assert client.get(f"/peta/usulan/{aneh}/").status_code == 404
    # A proposal of another kabupaten/kota in the same database is not this deployment's.
    from musrenbang.models import Siklus, Tingkat, Wilayah
    from usulan.models import Usulan

    lain = Wilayah.objects.create(
        kode="35.78", nama="Kota Surabaya", tingkat=Tingkat.KABUPATEN_KOTA, induk=karimun.induk
    )
    Usulan.objects.filter(pk=alur.diajukan.pk).update(siklus=Siklus.objects.create(kabkota=lain, tahun=2030))
    respons = client.get(f"/peta/usulan/{alur.diajukan.kode_lacak}/")
    assert respons.status_code == 404 and "tidak ditemukan" in respons.content.decode()
