"""The two commands: the README opens with them, CI runs exactly the README's test command, and a
clean clone needs nothing outside the repository (not the team's shared folder next to it), with a
licence line for every data file."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Folders that are not ours or not in a clone (.venv, caches, collected static files, uploads).
DILEWATI = {
    ".venv",
    "__pycache__",
    ".ruff_cache",
    ".pytest_cache",
    "staticfiles",
    "media",
    "test-results",
    "node_modules",
}


def _berkas_proyek(*akhiran: str) -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*")
        if p.is_file() and p.name.endswith(akhiran) and not DILEWATI & set(p.relative_to(ROOT).parts)
    )


def _perintah_readme() -> list[str]:
    teks = (ROOT / "README.md").read_text(encoding="utf-8")
    blok = re.search(r"```sh\n(.*?)```", teks, re.S)
    assert blok, "the README opens with a shell block"
    assert teks.index(blok.group(0)) < teks.index("\n## "), "the commands come before the first section"
    return [baris.split("#", 1)[0].strip() for baris in blok.group(1).splitlines() if baris.strip()]


def test_readme_dibuka_dengan_dua_perintah():
    assert _perintah_readme() == ["make run", "make test"]


def test_ci_menjalankan_persis_perintah_uji_readme():
    baris = [
        b.strip()
        for b in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if b.strip() and not b.strip().startswith("#")
    ]
    # Only shell housekeeping around the README's test command, then the same on a pristine Debian root.
    perintah = [b for b in baris if not b.startswith(("set -", "cd "))]
    assert perintah == [_perintah_readme()[1], "make test-segar"]
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111, ".ci/run is executable"
    _, resep = _resep_make("test-segar")
    assert resep == ["bash scripts/uji_segar.sh"]
    # The fresh root runs the README's own commands, not a set-up of its own.
    skrip = (ROOT / "scripts" / "uji_segar.sh").read_text(encoding="utf-8")
    assert "debootstrap --variant=minbase --include=git,make" in skrip
    assert "make test PYTEST_ARGS=" in skrip and "make run " in skrip


def _resep_make(target: str) -> tuple[list[str], list[str]]:
    """(prerequisites, recipe lines) of one Makefile target."""
    teks = (ROOT / "Makefile").read_text(encoding="utf-8")
    cocok = re.search(rf"^{target}:([^\n#]*)(?:#[^\n]*)?\n((?:\t[^\n]*\n)*)", teks, re.M)
    assert cocok, target
    return cocok.group(1).split(), [b.strip() for b in cocok.group(2).splitlines()]


def test_make_run_dan_make_test_menyiapkan_semuanya_lebih_dulu():
    prasyarat, resep = _resep_make("run")
    assert prasyarat == ["setup"]
    assert [shlex.split(b)[1:3] for b in resep] == [
        ["manage.py", "migrate"],
        ["manage.py", "muat_demo"],
        ["manage.py", "runserver"],
    ]
    prasyarat, resep = _resep_make("test")
    assert prasyarat == ["setup"]
    assert any("-m pytest" in b for b in resep)  # the whole suite: testpaths = tests, browser tests included
    _, resep = _resep_make("setup")
    assert resep[0] == "bash scripts/setup.sh"


def _teks_yang_dijalankan(path: Path) -> list[str]:
    """String literals of a Python file that are not docstrings (comments and docstrings only explain)."""
    pohon = ast.parse(path.read_text(encoding="utf-8"))
    docstring = set()
    for simpul in ast.walk(pohon):
        if isinstance(simpul, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            badan = simpul.body
            if badan and isinstance(badan[0], ast.Expr) and isinstance(badan[0].value, ast.Constant):
                docstring.add(id(badan[0].value))
    return [
        s.value
        for s in ast.walk(pohon)
        if isinstance(s, ast.Constant) and isinstance(s.value, str) and id(s) not in docstring
    ]


POLA_SHARED = re.compile(r"(\.\./shared|/work/shared|shared/data)")


def test_kode_tidak_membaca_folder_shared():
    ini = Path(__file__).resolve()  # this file names the pattern
    pelanggar = {
        str(path.relative_to(ROOT)): cocok
        for path in _berkas_proyek(".py")
        if path != ini and (cocok := [t for t in _teks_yang_dijalankan(path) if POLA_SHARED.search(t)])
    }
    assert pelanggar == {}


def test_skrip_dan_konfigurasi_tidak_membaca_folder_shared():
    berkas = [ROOT / "Makefile", ROOT / ".ci" / "run", ROOT / "pyproject.toml", *_berkas_proyek(".sh", ".toml", ".cfg")]
    for path in berkas:
        baris = [b for b in path.read_text(encoding="utf-8").splitlines() if not b.lstrip().startswith("#")]
        assert [b for b in baris if POLA_SHARED.search(b)] == [], path


@pytest.mark.parametrize("folder", ["tests/data/foto", "tests/data/serang", "musrenbang/data"])
def test_setiap_berkas_data_tercatat_asal_dan_lisensinya(folder):
    dasar = ROOT / folder
    sumber = (dasar / "SUMBER.md").read_text(encoding="utf-8")
    assert re.search(r"licen[cs]e|lisensi", sumber, re.I)
    tidak_tercatat = [
        str(p.relative_to(dasar))
        for p in sorted(dasar.rglob("*"))
        if p.is_file()
        and p.name != "SUMBER.md"
        and not p.name.startswith("LICENSE")
        and p.suffix != ".py"
        and p.name not in sumber
    ]
    assert tidak_tercatat == []
