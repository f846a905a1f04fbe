"""Prepared map aggregates: per zoom level, per ~60 px grid cell, the number of proposals and the sum
of their positions, split by public status. Kept exact by PostgreSQL triggers on usulan_usulan
(migration 0002_agregat_pemicu); read only by peta.selectors.

Why: clustering a million points on the fly costs ~0.8 s at zoom 5 (DESIGN.md "Map at scale"); summing
the prepared cells of a viewport costs a few milliseconds. Positions are summed as whole microdegrees
(bigint), so adding and subtracting proposals never drifts and a prepared cluster equals the live one
exactly (same count, same mean position).

One row per (zoom, siklus, grid cell, bidang). The public status is split into columns rather than
keys: a status filter then sums other columns of the same rows instead of reading eight times as many.
Kecamatan, desa and text filters are not prepared: they narrow the data enough to cluster it live.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from musrenbang.models import Bidang, Siklus
from usulan.models import Status

# Zoom levels with prepared cells (4 = the map's minimum). From 12 up a viewport holds few enough
# proposals to cluster live in well under 10 ms. The trigger in migration 0002 uses the same range.
ZOOM_AGREGAT = range(4, 12)
# Cell size in screen pixels (256 px tiles): ~60 px keeps cluster markers from overlapping.
UKURAN_SEL_PX = 60
# The column order of the per-status columns (n_<status>, x_<status>, y_<status>).
STATUS_AGREGAT: tuple[str, ...] = tuple(Status.values)


class AgregatPeta(models.Model):
    """Prepared cluster cells; written only by the database triggers, never by Django code."""

    zoom = models.PositiveSmallIntegerField(_("zoom"))
    # Derived data: the proposals already guarantee the references, and foreign-key checks on every
    # row the trigger upserts would double the cost of a bulk insert.
    siklus = models.ForeignKey(
        Siklus, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    bidang = models.ForeignKey(
        Bidang, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    sel_x = models.IntegerField(_("sel x"))
    sel_y = models.IntegerField(_("sel y"))
    # Per public status: number of proposals and the sums of their longitudes/latitudes in microdegrees.
    n_diajukan = models.IntegerField(default=0)
    x_diajukan = models.BigIntegerField(default=0)
    y_diajukan = models.BigIntegerField(default=0)
    n_dikembalikan = models.IntegerField(default=0)
    x_dikembalikan = models.BigIntegerField(default=0)
    y_dikembalikan = models.BigIntegerField(default=0)
    n_lolos_desa = models.IntegerField(default=0)
    x_lolos_desa = models.BigIntegerField(default=0)
    y_lolos_desa = models.BigIntegerField(default=0)
    n_lolos_kecamatan = models.IntegerField(default=0)
    x_lolos_kecamatan = models.BigIntegerField(default=0)
    y_lolos_kecamatan = models.BigIntegerField(default=0)
    n_diterima = models.IntegerField(default=0)
    x_diterima = models.BigIntegerField(default=0)
    y_diterima = models.BigIntegerField(default=0)
    n_ditolak = models.IntegerField(default=0)
    x_ditolak = models.BigIntegerField(default=0)
    y_ditolak = models.BigIntegerField(default=0)
    n_digabung = models.IntegerField(default=0)
    x_digabung = models.BigIntegerField(default=0)
    y_digabung = models.BigIntegerField(default=0)
    n_ditarik = models.IntegerField(default=0)
    x_ditarik = models.BigIntegerField(default=0)
    y_ditarik = models.BigIntegerField(default=0)
    jumlah = models.GeneratedField(
        expression=F("n_diajukan")
        + F("n_dikembalikan")
        + F("n_lolos_desa")
        + F("n_lolos_kecamatan")
        + F("n_diterima")
        + F("n_ditolak")
        + F("n_digabung")
        + F("n_ditarik"),
        output_field=models.IntegerField(),
        db_persist=True,
    )
    # When a proposal in this cell last changed (the map data's Last-Modified).
    diperbarui = models.DateTimeField(_("diperbarui"))

    class Meta:
        db_table = "peta_agregat"
        verbose_name = _("agregat peta")
        verbose_name_plural = _("agregat peta")
        constraints = [
            # Also the index of the viewport query: zoom, round, then a range of cells. No index on a
            # count column: the trigger's updates then stay HOT (no index entries to add), and emptied
            # cells are found through the upsert's RETURNING instead.
            models.UniqueConstraint(fields=["zoom", "siklus", "sel_x", "sel_y", "bidang"], name="peta_agregat_kunci"),
        ]

    def __str__(self) -> str:
        return (
            f"z{self.zoom} ({self.sel_x}, {self.sel_y}) siklus {self.siklus_id} bidang {self.bidang_id}: {self.jumlah}"
        )
