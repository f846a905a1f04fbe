"""The English catalogue is complete: every Indonesian source string has an English translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ABAIKAN = shutil.ignore_patterns(".venv", ".git", "media", "staticfiles", "__pycache__", "*.mo", "node_modules")


def _entri(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry; a tiny reader for the subset makemessages writes."""
    hasil: list[tuple[str, str, bool]] = []
    msgid = msgstr = None
    fuzzy = False
    bagian = None

    def simpan() -> None:
        if msgid is not None:
            hasil.append((msgid, msgstr or "", fuzzy))

    for baris in po.read_text(encoding="utf-8").splitlines():
        if baris.startswith("#,") and "fuzzy" in baris:
            simpan()
            msgid = msgstr = None
            fuzzy, bagian = True, None
        elif baris.startswith("msgid "):
            if bagian != "fuzzy-header":
                simpan()
            msgid, msgstr, bagian = baris[7:-1], None, "id"
        elif baris.startswith("msgid_plural "):
            bagian = "plural"
        elif baris.startswith(("msgstr ", "msgstr[0] ")):
            msgstr, bagian = baris.split(" ", 1)[1][1:-1], "str"
        elif baris.startswith('"') and bagian == "id":
            msgid += baris[1:-1]
        elif baris.startswith('"') and bagian == "str":
            msgstr += baris[1:-1]
        elif not baris.strip():
            simpan()
            msgid = msgstr = None
            fuzzy, bagian = False, None
    simpan()
    return [e for e in hasil if e[0]]  # the header has an empty msgid


def test_katalog_inggris_lengkap_dan_mutakhir(tmp_path):
    salinan = tmp_path / "proyek"
    shutil.copytree(ROOT, salinan, ignore=ABAIKAN)
    for domain in ("django", "djangojs"):
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "en",
                "-d",
                domain,
                "--no-obsolete",
                "--ignore=tests",
                "--ignore=bench",
                "--ignore=staticfiles",
            ],
            cwd=salinan,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
            env={
                "PATH": "/usr/bin:/bin",
                "MUSRENBANG_ENV_FILE": "",
                "DEBUG": "true",
                "DJANGO_SETTINGS_MODULE": "musrenbang.settings",
            },
        )
        po = salinan / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not po.exists():
            continue
        entri = _entri(po)
        belum = [msgid for msgid, msgstr, fuzzy in entri if not msgstr or fuzzy]
        assert belum == [], f"{domain}.po: strings without an English translation (run `make messages`): {belum}"
    assert len(_entri(salinan / "locale" / "en" / "LC_MESSAGES" / "django.po")) > 50
