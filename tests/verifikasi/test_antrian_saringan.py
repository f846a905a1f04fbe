"""Each filter of the queue narrows it: status, desa, bidang, flagged photos, and text (title, code,
address). The kecamatan of Moro has proposals from two of its villages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akun.models import Peran
from musrenbang.models import Bidang, Wilayah
from tests import factories
from tests.skenario import buat_usulan
from usulan.models import FotoUsulan, Usulan
from verifikasi import transitions as t


@pytest.fixture
def desa_tetangga(kecamatan, desa) -> Wilayah:
    """Another village of Kecamatan Moro."""
    return Wilayah.objects.filter(induk=kecamatan, batas__isnull=False).exclude(pk=desa.pk).order_by("kode").first()


@pytest.fixture
def antrean(warga, siklus, desa, desa_tetangga, operator_desa):
    """Three proposals waiting at the kecamatan: two from Moro, one from its neighbour."""
    drainase = buat_usulan(warga, siklus, desa, judul="Drainase Jalan Merdeka")
    posyandu = buat_usulan(warga, siklus, desa, judul="Posyandu Mawar")
    tetangga = buat_usulan(warga, siklus, desa_tetangga, judul="Dermaga nelayan")
    assert tetangga.desa == desa_tetangga
    Usulan.objects.filter(pk=posyandu.pk).update(bidang=Bidang.objects.get(kode="06.01"), alamat="Balai RW 02")
    FotoUsulan.objects.filter(usulan=tetangga).update(bendera_jauh=True, jarak_dari_pin_m=2500)
    operator_tetangga = factories.buat_pengguna("operator_desa_tetangga")
    factories.buat_penugasan(operator_tetangga, Peran.DESA, wilayah=desa_tetangga)
    for u in (drainase, posyandu):
        t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=tetangga.pk, pelaku=operator_tetangga, peran=Peran.DESA)
    return {"drainase": drainase, "posyandu": posyandu, "tetangga": tetangga}


def _terlihat(client, antrean, **saring) -> set[str]:
    teks = client.get(reverse("verifikasi:antrian"), saring).content.decode()
    return {nama for nama, u in antrean.items() if u.kode_lacak in teks}


def test_tanpa_saringan_semua(client, operator_kecamatan, antrean):
    client.force_login(operator_kecamatan)
    assert _terlihat(client, antrean) == {"drainase", "posyandu", "tetangga"}


def test_saring_status(client, operator_kecamatan, antrean, alasan):
    t.tolak(
        usulan_id=antrean["posyandu"].pk,
        pelaku=operator_kecamatan,
        peran=Peran.KECAMATAN,
        alasan_kode=alasan,
        catatan="x",
    )
    client.force_login(operator_kecamatan)
    assert _terlihat(client, antrean, status="ditolak") == {"posyandu"}
    assert _terlihat(client, antrean) == {"drainase", "tetangga"}  # the default: what awaits the kecamatan


def test_saring_desa(client, operator_kecamatan, antrean, desa, desa_tetangga):
    client.force_login(operator_kecamatan)
    assert _terlihat(client, antrean, desa=desa.pk) == {"drainase", "posyandu"}
    assert _terlihat(client, antrean, desa=desa_tetangga.pk) == {"tetangga"}
    pilihan = client.get(reverse("verifikasi:antrian")).content.decode()
    assert f'<option value="{desa.pk}">{desa.nama}</option>' in pilihan
    assert f'<option value="{desa_tetangga.pk}">{desa_tetangga.nama}</option>' in pilihan


def test_saring_bidang(client, operator_kecamatan, antrean):
    client.force_login(operator_kecamatan)
    assert _terlihat(client, antrean, bidang=Bidang.objects.get(kode="06.01").pk) == {"posyandu"}
    assert _terlihat(client, antrean, bidang=Bidang.objects.get(kode="05.01").pk) == {"drainase", "tetangga"}


def test_saring_foto_ditandai(client, operator_kecamatan, antrean):
    client.force_login(operator_kecamatan)
    assert _terlihat(client, antrean, bendera="1") == {"tetangga"}
    teks = client.get(reverse("verifikasi:antrian"), {"bendera": "1"}).content.decode()
    assert teks.count("Foto ditandai") == 1


@pytest.mark.parametrize(
    ("q", "hasil"),
    [("drainase", {"drainase"}), ("BALAI rw", {"posyandu"}), ("dermaga", {"tetangga"}), ("tidak-ada", set())],
)
def test_saring_teks(client, operator_kecamatan, antrean, q, hasil):
    client.force_login(operator_kecamatan)
    assert _terlihat(client, antrean, q=q) == hasil


def test_saring_teks_kode_lacak(client, operator_kecamatan, antrean):
    client.force_login(operator_kecamatan)
    assert _terlihat(client, antrean, q=antrean["posyandu"].kode_lacak.lower()) == {"posyandu"}
