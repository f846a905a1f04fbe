"""Public filters shared by the map (peta), the open data and Open311 (data_terbuka) and the dashboard
(dasbor): it sits here, below all three, because they may not import each other.

One parser for the query string (so a link reproduces what was seen), one function that applies
the filters to the public queryset. Only published information is ever filtered or shown: the
public status (`status_publik`), never the internal one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict

from usulan.models import Status, Usulan


def _bilangan(nilai: str | None) -> int | None:
    try:
        n = int(nilai) if nilai not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return n if n is not None and 0 < n < 2**31 else None


@dataclass(frozen=True)
class SaringanPublik:
    """The public filters. Unknown or malformed values are ignored, never an error."""

    siklus: int | None = None  # Siklus id; None = the active round
    status: tuple[str, ...] = ()  # public statuses; empty = all
    bidang: int | None = None
    kecamatan: int | None = None  # Wilayah id
    desa: int | None = None  # Wilayah id
    q: str = ""  # text in title or tracking code

    @classmethod
    def dari_query(cls, data: QueryDict | dict[str, Any]) -> SaringanPublik:
        ambil = data.getlist if isinstance(data, QueryDict) else (lambda k: [v] if (v := data.get(k)) else [])
        status: list[str] = []
        for nilai in ambil("status"):
            status.extend(s for s in str(nilai).split(",") if s in Status.values)
        return cls(
            siklus=_bilangan(data.get("siklus")),
            status=tuple(dict.fromkeys(status)),
            bidang=_bilangan(data.get("bidang")),
            kecamatan=_bilangan(data.get("kecamatan")),
            desa=_bilangan(data.get("desa")),
            # NUL removed: PostgreSQL refuses it in a query (a "%00" would be a server error, not "no match").
            q=(str(data.get("q") or "")).replace("\x00", "").strip()[:100],
        )

    def sebagai_query(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for links and cache keys)."""
        hasil = {}
        for f in fields(self):
            nilai = getattr(self, f.name)
            if nilai in (None, "", ()):
                continue
            hasil[f.name] = ",".join(nilai) if isinstance(nilai, tuple) else str(nilai)
        return hasil

    def terapkan(self, qs: QuerySet[Usulan], *, siklus_bawaan: int | None = None) -> QuerySet[Usulan]:
        """Apply the filters to a queryset of proposals (the round defaults to `siklus_bawaan`)."""
        siklus = self.siklus or siklus_bawaan
        if siklus:
            qs = qs.filter(siklus_id=siklus)
        if self.status:
            qs = qs.filter(status_publik__in=self.status)
        if self.bidang:
            qs = qs.filter(Q(bidang_id=self.bidang) | Q(bidang__induk_id=self.bidang))
        if self.kecamatan:
            qs = qs.filter(kecamatan_id=self.kecamatan)
        if self.desa:
            qs = qs.filter(desa_id=self.desa)
        if self.q:
            qs = qs.filter(Q(judul__icontains=self.q) | Q(kode_lacak__iexact=self.q))
        return qs
