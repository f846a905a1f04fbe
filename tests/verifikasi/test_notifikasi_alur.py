"""Every status change queues a message for the proposer in the same transaction; work arriving at
the next level goes into that level's officials' daily digest."""

from __future__ import annotations

import pytest
from django.db import transaction

from akun.models import Peran
from kabar.models import Notifikasi
from tests.skenario import buat_usulan
from usulan.models import Status
from verifikasi import transitions as t


def test_pengusul_dikabari_setiap_perubahan(usulan, warga, operator_desa, alasan):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto buram")
    pesan = Notifikasi.objects.filter(penerima=warga, usulan=usulan).exclude(kode_pesan="konfirmasi_usulan")
    assert {n.saluran for n in pesan} == {"email", "sms"}  # warga has both an e-mail address and a phone
    email = pesan.get(saluran="email")
    assert email.alamat == warga.email and usulan.kode_lacak in email.subjek
    assert "Dikembalikan" in email.isi and f"/usulan/lacak/{usulan.kode_lacak}/" in email.isi


def test_kecamatan_menerima_ringkasan_harian(usulan, usulan_lain, operator_desa, operator_kecamatan, desa):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA)
    ringkasan = Notifikasi.objects.filter(penerima=operator_kecamatan, kunci_ringkasan__isnull=False)
    assert ringkasan.count() == 1
    assert usulan.kode_lacak in ringkasan.get().isi


def test_tidak_ada_pesan_bila_perubahan_gagal(usulan, warga, operator_desa, alasan, monkeypatch):
    sebelum = Notifikasi.objects.count()
    with pytest.raises(t.TransisiDitolak):
        t.tolak(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=None, catatan="")
    assert Notifikasi.objects.count() == sebelum
    # A failure after the messages were queued rolls them back with the change.
    with pytest.raises(RuntimeError), transaction.atomic():
        t.tolak(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="x")
        raise RuntimeError("gagal setelahnya")
    usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN and Notifikasi.objects.count() == sebelum


def test_pengajuan_baru_masuk_ringkasan_desa_sekali_saja(warga, siklus, desa, operator_desa, operator_desa_lain):
    # Queued by the submission itself (usulan.services.usulan_buat → usulan.pesan.pengajuan_kabarkan).
    u = buat_usulan(warga, siklus, desa)
    ringkasan = Notifikasi.objects.filter(penerima=operator_desa, kunci_ringkasan__isnull=False)
    assert ringkasan.count() == 1 and u.kode_lacak in ringkasan.get().isi  # operator_desa has e-mail only
    assert ringkasan.get().isi.count(u.kode_lacak) == 1
    assert not Notifikasi.objects.filter(penerima=operator_desa_lain).exists()


def test_konfirmasi_pengajuan_lewat_antrean(warga, siklus, desa):
    u = buat_usulan(warga, siklus, desa)
    (konfirmasi,) = Notifikasi.objects.filter(usulan=u, kode_pesan="konfirmasi_usulan")
    assert (konfirmasi.penerima, konfirmasi.saluran, konfirmasi.alamat) == (warga, "email", warga.email)
    assert konfirmasi.subjek == f"Usulan {u.kode_lacak} diterima sistem"
    assert f"/usulan/lacak/{u.kode_lacak}/" in konfirmasi.isi


def test_pengajuan_gagal_tidak_meninggalkan_pesan(warga, siklus, desa, operator_desa):
    with pytest.raises(RuntimeError), transaction.atomic():
        buat_usulan(warga, siklus, desa)
        raise RuntimeError("gagal sesudah pengajuan")
    assert not Notifikasi.objects.exists()
