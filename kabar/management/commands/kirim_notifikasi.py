"""manage.py kirim_notifikasi: the outbox worker (see kabar/notifikasi.py).

`--sekali` (the default) sends what is due and exits, for cron or a systemd timer; `--ulang` keeps
running, sleeping `--jeda` seconds whenever nothing was due, and stops cleanly between batches on
SIGTERM or SIGINT. Any number of workers may run at once, on any machine. `--ulang` also prunes,
when it starts and then every hour, what the apps registered in kabar.pembersihan: old sent/failed
messages (`bersihkan_notifikasi`), ended rate-limit counters (`bersihkan_batas_laju`) and photo
uploads no proposal took (`hapus_unggahan_usang`).
"""

from __future__ import annotations

import logging
import math
import os
import select
import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils.module_loading import import_string

from kabar.notifikasi import kirim_antrean
from kabar.pembersihan import bersihkan_semua

logger = logging.getLogger(__name__)
# How often `--ulang` deletes old outbox rows and ended rate-limit counters.
BERSIHKAN_SETIAP_DETIK = 3600


class Command(BaseCommand):
    help = "Kirim notifikasi yang sudah waktunya dari antrean (e-mail, SMS, WhatsApp)."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--sekali", action="store_true", help="kirim yang sudah waktunya lalu selesai (bawaan)")
        mode.add_argument("--ulang", action="store_true", help="terus berjalan sampai dihentikan (SIGTERM/SIGINT)")
        parser.add_argument("--jeda", type=float, default=10.0, help="detik menunggu bila antrean kosong (bawaan 10)")
        parser.add_argument("--batas", type=int, default=50, help="baris paling banyak per putaran (bawaan 50)")

    def handle(self, *args: Any, **opsi: Any) -> None:
        if opsi["batas"] < 1 or opsi["jeda"] < 0:
            raise CommandError("--batas harus minimal 1 dan --jeda tidak boleh negatif.")
        for saluran, jalur in settings.NOTIFIKASI_BACKEND.items():
            try:
                import_string(jalur)
            except ImportError as galat:
                raise CommandError(f"NOTIFIKASI_BACKEND[{saluran!r}] tidak bisa dimuat: {galat}") from galat
        if opsi["ulang"]:
            self._ulang(batas=opsi["batas"], jeda=opsi["jeda"])
        else:
            self._tulis(kirim_antrean(batas=opsi["batas"]))

    def _tulis(self, hitungan: dict[str, int]) -> None:
        self.stdout.write(" ".join(f"{nama}={jumlah}" for nama, jumlah in hitungan.items()))

    def _ulang(self, *, batas: int, jeda: float) -> None:
        """Loop until a signal; a signal never interrupts a batch, only the wait between batches."""
        berhenti = False

        def tangkap(nomor: int, frame: FrameType | None) -> None:
            nonlocal berhenti
            berhenti = True

        # The C-level handler writes to this pipe, so select() wakes at once when a signal arrives
        # (PEP 475 would otherwise resume the wait); the flag itself is only read between batches.
        baca, tulis = os.pipe()
        os.set_blocking(baca, False)
        os.set_blocking(tulis, False)
        lama = {nomor: signal.signal(nomor, tangkap) for nomor in (signal.SIGTERM, signal.SIGINT)}
        fd_lama = signal.set_wakeup_fd(tulis)
        dibersihkan = -math.inf
        try:
            while not berhenti:
                close_old_connections()  # also drops a connection broken by the error below
                try:
                    if time.monotonic() - dibersihkan >= BERSIHKAN_SETIAP_DETIK:
                        self._bersihkan()
                        dibersihkan = time.monotonic()
                    hitungan = kirim_antrean(batas=batas)
                except (OperationalError, InterfaceError) as galat:
                    # The database is unreachable (restart, fail-over): wait and try again rather than
                    # exit, which would also stop gunicorn under scripts/produksi.sh. Rows a broken
                    # batch had claimed come back after their lease, as after a crashed worker.
                    logger.warning("database unavailable, retrying: %s", str(galat).strip())
                    if not berhenti:
                        self._tunggu(baca, max(jeda, 1.0))
                    continue
                if any(hitungan.values()):
                    self._tulis(hitungan)
                elif not berhenti:
                    self._tunggu(baca, jeda)
        finally:
            signal.set_wakeup_fd(fd_lama)
            for nomor, penangan in lama.items():
                signal.signal(nomor, penangan)
            os.close(baca)
            os.close(tulis)
            close_old_connections()
        self.stdout.write("Berhenti.")

    def _bersihkan(self) -> None:
        hasil = bersihkan_semua()
        if any(hasil.values()):
            self.stdout.write("Dibersihkan: " + " ".join(f"{nama}={jumlah}" for nama, jumlah in hasil.items()))

    def _tunggu(self, baca: int, jeda: float) -> None:
        """Sleep up to `jeda` seconds; a signal (a byte in `baca`) ends the sleep at once."""
        select.select([baca], [], [], jeda)
        try:
            while os.read(baca, 512):
                pass
        except BlockingIOError:
            pass  # drained
