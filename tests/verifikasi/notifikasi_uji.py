"""Test doubles for the notification outbox, configured through settings.NOTIFIKASI_BACKEND.

`BackendPencatat` records what it would send (thread-safe, for the concurrency tests);
`BackendSelaluGagal` always raises, like an SMS gateway that is down; `BackendMati` stops the worker
mid-send the way a killed process would (an exception the worker does not catch).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from kabar.models import Notifikasi, Saluran

JALUR = "tests.verifikasi.notifikasi_uji."


@dataclass
class Pencatat:
    """What BackendPencatat sent: (pk, subject, thread name) per call."""

    terkirim: list[tuple[int, str, str]] = field(default_factory=list)
    # When set, each thread's first send waits here for the other workers' first sends.
    penghalang: threading.Barrier | None = None
    ada_kiriman: threading.Event = field(default_factory=threading.Event)
    # Called after each send, in the sending thread.
    setelah_kirim: Callable[[], None] | None = None
    _kunci: threading.Lock = field(default_factory=threading.Lock)
    _utas: set[str] = field(default_factory=set)

    def catat(self, notifikasi: Notifikasi) -> None:
        nama = threading.current_thread().name
        with self._kunci:
            pertama = nama not in self._utas
            self._utas.add(nama)
            self.terkirim.append((notifikasi.pk, notifikasi.subjek, nama))
        self.ada_kiriman.set()
        if self.setelah_kirim is not None:
            self.setelah_kirim()
        if pertama and self.penghalang is not None:
            self.penghalang.wait(timeout=30)


_pencatat = Pencatat()


class BackendPencatat:
    def kirim(self, notifikasi: Notifikasi) -> None:
        _pencatat.catat(notifikasi)


class BackendSelaluGagal:
    def kirim(self, notifikasi: Notifikasi) -> None:
        raise ConnectionError(f"gateway tidak menjawab untuk {notifikasi.alamat}")


class PekerjaMati(BaseException):
    """Stands for the process being killed: not an Exception, so the worker cannot record it."""


class BackendMati:
    def kirim(self, notifikasi: Notifikasi) -> None:
        raise PekerjaMati


def pasang(settings, backend: str = "BackendPencatat") -> Pencatat:
    """Route every channel to `backend` (a class in this module); returns a fresh recorder."""
    global _pencatat
    _pencatat = Pencatat()
    settings.NOTIFIKASI_BACKEND = dict.fromkeys(Saluran.values, JALUR + backend)
    return _pencatat
