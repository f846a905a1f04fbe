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
        ({"DEBUG": "true", "DATABASE_URL_PEMILIK": "mysql://a@b/c"}, "DATABASE_URL_PEMILIK must start with postgis://"),
        (
            {
                "DEBUG": "true",
                "DATABASE_URL": "postgis://a:x@h:5432/db",
                "DATABASE_URL_PEMILIK": "postgis://o:y@h/lain",
            },
            "DATABASE_URL_PEMILIK must name the same server and database as DATABASE_URL",
        ),
        ({"DEBUG": "true", "REDIS_URL": "localhost:6379"}, "REDIS_URL must start with redis://"),
        ({"DEBUG": "true", "NOTIFIKASI_SIMPAN_HARI": "0"}, "NOTIFIKASI_SIMPAN_HARI must be at least 1"),
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


def _cetak(env: dict[str, str], tmp_path: Path, kode: str) -> str:
    basis = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "SECRET_", "DEBUG", "REDIS"))
    }
    basis.update({"MUSRENBANG_ENV_FILE": "", "PYTHONPATH": str(ROOT), "DEBUG": "true"}, **env)
    hasil = subprocess.run(
        [sys.executable, "-c", f"import musrenbang.settings as s; print(({kode}))"],
        env=basis,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert hasil.returncode == 0, hasil.stderr
    return hasil.stdout.strip()


def test_cache_bersama_di_basis_data_atau_redis(tmp_path):
    kode = "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']"
    assert _cetak({}, tmp_path, kode) == "('django.core.cache.backends.db.DatabaseCache', 'musrenbang_cache')"
    assert _cetak({"REDIS_URL": "redis://127.0.0.1:6379/2"}, tmp_path, kode) == (
        "('django_redis.cache.RedisCache', 'redis://127.0.0.1:6379/2')"
    )


def test_dua_peran_basis_data(tmp_path):
    kode = "s.DATABASES['default']['USER'], (s.DATABASE_PEMILIK or {}).get('USER')"
    aplikasi, pemilik = "postgis://app:a@h:5432/db", "postgis://pemilik:p@h:5432/db"
    assert _cetak({"DATABASE_URL": aplikasi}, tmp_path, kode) == "('app', None)"
    assert _cetak({"DATABASE_URL": aplikasi, "DATABASE_URL_PEMILIK": pemilik}, tmp_path, kode) == "('app', 'pemilik')"
    # The same role in both: one role, nothing to switch.
    assert _cetak({"DATABASE_URL": aplikasi, "DATABASE_URL_PEMILIK": aplikasi}, tmp_path, kode) == "('app', None)"
