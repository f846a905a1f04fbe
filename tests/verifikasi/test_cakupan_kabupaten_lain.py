"""Bappeda and administrators of another kabupaten/kota (Kota Batam, made here with one kecamatan and
one kelurahan) never reach Karimun's proposals: 404 on the review page, the original photo and every
action, nothing in their queue, and no batch publication; they do see their own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.urls import reverse

from akun.models import Peran
from musrenbang.models import Tingkat, Wilayah
from tests import factories
from tests.skenario import buat_usulan, usulan_pada
from usulan.models import Status
from verifikasi import transitions as t
from verifikasi.models import KeputusanBappeda


@pytest.fixture
def batam(karimun) -> Wilayah:
    kota = Wilayah.objects.create(kode="21.71", nama="Kota Batam", tingkat=Tingkat.KABUPATEN_KOTA, induk=karimun.induk)
    kec = Wilayah.objects.create(kode="21.71.01", nama="Batam Kota", tingkat=Tingkat.KECAMATAN, induk=kota)
    kotak = MultiPolygon(Polygon.from_bbox((104.00, 1.10, 104.05, 1.15)), srid=4326)
    Wilayah.objects.filter(pk__in=[kota.pk, kec.pk]).update(batas=kotak)
    Wilayah.objects.create(kode="21.71.01.1001", nama="Belian", tingkat=Tingkat.DESA_KELURAHAN, induk=kec, batas=kotak)
    return kota


@pytest.fixture
def bappeda_batam(batam):
    pengguna = factories.buat_pengguna("bappeda_batam", nama_lengkap="Bappeda Batam")
    factories.buat_penugasan(pengguna, Peran.BAPPEDA, wilayah=batam)
    return pengguna


@pytest.fixture
def admin_batam(batam):
    pengguna = factories.buat_pengguna("admin_batam", nama_lengkap="Admin Batam")
    factories.buat_penugasan(pengguna, Peran.ADMIN, wilayah=batam)
    return pengguna


@pytest.fixture
def usulan_batam(batam, warga):
    siklus_batam = factories.buat_siklus(batam)
    return buat_usulan(warga, siklus_batam, Wilayah.objects.get(kode="21.71.01.1001"), judul="Halte Belian")


@pytest.fixture
def usulan_di_bappeda(usulan, operator_desa, operator_kecamatan):
    return usulan_pada(
        Status.LOLOS_KECAMATAN, usulan=usulan, operator_desa=operator_desa, operator_kecamatan=operator_kecamatan
    )


@pytest.mark.parametrize(("nama", "peran"), [("bappeda_batam", "bappeda"), ("admin_batam", "admin")])
def test_petugas_kabupaten_lain_mendapat_404(client, request, nama, peran, usulan_di_bappeda, usulan_batam, opd):
    u = usulan_di_bappeda
    client.force_login(request.getfixturevalue(nama))
    assert client.get(reverse("verifikasi:tinjau", args=[u.kode_lacak])).status_code == 404
    foto = u.foto.get()
    assert client.get(reverse("verifikasi:foto_asli", args=[u.kode_lacak, foto.pk])).status_code == 404
    for aksi, data in (
        ("putuskan", {"hasil": "diterima", "perangkat_daerah": opd.pk, "biaya": "1000", "alasan": "Ya"}),
        ("minta_rekomendasi", {"opd": [opd.pk]}),
        ("tolak", {"catatan": "x"}),
    ):
        isian = {"peran": peran, **{f"{peran}-{aksi}-{k}": v for k, v in data.items()}}
        assert client.post(reverse("verifikasi:aksi", args=[u.kode_lacak, aksi]), isian).status_code == 404
    antrean = client.get(reverse("verifikasi:antrian"), {"peran": peran, "status": "lolos_kecamatan"}).content.decode()
    assert u.kode_lacak not in antrean
    # Their own kabupaten/kota's proposal, by contrast, is theirs to see.
    assert client.get(reverse("verifikasi:tinjau", args=[usulan_batam.kode_lacak])).status_code == 200
    u.refresh_from_db()
    assert u.status == Status.LOLOS_KECAMATAN and not KeputusanBappeda.objects.filter(usulan=u).exists()


def test_bappeda_karimun_tidak_melihat_usulan_batam(client, bappeda, usulan_batam):
    client.force_login(bappeda)
    assert client.get(reverse("verifikasi:tinjau", args=[usulan_batam.kode_lacak])).status_code == 404
    antrean = client.get(reverse("verifikasi:antrian"), {"peran": "bappeda", "status": "diajukan"}).content.decode()
    assert usulan_batam.kode_lacak not in antrean


def test_transisi_menolak_bappeda_kabupaten_lain(usulan_di_bappeda, bappeda_batam, opd):
    with pytest.raises(t.TransisiDitolak, match="di luar wilayah"):
        t.putuskan(
            usulan_id=usulan_di_bappeda.pk,
            pelaku=bappeda_batam,
            peran=Peran.BAPPEDA,
            hasil="diterima",
            alasan="Ya",
            perangkat_daerah=opd,
            biaya=Decimal(1000),
        )


def test_terbitkan_semua_kabupaten_lain_tidak_menerbitkan(client, usulan_di_bappeda, bappeda, bappeda_batam, opd):
    t.putuskan(
        usulan_id=usulan_di_bappeda.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas",
        perangkat_daerah=opd,
        biaya=Decimal(1000),
    )
    client.force_login(bappeda_batam)
    jawab = client.post(reverse("verifikasi:terbitkan_semua"), follow=True)
    assert "di luar wilayah" in jawab.content.decode()
    usulan_di_bappeda.refresh_from_db()
    assert usulan_di_bappeda.status_publik == Status.LOLOS_KECAMATAN
    assert KeputusanBappeda.objects.get(usulan=usulan_di_bappeda).diterbitkan_pada is None
