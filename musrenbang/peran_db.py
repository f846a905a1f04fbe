"""The two database roles (README, "Database roles"): the owner of the tables, which runs
`manage.py migrate`, and the application's role (DATABASE_URL), which may only read and write rows.

After every migration the owner grants the application's role, table by table from the catalog (so a
table a later migration adds is covered the moment it exists): SELECT, INSERT, UPDATE and DELETE;
less where a model says so in HAK_PERAN_APLIKASI (history: SELECT and INSERT only); SELECT only on
django_migrations; USAGE on the sequences. Never TRUNCATE, REFERENCES or TRIGGER, and the role owns
nothing: it cannot alter, disable or drop a table's triggers, nor replace their functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from psycopg2 import sql

HAK_BIASA = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Tables that no model describes: Django's migration record is the owner's business.
HAK_TABEL_LAIN = {"django_migrations": ("SELECT",)}

_SQL_MILIK = """
SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
ORDER BY c.relname
"""


def hak_per_tabel() -> dict[str, tuple[str, ...]]:
    """Table name → the rights of the application's role, where they differ from HAK_BIASA."""
    hasil: dict[str, tuple[str, ...]] = dict(HAK_TABEL_LAIN)
    for model in apps.get_models(include_auto_created=True):
        hak = getattr(model, "HAK_PERAN_APLIKASI", None)
        if hak is not None:
            hasil[model._meta.db_table] = tuple(hak)
    return hasil


def beri_hak_aplikasi(cursor: Any, peran: str) -> int:
    """As the owner (the cursor's role): give `peran` exactly its rights on every table and sequence
    the owner has in the public schema. Idempotent; returns how many objects it set. One transaction:
    an error part-way (a REVOKE done, its GRANT not) leaves the rights as they were, never a table the
    application can no longer read."""
    khusus = hak_per_tabel()
    cursor.execute("SELECT current_database()")
    (basis_data,) = cursor.fetchone()
    pernyataan = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(basis_data), sql.Identifier(peran)),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(peran)),
    ]
    cursor.execute(_SQL_MILIK)
    objek = cursor.fetchall()
    for nama, jenis in objek:
        jenis_sql = sql.SQL("SEQUENCE" if jenis == "S" else "TABLE")
        hak = ("USAGE", "SELECT") if jenis == "S" else khusus.get(nama, HAK_BIASA)
        sasaran = [jenis_sql, sql.Identifier(nama), sql.Identifier(peran)]
        pernyataan.append(sql.SQL("REVOKE ALL ON {} {} FROM {}").format(*sasaran))
        pernyataan.append(sql.SQL("GRANT {} ON {} {} TO {}").format(sql.SQL(", ").join(map(sql.SQL, hak)), *sasaran))
    # A Django cursor gets its own transaction (a savepoint inside one); a bare psycopg2 cursor (restore)
    # is already inside the caller's, which commits it.
    alias = cursor.db.alias if hasattr(cursor, "db") else None
    with transaction.atomic(using=alias) if alias else nullcontext():
        for perintah in pernyataan:
            cursor.execute(perintah)
    return len(objek)


def peran_aplikasi() -> str | None:
    """The application's role when it differs from the owner (DATABASE_URL_PEMILIK set), else None."""
    if settings.DATABASE_PEMILIK is None:
        return None
    return settings.DATABASES[DEFAULT_DB_ALIAS]["USER"]


@contextmanager
def sebagai_pemilik(alias: str = DEFAULT_DB_ALIAS) -> Iterator[str | None]:
    """Within: connection `alias` signs in as the owner (settings.DATABASE_PEMILIK). Yields the
    application's role to grant to afterwards, or None when there is one role (nothing switched)."""
    peran = peran_aplikasi() if alias == DEFAULT_DB_ALIAS else None
    if peran is None:
        yield None
        return
    koneksi = connections[alias]
    asli = {k: koneksi.settings_dict[k] for k in ("USER", "PASSWORD")}
    koneksi.close()
    # peran_aplikasi() answered, so DATABASE_PEMILIK is set.
    pemilik = settings.DATABASE_PEMILIK
    koneksi.settings_dict.update(USER=pemilik["USER"], PASSWORD=pemilik["PASSWORD"])  # type: ignore[index]
    try:
        yield peran
    finally:
        koneksi.close()
        koneksi.settings_dict.update(asli)
