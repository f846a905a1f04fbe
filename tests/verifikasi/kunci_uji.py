"""Helpers for the concurrency tests: threads with their own database connection, and a wait until
a given backend is blocked on a row lock (polling pg_locks against a deadline, never a fixed sleep)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection

BATAS_DETIK = 15.0


class Utas(threading.Thread):
    """Runs `target` on its own connection; keeps its result or exception and its backend pid."""

    def __init__(self, target: Callable[[], Any], nama: str) -> None:
        super().__init__(name=nama, daemon=True)
        self._target = target
        self.hasil: Any = None
        self.galat: BaseException | None = None
        self.pid: int | None = None
        self.terhubung = threading.Event()

    def run(self) -> None:
        try:
            with connection.cursor() as kursor:
                # A safety net only: a test that goes wrong fails instead of hanging the suite.
                kursor.execute("SET lock_timeout = '30s'")
                kursor.execute("SELECT pg_backend_pid()")
                self.pid = kursor.fetchone()[0]
            self.terhubung.set()
            self.hasil = self._target()
        except BaseException as exc:
            self.galat = exc
        finally:
            self.terhubung.set()
            connection.close()


def tunggu_terhalang_kunci(utas: Utas, *, pada_tabel: str | None = None, batas_detik: float = BATAS_DETIK) -> None:
    """Return once `utas`'s backend waits for a lock another transaction holds (pg_locks: not granted),
    in a statement on table `pada_tabel` when given (pg_stat_activity.query).

    Fails at once if the thread finished without waiting (nothing blocked it) or waits in a statement
    on another table, and after the deadline.
    """
    assert utas.terhubung.wait(batas_detik), "the thread never connected"
    assert utas.pid is not None, f"the thread failed before acting: {utas.galat!r}"
    akhir = time.monotonic() + batas_detik
    with connection.cursor() as kursor:
        while True:
            kursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)", [utas.pid])
            if kursor.fetchone()[0]:
                if pada_tabel is None:
                    return
                kursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [utas.pid])
                kueri = kursor.fetchone()[0]
                assert f'"{pada_tabel}"' in kueri, f"the thread waits elsewhere: {kueri[:200]}"
                return
            assert utas.is_alive(), f"the thread finished without waiting for the lock: {utas.galat or utas.hasil!r}"
            assert time.monotonic() < akhir, "the thread did not block on the lock in time"
            time.sleep(0.005)  # polling interval; the condition itself is read from pg_locks


def pegang_dalam_transaksi(aksi: Callable[[], Any], dipegang: threading.Event, lepas: threading.Event) -> Any:
    """Run `aksi` inside an outer transaction and keep it open (its row locks held, its change not yet
    committed) until `lepas` is set; `dipegang` tells the test the locks are taken."""
    from django.db import transaction

    with transaction.atomic():
        hasil = aksi()
        dipegang.set()
        assert lepas.wait(BATAS_DETIK * 2), "never released"
    return hasil
