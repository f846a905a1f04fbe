"""manage.py bersihkan_notifikasi: delete sent and failed outbox rows queued more than
NOTIFIKASI_SIMPAN_HARI days ago (default 90; `--umur-hari` for another age). `kirim_notifikasi
--ulang` does it every hour; with cron, once a day is enough."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kabar.notifikasi import hapus_yang_lama
from musrenbang import pembersihan


class Command(BaseCommand):
    help = "Hapus notifikasi terkirim atau gagal yang lebih tua dari umur simpan, bertahap."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--umur-hari", type=int, default=None, help="umur simpan dalam hari (bawaan NOTIFIKASI_SIMPAN_HARI, 90)"
        )
        parser.add_argument(
            "--per-batch", type=int, default=pembersihan.PER_BATCH, help="baris per transaksi (bawaan 1000)"
        )

    def handle(self, *args: Any, **opsi: Any) -> None:
        umur = settings.NOTIFIKASI_SIMPAN_HARI if opsi["umur_hari"] is None else opsi["umur_hari"]
        if umur < 1 or opsi["per_batch"] < 1:
            raise CommandError("--umur-hari dan --per-batch harus minimal 1.")
        jumlah = hapus_yang_lama(umur_hari=umur, per_batch=opsi["per_batch"])
        self.stdout.write(f"Notifikasi terkirim/gagal lebih tua dari {umur} hari dihapus: {jumlah}")
