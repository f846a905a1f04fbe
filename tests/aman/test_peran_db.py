"""Two database roles (musrenbang/peran_db.py): the owner runs the migrations; the application's role
(DATABASE_URL, made by set-up) only reads and writes rows. Proven against the test database, migrated
by the owner: the application's role cannot update, delete or truncate history, disable or drop its
triggers, replace their functions, switch triggers off for its session, or create anything; it owns
nothing; and the whole flow (a proposal with its photo, verification, notifications, pages, rate
limits, pruning) works under it."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg2
import pytest
from django.db import connection, connections
from django.utils import timezone
from psycopg2 import errors

from akun.models import Peran
from kabar.models import Notifikasi, StatusNotifikasi
from kabar.notifikasi import antrekan, hapus_yang_lama, kirim_antrean
from musrenbang import batas_laju, peran_db
from tests import settings as pengaturan_uji
from tests.skenario import buat_usulan
from tests.verifikasi import notifikasi_uji
from usulan.models import RiwayatStatus
from verifikasi import transitions

pytestmark = pytest.mark.skipif(
    not pengaturan_uji.URL_PERAN_APLIKASI,
    reason="no application role configured (DATABASE_URL_PEMILIK unset: one role); `make setup` makes both",
)
RIWAYAT = RiwayatStatus._meta.db_table


def _peran() -> tuple[str, str]:
    url = urlsplit(pengaturan_uji.URL_PERAN_APLIKASI)
    return url.username, url.password or ""


@pytest.fixture
def hak_diberikan(transactional_db) -> str:
    """The owner (the tests' role) has given the application's role its rights, as migrate does."""
    peran, _ = _peran()
    with connection.cursor() as cur:  # autocommit in a transactional test: committed for other sessions
        peran_db.beri_hak_aplikasi(cur, peran)
    return peran


@pytest.fixture
def sebagai_aplikasi(hak_diberikan):
    """Within: Django's connection signs in as the application's role (the owner again for teardown,
    whose flush truncates every table)."""
    peran, sandi = _peran()
    koneksi = connections["default"]
    asli = {k: koneksi.settings_dict[k] for k in ("USER", "PASSWORD")}
    koneksi.close()
    koneksi.settings_dict.update(USER=peran, PASSWORD=sandi)
    try:
        yield peran
    finally:
        koneksi.close()
        koneksi.settings_dict.update(asli)


@pytest.fixture
def psql_aplikasi(hak_diberikan):
    db = connection.settings_dict
    peran, sandi = _peran()
    con = psycopg2.connect(
        dbname=db["NAME"], user=peran, password=sandi, host=db["HOST"] or None, port=db["PORT"] or None
    )
    con.autocommit = True
    yield con.cursor()
    con.close()


@pytest.mark.parametrize(
    "perintah",
    [
        f"UPDATE {RIWAYAT} SET catatan = 'diubah'",  # noqa: S608 (a constant table name)
        f"DELETE FROM {RIWAYAT}",  # noqa: S608
        f"TRUNCATE {RIWAYAT}",
        f"ALTER TABLE {RIWAYAT} DISABLE TRIGGER usulan_riwayat_tidak_bisa_diubah",
        f"ALTER TABLE {RIWAYAT} DISABLE TRIGGER ALL",
        f"DROP TRIGGER usulan_riwayat_tidak_bisa_diubah ON {RIWAYAT}",
        f"DROP TRIGGER usulan_riwayat_tidak_bisa_dikosongkan ON {RIWAYAT}",
        "CREATE OR REPLACE FUNCTION usulan_riwayat_tolak_ubah() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE OR REPLACE FUNCTION usulan_riwayat_tolak_kosongkan() RETURNS trigger AS $$ BEGIN RETURN NULL; "
        "END $$ LANGUAGE plpgsql",
        "DROP FUNCTION usulan_riwayat_tolak_ubah() CASCADE",
        f"DROP TABLE {RIWAYAT} CASCADE",
        "SET session_replication_role = replica",  # would switch every trigger off for the session
        "CREATE TABLE pintu_belakang (id int)",
        "TRUNCATE usulan_usulan CASCADE",
        "DELETE FROM django_migrations",
    ],
)
def test_peran_aplikasi_tidak_bisa_mengubah_riwayat_atau_pemicunya(psql_aplikasi, perintah):
    with pytest.raises(errors.InsufficientPrivilege):
        psql_aplikasi.execute(perintah)


def test_peran_aplikasi_tidak_memiliki_apa_pun_dan_mendapat_hak_tepat(psql_aplikasi, hak_diberikan):
    # Owns no relation, function, schema, type, or database.
    for katalog, pemilik in (
        ("pg_class", "relowner"),
        ("pg_proc", "proowner"),
        ("pg_namespace", "nspowner"),
        ("pg_type", "typowner"),
        ("pg_database", "datdba"),
    ):
        psql_aplikasi.execute(
            f"SELECT count(*) FROM {katalog} x JOIN pg_roles r ON r.oid = x.{pemilik} "  # noqa: S608 (constants)
            "WHERE r.rolname = current_user"
        )
        assert psql_aplikasi.fetchone() == (0,), katalog
    psql_aplikasi.execute(
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = current_user"
    )
    assert psql_aplikasi.fetchone() == (False, False, False, False)
    # Every table the migrations made (the catalog, so a table added later is covered too).
    psql_aplikasi.execute(
        """SELECT c.relname,
                  has_table_privilege(c.oid, 'SELECT'), has_table_privilege(c.oid, 'INSERT'),
                  has_table_privilege(c.oid, 'UPDATE'), has_table_privilege(c.oid, 'DELETE'),
                  has_table_privilege(c.oid, 'TRUNCATE'), has_table_privilege(c.oid, 'TRIGGER')
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'spatial_ref_sys'"""
    )
    hak = {nama: tuple(baris) for nama, *baris in psql_aplikasi.fetchall()}
    assert len(hak) > 30
    assert hak.pop(RIWAYAT) == (True, True, False, False, False, False)
    assert hak.pop("django_migrations") == (True, False, False, False, False, False)
    assert {nama for nama, h in hak.items() if h != (True, True, True, True, False, False)} == set()
    psql_aplikasi.execute("SELECT has_schema_privilege('public', 'CREATE')")
    assert psql_aplikasi.fetchone() == (False,)


def _hak_semua_tabel(cur) -> dict[str, tuple[bool, ...]]:
    cur.execute(
        """SELECT c.relname, has_table_privilege(c.oid, 'SELECT'), has_table_privilege(c.oid, 'INSERT'),
                  has_table_privilege(c.oid, 'UPDATE'), has_table_privilege(c.oid, 'DELETE')
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind = 'r'"""
    )
    return {nama: tuple(baris) for nama, *baris in cur.fetchall()}


def test_pemberian_hak_satu_transaksi_gagal_di_tengah_tidak_mengubah_apa_pun(psql_aplikasi, hak_diberikan):
    """An error between a table's REVOKE and its GRANT (here: the third GRANT on a table fails) rolls
    the whole set back: the application's role keeps exactly the rights it had."""
    sebelum = _hak_semua_tabel(psql_aplikasi)
    grant_tabel = []

    def gagal_di_tengah(execute, sql, params, many, context):
        teks = sql.as_string(context["connection"].connection) if hasattr(sql, "as_string") else sql
        if teks.startswith("GRANT") and " ON TABLE " in teks:
            grant_tabel.append(teks)
            if len(grant_tabel) == 3:
                raise RuntimeError("gagal di tengah")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(gagal_di_tengah), connection.cursor() as cur, pytest.raises(RuntimeError):
        peran_db.beri_hak_aplikasi(cur, hak_diberikan)
    assert len(grant_tabel) == 3
    assert _hak_semua_tabel(psql_aplikasi) == sebelum


def test_aplikasi_berjalan_penuh_sebagai_peran_aplikasi(
    sebagai_aplikasi, settings, client, warga, operator_desa, siklus, desa
):
    with connection.cursor() as cur:
        cur.execute("SELECT current_user")
        assert cur.fetchone() == (sebagai_aplikasi,)
    pencatat = notifikasi_uji.pasang(settings)
    # A proposal with its photo (the pipeline writes the rows, the map aggregates' triggers run).
    usulan = buat_usulan(warga, siklus, desa, judul="Usulan sebagai peran aplikasi")
    transitions.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)
    assert RiwayatStatus.objects.filter(usulan=usulan).count() == 2
    # The outbox: queued, sent, and pruned.
    antrekan(warga, subjek="Uji peran", isi="Isi.")
    kirim_antrean(batas=50)
    # Everything due is sent; only the desa's digest line waits for its morning hour.
    assert "Uji peran" in [subjek for _pk, subjek, _utas in pencatat.terkirim]
    assert not Notifikasi.objects.filter(status=StatusNotifikasi.ANTRE, kirim_setelah__lte=timezone.now()).exists()
    assert hapus_yang_lama(umur_hari=1) == 0
    assert batas_laju.hitung("uji-peran", batas=5) and batas_laju.hapus_kedaluwarsa() == 0
    # Pages, a session (sign-in writes the session and last_login), the public map data.
    client.force_login(operator_desa)
    for alamat in ("/", "/peta/", f"/usulan/lacak/{usulan.kode_lacak}/", "/peta/batas/desa/"):
        assert client.get(alamat).status_code == 200, alamat
