"""A proposal filed on someone's behalf (a desa operator's `catat`, a partner app through Open311)
belongs to the recording account, but its news goes to the proposer's recorded contact: the
operator's own actions are announced too, the recording account hears nothing, no contact means
no message."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from akun.models import Peran
from kabar.models import Notifikasi
from musrenbang.models import Bidang
from tests import factories, gambar
from usulan.models import Usulan
from verifikasi import transitions as t


def _catat(client, operator_desa, titik_moro, foto_moro, kontak: str) -> Usulan:
    client.force_login(operator_desa)
    data = {
        "judul": "Posyandu Mawar",
        "permasalahan": "Alat timbang rusak.",
        "uraian": "Peralatan posyandu.",
        "jenis_pengusul": "pkk",
        "nama_pengusul": "PKK RW 02",
        "kontak_pengusul": kontak,
        "bidang": Bidang.objects.get(kode="06.01").pk,
        "volume": "1",
        "satuan": "paket",
        "alamat": "Balai RW 02",
        "lat": f"{titik_moro.y:.6f}",
        "lon": f"{titik_moro.x:.6f}",
        "foto": [foto_moro(kontak or "tanpa-kontak")],
    }
    assert client.post(reverse("verifikasi:catat"), data).status_code == 302
    return Usulan.objects.get(nama_pengusul="PKK RW 02")


def _kabar_pengusul(usulan: Usulan):
    # The proposer's messages (digests of officials carry no usulan).
    return Notifikasi.objects.filter(usulan=usulan).order_by("saluran")


def test_catatan_operator_dikabarkan_ke_kontak_pengusul(
    client, operator_desa, operator_kecamatan, siklus, titik_moro, foto_moro, alasan
):
    u = _catat(client, operator_desa, titik_moro, foto_moro, "Bu Ani: ani.pkk@contoh.test / 0812-9999-0000")
    assert u.atas_nama and u.pengguna == operator_desa
    # The operator who recorded it acts on it: that is news for the proposer, not silence.
    t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA)
    pesan = _kabar_pengusul(u)
    assert [(n.saluran, n.alamat, n.penerima) for n in pesan] == [
        ("email", "ani.pkk@contoh.test", None),
        ("sms", "+6281299990000", None),
    ]
    assert "Lolos desa" in pesan[0].subjek and f"/usulan/lacak/{u.kode_lacak}/" in pesan[0].isi
    t.kembalikan(
        usulan_id=u.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, alasan_kode=alasan, catatan="Foto kurang"
    )
    assert _kabar_pengusul(u).count() == 4
    # The recording account hears nothing about it (officials' digests aside).
    assert not Notifikasi.objects.filter(penerima=operator_desa, kunci_ringkasan__isnull=True).exists()


def test_tanpa_kontak_tidak_ada_kabar(client, operator_desa, siklus, titik_moro, foto_moro, alasan):
    u = _catat(client, operator_desa, titik_moro, foto_moro, "")
    t.tolak(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Bukan kewenangan")
    assert not _kabar_pengusul(u).exists()
    assert not Notifikasi.objects.filter(penerima=operator_desa).exists()


def test_kontak_tanpa_alamat_yang_bisa_dipakai_tidak_ada_kabar(
    client, operator_desa, siklus, titik_moro, foto_moro, alasan
):
    u = _catat(client, operator_desa, titik_moro, foto_moro, "Ketua RT 02, rumah depan masjid")
    t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA)
    assert not _kabar_pengusul(u).exists()


@pytest.fixture
def akun_aplikasi(db):
    return factories.buat_pengguna("aplikasi_lapor", nama_lengkap="Aplikasi Lapor Warga")


@pytest.fixture
def kunci(akun_aplikasi) -> str:
    keluaran = io.StringIO()
    call_command("buat_kunci_api", "Aplikasi Lapor", "--pengguna", "aplikasi_lapor", stdout=keluaran)
    return keluaran.getvalue().splitlines()[1]


def test_kiriman_open311_dikabarkan_ke_email_dan_telepon_pengirim(
    client, kunci, akun_aplikasi, siklus, titik_moro, operator_desa, alasan
):
    jawab = client.post(
        reverse("open311:requests", kwargs={"format": "json"}),
        {
            "api_key": kunci,
            "service_code": "05.01",
            "lat": f"{titik_moro.y:.7f}",
            "long": f"{titik_moro.x:.7f}",
            "description": "Saluran di depan masjid tersumbat.",
            "first_name": "Siti",
            "email": "siti.api@contoh.test",
            "phone": "081234567890",
            "media": SimpleUploadedFile("a.jpg", gambar.jpeg(lat=titik_moro.y, lon=titik_moro.x), "image/jpeg"),
        },
    )
    assert jawab.status_code == 201, jawab.content
    u = Usulan.objects.get(kode_lacak=jawab.json()[0]["service_request_id"])
    assert u.atas_nama and u.pengguna == akun_aplikasi
    t.kembalikan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto buram")
    assert [(n.saluran, n.alamat) for n in _kabar_pengusul(u)] == [
        ("email", "siti.api@contoh.test"),
        ("sms", "+6281234567890"),
    ]
    assert not Notifikasi.objects.filter(penerima=akun_aplikasi).exists()


def test_usulan_warga_sendiri_tetap_ke_akunnya(usulan, warga, operator_desa):
    assert not usulan.atas_nama
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    assert {n.penerima for n in _kabar_pengusul(usulan)} == {warga}
