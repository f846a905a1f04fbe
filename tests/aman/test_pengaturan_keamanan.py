"""Security settings: safe defaults without DEBUG, relaxed ones with it, and bad values named at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _muat(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    basis = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "SECRET_", "DEBUG"))}
    basis.update({"MUSRENBANG_ENV_FILE": "", "PYTHONPATH": str(ROOT)}, **env)
    kode = (
        "import musrenbang.settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, s.DUA_FAKTOR_WAJIB, s.STORAGES['staticfiles']['BACKEND'])"
    )
    return subprocess.run(
        [sys.executable, "-c", kode], env=basis, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def test_tanpa_debug_semua_aman(tmp_path):
    hasil = _muat({"SECRET_KEY": "x" * 50}, tmp_path)
    assert hasil.returncode == 0, hasil.stderr
    assert hasil.stdout.split() == [
        "True",
        "31536000",
        "True",
        "True",
        "None",
        "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_debug_lokal_tanpa_https(tmp_path):
    hasil = _muat({"DEBUG": "true"}, tmp_path)
    assert hasil.stdout.split() == [
        "False",
        "0",
        "False",
        "False",
        "None",
        "True",
        "django.contrib.staticfiles.storage.StaticFilesStorage",
    ]


def test_di_belakang_proxy_tls(tmp_path):
    hasil = _muat({"SECRET_KEY": "x" * 50, "SECURE_PROXY_SSL_HEADER": "true"}, tmp_path)
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in hasil.stdout


def test_batas_sesi_yang_tidak_masuk_akal_ditolak(tmp_path):
    hasil = _muat({"DEBUG": "true", "SESI_PETUGAS_DIAM_DETIK": "7200", "SESI_PETUGAS_MAKS_DETIK": "3600"}, tmp_path)
    assert hasil.returncode != 0
    assert "SESI_PETUGAS_DIAM_DETIK must be at least 60 and at most SESI_PETUGAS_MAKS_DETIK" in hasil.stderr
    hasil = _muat({"DEBUG": "true", "SECURE_HSTS_SECONDS": "setahun"}, tmp_path)
    assert "SECURE_HSTS_SECONDS must be a whole number" in hasil.stderr
