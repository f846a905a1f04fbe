"""The reference data every test reads: Karimun's real boundaries and the seeded sectors and reasons.

It is loaded once per test database (one per xdist worker) and survives the flush that ends every
transactional test (tests/basis_data keeps these tables out of it). So that no test sees another
test's changes to it, a guard in the database counts every committed statement that writes one of
these tables (a statement-level trigger, rolled back with the test's transaction like the change
itself); after a flush, a non-zero count or a missing guard (a test migrated backwards, or restored a
dump) empties the tables and loads them again. The guard lives in its own schema, so the checks on
the application's rights over the `public` tables (tests/aman/test_peran_db.py) do not see it.
"""

from __future__ import annotations

import importlib
import io

from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

PEMICU = "uji_acuan_ubah"


def tabel_acuan() -> list[str]:
    """The tables that hold reference data (from the models, so a renamed table follows)."""
    return [django_apps.get_model("musrenbang", nama)._meta.db_table for nama in ("Wilayah", "Bidang", "AlasanKode")]


def _penjaga_utuh(cursor) -> bool:
    cursor.execute("SELECT to_regclass('uji_acuan.ubah') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return False
    cursor.execute(
        "SELECT (SELECT n FROM uji_acuan.ubah) = 0, "
        "(SELECT count(*) FROM pg_trigger WHERE tgname = %s AND tgrelid = ANY(%s::regclass[]))",
        [PEMICU, tabel_acuan()],
    )
    tidak_berubah, jumlah_pemicu = cursor.fetchone()
    return bool(tidak_berubah) and jumlah_pemicu == len(tabel_acuan())


def _pasang_penjaga(cursor) -> None:
    cursor.execute(
        """CREATE SCHEMA IF NOT EXISTS uji_acuan;
           CREATE TABLE IF NOT EXISTS uji_acuan.ubah (n bigint NOT NULL);
           CREATE OR REPLACE FUNCTION uji_acuan.catat() RETURNS trigger
             LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog
             AS $$ BEGIN UPDATE uji_acuan.ubah SET n = n + 1; RETURN NULL; END $$;"""
    )
    for tabel in tabel_acuan():
        cursor.execute(
            f'DROP TRIGGER IF EXISTS {PEMICU} ON "{tabel}"; '
            f'CREATE TRIGGER {PEMICU} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{tabel}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION uji_acuan.catat()"
        )
    # Last, after the loading above fired the triggers: the tables as loaded count as unchanged.
    cursor.execute("DELETE FROM uji_acuan.ubah; INSERT INTO uji_acuan.ubah VALUES (0)")


def muat_ulang(connection: BaseDatabaseWrapper) -> None:
    """Empty the reference tables and load them as a fresh database has them, then guard them."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # CASCADE: rows that point at the areas (a round, a proposal) go too; after a flush there are none.
        cursor.execute("TRUNCATE {} CASCADE".format(", ".join(f'"{t}"' for t in tabel_acuan())))
        importlib.import_module("musrenbang.migrations.0002_isi_bidang_dan_alasan").isi(django_apps, None)
        call_command("impor_wilayah", stdout=io.StringIO())
        _pasang_penjaga(cursor)


def pulihkan_bila_berubah(connection: BaseDatabaseWrapper) -> None:
    """Load the reference data again if a committed change touched it since it was last loaded."""
    if connection.alias != DEFAULT_DB_ALIAS:
        return
    with connection.cursor() as cursor:
        utuh = _penjaga_utuh(cursor)
    if not utuh:
        muat_ulang(connection)
