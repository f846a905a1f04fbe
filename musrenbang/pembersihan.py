"""Deleting rows that are no longer needed, in batches: short transactions, no long lock on a busy table.
Used by `manage.py bersihkan_batas_laju`, `manage.py bersihkan_notifikasi` and the notification worker."""

from __future__ import annotations

from django.db.models import QuerySet

PER_BATCH = 1000


def hapus_bertahap(baris: QuerySet, *, per_batch: int = PER_BATCH) -> int:
    """Delete the rows of `baris`, `per_batch` primary keys at a time (each batch commits on its own
    in autocommit); returns how many were deleted. Each batch deletes through `baris` itself, so a row
    that stopped matching between the SELECT and the DELETE (an outbox row queued again) is kept."""
    jumlah = 0
    while kunci := list(baris.order_by().values_list("pk", flat=True)[:per_batch]):
        terhapus, _ = baris.filter(pk__in=kunci).delete()
        jumlah += terhapus
    return jumlah
