"""Test settings: the real settings module, independent of a developer's .env."""

import os
import tempfile

os.environ.setdefault("MUSRENBANG_ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("MAP_TILES_URL", "")  # no network: no base tiles

from musrenbang.settings import *  # noqa: F403

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
