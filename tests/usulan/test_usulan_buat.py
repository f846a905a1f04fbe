"""usulan_buat: a proposal with photos is stored whole, or not at all."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import DatabaseError

from kabar.notifikasi import kirim_antrean
from tests import factories
from tests.fixtures_usulan import berkas_tersimpan
from usulan.models import Aksi, FotoUsulan, RiwayatStatus, Status, Usulan
from usulan.services import usulan_buat


def test_usulan_tersimpan_lengkap(
    warga, siklus, isi_usulan, foto_moro, media_kosong, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        usulan = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro("a"), foto_moro("b")])
    assert re.fullmatch(rf"2102-{siklus.tahun}-00001", usulan.kode_lacak)
    assert (usulan.desa.kode, usulan.kecamatan.kode) == ("21.02.01.1003", "21.02.01")
    assert usulan.status == usulan.status_publik == Status.DIAJUKAN
    assert usulan.nama_pengusul == "Siti Aminah"
    foto = list(usulan.foto.order_by("urutan"))
    assert [f.urutan for f in foto] == [1, 2]
    for f in foto:
        assert storages["privat"].exists(f.asli) and storages["default"].exists(f.web)
        assert storages["default"].exists(f.thumbnail)
        assert f.asli.endswith(".jpg") and len(f.sha256) == 64 and (f.lebar, f.tinggi) == (800, 600)
        assert f.lokasi_exif is not None and f.jarak_dari_pin_m < 1
        assert f.bendera == []
    assert len(berkas_tersimpan()) == 6
    riwayat = RiwayatStatus.objects.get(usulan=usulan)
    assert (riwayat.aksi, riwayat.dari_status, riwayat.ke_status, riwayat.pelaku) == (
        Aksi.AJUKAN,
        "",
        Status.DIAJUKAN,
        warga,
    )
    # The confirmation is queued in the outbox with the proposal; the worker sends it.
    assert mail.outbox == []
    assert kirim_antrean()["terkirim"] == 1
    assert len(mail.outbox) == 1 and usulan.kode_lacak in mail.outbox[0].body
    assert mail.outbox[0].to == [warga.email]


def test_kode_lacak_berurutan(warga, siklus, isi_usulan, foto_moro):
    kode = [
        usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro(str(i))]).kode_lacak
        for i in range(3)
    ]
    assert [k[-5:] for k in kode] == ["00001", "00002", "00003"]


def test_biaya_dari_kamus(warga, siklus, isi_usulan, foto_moro):
    kamus = factories.buat_kamus(siklus, harga="450000")
    usulan = usulan_buat(
        pengguna=warga,
        siklus=siklus,
        isi=isi_usulan(kamus=kamus, volume=Decimal("120.5"), satuan=""),
        foto=[foto_moro()],
    )
    assert usulan.satuan == "meter"
    assert usulan.perkiraan_biaya == Decimal("54225000")


def test_di_luar_kabupaten_ditolak_tanpa_sisa(warga, siklus, isi_usulan, foto_moro, singapura, media_kosong):
    with pytest.raises(ValidationError) as galat:
        usulan_buat(
            pengguna=warga, siklus=siklus, isi=isi_usulan(lat=singapura[0], lon=singapura[1]), foto=[foto_moro()]
        )
    assert "di luar wilayah Kabupaten Karimun" in galat.value.message_dict["lokasi"][0]
    assert Usulan.objects.count() == 0 and berkas_tersimpan() == []


def test_desa_tumpang_tindih_deterministik(warga, siklus, isi_usulan, foto_moro):
    isi = isi_usulan(lat=1.124183565424692, lon=103.35940125633786)
    usulan = usulan_buat(pengguna=warga, siklus=siklus, isi=isi, foto=[foto_moro()])
    assert usulan.desa.kode == "21.02.05.2007" and usulan.kecamatan.kode == "21.02.05"


def test_lokasi_dari_gps_foto_bila_pin_kosong(warga, siklus, isi_usulan, foto_moro, titik_moro):
    usulan = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(lat=None, lon=None), foto=[foto_moro()])
    assert usulan.lokasi.distance(titik_moro) < 1e-6
    assert "GPS foto" in usulan.riwayat.get().teks_catatan


def test_tanpa_pin_dan_tanpa_gps_ditolak(warga, siklus, isi_usulan, foto_moro):
    with pytest.raises(ValidationError) as galat:
        usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(lat=None, lon=None), foto=[foto_moro(lat=None)])
    assert "Tentukan lokasi" in galat.value.message_dict["lokasi"][0]


def test_jendela_tertutup(warga, karimun, isi_usulan, foto_moro):
    siklus = factories.buat_siklus(karimun, terbuka=False)
    with pytest.raises(ValidationError, match="sudah ditutup pada"):
        usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro()])
    assert Usulan.objects.count() == 0


def test_tanpa_foto_atau_terlalu_banyak(warga, siklus, isi_usulan, foto_moro):
    with pytest.raises(ValidationError, match="minimal satu foto"):
        usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[])
    with pytest.raises(ValidationError, match="Paling banyak 5 foto"):
        usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro(str(i)) for i in range(6)])


def test_satu_foto_rusak_tidak_menyimpan_apa_pun(warga, siklus, isi_usulan, foto_moro, media_kosong):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rusak = SimpleUploadedFile("rusak.jpg", foto_moro().read()[:5000], "image/jpeg")
    with pytest.raises(ValidationError) as galat:
        usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro("b"), rusak])
    assert galat.value.message_dict["foto"][0].startswith("rusak.jpg: ")
    assert Usulan.objects.count() == 0 and FotoUsulan.objects.count() == 0 and berkas_tersimpan() == []


def test_gagal_di_tengah_transaksi_tidak_meninggalkan_berkas(
    warga, siklus, isi_usulan, foto_moro, media_kosong, monkeypatch
):
    # The last write (the history row) fails after every file was written: all must be undone.
    def gagal(*args, **kwargs):
        raise DatabaseError("koneksi putus")

    monkeypatch.setattr(RiwayatStatus.objects, "create", gagal)
    with pytest.raises(DatabaseError):
        usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro("a"), foto_moro("b")])
    assert Usulan.objects.count() == 0 and FotoUsulan.objects.count() == 0
    assert berkas_tersimpan() == []


def test_bendera_untuk_verifikator(warga, siklus, isi_usulan, foto_moro, titik_moro):
    sekarang = datetime.datetime.now()
    jauh = foto_moro("jauh", lat=titik_moro.y + 0.01)  # ~1.1 km north
    lama = foto_moro("lama", diambil=sekarang - datetime.timedelta(days=800))
    depan = foto_moro("depan", diambil=sekarang + datetime.timedelta(days=10))
    usulan = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[jauh, lama, depan])
    f_jauh, f_lama, f_depan = usulan.foto.order_by("urutan")
    assert f_jauh.bendera_jauh and 1000 < f_jauh.jarak_dari_pin_m < 1250
    assert not f_jauh.bendera_lama and not f_jauh.bendera_masa_depan
    assert f_lama.bendera_lama and not f_lama.bendera_jauh
    assert f_depan.bendera_masa_depan
    assert "m dari pin" in f_jauh.bendera[0]
    # The same photo used again by another proposal is flagged on the second one.
    ulang = usulan_buat(
        pengguna=warga, siklus=siklus, isi=isi_usulan(judul="Lain"), foto=[foto_moro("jauh", lat=titik_moro.y + 0.01)]
    )
    assert ulang.foto.get().duplikat_dari == usulan
    assert usulan.foto.filter(duplikat_dari__isnull=False).count() == 0


def test_operator_mencatat_atas_nama_kelompok(operator_desa, siklus, isi_usulan, foto_moro):
    usulan = usulan_buat(
        pengguna=operator_desa,
        dicatat_oleh=operator_desa,
        siklus=siklus,
        isi=isi_usulan(jenis_pengusul="rt", nama_pengusul="RT 03 RW 01", kontak_pengusul="+6281233334444"),
        foto=[foto_moro()],
    )
    assert usulan.nama_pengusul == "RT 03 RW 01" and usulan.dicatat_oleh == operator_desa
    assert usulan.riwayat.get().peran == "desa"
