"""Test settings: the real settings module, independent of a developer's .env except for the database.

The database is the one set-up chose: DATABASE_URL from the environment when it is set, otherwise
the one in the project's .env (only that value: DEBUG and the rest of a developer's settings stay
out). With two roles (DATABASE_URL_PEMILIK) the tests connect as the owner, which may create the
test database and migrate it; tests/aman/test_peran_db.py uses the application's role. There is no
fallback: without either, the run stops and says so, rather than guess a server on 5432.
"""

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from musrenbang.berkas_env import baca_berkas_env

_ENV_PROYEK = Path(__file__).resolve().parents[1] / ".env"


def basis_data_uji(lingkungan, berkas_env: Path) -> tuple[str, str | None]:
    """(URL the tests connect with, URL of the application's role or None), from one source only: the
    environment when it has DATABASE_URL, else the .env file (tests/musrenbang/test_basis_data_uji.py)."""
    sumber = lingkungan if lingkungan.get("DATABASE_URL") else baca_berkas_env(berkas_env)
    aplikasi, pemilik = sumber.get("DATABASE_URL") or "", sumber.get("DATABASE_URL_PEMILIK") or ""
    if not aplikasi:
        raise ImproperlyConfigured(
            f"No database for the tests: set DATABASE_URL or run `make setup`, which writes it into {berkas_env}"
        )
    return (pemilik, aplikasi) if pemilik else (aplikasi, None)


# Worked out once per run: the processes this one starts (pytest-xdist's workers) inherit the
# environment rewritten below, in which the application's role can no longer be told apart.
if "MUSRENBANG_UJI_URL_APLIKASI" in os.environ:
    URL_PERAN_APLIKASI = os.environ["MUSRENBANG_UJI_URL_APLIKASI"] or None
else:
    os.environ["DATABASE_URL"], URL_PERAN_APLIKASI = basis_data_uji(os.environ, _ENV_PROYEK)
    os.environ["MUSRENBANG_UJI_URL_APLIKASI"] = URL_PERAN_APLIKASI or ""
os.environ.pop("DATABASE_URL_PEMILIK", None)
os.environ.setdefault("MUSRENBANG_ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("MAP_TILES_URL", "")  # no network: no base tiles
# Playwright's sync API (the browser tests, and live_server beside them) runs an event loop in the test
# thread, so Django's guard against synchronous database calls from async code would refuse every query
# the test itself makes there. Set here, not in the Makefile, so every way of running pytest gets it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from musrenbang.settings import *  # noqa: E402, F403

# PostGIS, with a flush that keeps the reference data across transactional tests (tests/basis_data).
DATABASES["default"]["ENGINE"] = "tests.basis_data"  # noqa: F405

# The suite keeps the process-local cache: its query counts are about the app's own queries. The
# shared cache production uses (settings.CACHES) is tested with several processes in
# tests/aman/test_cache_bersama.py and through scripts/produksi.sh in tests/aman/test_produksi.py.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Every test run writes uploads into its own throw-away folder.
MEDIA_ROOT = __import__("pathlib").Path(tempfile.mkdtemp(prefix="musrenbang-test-media-"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Hashing passwords at full strength costs ~0.3 s per login; tests do many.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Plain HTTP in tests: no redirect to HTTPS, cookies sent without TLS (tests/aman check the real ones).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# The suite's officials sign in with force_login; tests/aman turn two-factor on where they test it.
DUA_FAKTOR_WAJIB = False
# Tests never collect static files; an empty STATIC_ROOT keeps WhiteNoise from warning about a missing one.
STATIC_ROOT = __import__("pathlib").Path(tempfile.mkdtemp(prefix="musrenbang-test-static-"))
# live_server serves static files through the finders: hashed names would 404 there.
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "publik", "base_url": "/media/publik/"},
    },
    "privat": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "privat", "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite asks the public read APIs from one address many times and counts their queries; the
# per-address read limits (one more query each) are off here and tested with explicit values in
# tests/aman/test_batas_baca.py and tests/peta/test_peta_batas_laju_peramban.py.
BATAS_PETA_DATA_PER_MENIT_IP = BATAS_OPEN311_BACA_PER_MENIT_IP = BATAS_EKSPOR_PER_JAM_IP = 0
