"""Sentences the system writes into a proposal's history, kept as data and worded when read.

A history row written by the system (the published acceptance "Diterima dalam RKPD 2027,
dilaksanakan …", "Lokasi diambil dari GPS foto.", a resubmission) stores a code (`kalimat`) and its
parameters (`kalimat_data`), not Indonesian text: each reader gets the sentence in their own language,
and a corrected wording reaches old rows too. What a person typed stays in `catatan`, as typed, and is
shown after the sentence. Rows written before the codes existed hold only `catatan`.

Writers: usulan.services (submission) and verifikasi.transitions. Readers: RiwayatStatus.teks_catatan,
peta (popups, open data, Open311).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KALIMAT: dict[str, Promise] = {
    "lokasi_dari_gps": _("Lokasi diambil dari GPS foto."),
    "diminta_rekomendasi": _("Diminta rekomendasi: %(opd)s"),
    "layak": _("Layak:"),
    "tidak_layak": _("Tidak layak:"),
    "diterima_rkpd": _("Diterima dalam RKPD %(tahun)s, dilaksanakan %(opd)s."),
    "diajukan_ulang": _("Diperbaiki dan diajukan ulang oleh pengusul."),
    "diajukan_ulang_kecamatan": _("Diperbaiki dan diajukan ulang oleh pengusul, kembali ke tingkat kecamatan."),
    "ditarik_pengusul": _("Ditarik oleh pengusul."),
}


def kalimat(kode: str, **data: Any) -> tuple[str, dict[str, Any]]:
    """A system sentence to store: its code and parameters (plain JSON values). Raises KeyError for
    a code not in KALIMAT, so a typo fails where it is written, not where it is read."""
    KALIMAT[kode]
    return kode, data


def teks_catatan(kode: str, data: dict[str, Any] | None, catatan: str) -> str:
    """The note of a history row in the active language: the system sentence, then the typed text."""
    bagian = []
    if kode in KALIMAT:
        pola = str(KALIMAT[kode])
        bagian.append(pola % data if data else pola)
    if catatan and catatan.strip():
        bagian.append(catatan.strip())
    return " ".join(bagian)
