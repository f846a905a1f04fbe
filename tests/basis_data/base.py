"""The test database backend: PostGIS, except that a flush keeps the reference data (tests/acuan.py).

pytest-django's transactional tests (transaction=True, live_server, the browser tests) end with
`manage.py flush`, which empties every table. Re-importing Karimun's boundaries after each of them cost
more than most of those tests, so the flush leaves the reference tables alone and instead restores them
whenever a test changed them (a guard in the database counts every change)."""

from __future__ import annotations

from django.contrib.gis.db.backends.postgis.base import DatabaseWrapper as PostGISDatabaseWrapper
from django.contrib.gis.db.backends.postgis.operations import PostGISOperations


class OperasiUji(PostGISOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        from tests import acuan

        tetap = set(acuan.tabel_acuan())
        return super().sql_flush(
            style, [t for t in tables if t not in tetap], reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )

    def execute_sql_flush(self, sql_list):
        from tests import acuan

        super().execute_sql_flush(sql_list)
        # Every other table is empty now: the reference tables can be emptied and filled again if needed.
        acuan.pulihkan_bila_berubah(self.connection)


class DatabaseWrapper(PostGISDatabaseWrapper):
    ops_class = OperasiUji
