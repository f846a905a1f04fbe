"""manage.py bersihkan_batas_laju: delete the rate-limit counters whose window has ended (the
notification worker does it every hour; for cron without the worker, any interval)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from musrenbang import batas_laju, pembersihan


class Command(BaseCommand):
    help = "Hapus penghitung batas laju yang jendelanya sudah berakhir, bertahap."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--per-batch", type=int, default=pembersihan.PER_BATCH, help="baris per transaksi (bawaan 1000)"
        )

    def handle(self, *args: Any, **opsi: Any) -> None:
        if opsi["per_batch"] < 1:
            raise CommandError("--per-batch harus minimal 1.")
        jumlah = batas_laju.hapus_kedaluwarsa(per_batch=opsi["per_batch"])
        self.stdout.write(f"Penghitung batas laju kedaluwarsa dihapus: {jumlah}")
