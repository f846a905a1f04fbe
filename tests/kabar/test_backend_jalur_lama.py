"""The senders moved from verifikasi.notifikasi_backend to kabar.backend; a deployment whose .env
still names the old dotted paths keeps sending, and other paths (a gateway's own class) are kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _backend(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "SECRET_", "DEBUG"))}
    basis.update({"MUSRENBANG_ENV_FILE": "", "PYTHONPATH": str(ROOT), "SECRET_KEY": "x" * 50}, **env)
    kode = (
        "import json; import musrenbang.settings as s; from django.utils.module_loading import import_string; "
        "[import_string(j) for j in s.NOTIFIKASI_BACKEND.values() if j.startswith('kabar.')]; "
        "print(json.dumps(s.NOTIFIKASI_BACKEND))"
    )
    hasil = subprocess.run(
        [sys.executable, "-c", kode], env=basis, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert hasil.returncode == 0, hasil.stderr
    return json.loads(hasil.stdout)


def test_jalur_lama_tetap_jalan(tmp_path):
    backend = _backend(
        {
            "NOTIFIKASI_BACKEND_EMAIL": "verifikasi.notifikasi_backend.EmailBackend",
            "NOTIFIKASI_BACKEND_SMS": "verifikasi.notifikasi_backend.LogBackend",
            "NOTIFIKASI_BACKEND_WHATSAPP": "gerbang.whatsapp.Backend",
        },
        tmp_path,
    )
    assert backend == {
        "email": "kabar.backend.EmailBackend",
        "sms": "kabar.backend.LogBackend",
        "whatsapp": "gerbang.whatsapp.Backend",
    }


def test_bawaan_di_kabar(tmp_path):
    assert _backend({}, tmp_path) == {
        "email": "kabar.backend.EmailBackend",
        "sms": "kabar.backend.LogBackend",
        "whatsapp": "kabar.backend.LogBackend",
    }
