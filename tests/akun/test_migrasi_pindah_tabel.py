"""The role assignments, two-step enrolment codes and the outbox moved to akun and kabar with their
rows: a database filled at the migration state before the move (Penugasan in verifikasi,
KodePendaftaranDuaLangkah in musrenbang, Notifikasi in verifikasi) migrates forward with every row,
id and link unchanged, the content types (and so the permissions given to groups) follow, and the
application's role can still read and write the renamed tables without being granted again."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from akun.models import KodePendaftaranDuaLangkah, Penugasan, Peran
from kabar.models import Notifikasi, StatusNotifikasi
from musrenbang import peran_db
from tests import settings as pengaturan_uji

# Unapplying the first migration of the two new apps takes back everything that builds on it (the old
# apps' 0007, which drop the models from their state): what is left is the schema before the move.
SEBELUM_PINDAH = [("akun", None), ("kabar", None)]
TABEL_LAMA = ["verifikasi_penugasan", "musrenbang_kodependaftarandualangkah", "verifikasi_notifikasi"]
TABEL_BARU = ["akun_penugasan", "akun_kodependaftarandualangkah", "kabar_notifikasi"]


def _tabel_ada() -> set[str]:
    with connection.cursor() as kursor:
        kursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {nama for (nama,) in kursor.fetchall()}


def _ke_terbaru() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def sebelum_pindah(transactional_db) -> Iterator[object]:
    """The historical apps of the database migrated back to before the move; always forward again
    afterwards, so a failing test leaves the schema the other tests expect."""
    executor = MigrationExecutor(connection)
    try:
        negara = executor.migrate(SEBELUM_PINDAH)
        yield negara.apps
    finally:
        _ke_terbaru()


def _isi_lama(apps) -> dict[str, int]:
    """One row of each moved table, written through the historical models of the old apps."""
    Pengguna = apps.get_model("musrenbang", "Pengguna")
    PerangkatDaerah = apps.get_model("musrenbang", "PerangkatDaerah")
    PenugasanLama = apps.get_model("verifikasi", "Penugasan")
    KodeLama = apps.get_model("musrenbang", "KodePendaftaranDuaLangkah")
    NotifikasiLama = apps.get_model("verifikasi", "Notifikasi")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    orang = Pengguna.objects.create(username="petugas-lama", email="lama@contoh.id", telepon="+6281200000001")
    opd = PerangkatDaerah.objects.create(kode="uji.pindah", nama="Dinas Uji Pindah", singkatan="DUP")
    opd_lain = PerangkatDaerah.objects.create(kode="uji.pindah.2", nama="Dinas Uji Lain", singkatan="DUL")
    tugas = PenugasanLama.objects.create(pengguna=orang, peran="opd", perangkat_daerah=opd, aktif=True)
    kode = KodeLama.objects.create(
        pengguna=orang,
        hash_kode="a" * 64,
        berlaku_sampai=timezone.now() + datetime.timedelta(hours=24),
        dibuat_oleh=orang,
    )
    pesan = NotifikasiLama.objects.create(
        penerima=orang,
        saluran="email",
        alamat="lama@contoh.id",
        subjek="Subjek lama",
        isi="Isi lama",
        kode_pesan="",
        status="antre",
        kirim_setelah=timezone.now(),
        kunci_ringkasan="ringkasan:lama",
    )
    jenis, _dibuat = ContentType.objects.get_or_create(app_label="verifikasi", model="penugasan")
    hak, _dibuat = Permission.objects.get_or_create(
        content_type=jenis, codename="change_penugasan", defaults={"name": "Can change penugasan"}
    )
    kelompok = Group.objects.create(name="pengelola penugasan")
    kelompok.permissions.add(hak)
    return {
        "orang": orang.pk,
        "opd": opd.pk,
        "opd_lain": opd_lain.pk,
        "tugas": tugas.pk,
        "kode": kode.pk,
        "pesan": pesan.pk,
        "jenis": jenis.pk,
        "kelompok": kelompok.pk,
    }


def test_baris_pindah_utuh_ke_akun_dan_kabar(sebelum_pindah):
    ada = _tabel_ada()
    assert set(TABEL_LAMA) <= ada and not set(TABEL_BARU) & ada
    pk = _isi_lama(sebelum_pindah)

    _ke_terbaru()

    ada = _tabel_ada()
    assert set(TABEL_BARU) <= ada and not set(TABEL_LAMA) & ada
    tugas = Penugasan.objects.get(pk=pk["tugas"])
    assert (tugas.pengguna_id, tugas.peran, tugas.perangkat_daerah_id, tugas.wilayah_id, tugas.aktif) == (
        pk["orang"],
        Peran.OPD,
        pk["opd"],
        None,
        True,
    )
    kode = KodePendaftaranDuaLangkah.objects.get(pk=pk["kode"])
    assert (kode.pengguna_id, kode.hash_kode, kode.dibuat_oleh_id, kode.dipakai_pada) == (
        pk["orang"],
        "a" * 64,
        pk["orang"],
        None,
    )
    pesan = Notifikasi.objects.get(pk=pk["pesan"])
    assert (pesan.penerima_id, pesan.alamat, pesan.subjek, pesan.status, pesan.kunci_ringkasan) == (
        pk["orang"],
        "lama@contoh.id",
        "Subjek lama",
        StatusNotifikasi.ANTRE,
        "ringkasan:lama",
    )
    # The relations through the user model still find the rows.
    orang = tugas.pengguna
    assert list(orang.penugasan.values_list("pk", flat=True)) == [pk["tugas"]]
    assert list(orang.kode_pendaftaran_dua_langkah.values_list("pk", flat=True)) == [pk["kode"]]
    assert list(orang.notifikasi.values_list("pk", flat=True)) == [pk["pesan"]]
    # The same content type, relabelled: the group's permission now reads akun.change_penugasan.
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.get(pk=pk["jenis"]).app_label == "akun"
    hak = Group.objects.get(pk=pk["kelompok"]).permissions.get()
    assert (hak.content_type_id, hak.content_type.app_label, hak.codename) == (pk["jenis"], "akun", "change_penugasan")
    # New rows continue the old sequences (renamed with their tables), never reusing an id.
    baru = Penugasan.objects.create(pengguna=orang, peran=Peran.OPD, perangkat_daerah_id=pk["opd_lain"])
    assert baru.pk > pk["tugas"]
    with connection.cursor() as kursor:
        kursor.execute("SELECT pg_get_serial_sequence('akun_penugasan', 'id')")
        assert kursor.fetchone()[0] == "public.akun_penugasan_id_seq"


@pytest.mark.skipif(
    not pengaturan_uji.URL_PERAN_APLIKASI,
    reason="no application role configured (DATABASE_URL_PEMILIK unset: one role); `make setup` makes both",
)
def test_peran_aplikasi_tetap_berhak_atas_tabel_yang_pindah(transactional_db):
    """Rights given before the move (as `manage.py migrate` gives them) still hold on the renamed
    tables and their sequences, before any new grant."""
    url = urlsplit(pengaturan_uji.URL_PERAN_APLIKASI)
    executor = MigrationExecutor(connection)
    try:
        apps = executor.migrate(SEBELUM_PINDAH).apps
        with connection.cursor() as kursor:
            peran_db.beri_hak_aplikasi(kursor, url.username)
        pk = _isi_lama(apps)
    finally:
        _ke_terbaru()
    db = connection.settings_dict
    con = psycopg2.connect(
        dbname=db["NAME"],
        user=url.username,
        password=url.password or "",
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    con.autocommit = True
    try:
        kursor = con.cursor()
        kursor.execute("SELECT peran FROM akun_penugasan WHERE id = %s", [pk["tugas"]])
        assert kursor.fetchone() == ("opd",)
        kursor.execute("UPDATE akun_penugasan SET aktif = false WHERE id = %s", [pk["tugas"]])
        kursor.execute(
            "INSERT INTO akun_penugasan (pengguna_id, peran, perangkat_daerah_id, aktif, dibuat) "
            "VALUES (%s, 'opd', %s, true, now()) RETURNING id",
            [pk["orang"], pk["opd_lain"]],
        )
        assert kursor.fetchone()[0] > pk["tugas"]
        kursor.execute("SELECT hash_kode FROM akun_kodependaftarandualangkah WHERE id = %s", [pk["kode"]])
        assert kursor.fetchone() == ("a" * 64,)
        kursor.execute("UPDATE akun_kodependaftarandualangkah SET dipakai_pada = now() WHERE id = %s", [pk["kode"]])
        kursor.execute(
            "INSERT INTO kabar_notifikasi (penerima_id, saluran, alamat, subjek, isi, kode_pesan, status, "
            "kirim_setelah, percobaan, galat_terakhir, dibuat) "
            "VALUES (%s, 'email', 'x@contoh.id', 's', 'i', '', 'antre', now(), 0, '', now()) RETURNING id",
            [pk["orang"]],
        )
        (baru,) = kursor.fetchone()
        assert baru > pk["pesan"]
        kursor.execute("DELETE FROM kabar_notifikasi WHERE id IN (%s, %s)", [pk["pesan"], baru])
        assert kursor.rowcount == 2
    finally:
        con.close()
    assert not Penugasan.objects.get(pk=pk["tugas"]).aktif
    assert KodePendaftaranDuaLangkah.objects.get(pk=pk["kode"]).dipakai_pada is not None
    assert not Notifikasi.objects.exists()
