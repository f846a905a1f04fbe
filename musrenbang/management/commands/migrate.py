"""`manage.py migrate`, as the owner role: Django's migrate, then the cache table, then the
application's role gets its rights on every table (musrenbang/peran_db.py). With one role
(DATABASE_URL_PEMILIK empty) it is Django's migrate plus the cache table."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateDjango
from django.db import connections

from musrenbang import peran_db


class Command(MigrateDjango):
    help = (
        "Migrate as the owner role (DATABASE_URL_PEMILIK when set), create the cache table, and grant the "
        "application's role (DATABASE_URL) its rights."
    )

    def handle(self, *args, **options):
        alias = options["database"]
        with peran_db.sebagai_pemilik(alias) as peran:
            super().handle(*args, **options)
            call_command("createcachetable", database=alias, verbosity=0)
            if peran is not None:
                with connections[alias].cursor() as cursor:
                    jumlah = peran_db.beri_hak_aplikasi(cursor, peran)
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Hak peran aplikasi {peran}: {jumlah} tabel dan sekuens.")
