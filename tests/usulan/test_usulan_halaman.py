"""The resident's pages: the form, the tracking page, "Usulan saya", duplicate hints, limits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from usulan.models import Usulan
from usulan.services import usulan_buat


def _data(titik, **kwargs) -> dict:
    from musrenbang.models import Bidang

    data = {
        "judul": "Perbaikan drainase Jalan Merdeka",
        "permasalahan": "Saluran tersumbat.",
        "uraian": "Saluran beton 200 meter.",
        "jenis_pengusul": "warga",
        "bidang": Bidang.objects.get(kode="05.01").pk,
        "volume": "200",
        "satuan": "meter",
        "alamat": "Jl. Merdeka",
        "lat": f"{titik.y:.6f}",
        "lon": f"{titik.x:.6f}",
    }
    data.update(kwargs)
    return data


def test_formulir_perlu_masuk(client, siklus):
    jawab = client.get(reverse("usulan:buat"))
    assert jawab.status_code == 302 and jawab["Location"].startswith(reverse("login"))


def test_formulir_lengkap(client, warga, siklus):
    client.force_login(warga)
    teks = client.get(reverse("usulan:buat")).content.decode()
    for nama in (
        "judul",
        "permasalahan",
        "uraian",
        "jenis_pengusul",
        "bidang",
        "kamus",
        "volume",
        "satuan",
        "alamat",
        "rt",
        "rw",
        "dusun",
        "lat",
        "lon",
        "foto",
        "foto_kamera",
        "tampilkan_nama",
    ):
        assert f'name="{nama}"' in teks, nama
    assert 'capture="environment"' in teks
    assert 'enctype="multipart/form-data"' in teks
    assert '<label for="id_judul">' in teks


def test_kirim_lalu_halaman_lacak(client, warga, siklus, titik_moro, foto_moro):
    client.force_login(warga)
    jawab = client.post(reverse("usulan:buat"), {**_data(titik_moro), "foto": [foto_moro("a"), foto_moro("b")]})
    usulan = Usulan.objects.get()
    assert jawab.status_code == 302 and jawab["Location"] == reverse("usulan:lacak", args=[usulan.kode_lacak])
    halaman = client.get(jawab["Location"])
    teks = halaman.content.decode()
    assert usulan.kode_lacak in teks and "Simpan kode lacak ini" in teks
    assert "Kelurahan" not in teks or "Moro" in teks
    for f in usulan.foto.all():
        assert f.url_web in teks
        assert f.asli not in teks  # the private original is never linked
        assert client.get(f.url_web).status_code == 200
    # No personal data: e-mail, phone, and the name (not opted in).
    assert warga.email not in teks and warga.telepon not in teks and "Siti Aminah" not in teks


def test_nama_tampil_bila_setuju(client, warga, siklus, titik_moro, foto_moro):
    client.force_login(warga)
    client.post(reverse("usulan:buat"), {**_data(titik_moro, tampilkan_nama="on"), "foto": [foto_moro()]})
    usulan = Usulan.objects.get()
    assert "Siti Aminah" in client.get(reverse("usulan:lacak", args=[usulan.kode_lacak])).content.decode()


def test_galat_di_samping_isian(client, warga, siklus, titik_moro):
    client.force_login(warga)
    jawab = client.post(reverse("usulan:buat"), _data(titik_moro, judul="", volume="-3", satuan=""))
    assert jawab.status_code == 400
    teks = jawab.content.decode()
    assert 'id="id_judul_galat"' in teks
    assert 'id="id_volume_galat"' in teks
    assert "Lampirkan minimal satu foto lokasi." in teks
    assert Usulan.objects.count() == 0


def test_lokasi_di_luar_kabupaten_pesan_jelas(client, warga, siklus, titik_moro, foto_moro, singapura):
    client.force_login(warga)
    data = _data(titik_moro, lat=str(singapura[0]), lon=str(singapura[1]))
    jawab = client.post(reverse("usulan:buat"), {**data, "foto": [foto_moro()]})
    assert jawab.status_code == 400
    assert "di luar wilayah Kabupaten Karimun" in jawab.content.decode()
    assert Usulan.objects.count() == 0


def test_jendela_tertutup_halaman_memberi_tahu(client, warga, karimun, titik_moro, foto_moro):
    factories.buat_siklus(karimun, terbuka=False)
    client.force_login(warga)
    teks = client.get(reverse("usulan:buat")).content.decode()
    assert "sudah ditutup pada" in teks and 'name="judul"' not in teks
    client.post(reverse("usulan:buat"), {**_data(titik_moro), "foto": [foto_moro()]})
    assert Usulan.objects.count() == 0


def test_batas_laju_per_akun(client, warga, siklus, titik_moro, foto_moro, settings):
    settings.BATAS_USULAN_PER_JAM_AKUN = 1
    client.force_login(warga)
    assert client.post(reverse("usulan:buat"), {**_data(titik_moro), "foto": [foto_moro("a")]}).status_code == 302
    jawab = client.post(reverse("usulan:buat"), {**_data(titik_moro), "foto": [foto_moro("b")]})
    assert jawab.status_code == 429
    assert "Terlalu banyak usulan" in jawab.content.decode()
    assert Usulan.objects.count() == 1


def test_batas_laju_per_ip(client, warga, orang_luar, siklus, titik_moro, foto_moro, settings):
    settings.BATAS_USULAN_PER_JAM_IP = 1
    client.force_login(warga)
    client.post(reverse("usulan:buat"), {**_data(titik_moro), "foto": [foto_moro("a")]})
    client.force_login(orang_luar)  # another account, same address
    assert client.post(reverse("usulan:buat"), {**_data(titik_moro), "foto": [foto_moro("b")]}).status_code == 429


def test_csrf_wajib(warga, siklus, titik_moro, foto_moro):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(warga)
    assert c.post(reverse("usulan:buat"), {**_data(titik_moro), "foto": [foto_moro()]}).status_code == 403


def test_teks_terlalu_panjang_ditolak(client, warga, siklus, titik_moro, foto_moro):
    client.force_login(warga)
    jawab = client.post(reverse("usulan:buat"), {**_data(titik_moro, judul="x" * 151), "foto": [foto_moro()]})
    assert jawab.status_code == 400 and Usulan.objects.count() == 0


def test_usulan_saya_hanya_milik_sendiri_dengan_kueri_tetap(
    client, warga, orang_luar, siklus, isi_usulan, foto_moro, django_assert_max_num_queries
):
    milik = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(judul="Milik warga"), foto=[foto_moro("1")])
    usulan_buat(pengguna=orang_luar, siklus=siklus, isi=isi_usulan(judul="Milik orang lain"), foto=[foto_moro("2")])
    client.force_login(warga)
    with django_assert_max_num_queries(8) as satu:
        teks = client.get(reverse("usulan:saya")).content.decode()
    assert "Milik warga" in teks and "Milik orang lain" not in teks and milik.kode_lacak in teks
    for i in range(4):
        usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(judul=f"Lagi {i}"), foto=[foto_moro(f"x{i}")])
    with django_assert_max_num_queries(len(satu.captured_queries)):
        teks = client.get(reverse("usulan:saya")).content.decode()
    assert teks.count('class="butir-usulan kartu"') == 5


def test_lacak_dengan_kode_dan_kode_salah(client, warga, siklus, isi_usulan, foto_moro):
    usulan = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro()])
    jawab = client.get(reverse("usulan:cari"), {"kode": usulan.kode_lacak.lower()})
    assert jawab.status_code == 302
    salah = client.get(reverse("usulan:cari"), {"kode": "2102-2000-99999"})
    assert salah.status_code == 404 and "tidak ditemukan" in salah.content.decode()
    assert client.get(reverse("usulan:lacak", args=["TIDAK-ADA"])).status_code == 404


def test_saran_usulan_serupa(client, warga, siklus, isi_usulan, foto_moro, titik_moro, karimun):
    dekat = usulan_buat(
        pengguna=warga, siklus=siklus, isi=isi_usulan(judul="Perbaikan drainase Jl. Merdeka"), foto=[foto_moro("1")]
    )
    lain = usulan_buat(
        pengguna=warga, siklus=siklus, isi=isi_usulan(judul="Pelatihan menjahit ibu PKK"), foto=[foto_moro("2")]
    )
    jauh_lat = titik_moro.y + 0.005  # ~550 m away, still in Karimun
    jauh = usulan_buat(
        pengguna=warga,
        siklus=siklus,
        isi=isi_usulan(judul="Perbaikan drainase Merdeka", lat=jauh_lat),
        foto=[foto_moro("3")],
    )
    # An unfunded proposal of an earlier round at the same spot.
    lalu = factories.buat_siklus(karimun, tahun=siklus.tahun - 1, aktif=False)
    lama = usulan_buat(pengguna=warga, siklus=lalu, isi=isi_usulan(judul="Jalan setapak"), foto=[foto_moro("4")])
    jawab = client.get(
        reverse("usulan:serupa"), {"lat": titik_moro.y, "lon": titik_moro.x, "judul": "drainase jalan merdeka"}
    )
    teks = jawab.content.decode()
    assert jawab.status_code == 200
    assert dekat.kode_lacak in teks
    assert lain.kode_lacak not in teks and jauh.kode_lacak not in teks
    assert lama.kode_lacak in teks and "Pernah diusulkan di titik ini" in teks
    assert warga.email not in teks and "Siti Aminah" not in teks


@pytest.mark.parametrize("lat", ["", "abc", "nan", "95"])
def test_saran_koordinat_salah(client, db, lat):
    assert client.get(reverse("usulan:serupa"), {"lat": lat, "lon": "103.5"}).status_code == 400


def test_berkas_asli_tidak_bisa_diakses_lewat_url(warga, siklus, isi_usulan, foto_moro):
    from django.test import Client

    client = Client(raise_request_exception=False)  # a path escaping publik/ is a 400, as in production
    usulan = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro()])
    asli = usulan.foto.get().asli
    for url in (f"/media/{asli}", f"/media/privat/{asli}", f"/media/publik/../privat/{asli}", f"/media/publik/{asli}"):
        assert client.get(url).status_code in (400, 404), url


def test_formulir_dan_halaman_lacak_tanpa_aset_dari_luar(client, warga, siklus, isi_usulan, foto_moro):
    import re

    usulan = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro()])
    client.force_login(warga)
    for url in (reverse("usulan:buat"), reverse("usulan:lacak", args=[usulan.kode_lacak]), reverse("usulan:saya")):
        teks = client.get(url).content.decode()
        sumber = re.findall(r'(?:src|href)="([^"]+)"', teks)
        assert any(s.endswith("leaflet.js") for s in sumber) or url == reverse("usulan:saya")
        assert [s for s in sumber if s.startswith(("http:", "https:", "//"))] == [], url
