"""Officials' pages: scoped queues (404 outside the area), review page, POST-only actions with
readable errors, private originals, ranking, and the proposer's revise/withdraw pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akun.models import Peran
from tests.skenario import buat_usulan
from usulan.models import Status
from verifikasi import transitions as t


def test_antrian_hanya_wilayah_sendiri_dengan_kueri_tetap(
    client, operator_desa, usulan, usulan_lain, warga, siklus, desa, django_assert_max_num_queries
):
    client.force_login(operator_desa)
    with django_assert_max_num_queries(20) as satu:
        teks = client.get(reverse("verifikasi:antrian")).content.decode()
    assert usulan.kode_lacak in teks and usulan_lain.kode_lacak not in teks
    for i in range(5):
        buat_usulan(warga, siklus, desa, judul=f"Usulan tambahan {i}")
    with django_assert_max_num_queries(len(satu.captured_queries)):
        teks = client.get(reverse("verifikasi:antrian")).content.decode()
    assert teks.count('class="butir-usulan"') == 6


def test_antrian_saringan_dan_hitungan(client, operator_desa, usulan, alasan, warga, siklus, desa):
    kedua = buat_usulan(warga, siklus, desa, judul="Lampu jalan gang mawar")
    t.tolak(usulan_id=kedua.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="x")
    client.force_login(operator_desa)
    teks = client.get(reverse("verifikasi:antrian"), {"status": "ditolak"}).content.decode()
    assert kedua.kode_lacak in teks and usulan.kode_lacak not in teks
    teks = client.get(reverse("verifikasi:antrian"), {"status": "diajukan", "q": "drainase"}).content.decode()
    assert usulan.kode_lacak in teks and kedua.kode_lacak not in teks


@pytest.mark.parametrize("nama", ["warga", "orang_luar"])
def test_bukan_petugas_mendapat_404(client, request, nama, usulan):
    client.force_login(request.getfixturevalue(nama))
    assert client.get(reverse("verifikasi:antrian")).status_code == 404
    assert client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak])).status_code == 404


def test_petugas_luar_wilayah_mendapat_404(client, operator_desa_lain, operator_kecamatan_lain, usulan):
    foto = usulan.foto.get()
    for petugas in (operator_desa_lain, operator_kecamatan_lain):
        client.force_login(petugas)
        assert client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak])).status_code == 404
        assert client.get(reverse("verifikasi:foto_asli", args=[usulan.kode_lacak, foto.pk])).status_code == 404
        jawab = client.post(reverse("verifikasi:aksi", args=[usulan.kode_lacak, "teruskan"]), {"peran": "desa"})
        assert jawab.status_code == 404
    usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN


def test_halaman_tinjau_lengkap(client, operator_desa, usulan):
    client.force_login(operator_desa)
    teks = client.get(reverse("verifikasi:tinjau", args=[usulan.kode_lacak])).content.decode()
    foto = usulan.foto.get()
    assert reverse("verifikasi:foto_asli", args=[usulan.kode_lacak, foto.pk]) in teks
    assert "Riwayat lengkap" in teks and "Teruskan" in teks and "Kembalikan untuk diperbaiki" in teks
    assert usulan.nama_pengusul in teks  # officials see who proposed it


def test_foto_asli_untuk_petugas_wilayah(client, operator_desa, usulan):
    client.force_login(operator_desa)
    foto = usulan.foto.get()
    jawab = client.get(reverse("verifikasi:foto_asli", args=[usulan.kode_lacak, foto.pk]))
    assert jawab.status_code == 200 and jawab["Content-Type"] == "image/jpeg"
    isi = b"".join(jawab.streaming_content)
    import hashlib

    assert hashlib.sha256(isi).hexdigest() == foto.sha256
    assert jawab["Cache-Control"] == "private, no-store"


def test_aksi_hanya_post_dan_alasan_wajib(client, operator_desa, usulan, alasan):
    client.force_login(operator_desa)
    url = reverse("verifikasi:aksi", args=[usulan.kode_lacak, "tolak"])
    assert client.get(url).status_code == 405
    jawab = client.post(url, {"peran": "desa", "desa-tolak-catatan": ""}, follow=True)
    teks = jawab.content.decode()
    assert "Kode alasan" in teks
    usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN
    jawab = client.post(
        url, {"peran": "desa", "desa-tolak-alasan_kode": alasan.pk, "desa-tolak-catatan": "Titik di laut"}
    )
    assert jawab.status_code == 302
    usulan.refresh_from_db()
    assert usulan.status == Status.DITOLAK


def test_aksi_yang_sudah_ditangani_diberi_tahu(client, operator_desa, usulan, alasan):
    client.force_login(operator_desa)
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    jawab = client.post(
        reverse("verifikasi:aksi", args=[usulan.kode_lacak, "teruskan"]), {"peran": "desa"}, follow=True
    )
    assert "Mungkin sudah ditangani petugas lain" in jawab.content.decode()


def test_peringkat_desa_terlihat_kecamatan(client, operator_desa, operator_kecamatan, warga, siklus, desa):
    a, b = buat_usulan(warga, siklus, desa, judul="A"), buat_usulan(warga, siklus, desa, judul="B")
    for u in (a, b):
        t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA)
    client.force_login(operator_desa)
    jawab = client.post(
        reverse("verifikasi:peringkat"), {"peran": "desa", f"peringkat-{a.pk}": "2", f"peringkat-{b.pk}": "1"}
    )
    assert jawab.status_code == 302
    dobel = client.post(
        reverse("verifikasi:peringkat"),
        {"peran": "desa", f"peringkat-{a.pk}": "1", f"peringkat-{b.pk}": "1"},
        follow=True,
    )
    assert "hanya boleh dipakai sekali" in dobel.content.decode()
    client.force_login(operator_kecamatan)
    teks = client.get(reverse("verifikasi:antrian")).content.decode()
    assert teks.index(b.kode_lacak) < teks.index(a.kode_lacak)
    assert "Peringkat desa 1" in teks


def test_pengusul_memperbaiki_setelah_dikembalikan(client, warga, operator_desa, usulan, alasan, foto_moro):
    client.force_login(warga)
    assert client.get(reverse("verifikasi:perbaiki", args=[usulan.kode_lacak])).status_code == 302  # not returned
    t.kembalikan(
        usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Perjelas alamat"
    )
    halaman = client.get(reverse("verifikasi:perbaiki", args=[usulan.kode_lacak])).content.decode()
    assert "Perjelas alamat" in halaman and 'value="Jl. Merdeka"' in halaman
    titik = usulan.lokasi
    data = {
        "judul": usulan.judul,
        "permasalahan": usulan.permasalahan,
        "uraian": usulan.uraian,
        "jenis_pengusul": "warga",
        "bidang": usulan.bidang_id,
        "volume": "120",
        "satuan": "meter",
        "alamat": "Jl. Merdeka No. 5",
        "lat": f"{titik.y:.6f}",
        "lon": f"{titik.x:.6f}",
        "foto": [foto_moro("tambahan")],
    }
    jawab = client.post(reverse("verifikasi:perbaiki", args=[usulan.kode_lacak]), data)
    assert jawab.status_code == 302
    usulan.refresh_from_db()
    assert (usulan.status, usulan.alamat, usulan.volume, usulan.foto.count()) == (
        Status.DIAJUKAN,
        "Jl. Merdeka No. 5",
        120,
        2,
    )
    teks = client.get(reverse("usulan:lacak", args=[usulan.kode_lacak])).content.decode()
    assert "Kembalikan" in teks and "Ajukan ulang" in teks


def test_orang_lain_tidak_bisa_memperbaiki_atau_menarik(client, orang_luar, usulan):
    client.force_login(orang_luar)
    assert client.get(reverse("verifikasi:perbaiki", args=[usulan.kode_lacak])).status_code == 404
    assert client.post(reverse("verifikasi:tarik", args=[usulan.kode_lacak])).status_code == 404


def test_pengusul_menarik(client, warga, usulan):
    client.force_login(warga)
    client.post(reverse("verifikasi:tarik", args=[usulan.kode_lacak]), {"catatan": "Sudah dibangun swadaya"})
    usulan.refresh_from_db()
    assert usulan.status == usulan.status_publik == Status.DITARIK


def test_operator_mencatat_atas_nama_warga_hanya_di_desanya(
    client, operator_desa, siklus, titik_moro, foto_moro, desa_lain
):
    from musrenbang.models import Bidang

    client.force_login(operator_desa)
    data = {
        "judul": "Posyandu Mawar",
        "permasalahan": "Alat timbang rusak.",
        "uraian": "Peralatan posyandu.",
        "jenis_pengusul": "pkk",
        "nama_pengusul": "PKK RW 02",
        "kontak_pengusul": "+6281299990000",
        "bidang": Bidang.objects.get(kode="06.01").pk,
        "volume": "1",
        "satuan": "paket",
        "alamat": "Balai RW 02",
        "lat": f"{titik_moro.y:.6f}",
        "lon": f"{titik_moro.x:.6f}",
    }
    jawab = client.post(reverse("verifikasi:catat"), {**data, "foto": [foto_moro()]})
    assert jawab.status_code == 302
    from usulan.models import Usulan

    u = Usulan.objects.get()
    assert (u.nama_pengusul, u.kontak_pengusul, u.dicatat_oleh, u.jenis_pengusul) == (
        "PKK RW 02",
        "+6281299990000",
        operator_desa,
        "pkk",
    )
    luar = desa_lain.batas.point_on_surface
    jawab = client.post(
        reverse("verifikasi:catat"), {**data, "lat": f"{luar.y:.6f}", "lon": f"{luar.x:.6f}", "foto": [foto_moro("b")]}
    )
    assert jawab.status_code == 400 and "di luar desa/kelurahan Anda" in jawab.content.decode()
