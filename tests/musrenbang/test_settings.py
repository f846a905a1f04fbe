"""Settings fail at start-up with a message that names the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _muat_settings(env: dict[str, str], tmp_path: Path, env_file: str = "") -> subprocess.CompletedProcess:
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "SECRET_", "DEBUG"))}
    basis.update({"MUSRENBANG_ENV_FILE": env_file, "PYTHONPATH": str(ROOT)}, **env)
    kode = (
        "import musrenbang.settings as s; "
        "print(s.DEBUG, s.TIME_ZONE, s.LANGUAGE_CODE, s.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", kode], env=basis, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_default_aman(tmp_path):
    hasil = _muat_settings({"SECRET_KEY": "x" * 50}, tmp_path)
    assert hasil.returncode == 0, hasil.stderr
    assert hasil.stdout.split() == ["False", "Asia/Jakarta", "id", "django.contrib.gis.db.backends.postgis"]


@pytest.mark.parametrize(
    ("env", "nama"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY must be set"),
        ({"DEBUG": "mungkin"}, "DEBUG must be true or false"),
        ({"DEBUG": "true", "DATABASE_URL": "sqlite:///db.sqlite3"}, "DATABASE_URL must start with postgis://"),
        ({"DEBUG": "true", "EMAIL_PORT": "dua lima"}, "EMAIL_PORT must be a whole number"),
        ({"DEBUG": "true", "MAP_CENTER_LAT": "utara"}, "MAP_CENTER_LAT must be a number"),
    ],
)
def test_nilai_salah_menyebut_variabelnya(tmp_path, env, nama):
    hasil = _muat_settings(env, tmp_path)
    assert hasil.returncode != 0
    assert "ImproperlyConfigured" in hasil.stderr
    assert nama in hasil.stderr


def test_berkas_env_dibaca_dan_variabel_lingkungan_menang(tmp_path):
    berkas = tmp_path / ".env"
    berkas.write_text("# komentar\nDEBUG=true\nTIME_ZONE=Asia/Makassar\n", encoding="utf-8")
    hasil = _muat_settings({}, tmp_path, env_file=str(berkas))
    assert hasil.stdout.split()[:2] == ["True", "Asia/Makassar"], hasil.stderr
    hasil = _muat_settings({"TIME_ZONE": "Asia/Jayapura"}, tmp_path, env_file=str(berkas))
    assert hasil.stdout.split()[:2] == ["True", "Asia/Jayapura"], hasil.stderr


def test_baris_env_rusak_disebut_nomornya(tmp_path):
    berkas = tmp_path / ".env"
    berkas.write_text("DEBUG=true\nINI BUKAN PASANGAN\n", encoding="utf-8")
    hasil = _muat_settings({}, tmp_path, env_file=str(berkas))
    assert hasil.returncode != 0
    assert ".env, line 2: expected KEY=value" in hasil.stderr
