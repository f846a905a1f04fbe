"""Who hears of a new submission, without the usulan app knowing them.

The outbox (verifikasi.Notifikasi) lives above this app, and usulan must not import upwards. So
usulan defines this registry, apps above it register a listener at start-up (their AppConfig.ready),
and usulan.services.usulan_buat calls every listener inside the submission's own transaction: what
the listeners write (the confirmation, the desa officials' digest lines) commits or rolls back with
the proposal itself, so no message is lost and none is sent for a submission that failed.

Another issue moves the outbox below usulan; this registry then gives way to a direct call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from usulan.models import Usulan

PendengarPengajuan = Callable[["Usulan"], None]
_PENDENGAR: list[PendengarPengajuan] = []


def dengarkan_pengajuan(fungsi: PendengarPengajuan) -> PendengarPengajuan:
    """Register `fungsi(usulan)` to run inside every submission's transaction (once, however often
    ready() runs). Callers: AppConfig.ready of the apps above usulan."""
    if fungsi not in _PENDENGAR:
        _PENDENGAR.append(fungsi)
    return fungsi


def kabarkan_pengajuan(usulan: Usulan) -> None:
    """Run every listener for a proposal just written. Only usulan.services.usulan_buat calls this,
    inside its transaction.atomic(); a listener that raises rolls the submission back."""
    for fungsi in list(_PENDENGAR):
        fungsi(usulan)
