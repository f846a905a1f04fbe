"""The notification settings are read from the environment and refuse nonsense at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _muat(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NOTIFIKASI_"))}
    basis.update({"MUSRENBANG_ENV_FILE": "", "PYTHONPATH": str(ROOT), "DEBUG": "true"}, **env)
    kode = "import musrenbang.settings as s; print(repr(s.NOTIFIKASI_SALURAN_TELEPON), s.NOTIFIKASI_BACKEND['sms'])"
    return subprocess.run(
        [sys.executable, "-c", kode], env=basis, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_bawaan_dan_diubah(tmp_path):
    assert _muat({}, tmp_path).stdout.split() == ["'sms'", "kabar.backend.LogBackend"]
    hasil = _muat({"NOTIFIKASI_SALURAN_TELEPON": "off", "NOTIFIKASI_BACKEND_SMS": "gerbang.Backend"}, tmp_path)
    assert hasil.stdout.split() == ["''", "gerbang.Backend"], hasil.stderr


@pytest.mark.parametrize(
    ("env", "pesan"),
    [
        ({"NOTIFIKASI_SALURAN_TELEPON": "merpati"}, "NOTIFIKASI_SALURAN_TELEPON must be sms, whatsapp or off"),
        ({"NOTIFIKASI_JAM_RINGKASAN": "24"}, "NOTIFIKASI_JAM_RINGKASAN must be an hour from 0 to 23"),
        ({"NOTIFIKASI_SEWA_DETIK": "10"}, "NOTIFIKASI_SEWA_DETIK must be at least 60 seconds"),
        ({"NOTIFIKASI_PERCOBAAN_MAKS": "banyak"}, "NOTIFIKASI_PERCOBAAN_MAKS must be a whole number"),
        ({"NOTIFIKASI_PERCOBAAN_MAKS": "0"}, "NOTIFIKASI_PERCOBAAN_MAKS must be at least 1"),
    ],
)
def test_nilai_salah_menyebut_variabelnya(tmp_path, env, pesan):
    hasil = _muat(env, tmp_path)
    assert hasil.returncode != 0
    assert "ImproperlyConfigured" in hasil.stderr and pesan in hasil.stderr
