"""Dependencies by purpose: requirements.txt is what the application needs to run (every third-party
package its code imports or its settings name, with everything those pull in, exactly pinned, and no
test or lint tool), requirements-dev.txt adds the tools on top, and production installs the runtime
set alone: `make produksi` runs set-up with PERSYARATAN=runtime, which, run here for real on a
throw-away cluster, leaves a .venv holding exactly requirements.txt that still runs the app."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
# Not application code: the tests and benches run only in development; the rest is not ours.
BUKAN_APLIKASI = {".venv", "tests", "bench", "staticfiles", "media", "__pycache__", "node_modules"}
# Test, lint and type tools: none of them belongs in production.
ALAT_PENGEMBANGAN = re.compile(
    r"^(pytest.*|.*playwright.*|axe-.*|hypothesis|ruff|mypy.*|django-stubs.*|types-.*|execnet|openpyxl)$"
)


def _pin(berkas: str) -> dict[str, str]:
    """{canonical name: version} of one requirements file's own lines (not those it includes)."""
    pin: dict[str, str] = {}
    for baris in (ROOT / berkas).read_text(encoding="utf-8").splitlines():
        baris = baris.split("#", 1)[0].strip()
        if not baris or baris == "-r requirements.txt":
            continue
        cocok = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][A-Za-z0-9.+!-]*)", baris)
        assert cocok, f"{berkas}: not an exact pin: {baris!r}"
        nama = canonicalize_name(cocok.group(1))
        assert nama not in pin, f"{berkas}: {nama} pinned twice"
        pin[nama] = cocok.group(2)
    return pin


def _kebutuhan(nama: str) -> set[str]:
    """What an installed distribution requires on this Python, without extras."""
    hasil = set()
    for teks in metadata.distribution(nama).requires or []:
        syarat = Requirement(teks)
        if syarat.marker is None or syarat.marker.evaluate({"extra": ""}):
            hasil.add(canonicalize_name(syarat.name))
    return hasil


def test_runtime_tanpa_alat_uji_dan_dev_di_atasnya():
    runtime, dev = _pin("requirements.txt"), _pin("requirements-dev.txt")
    assert [n for n in runtime if ALAT_PENGEMBANGAN.match(n)] == []
    # The design card's packages stay, each where it is used.
    assert {"django", "django-leaflet", "pillow", "exifread", "psycopg2-binary"} <= runtime.keys()
    assert {"pytest", "pytest-django", "playwright", "ruff", "mypy", "django-stubs", "pytest-xdist"} <= dev.keys()
    assert runtime.keys().isdisjoint(dev.keys()), "a package is pinned once, in the set that needs it"
    assert (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines().count("-r requirements.txt") == 1


@pytest.mark.parametrize("berkas", ["requirements.txt", "requirements-dev.txt"])
def test_setiap_pin_terpasang_dan_yang_ditariknya_juga_dipin(berkas):
    """The pins are closed: whatever a pinned package pulls in is pinned in the same set (or, for the
    dev set, in the runtime set below it), so an install resolves to exactly these versions."""
    pin = _pin("requirements.txt") | (_pin(berkas) if berkas != "requirements.txt" else {})
    sendiri = _pin(berkas)
    assert {n: metadata.version(n) for n in sendiri} == sendiri, "the development .venv holds these versions"
    tertarik = {n: _kebutuhan(n) - pin.keys() for n in sendiri}
    assert {n: k for n, k in tertarik.items() if k} == {}


def _berkas_aplikasi() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if not BUKAN_APLIKASI & set(path.relative_to(ROOT).parts):
            yield path


def _lokal(modul: str) -> bool:
    return (ROOT / modul).is_dir() or (ROOT / f"{modul}.py").is_file()


def _modul_pihak_ketiga() -> dict[str, set[str]]:
    """{top-level module: files} that application code imports, or its settings and the production
    script name as dotted paths (INSTALLED_APPS, MIDDLEWARE, backends, `python -m gunicorn`)."""
    dipakai: dict[str, set[str]] = {}

    def catat(modul: str, asal: Path) -> None:
        atas = modul.split(".")[0]
        if atas not in sys.stdlib_module_names and not _lokal(atas):
            dipakai.setdefault(atas, set()).add(str(asal.relative_to(ROOT)))

    for path in _berkas_aplikasi():
        pohon = ast.parse(path.read_text(encoding="utf-8"))
        # Imports under `if TYPE_CHECKING:` are read by mypy only (django-stubs' types), never at run time.
        hanya_tipe = {
            id(s)
            for blok in ast.walk(pohon)
            if isinstance(blok, ast.If) and ast.unparse(blok.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}
            for anak in blok.body
            for s in ast.walk(anak)
        }
        for simpul in ast.walk(pohon):
            if id(simpul) in hanya_tipe:
                continue
            if isinstance(simpul, ast.Import):
                for alias in simpul.names:
                    catat(alias.name, path)
            elif isinstance(simpul, ast.ImportFrom) and simpul.level == 0 and simpul.module:
                catat(simpul.module, path)
    pengaturan = ROOT / "musrenbang" / "settings.py"
    for simpul in ast.walk(ast.parse(pengaturan.read_text(encoding="utf-8"))):
        if (
            isinstance(simpul, ast.Constant)
            and isinstance(simpul.value, str)
            and re.fullmatch(r"[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", simpul.value)
            and importlib.util.find_spec(simpul.value.split(".")[0]) is not None
        ):
            catat(simpul.value, pengaturan)
    produksi = ROOT / "scripts" / "produksi.sh"
    for modul in re.findall(r"-m ([a-z_]+)", produksi.read_text(encoding="utf-8")):
        catat(modul, produksi)
    return dipakai


def test_setiap_paket_yang_dipakai_aplikasi_dipin_di_runtime():
    dipakai = _modul_pihak_ketiga()
    # The scan sees what it must: imports, a settings-only app, a middleware, the server; and not the
    # types only the checker reads.
    assert {"django", "PIL", "exifread", "psycopg2", "leaflet", "whitenoise", "gunicorn"} <= dipakai.keys()
    assert "django_stubs_ext" not in dipakai
    distribusi = metadata.packages_distributions()
    runtime = _pin("requirements.txt")
    tidak_dipin = {
        modul: sorted(asal)
        for modul, asal in dipakai.items()
        if not {canonicalize_name(d) for d in distribusi.get(modul, [])} & runtime.keys()
    }
    assert tidak_dipin == {}


def test_make_produksi_menyiapkan_runtime_saja():
    teks = (ROOT / "Makefile").read_text(encoding="utf-8")
    resep = re.search(r"^produksi:[^\n]*\n((?:\t[^\n]*\n)*)", teks, re.M)
    assert resep
    assert [b.strip() for b in resep.group(1).splitlines()] == [
        "$(MAKE) --no-print-directory setup PERSYARATAN=runtime",
        "bash scripts/produksi.sh",
    ]


def _klaster_ada(nama: str) -> bool:
    keluaran = subprocess.run(["pg_lsclusters", "-h"], check=True, capture_output=True, text=True).stdout
    return any(b.split()[:2] == ["15", nama] for b in keluaran.splitlines())


@pytest.fixture
def klaster() -> Iterator[str]:
    """A throw-away cluster name for set-up to create; stopped and dropped after."""
    nama = f"uji_{uuid.uuid4().hex[:8]}"
    yield nama
    if _klaster_ada(nama):
        subprocess.run(["pg_dropcluster", "--stop", "15", nama], check=False, capture_output=True, timeout=120)
    assert not _klaster_ada(nama)


def test_setup_produksi_memasang_persyaratan_runtime_saja(tmp_path, klaster):
    (tmp_path / "scripts").mkdir()
    for berkas in ("scripts/setup.sh", "requirements.txt", "requirements-dev.txt", ".env.example"):
        (tmp_path / berkas).write_bytes((ROOT / berkas).read_bytes())
    # A .venv that set-up filled with the development set before: production must not keep it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True, timeout=60)
    (tmp_path / ".venv" / ".requirements.sha256").write_text("dev 0\n")
    (tmp_path / ".venv" / "sisa-dev").write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "PYTHON", "VIRTUAL_ENV"))}
    hasil = subprocess.run(
        ["bash", "scripts/setup.sh"],
        cwd=tmp_path,
        env={**env, "PG_CLUSTER": klaster, "PERSYARATAN": "runtime"},
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "rebuilding .venv for the runtime requirements alone" in hasil.stdout
    assert not (tmp_path / ".venv" / "sisa-dev").exists()
    python = tmp_path / ".venv" / "bin" / "python"
    bebas = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "DJANGO_SETTINGS"))}
    beku = subprocess.run(
        [str(python), "-m", "pip", "freeze", "--all", "--exclude", "pip", "--exclude", "setuptools"],
        env=bebas,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    terpasang = {canonicalize_name(b.split("==")[0]): b.split("==")[1] for b in beku.splitlines() if "==" in b}
    assert terpasang == _pin("requirements.txt")
    # That .venv runs the application: Django's checks over every app, and the server's entry point.
    for perintah in (["manage.py", "check"], ["-m", "gunicorn", "--version"]):
        jalan = subprocess.run(
            [str(python), *perintah], cwd=ROOT, env=bebas, capture_output=True, text=True, timeout=120
        )
        assert jalan.returncode == 0, jalan.stderr
    # Run again with nothing changed: nothing is installed twice.
    lagi = subprocess.run(
        ["bash", "scripts/setup.sh"],
        cwd=tmp_path,
        env={**env, "PG_CLUSTER": klaster, "PERSYARATAN": "runtime"},
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "installing the Python requirements" not in lagi.stdout and "rebuilding" not in lagi.stdout
