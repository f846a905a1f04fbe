"""Pruning: `bersihkan_notifikasi` deletes sent and failed outbox rows queued more than
NOTIFIKASI_SIMPAN_HARI (90) days ago, never a queued one; `bersihkan_batas_laju` deletes only counters
whose window has ended. Both work in batches and print the count; the worker runs both every hour."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kabar.management.commands import kirim_notifikasi
from kabar.models import Notifikasi, Saluran, StatusNotifikasi
from kabar.notifikasi import hapus_yang_lama
from musrenbang import batas_laju
from musrenbang.models import BatasLaju
from usulan.models import UnggahanFoto


def _notifikasi(status: str, umur_hari: float) -> Notifikasi:
    n = Notifikasi.objects.create(
        saluran=Saluran.EMAIL,
        alamat="warga@contoh.id",
        subjek="S",
        isi="I",
        status=status,
        kirim_setelah=timezone.now(),
    )
    Notifikasi.objects.filter(pk=n.pk).update(dibuat=timezone.now() - datetime.timedelta(days=umur_hari))
    return n


@pytest.fixture
def kotak_keluar(db) -> dict[str, Notifikasi]:
    return {
        "terkirim_lama": _notifikasi(StatusNotifikasi.TERKIRIM, 91),
        "gagal_lama": _notifikasi(StatusNotifikasi.GAGAL, 200),
        "terkirim_lama_2": _notifikasi(StatusNotifikasi.TERKIRIM, 95),
        "antre_lama": _notifikasi(StatusNotifikasi.ANTRE, 400),
        "terkirim_baru": _notifikasi(StatusNotifikasi.TERKIRIM, 89),
        "gagal_baru": _notifikasi(StatusNotifikasi.GAGAL, 1),
    }


def _sisa() -> set[int]:
    return set(Notifikasi.objects.values_list("pk", flat=True))


def test_notifikasi_lama_terkirim_dan_gagal_dihapus_bertahap(kotak_keluar):
    keluaran = io.StringIO()
    call_command("bersihkan_notifikasi", "--per-batch", "2", stdout=keluaran)
    assert keluaran.getvalue() == "Notifikasi terkirim/gagal lebih tua dari 90 hari dihapus: 3\n"
    assert _sisa() == {kotak_keluar[k].pk for k in ("antre_lama", "terkirim_baru", "gagal_baru")}
    keluaran = io.StringIO()
    call_command("bersihkan_notifikasi", stdout=keluaran)  # nothing left to delete
    assert keluaran.getvalue().endswith("dihapus: 0\n")


def test_umur_simpan_dari_pengaturan_atau_opsi(settings, kotak_keluar):
    settings.NOTIFIKASI_SIMPAN_HARI = 150
    call_command("bersihkan_notifikasi", stdout=io.StringIO())
    assert kotak_keluar["gagal_lama"].pk not in _sisa() and kotak_keluar["terkirim_lama"].pk in _sisa()
    keluaran = io.StringIO()
    call_command("bersihkan_notifikasi", "--umur-hari", "2", stdout=keluaran)
    assert "lebih tua dari 2 hari dihapus: 3" in keluaran.getvalue()  # 91, 95 and 89 days old
    assert _sisa() == {kotak_keluar[k].pk for k in ("antre_lama", "gagal_baru")}


def test_penghitung_batas_laju_kedaluwarsa_dihapus(db, settings, monkeypatch):
    settings.BATAS_MASUK_JENDELA_MENIT = 120  # the longest window: two hours
    sekarang = timezone.now()
    for i in range(5):  # windows that ended long ago
        BatasLaju.objects.create(kunci=f"lama:{i}", mulai=sekarang - datetime.timedelta(hours=3, minutes=i), jumlah=4)
    # Started 90 minutes ago: a sign-in window of two hours is still counting in it.
    BatasLaju.objects.create(kunci="masuk:berjalan", mulai=sekarang - datetime.timedelta(minutes=90), jumlah=9)
    BatasLaju.objects.create(kunci="menit:baru", mulai=sekarang, jumlah=1)
    keluaran = io.StringIO()
    call_command("bersihkan_batas_laju", "--per-batch", "2", stdout=keluaran)
    assert keluaran.getvalue() == "Penghitung batas laju kedaluwarsa dihapus: 5\n"
    assert set(BatasLaju.objects.values_list("kunci", flat=True)) == {"masuk:berjalan", "menit:baru"}
    # A counter kept counts on: the next attempt in its window adds to it.
    monkeypatch.setattr(batas_laju, "_awal_jendela", lambda jendela: sekarang - datetime.timedelta(minutes=90))
    assert not batas_laju.hitung("masuk:berjalan", batas=9, jendela_detik=7200)


def test_pekerja_membersihkan_saat_mulai(kotak_keluar, warga):
    BatasLaju.objects.create(kunci="lama", mulai=timezone.now() - datetime.timedelta(days=2), jumlah=1)
    # A photo uploaded two days ago for a proposal that was never sent, and one uploaded just now.
    for umur in (datetime.timedelta(days=2), datetime.timedelta(0)):
        u = UnggahanFoto.objects.create(
            pengguna=warga,
            asli="unggahan/x.jpg",
            web="unggahan/x_web.jpg",
            thumbnail="unggahan/x_kecil.jpg",
            ekstensi="jpg",
            sha256="0" * 64,
            format="JPEG",
            ukuran_byte=1,
            lebar=1,
            tinggi=1,
        )
        UnggahanFoto.objects.filter(pk=u.pk).update(dibuat=timezone.now() - umur)
    perintah = kirim_notifikasi.Command(stdout=io.StringIO())
    perintah._bersihkan()
    assert perintah.stdout._out.getvalue() == "Dibersihkan: notifikasi=3 batas_laju=1 unggahan=1\n"
    assert not BatasLaju.objects.exists()
    assert UnggahanFoto.objects.count() == 1


def _delete(konteks: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in konteks.captured_queries if q["sql"].lstrip().upper().startswith("DELETE")]


def test_batch_benar_benar_bertahap(kotak_keluar):
    """Three old rows with a batch of two: two DELETE statements, not one."""
    with CaptureQueriesContext(connection) as konteks:
        call_command("bersihkan_notifikasi", "--per-batch", "2", stdout=io.StringIO())
    assert len(_delete(konteks)) == 2, _delete(konteks)
    with CaptureQueriesContext(connection) as konteks:
        call_command("bersihkan_notifikasi", "--per-batch", "1", stdout=io.StringIO())
    assert _delete(konteks) == []  # nothing left: no DELETE at all


def test_baris_yang_berubah_status_di_antara_select_dan_delete_tidak_dihapus(kotak_keluar):
    """Between a batch's SELECT of keys and its DELETE, another process queues one of the rows again:
    the DELETE re-applies the filter, so that row is kept."""
    dikembalikan = kotak_keluar["terkirim_lama"].pk
    sudah = []

    def sela(execute, sql, params, many, context):
        hasil = execute(sql, params, many, context)
        if not sudah and sql.lstrip().upper().startswith("SELECT") and "kabar_notifikasi" in sql:
            sudah.append(sql)  # right after the first SELECT of keys: the row is queued again
            with connection.cursor() as cur:
                cur.execute(
                    "UPDATE kabar_notifikasi SET status = %s WHERE id = %s", [StatusNotifikasi.ANTRE, dikembalikan]
                )
        return hasil

    with connection.execute_wrapper(sela):
        terhapus = hapus_yang_lama(umur_hari=90, per_batch=10)
    assert sudah
    assert terhapus == 2
    assert dikembalikan in _sisa()
    assert Notifikasi.objects.get(pk=dikembalikan).status == StatusNotifikasi.ANTRE
