"""Housekeeping the outbox worker does every hour under `kirim_notifikasi --ulang`.

The worker is the one long-running process a deployment has, so the apps' periodic clean-ups ride
on it. It sits low (below usulan), so it cannot import what the apps above prune: each registers a
named function returning how many rows it deleted (kabar itself: old outbox rows and ended
rate-limit counters; usulan: photo uploads no proposal took, in UsulanConfig.ready).
"""

from __future__ import annotations

from collections.abc import Callable

Pembersih = Callable[[], int]
_PEMBERSIH: dict[str, Pembersih] = {}


def daftarkan_pembersih(nama: str, fungsi: Pembersih) -> None:
    """Register a clean-up under `nama` (the key in the worker's report line). Idempotent; the
    report lists them in the order they were first registered. Callers: AppConfig.ready."""
    _PEMBERSIH.setdefault(nama, fungsi)


def bersihkan_semua() -> dict[str, int]:
    """Run every registered clean-up; returns {name: rows deleted}. Caller: kirim_notifikasi."""
    return {nama: fungsi() for nama, fungsi in list(_PEMBERSIH.items())}
