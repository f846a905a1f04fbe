"""The prepared aggregates stay exact: after bulk and single inserts, status changes through the real
flow (published or still internal), moves, sector changes, deletes, bulk updates and concurrent
writers, the table equals a recount from the proposals, and no emptied cell is left behind."""

from __future__ import annotations

import importlib
import io
import threading

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection, transaction

from akun.models import Peran
from musrenbang.models import Bidang
from peta.models import STATUS_AGREGAT, UKURAN_SEL_PX, ZOOM_AGREGAT
from tests.peta.bantu import (
    agregat_dari_nol,
    agregat_tersimpan,
    baris_usulan,
    isi_sintetis,
    jumlah_baris_kosong,
)
from tests.skenario import buat_usulan
from usulan.models import Usulan
from verifikasi import transitions as t


def _tepat() -> None:
    assert agregat_tersimpan() == agregat_dari_nol()
    assert jumlah_baris_kosong() == 0


def test_migrasi_memakai_status_zoom_dan_sel_yang_sama_dengan_model():
    migrasi = importlib.import_module("peta.migrations.0002_agregat_pemicu")
    assert migrasi.STATUS == STATUS_AGREGAT
    assert range(migrasi.ZOOM_MIN, migrasi.ZOOM_MAKS + 1) == ZOOM_AGREGAT
    assert migrasi.SEL_PX == UKURAN_SEL_PX


@pytest.mark.django_db
def test_tepat_setelah_sisip_massal_dan_satu_per_satu(siklus, warga, desa, desa_lain):
    isi_sintetis(800)
    assert Usulan.objects.count() == 800
    _tepat()
    buat_usulan(warga, siklus, desa)  # the real service: one INSERT
    baris_usulan(siklus, desa_lain, desa_lain.batas.point_on_surface, status="ditolak", jumlah=3)
    _tepat()
    assert sum(b[5 + 3 * STATUS_AGREGAT.index("ditolak")] for b in agregat_tersimpan() if b[0] == 4) >= 3


@pytest.mark.django_db
def test_tepat_setelah_perubahan_status_lewat_alur(
    siklus, warga, desa, operator_desa, operator_kecamatan, bappeda, opd, alasan
):
    isi_sintetis(200)
    u = buat_usulan(warga, siklus, desa)
    v = buat_usulan(warga, siklus, desa, judul="Lampu jalan")
    t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)
    _tepat()
    t.tolak(usulan_id=v.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Di laut.")
    _tepat()
    t.teruskan(usulan_id=u.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=1)
    sebelum = agregat_tersimpan()
    # Bappeda's decision is internal until published: the public aggregates must not move.
    t.putuskan(
        usulan_id=u.pk, pelaku=bappeda, peran=Peran.BAPPEDA, hasil="diterima", alasan="Prioritas",
        perangkat_daerah=opd, biaya=125_000_000,
    )  # fmt: skip
    assert agregat_tersimpan() == sebelum
    _tepat()
    t.terbitkan(usulan_id=u.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    assert agregat_tersimpan() != sebelum
    _tepat()


@pytest.mark.django_db
def test_tepat_setelah_pindah_lokasi_ganti_bidang_ubah_massal_dan_hapus(siklus, desa, desa_lain):
    isi_sintetis(300)
    [a, b, c] = baris_usulan(siklus, desa, desa.batas.point_on_surface, jumlah=3)
    # Moved to the other end of the kabupaten: both cells change at every zoom.
    p = desa_lain.batas.point_on_surface
    Usulan.objects.filter(pk=a.pk).update(lokasi=Point(p.x, p.y, srid=4326), desa=desa_lain, kecamatan=desa_lain.induk)
    _tepat()
    Usulan.objects.filter(pk=b.pk).update(bidang=Bidang.objects.get(kode="06.01"))
    _tepat()
    # Changes that do not move a proposal between cells leave the table alone.
    sebelum = agregat_tersimpan()
    Usulan.objects.filter(pk=c.pk).update(judul="Judul baru", peringkat_desa=4)
    assert agregat_tersimpan() == sebelum
    Usulan.objects.filter(kode_lacak__startswith="SIN-", status_publik="diajukan").update(status_publik="lolos_desa")
    _tepat()
    Usulan.objects.filter(pk__in=[a.pk, b.pk, c.pk]).delete()
    _tepat()


@pytest.mark.django_db
def test_perintah_bangun_ulang_memulihkan_tabel(siklus):
    isi_sintetis(300)
    sebelum = agregat_tersimpan()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE peta_agregat SET n_diajukan = n_diajukan + 5")
        cursor.execute("DELETE FROM peta_agregat WHERE zoom = 9")
    assert agregat_tersimpan() != sebelum
    keluaran = io.StringIO()
    call_command("bangun_agregat_peta", stdout=keluaran)
    assert agregat_tersimpan() == sebelum
    _tepat()
    assert "sel" in keluaran.getvalue()


@pytest.mark.django_db(transaction=True)
def test_tepat_dengan_penulis_bersamaan(siklus, desa):
    # Four writers insert into the same cells at the same time, each in its own transaction.
    titik = desa.batas.point_on_surface
    mulai = threading.Barrier(4)
    galat: list[BaseException] = []

    def tulis(status: str) -> None:
        try:
            mulai.wait(timeout=10)
            for _ in range(5):
                with transaction.atomic():
                    baris_usulan(siklus, desa, titik, status=status, jumlah=3)
        except BaseException as exc:
            galat.append(exc)
        finally:
            connection.close()

    utas = [threading.Thread(target=tulis, args=(s,)) for s in ("diajukan", "ditolak", "diajukan", "diterima")]
    for u in utas:
        u.start()
    for u in utas:
        u.join(timeout=60)
    assert not galat
    assert Usulan.objects.count() == 60
    _tepat()
