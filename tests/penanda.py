"""Which tests are `peramban` (drive Chromium), `sistem` (start processes or servers) and `lambat`
(the thorough sweeps), for the markers tests/conftest.py sets at collection; `make test-cepat` leaves
all three out, `make test` runs everything, the `sistem` tests one at a time after the rest."""

from __future__ import annotations

import inspect
import types
from pathlib import Path

import pytest

_AKAR = Path(__file__).resolve().parent
_FIKSTUR_PERAMBAN = {"browser", "page", "context", "new_context"}  # pytest-playwright's
_NAMA_PROSES = {"subprocess", "Popen"}
# Code under test that starts processes itself, where the test never names subprocess (pg_dump, psql).
_BERKAS_SISTEM = {"aman/test_cadangan.py"}
# The thorough sweeps: property-based fuzzers, the authorization matrices, the privacy crawl, every
# map cell at its fullest and every real phone photo's perceptual hash. Each file takes 7-50 s of one
# core (`--durations=0`, 2026-12); together about half the CPU of the rest. `make test` runs them on
# every change; the everyday loop (`make test-cepat`) leaves them to it.
_BERKAS_LAMBAT = {
    "aman/test_fuzz_batas_dunia.py",
    "aman/test_jelajah_data_pribadi.py",
    "aman/test_matriks_otorisasi.py",
    "peta/test_peta_ukuran_maks.py",
    "usulan/test_foto_sidik.py",
    "verifikasi/test_aksi_peran_wilayah.py",
}
_FOLDER_LAMBAT = {"serang"}  # every test there is a fuzzer


def menyebut_proses(kode: types.CodeType, modul: types.ModuleType | None, dilihat: set[types.CodeType]) -> bool:
    """Whether this code, a function nested in it, or a function of its module it calls, names subprocess."""
    if kode in dilihat:
        return False
    dilihat.add(kode)
    if _NAMA_PROSES & set(kode.co_names):
        return True
    dipanggil = [getattr(modul, n, None) for n in kode.co_names] if modul else []
    return any(menyebut_proses(c, modul, dilihat) for c in kode.co_consts if isinstance(c, types.CodeType)) or any(
        menyebut_proses(f.__code__, modul, dilihat)
        for f in dipanggil
        if isinstance(f, types.FunctionType) and f.__module__ == modul.__name__
    )


def tes_sistem(item: pytest.Item) -> bool:
    """A test is `sistem` when it, one of its fixtures, or a helper of theirs names subprocess."""
    if item.path.resolve().relative_to(_AKAR).as_posix() in _BERKAS_SISTEM:
        return True
    info = getattr(item, "_fixtureinfo", None)
    fungsi = [getattr(item, "function", None)]
    if info is not None:
        fungsi += [d.func for definisi in info.name2fixturedefs.values() for d in definisi]
    dilihat: set[types.CodeType] = set()
    return any(
        menyebut_proses(f.__code__, inspect.getmodule(f), dilihat)
        for f in (inspect.unwrap(f) for f in fungsi if f is not None)
        if isinstance(f, types.FunctionType)
    )


def tes_peramban(item: pytest.Item) -> bool:
    """tests/peramban, or any test that uses a Playwright fixture (directly or through its fixtures)."""
    bagian = item.path.resolve().relative_to(_AKAR).parts
    return bagian[0] == "peramban" or bool(_FIKSTUR_PERAMBAN & set(getattr(item, "fixturenames", ())))


def tes_lambat(item: pytest.Item) -> bool:
    """One of the thorough sweeps listed above (a file, or the fuzzers' folder)."""
    jalur = item.path.resolve().relative_to(_AKAR)
    return jalur.as_posix() in _BERKAS_LAMBAT or jalur.parts[0] in _FOLDER_LAMBAT
