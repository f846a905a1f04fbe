"""Duplicate hints: similar titles within 150 m this round (pg_trgm), and earlier rounds' unfunded
proposals at the same spot, each with its photo and public status."""

from __future__ import annotations

from django.urls import reverse

from tests import factories
from usulan.models import Status, Usulan
from usulan.selectors import usulan_serupa
from usulan.services import usulan_buat

M_PER_DERAJAT = 110_600


def _buat(pengguna, siklus, isi_usulan, foto_moro, judul: str, *, utara_m: float = 0, status: str | None = None):
    isi = isi_usulan(judul=judul)
    isi.lat += utara_m / M_PER_DERAJAT
    u = usulan_buat(pengguna=pengguna, siklus=siklus, isi=isi, foto=[foto_moro(judul, lat=isi.lat)])
    if status:
        Usulan.objects.filter(pk=u.pk).update(status=status, status_publik=status)
    return u


def test_siklus_lalu_hanya_yang_tidak_didanai_di_titik_sama(warga, siklus, karimun, isi_usulan, foto_moro, titik_moro):
    lalu = factories.buat_siklus(karimun, tahun=siklus.tahun - 1, aktif=False)
    ditolak = _buat(warga, lalu, isi_usulan, foto_moro, "Jalan setapak ditolak", status=Status.DITOLAK)
    didanai = _buat(warga, lalu, isi_usulan, foto_moro, "Jalan setapak didanai", status=Status.DITERIMA)
    jauh = _buat(warga, lalu, isi_usulan, foto_moro, "Jalan setapak seberang", utara_m=120)
    hasil = usulan_serupa(titik=titik_moro, judul="apa saja", siklus=siklus)
    assert [u.kode_lacak for u in hasil["sebelumnya"]] == [ditolak.kode_lacak]
    assert didanai.kode_lacak not in {u.kode_lacak for u in hasil["sebelumnya"]}
    assert jauh.kode_lacak not in {u.kode_lacak for u in hasil["sebelumnya"]}
    assert hasil["siklus_ini"] == []  # other rounds never count as "this round"


def test_siklus_ini_judul_mirip_dalam_150_m(warga, siklus, isi_usulan, foto_moro, titik_moro):
    dekat = _buat(warga, siklus, isi_usulan, foto_moro, "Perbaikan drainase Jalan Merdeka", utara_m=120)
    luar = _buat(warga, siklus, isi_usulan, foto_moro, "Perbaikan drainase Jalan Merdeka lagi", utara_m=200)
    beda = _buat(warga, siklus, isi_usulan, foto_moro, "Pelatihan menjahit ibu PKK")
    kode = [
        u.kode_lacak for u in usulan_serupa(titik=titik_moro, judul="drainase jl merdeka", siklus=siklus)["siklus_ini"]
    ]
    assert kode == [dekat.kode_lacak]
    assert luar.kode_lacak not in kode and beda.kode_lacak not in kode


def test_saran_menampilkan_foto_dan_status_tanpa_data_pribadi(
    client, warga, siklus, karimun, isi_usulan, foto_moro, titik_moro
):
    ini = _buat(warga, siklus, isi_usulan, foto_moro, "Perbaikan drainase Jalan Merdeka")
    lalu = factories.buat_siklus(karimun, tahun=siklus.tahun - 1, aktif=False)
    lama = _buat(warga, lalu, isi_usulan, foto_moro, "Drainase lama", status=Status.DITOLAK)
    teks = client.get(
        reverse("usulan:serupa"), {"lat": titik_moro.y, "lon": titik_moro.x, "judul": "drainase jalan merdeka"}
    ).content.decode()
    for u, label in ((ini, "Diajukan"), (lama, "Ditolak")):
        assert u.foto.get().url_thumbnail in teks
        assert reverse("usulan:lacak", args=[u.kode_lacak]) in teks
        assert label in teks
    assert "Mungkin sudah diusulkan" in teks and "Pernah diusulkan di titik ini" in teks
    assert warga.email not in teks and warga.telepon not in teks and "Siti Aminah" not in teks


def test_tanpa_saran_tanpa_kotak(client, siklus, titik_moro):
    jawab = client.get(reverse("usulan:serupa"), {"lat": titik_moro.y, "lon": titik_moro.x, "judul": "apa pun"})
    assert jawab.status_code == 200 and jawab.content.decode().strip() == ""
