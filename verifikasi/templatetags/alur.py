"""Template filters that ask the transition table, so pages never compare status strings."""

from __future__ import annotations

from django import template

from usulan.models import Usulan
from verifikasi.transitions import PENGUSUL, aksi_tersedia

register = template.Library()


@register.filter
def aksi_pengusul(usulan: Usulan) -> frozenset[str]:
    """The actions the proposer may take now (on the public status), e.g. {"ajukan_ulang", "tarik"}.
    Reads the table only: no query, however many proposals a page lists."""
    return frozenset(aksi_tersedia(usulan, PENGUSUL))
