"""The marker rule for `sistem` (tests/penanda.py): code that names subprocess, itself, in a nested
function, or in a function of its module it calls, starts processes; other code does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests import penanda


def _jalankan_python() -> None:
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def _lewat_pembantu() -> None:
    _jalankan_python()


def _bersarang() -> None:
    def dalam() -> None:
        subprocess.Popen(["true"]).wait()

    dalam()


def _tanpa_proses() -> int:
    return len(sys.argv)


# Reached through a dict, so that the tests below do not themselves call the helpers by name.
CONTOH = {f.__name__: f for f in (_jalankan_python, _lewat_pembantu, _bersarang, _tanpa_proses)}


def _menyebut(nama: str) -> bool:
    return penanda.menyebut_proses(CONTOH[nama].__code__, sys.modules[__name__], set())


def test_menyebut_subprocess_langsung_lewat_pembantu_atau_bersarang():
    assert _menyebut("_jalankan_python")
    assert _menyebut("_lewat_pembantu")
    assert _menyebut("_bersarang")


def test_kode_tanpa_proses_tidak_ditandai():
    assert not _menyebut("_tanpa_proses")


def test_tes_ini_sendiri_bukan_sistem_dan_bukan_peramban(request):
    assert request.node.get_closest_marker("sistem") is None
    assert request.node.get_closest_marker("peramban") is None


def test_tes_dengan_playwright_ditandai_peramban(request):
    # Any test in this session that uses the browser fixture carries the marker.
    dengan_peramban = [i for i in request.session.items if "page" in getattr(i, "fixturenames", ())]
    assert all(i.get_closest_marker("peramban") for i in dengan_peramban)


class _Butir:
    """The one attribute of a pytest item the `lambat` rule reads."""

    def __init__(self, jalur: str) -> None:
        self.path = Path(penanda.__file__).resolve().parent / jalur


def test_sapuan_menyeluruh_ditandai_lambat():
    # The fuzzers' folder and the listed sweeps are `lambat`; the ordinary tests beside them are not.
    assert penanda.tes_lambat(_Butir("serang/test_fuzz_api.py"))
    assert penanda.tes_lambat(_Butir("aman/test_matriks_otorisasi.py"))
    assert not penanda.tes_lambat(_Butir("aman/test_peran_db.py"))
    assert not penanda.tes_lambat(_Butir("verifikasi/test_tabel_transisi.py"))


def test_setiap_berkas_lambat_ada():
    # A listed file that was renamed would silently join the everyday loop again.
    akar = Path(penanda.__file__).resolve().parent
    assert all((akar / b).is_file() for b in penanda._BERKAS_LAMBAT)
    assert all((akar / d).is_dir() for d in penanda._FOLDER_LAMBAT)
