"""The officials' actions on the review page, declared beside the transition table (transitions.py).

For each action an official may take (every action of TABEL whose roles are not the proposer's): the
form that parses it, the transition it runs, how the form's cleaned data become the transition's
arguments, and what the page adds after success (the ceiling warning of `teruskan`). The views
(verifikasi.views `tinjau` and `aksi`) only look an action up here; a new action is one row here
and its rows in TABEL, not a new branch in a view. Whether the action is allowed now (status, role,
area, window) is still decided by the transition itself, against TABEL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from akun.models import Peran
from usulan.models import Aksi, Usulan
from verifikasi import forms as f
from verifikasi import jenjang
from verifikasi import transitions as t

A = Aksi
Argumen = dict[str, Any]


@dataclass(frozen=True)
class AksiPetugas:
    """One action of the officials' endpoint. `argumen(data, peran)` maps the form's cleaned data and
    the role the official acts in to the transition's keyword arguments (besides usulan_id and pelaku);
    `peringatan(usulan)` gives an extra warning for the page after success, or None."""

    form: type[forms.Form]
    transisi: Callable[..., Usulan]
    argumen: Callable[[dict[str, Any], str], Argumen]
    peringatan: Callable[[Usulan], str | None] | None = None

    def jalankan(self, *, usulan_id: int, pelaku: Any, peran: str, data: dict[str, Any]) -> Usulan:
        """Run the transition with the form's data; raises TransisiDitolak as the transition does."""
        return self.transisi(usulan_id=usulan_id, pelaku=pelaku, **self.argumen(data, peran))


def _paksa(d: dict[str, Any], peran: str) -> bool:
    # Only an administrator may act outside the window (the form's box is hidden from others).
    return bool(d.get("paksa_jadwal")) and peran == Peran.ADMIN


def _arg_teruskan(d: dict[str, Any], peran: str) -> Argumen:
    return {
        "peran": peran,
        "peringkat": d.get("peringkat"),
        "catatan": d.get("catatan", ""),
        "paksa_jadwal": _paksa(d, peran),
    }


def _arg_alasan(d: dict[str, Any], peran: str) -> Argumen:
    return {"peran": peran, "alasan_kode": d["alasan_kode"], "catatan": d["catatan"], "paksa_jadwal": _paksa(d, peran)}


def _arg_gabungkan(d: dict[str, Any], peran: str) -> Argumen:
    # The target by its tracking code; an unknown code is None, which the transition refuses in words.
    tujuan = Usulan.objects.filter(kode_lacak=d["ke_kode"].strip().upper()).values_list("pk", flat=True).first()
    return {**_arg_alasan(d, peran), "ke_usulan_id": tujuan}


def _arg_minta_rekomendasi(d: dict[str, Any], peran: str) -> Argumen:
    return {"peran": peran, "opd": list(d["opd"]), "catatan": d.get("catatan", ""), "paksa_jadwal": _paksa(d, peran)}


def _arg_rekomendasikan(d: dict[str, Any], peran: str) -> Argumen:
    # Only OPD staff recommend: the transition acts as Peran.OPD itself.
    return {"layak": d["layak"], "volume": d.get("volume"), "biaya": d.get("biaya"), "catatan": d["catatan"]}


def _arg_putuskan(d: dict[str, Any], peran: str) -> Argumen:
    return {
        "peran": peran,
        "hasil": d["hasil"],
        "alasan": d["alasan"],
        "perangkat_daerah": d.get("perangkat_daerah"),
        "volume": d.get("volume"),
        "biaya": d.get("biaya"),
        "tahun": d.get("tahun"),
        "alasan_kode": d.get("alasan_kode"),
        "paksa_jadwal": _paksa(d, peran),
    }


def _arg_terbitkan(d: dict[str, Any], peran: str) -> Argumen:
    return {"peran": peran}


def _rupiah(nilai: Any) -> str:
    return f"{nilai:,.0f}".replace(",", ".")


def peringatan_pagu(usulan: Usulan) -> str | None:
    """After passing on: a warning when what the level passed on now exceeds its (non-blocking) ceiling."""
    # The level that passed it on, from the level table (an administrator acts as any).
    tingkat = jenjang.diteruskan_oleh(usulan.status)
    pagu = t.cek_pagu(usulan, tingkat.peran) if tingkat is not None else None
    if pagu and pagu.lewat:
        return _(
            "Perhatian: usulan yang diteruskan sudah melebihi pagu indikatif (Rp %(terpakai)s dari Rp %(pagu)s)."
        ) % {"terpakai": _rupiah(pagu.terpakai), "pagu": _rupiah(pagu.pagu)}
    return None


AKSI_PETUGAS: dict[str, AksiPetugas] = {
    A.TERUSKAN: AksiPetugas(f.FormTeruskan, t.teruskan, _arg_teruskan, peringatan=peringatan_pagu),
    A.KEMBALIKAN: AksiPetugas(f.FormAlasan, t.kembalikan, _arg_alasan),
    A.TOLAK: AksiPetugas(f.FormAlasan, t.tolak, _arg_alasan),
    A.GABUNGKAN: AksiPetugas(f.FormGabungkan, t.gabungkan, _arg_gabungkan),
    A.MINTA_REKOMENDASI: AksiPetugas(f.FormMintaRekomendasi, t.minta_rekomendasi, _arg_minta_rekomendasi),
    A.REKOMENDASIKAN: AksiPetugas(f.FormRekomendasi, t.rekomendasikan, _arg_rekomendasikan),
    A.PUTUSKAN: AksiPetugas(f.FormPutuskan, t.putuskan, _arg_putuskan),
    A.TERBITKAN: AksiPetugas(f.FormAksi, t.terbitkan, _arg_terbitkan),
}
