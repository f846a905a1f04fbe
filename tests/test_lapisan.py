"""Dependencies point one way: an app imports only apps of lower layers (README, "Layout").

Every .py file of the apps is parsed (never imported) and every import is checked, at any depth (also
inside functions and `if TYPE_CHECKING:`), as `import x.y` or `from x import y`, relative imports
resolved against the file's package. A string naming a module, as in `include("peta.urls")`, is not
an import: only the root URLconf does that, and it is wiring (below).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

AKAR = Path(__file__).resolve().parent.parent

# Bottom to top. Apps on the same layer may not import each other: the map, the open data and the
# dashboard are three jobs over the same data, and what they share lives below them (usulan.saringan,
# musrenbang.tabel, musrenbang.ringkasan). akun and kabar are the accounts and the outbox, below usulan
# so a submission can queue its own messages; an app not in this tree yet is simply listed.
LAPISAN: dict[str, int] = {
    "musrenbang": 0,  # settings, reference data, shared infrastructure
    "akun": 1,  # accounts, two-step sign-in, officials' sessions, role assignments
    "kabar": 2,  # the outbox and its worker
    "usulan": 3,
    "verifikasi": 4,
    "peta": 5,
    "data_terbuka": 5,
    "dasbor": 5,
}

# The project's wiring: settings name every app, the root URLconf mounts every app's URLs, and the
# WSGI/ASGI entry points load them all. They sit on top of the whole stack although they live in the
# bottom package, so they are left out by name.
KABEL = frozenset({"musrenbang/settings.py", "musrenbang/urls.py", "musrenbang/wsgi.py", "musrenbang/asgi.py"})

# Imports that still run upwards on this branch, each as (file, imported module). Empty this list as
# each goes; an entry that no longer occurs fails the test, so the list cannot go stale.
DIIZINKAN: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Pelanggaran:
    berkas: str
    baris: int
    modul: str

    def __str__(self) -> str:
        return f"{self.berkas}:{self.baris}: imports {self.modul}"


def _paket(berkas: str) -> list[str]:
    # The package a relative import starts from: a module's folder (also for a package's __init__.py).
    return berkas.split("/")[:-1]


def _modul_diimpor(pohon: ast.AST, berkas: str) -> list[tuple[int, str]]:
    """(line, module) of every import in the tree, relative ones made absolute."""
    hasil = []
    for simpul in ast.walk(pohon):
        if isinstance(simpul, ast.Import):
            hasil.extend((simpul.lineno, a.name) for a in simpul.names)
        elif isinstance(simpul, ast.ImportFrom):
            if simpul.level:
                paket = _paket(berkas)
                dasar = paket[: len(paket) - (simpul.level - 1)]
                modul = ".".join([*dasar, simpul.module] if simpul.module else dasar)
            else:
                modul = simpul.module or ""
            # `from peta import selectors` imports peta.selectors: the app is what counts.
            hasil.append((simpul.lineno, modul))
    return hasil


def pelanggaran(sumber: str, berkas: str) -> list[Pelanggaran]:
    """The imports in `sumber` (the text of `berkas`, a path from the repository root) of an app on the
    same or a higher layer than the file's own app."""
    app = berkas.split("/", 1)[0]
    lapisan = LAPISAN[app]
    hasil = []
    for baris, modul in _modul_diimpor(ast.parse(sumber, filename=berkas), berkas):
        tujuan = modul.split(".", 1)[0]
        if tujuan != app and tujuan in LAPISAN and LAPISAN[tujuan] >= lapisan:
            hasil.append(Pelanggaran(berkas, baris, modul))
    return hasil


def berkas_aplikasi() -> list[str]:
    """Every .py file of the apps in this tree, minus migrations and the wiring modules."""
    hasil = []
    for app in LAPISAN:
        folder = AKAR / app
        if not folder.is_dir():
            continue  # listed for the layer order; not (yet) in this tree
        for jalur in sorted(folder.rglob("*.py")):
            relatif = jalur.relative_to(AKAR).as_posix()
            if "/migrations/" in relatif or relatif in KABEL:
                continue
            hasil.append(relatif)
    return hasil


def test_tidak_ada_impor_ke_atas():
    semua = [p for b in berkas_aplikasi() for p in pelanggaran((AKAR / b).read_text(encoding="utf-8"), b)]
    baru = [p for p in semua if (p.berkas, p.modul) not in DIIZINKAN]
    assert not baru, "Imports that run upwards or sideways:\n" + "\n".join(map(str, baru))
    usang = DIIZINKAN - {(p.berkas, p.modul) for p in semua}
    assert not usang, f"Allowed imports that no longer occur (remove them from DIIZINKAN): {sorted(usang)}"


def test_semua_aplikasi_terpasang_punya_lapisan(settings):
    # A new app must be given its place in the order before its imports can be checked.
    proyek = {a.split(".", 1)[0] for a in settings.INSTALLED_APPS if (AKAR / a.split(".", 1)[0]).is_dir()}
    assert proyek <= set(LAPISAN), proyek - set(LAPISAN)
    assert berkas_aplikasi(), "no app files found"


SUMBER_CONTOH = """
import json
from django.db import models

from musrenbang.models import Wilayah
from usulan import selectors


def f():
    from dasbor import statistik

    return statistik


class C:
    def g(self):
        import verifikasi.models

        return verifikasi.models
"""


def test_pemeriksa_menangkap_impor_di_mana_pun():
    hasil = pelanggaran(SUMBER_CONTOH, "usulan/contoh.py")
    assert [(p.baris, p.modul) for p in hasil] == [(10, "dasbor"), (17, "verifikasi.models")]
    assert str(hasil[0]) == "usulan/contoh.py:10: imports dasbor"


@pytest.mark.parametrize(
    ("berkas", "sumber", "diharapkan"),
    [
        # Sideways between the three top apps.
        ("dasbor/contoh.py", "from data_terbuka.proyeksi import KOLOM_PUBLIK\n", ["data_terbuka.proyeksi"]),
        ("peta/contoh.py", "from dasbor import statistik\n", ["dasbor"]),
        # The bottom layer reaching up, as `import x.y` and inside a type-checking block.
        ("musrenbang/contoh.py", "import verifikasi.permissions\n", ["verifikasi.permissions"]),
        ("musrenbang/contoh.py", "import typing\nif typing.TYPE_CHECKING:\n    import usulan\n", ["usulan"]),
        # A relative import stays inside its own app.
        ("data_terbuka/management/commands/contoh.py", "from ...models import KunciAPI\n", []),
        # Downwards is the point.
        ("dasbor/contoh.py", "from verifikasi.models import Pagu\nfrom musrenbang import tabel\n", []),
        # A string naming a module is not an import.
        ("peta/contoh.py", 'from django.urls import include\nx = include("dasbor.urls")\n', []),
    ],
)
def test_pemeriksa_arah(berkas, sumber, diharapkan):
    assert [p.modul for p in pelanggaran(sumber, berkas)] == diharapkan
