"""Remove photo uploads that no proposal took within the given time (run from cron, e.g. hourly)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from usulan.unggahan import UMUR_USANG_JAM, unggahan_hapus_usang


class Command(BaseCommand):
    help = "Hapus unggahan foto yang tidak pernah dilampirkan ke usulan (default: lebih tua dari 24 jam)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--jam",
            type=int,
            default=UMUR_USANG_JAM,
            help=f"umur minimal unggahan yang dihapus, dalam jam (default {UMUR_USANG_JAM})",
        )

    def handle(self, *args: Any, jam: int, **options: Any) -> None:
        if jam < 1:
            # A fresh upload belongs to a resident still typing: never prune what is under an hour old.
            raise CommandError("--jam minimal 1")
        baris, berkas = unggahan_hapus_usang(sebelum=timezone.now() - datetime.timedelta(hours=jam))
        self.stdout.write(f"{baris} unggahan dan {berkas} berkas dihapus.")
