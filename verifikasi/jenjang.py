"""The table of verification levels (jenjang), read beside the transition table in transitions.py.

One row per level a proposal climbs, in the flow's order: who acts there, in which calendar
window, which statuses it holds, which status means it passed, where its rank is kept, which area
its officials are assigned to, and whether they hear of each arrival. Every level rule elsewhere
(the officials' queues, ranks, ceilings, digests, the SIPD workbook's level columns, Open311's
agency_responsible, the dashboard's waiting times) is derived from this table or from the
transition table, never written out again; a new level (a forum, the follow-through after
acceptance) is one more row here and its rows in transitions.TABEL.

Named `Jenjang` so it does not clash with the area level `musrenbang.models.Tingkat`.

Readers call the functions below (or read `JENJANG` through this module) at call time, so a copy of
the table swapped in (tests/verifikasi/test_jenjang_baru.py) is followed everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from akun.models import Peran
from musrenbang.models import Tahapan
from usulan.models import Status


@dataclass(frozen=True)
class Jenjang:
    """One verification level."""

    nama: str  # the level's key (also what Open311 and the SIPD workbook call it)
    peran: str  # the official's role (verifikasi.models.Peran) that acts here
    tahapan: str  # the round's calendar window (musrenbang.models.Tahapan) in which it acts
    menunggu: tuple[str, ...]  # the statuses held at this level (its inbox)
    lolos: str  # the status a proposal has once this level passed it on (or accepted it)
    wilayah: str  # the Usulan path to the area its officials are assigned to ("desa", "siklus__kabkota")
    sebutan: Any  # how the public names the holder, "%(nama)s" = the area's name (Open311)
    sebutan_kelurahan: Any = ""  # the same for an urban village (Kemendagri code 1xxx), if it differs
    kolom_peringkat: str | None = None  # the Usulan column of the rank it gives what it passes on
    pagu: bool = False  # a ceiling (Pagu) of its area caps the estimated cost it passes on
    dikabari: bool = True  # its officials get a digest line for each proposal that arrives
    kolom_sipd: str = ""  # the SIPD workbook's column with this level's last action ("" = none)


JENJANG: tuple[Jenjang, ...] = (
    Jenjang(
        nama="desa",
        peran=Peran.DESA,
        tahapan=Tahapan.DESA,
        menunggu=(Status.DIAJUKAN,),
        lolos=Status.LOLOS_DESA,
        wilayah="desa",
        sebutan=_("Desa %(nama)s"),
        sebutan_kelurahan=_("Kelurahan %(nama)s"),
        kolom_peringkat="peringkat_desa",
        pagu=True,
        kolom_sipd="Rekomendasi Kelurahan",
    ),
    Jenjang(
        nama="kecamatan",
        peran=Peran.KECAMATAN,
        tahapan=Tahapan.KECAMATAN,
        menunggu=(Status.LOLOS_DESA,),
        lolos=Status.LOLOS_KECAMATAN,
        wilayah="kecamatan",
        sebutan=_("Kecamatan %(nama)s"),
        kolom_peringkat="peringkat_kecamatan",
        pagu=True,
        kolom_sipd="Rekomendasi Kecamatan",
    ),
    # Bappeda decides (with OPD advice); its "passed" is the acceptance.
    Jenjang(
        nama="bappeda",
        peran=Peran.BAPPEDA,
        tahapan=Tahapan.BAPPEDA,
        menunggu=(Status.LOLOS_KECAMATAN,),
        lolos=Status.DITERIMA,
        wilayah="siklus__kabkota",
        sebutan=_("Bappeda %(nama)s"),
    ),
)


def semua() -> tuple[Jenjang, ...]:
    """The levels in the flow's order (the table in force now)."""
    return JENJANG


def di(status: str) -> Jenjang | None:
    """The level holding a proposal in `status` (None: no level holds it, e.g. returned or final)."""
    return next((j for j in JENJANG if status in j.menunggu), None)


def diteruskan_oleh(status: str) -> Jenjang | None:
    """The level whose passing on leads to `status` (lolos_desa → desa)."""
    return next((j for j in JENJANG if j.lolos == status), None)


def dengan_peran(peran: str) -> tuple[Jenjang, ...]:
    """The levels at which `peran` acts."""
    return tuple(j for j in JENJANG if j.peran == peran)


def lolos_dari(j: Jenjang) -> tuple[str, ...]:
    """The statuses of a proposal this level passed on and that is still in the running beyond it:
    its own `lolos` and that of every later level (what counts against its ceiling)."""
    urutan = list(JENJANG)
    return tuple(k.lolos for k in urutan[urutan.index(j) :])


def status_menunggu() -> dict[str, str]:
    """Waiting status → the calendar window of the level holding it, in the flow's order."""
    return {s: j.tahapan for j in JENJANG for s in j.menunggu}


def wilayah_id(usulan: Any, j: Jenjang) -> int:
    """The id of the area of `usulan` that the level's officials are assigned to (each level's area
    is a required field of a proposal or its round, so there always is one)."""
    *jalan, akhir = j.wilayah.split("__")
    obj = usulan
    for bagian in jalan:
        obj = getattr(obj, bagian)
    return getattr(obj, f"{akhir}_id")


def sebut(j: Jenjang, *, kode: str, nama: str) -> str:
    """The public name of the level holding a proposal in the area `kode`/`nama`."""
    # Kemendagri: the last block 1xxx is a kelurahan, 2xxx a desa.
    kelurahan = j.sebutan_kelurahan and kode.rsplit(".", 1)[-1].startswith("1")
    return str(j.sebutan_kelurahan if kelurahan else j.sebutan) % {"nama": nama}
