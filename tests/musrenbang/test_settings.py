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
        ({"DEBUG": "true", "MAP_CENTER_LAT": "91"}, "MAP_CENTER_LAT must be between -90.0 and 90.0"),
        ({"DEBUG": "true", "MAP_CENTER_LON": "nan"}, "MAP_CENTER_LON must be a finite number"),
        ({"DEBUG": "true", "MAP_DEFAULT_ZOOM": "25"}, "MAP_DEFAULT_ZOOM must be between 4 and 19"),
        ({"DEBUG": "true", "MAP_TILES_URL": "tile.openstreetmap.org/{z}/{x}/{y}.png"}, "MAP_TILES_URL must start"),
        ({"DEBUG": "true", "TIME_ZONE": "Asia/Pekanbaru"}, "TIME_ZONE must be an IANA time zone"),
        ({"DEBUG": "true", "DATABASE_URL": "postgis://u:rahasia@localhost:lima/db"}, "DATABASE_URL is not a valid"),
        ({"DEBUG": "true", "DATABASE_URL": "postgis://u:p@localhost:5432/"}, "DATABASE_URL must name a database"),
        ({"DEBUG": "true", "MUSRENBANG_KODE_KABKOTA": "2102"}, "MUSRENBANG_KODE_KABKOTA must be a Kemendagri"),
        ({"DEBUG": "true", "SITUS_URL": "musrenbang.example.go.id"}, "SITUS_URL must be an http:// or https://"),
        ({"DEBUG": "true", "EMAIL_PORT": "70000"}, "EMAIL_PORT must be between 1 and 65535"),
        ({"DEBUG": "true", "FOTO_UKURAN_MAKS_MB": "0"}, "FOTO_UKURAN_MAKS_MB must be at least 1"),
        ({"DEBUG": "true", "FOTO_JUMLAH_MAKS": "-1"}, "FOTO_JUMLAH_MAKS must be at least 1"),
        ({"DEBUG": "true", "FOTO_JARAK_GPS_MAKS_M": "-5"}, "FOTO_JARAK_GPS_MAKS_M must be at least 0.0"),
        ({"DEBUG": "true", "BATAS_USULAN_PER_JAM_IP": "0"}, "BATAS_USULAN_PER_JAM_IP must be at least 1"),
        ({"DEBUG": "true", "LOG_LEVEL": "cerewet"}, "LOG_LEVEL must be one of CRITICAL, DEBUG, ERROR, INFO, WARNING"),
    ],
)
def test_nilai_salah_menyebut_variabelnya(tmp_path, env, nama):
    hasil = _muat_settings(env, tmp_path)
    assert hasil.returncode != 0
    assert "ImproperlyConfigured" in hasil.stderr
    assert nama in hasil.stderr
    assert "rahasia" not in hasil.stderr  # a broken DATABASE_URL is named, its password never printed


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


def test_nilai_dalam_batas_dan_huruf_kecil_diterima(tmp_path):
    env = {"DEBUG": "true", "LOG_LEVEL": "warning", "MAP_CENTER_LAT": "-90", "FOTO_JARAK_GPS_MAKS_M": "0"}
    hasil = _muat_settings(env, tmp_path)
    assert hasil.returncode == 0, hasil.stderr
