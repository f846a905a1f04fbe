"""Settings for e-Musrenbang: one file, driven by environment variables.

Every variable is read through a small typed helper that fails at start-up with a message naming the
variable. A `.env` file in the project root (see `.env.example`) is read first; real environment
variables win over it.
"""

from __future__ import annotations

import math
import os
import re
import zoneinfo
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from musrenbang.berkas_env import baca_berkas_env

BASE_DIR = Path(__file__).resolve().parent.parent


# The test settings set MUSRENBANG_ENV_FILE to "" to ignore a developer's .env (they take only its
# database from it: tests/settings.py).
_ENV_FILE = os.environ.get("MUSRENBANG_ENV_FILE", str(BASE_DIR / ".env"))
_FILE_VALUES = baca_berkas_env(Path(_ENV_FILE)) if _ENV_FILE else {}


def _raw(name: str) -> str | None:
    value = os.environ.get(name, _FILE_VALUES.get(name))
    return None if value is None or value == "" else value


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}")


def _check_range(name: str, value: float, minimum: float | None, maximum: float | None) -> None:
    """Fail naming `name` unless `value` lies within [minimum, maximum] (either bound optional)."""
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if minimum is not None and maximum is not None:
            wanted = f"between {minimum} and {maximum}"
        else:
            wanted = f"at least {minimum}" if minimum is not None else f"at most {maximum}"
        raise ImproperlyConfigured(f"{name} must be {wanted}, got {value!r}")


def env_int(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    _check_range(name, number, minimum, maximum)
    return number


def env_float(name: str, default: float, minimum: float | None = None, maximum: float | None = None) -> float:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from None
    # float("nan") and float("inf") parse, but no setting here means anything by them.
    if not math.isfinite(number):
        raise ImproperlyConfigured(f"{name} must be a finite number, got {value!r}")
    _check_range(name, number, minimum, maximum)
    return number


def env_choice(name: str, default: str, choices: set[str]) -> str:
    """One of `choices` (compared case-insensitively, returned as listed)."""
    value = env_str(name, default)
    by_lower = {c.lower(): c for c in choices}
    if value.lower() not in by_lower:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}, got {value!r}")
    return by_lower[value.lower()]


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------
# DEBUG: off unless asked for; never on in production.
DEBUG = env_bool("DEBUG", False)
# SECRET_KEY: required when DEBUG is off; a fixed development key otherwise.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example)")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105 (DEBUG only)
# ALLOWED_HOSTS: comma-separated; local names only by default in DEBUG.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.gis",
    "django.contrib.postgres",
    "leaflet",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Layers, bottom up: reference data, accounts, the outbox, proposals, verification, then the
    # apps that read them. Each imports only the ones listed before it.
    "musrenbang",
    "akun",
    "kabar",
    "usulan",
    "verifikasi",
    "peta",
    "data_terbuka",
    "dasbor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (hashed names, compressed, cached for ten years) before anything touches the session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "musrenbang.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "musrenbang.middleware.BahasaMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(); then two-factor and session expiry for officials (needs messages).
    "django_otp.middleware.OTPMiddleware",
    "akun.middleware.KeamananPetugasMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "musrenbang.urls"
WSGI_APPLICATION = "musrenbang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "musrenbang.context_processors.peta",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# Two roles (README, "Database roles"): DATABASE_URL is the role the application runs as (gunicorn,
# the worker, every command); DATABASE_URL_PEMILIK the role that owns the tables. `manage.py migrate`
# connects as the owner and afterwards grants the application's role only what the code needs
# (musrenbang/peran_db.py); `cadangkan` and `pulihkan` use it too. Both URLs name the same database.
# Empty DATABASE_URL_PEMILIK: DATABASE_URL's role does everything (one role).
_URL_BAWAAN = "postgis://musrenbang:musrenbang@127.0.0.1:5432/musrenbang"
# CONN_MAX_AGE: seconds a connection is kept; measured: a new connection per request costs ~18 ms.
_CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60, minimum=0)


def _basis_data(nama: str, url: str) -> dj_database_url.DBConfig:
    """DATABASES entry of a postgis:// URL, checked with messages naming the variable `nama`."""
    if not url.startswith("postgis://"):
        raise ImproperlyConfigured(f"{nama} must start with postgis://, got {url.split('://')[0]}://")
    try:
        hasil = dj_database_url.parse(url, conn_max_age=_CONN_MAX_AGE, conn_health_checks=True)
    except ValueError:  # dj_database_url.ParseError: a bad port, unquoted characters (never echo the password)
        raise ImproperlyConfigured(
            f"{nama} is not a valid postgis://user:password@host:port/name URL "
            "(quote special characters in the password with %XX)"
        ) from None
    if not hasil["NAME"]:
        raise ImproperlyConfigured(f"{nama} must name a database: postgis://user:password@host:port/name")
    return hasil


_DATABASE = _basis_data("DATABASE_URL", env_str("DATABASE_URL", _URL_BAWAAN))
DATABASES = {"default": _DATABASE}
_URL_PEMILIK = env_str("DATABASE_URL_PEMILIK")
DATABASE_PEMILIK = _basis_data("DATABASE_URL_PEMILIK", _URL_PEMILIK) if _URL_PEMILIK else None
if DATABASE_PEMILIK is not None:
    if any(str(DATABASE_PEMILIK[k]) != str(_DATABASE[k]) for k in ("NAME", "HOST", "PORT")):
        raise ImproperlyConfigured("DATABASE_URL_PEMILIK must name the same server and database as DATABASE_URL")
    if DATABASE_PEMILIK["USER"] == _DATABASE["USER"]:
        DATABASE_PEMILIK = None  # the same role: nothing to switch
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
# One cache for every process (gunicorn's workers, the notification worker, commands): the public
# summary, the map outlines and each official's two-step status are computed once and seen by all.
# REDIS_URL: redis://host:port/db to keep it in Redis (django-redis); empty (the default): in the
# database (table musrenbang_cache, created by `manage.py migrate`), no extra service.
_REDIS_URL = env_str("REDIS_URL")
if _REDIS_URL:
    if not re.match(r"(rediss?|unix)://", _REDIS_URL):
        raise ImproperlyConfigured(f"REDIS_URL must start with redis://, rediss:// or unix://, got {_REDIS_URL!r}")
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _REDIS_URL,
            "KEY_PREFIX": "musrenbang",
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "SOCKET_CONNECT_TIMEOUT": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "musrenbang_cache",
            # One entry per official signed in, plus a few summaries and outlines.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# --- Users ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "musrenbang.Pengguna"
AUTHENTICATION_BACKENDS = ["akun.auth.EmailAtauTeleponBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "beranda"
LOGOUT_REDIRECT_URL = "beranda"

# --- Language and time ------------------------------------------------------------------------
# Indonesian is the source language; English is a complete translation.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# TIME_ZONE: default Asia/Jakarta (WIB); stored in UTC.
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE must be an IANA time zone such as Asia/Jakarta, got {TIME_ZONE!r}") from None
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "static/"
# STATIC_ROOT: where collectstatic gathers files for WhiteNoise (default ./staticfiles).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# MEDIA_ROOT: where uploads live (public web copies under MEDIA_ROOT/publik, originals under
# MEDIA_ROOT/privat, which is never served by URL).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
# Public photo copies and private originals are separate storages, so a web server (or an S3 bucket
# policy) can publish one without the other. Serve only MEDIA_ROOT/publik at MEDIA_URL + "publik/".
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "publik", "base_url": "/" + MEDIA_URL + "publik/"},
    },
    "privat": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "privat", "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "e-Musrenbang <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- The deployment ---------------------------------------------------------------------------
# MUSRENBANG_KODE_KABKOTA: Kemendagri code of the kabupaten/kota this deployment serves.
MUSRENBANG_KODE_KABKOTA = env_str("MUSRENBANG_KODE_KABKOTA", "21.02")
if not re.fullmatch(r"\d{2}\.\d{2}", MUSRENBANG_KODE_KABKOTA):
    raise ImproperlyConfigured(
        f"MUSRENBANG_KODE_KABKOTA must be a Kemendagri kabupaten/kota code PP.KK such as 21.02, "
        f"got {MUSRENBANG_KODE_KABKOTA!r}"
    )
# SITUS_URL: the public address of the site, for links in e-mails and messages.
SITUS_URL = env_str("SITUS_URL", "http://127.0.0.1:8000").rstrip("/")
if not re.match(r"https?://[^/\s]+", SITUS_URL):
    raise ImproperlyConfigured(f"SITUS_URL must be an http:// or https:// address, got {SITUS_URL!r}")
# MUSRENBANG_TOLERANSI_BATAS_M: a point this close (metres) to a desa inside the kabupaten still
# belongs to it (simplified polygons leave slivers between neighbours and along the coast).
MUSRENBANG_TOLERANSI_BATAS_M = env_float("MUSRENBANG_TOLERANSI_BATAS_M", 300.0, minimum=0.0)

# --- Photos -----------------------------------------------------------------------------------
# FOTO_UKURAN_MAKS_MB: largest upload accepted per photo (a 12 MP phone JPEG is 3-6 MB).
FOTO_UKURAN_MAKS = env_int("FOTO_UKURAN_MAKS_MB", 15, minimum=1) * 1024 * 1024
# FOTO_PIKSEL_MAKS: more pixels than this is refused as a decompression bomb (default 50 MP).
FOTO_PIKSEL_MAKS = env_int("FOTO_PIKSEL_MAKS", 50_000_000, minimum=1)
# FOTO_SISI_MIN: a photo whose shorter side is below this (px) cannot show anything useful.
FOTO_SISI_MIN = env_int("FOTO_SISI_MIN", 200, minimum=1)
# FOTO_JUMLAH_MAKS: photos per proposal.
FOTO_JUMLAH_MAKS = env_int("FOTO_JUMLAH_MAKS", 5, minimum=1)
# FOTO_JARAK_GPS_MAKS_M: photo GPS further than this from the pin is flagged for verifiers.
FOTO_JARAK_GPS_MAKS_M = env_float("FOTO_JARAK_GPS_MAKS_M", 200.0, minimum=0.0)
# FOTO_UMUR_MAKS_HARI: a photo taken longer ago than this before submission is flagged.
FOTO_UMUR_MAKS_HARI = env_int("FOTO_UMUR_MAKS_HARI", 365, minimum=1)
# Django keeps uploads above this in a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Abuse limits -------------------------------------------------------------------------------
# BATAS_USULAN_PER_JAM_AKUN / _IP: proposals one account / one address may submit per hour.
BATAS_USULAN_PER_JAM_AKUN = env_int("BATAS_USULAN_PER_JAM_AKUN", 10, minimum=1)
BATAS_USULAN_PER_JAM_IP = env_int("BATAS_USULAN_PER_JAM_IP", 30, minimum=1)
# BATAS_UNGGAH_FOTO_PER_JAM_AKUN / _IP: photos one account / one address may upload per hour (each photo
# goes up on its own as soon as it is chosen; a retry after a dropped signal counts again).
BATAS_UNGGAH_FOTO_PER_JAM_AKUN = env_int("BATAS_UNGGAH_FOTO_PER_JAM_AKUN", 60, minimum=1)
BATAS_UNGGAH_FOTO_PER_JAM_IP = env_int("BATAS_UNGGAH_FOTO_PER_JAM_IP", 200, minimum=1)
# BATAS_DAFTAR_PER_JAM_IP: sign-ups per address per hour; BATAS_RESET_PER_JAM_IP: reset mails.
BATAS_DAFTAR_PER_JAM_IP = env_int("BATAS_DAFTAR_PER_JAM_IP", 10)
BATAS_RESET_PER_JAM_IP = env_int("BATAS_RESET_PER_JAM_IP", 10)
# BATAS_MASUK_GAGAL_PER_IDENTITAS: failed sign-ins per account per window, whichever of its username,
# e-mail or phone spellings is typed (an identity naming no account: per typed identity) (default 10).
BATAS_MASUK_GAGAL_PER_IDENTITAS = env_int("BATAS_MASUK_GAGAL_PER_IDENTITAS", 10)
# BATAS_MASUK_GAGAL_PER_IP: failed sign-ins per address per window (default 30; phones share CGNAT addresses).
BATAS_MASUK_GAGAL_PER_IP = env_int("BATAS_MASUK_GAGAL_PER_IP", 30)
# BATAS_MASUK_JENDELA_MENIT: the window of both sign-in limits, in minutes (default 15).
BATAS_MASUK_JENDELA_MENIT = env_int("BATAS_MASUK_JENDELA_MENIT", 15)
# BATAS_API_PER_JAM_KUNCI: Open311 POST attempts one API key may make per hour (default 120).
BATAS_API_PER_JAM_KUNCI = env_int("BATAS_API_PER_JAM_KUNCI", 120)
# Public reads that cost a query over many rows, per client address (0 = no limit). Generous on purpose:
# the map asks /peta/data/ after every pan and zoom, and phones on one carrier often share an address.
# BATAS_PETA_DATA_PER_MENIT_IP: map data requests per address per minute (default 1800). Generous on
# purpose: Indonesian mobile operators put many phones behind one carrier-grade NAT address, and one
# person panning quickly makes ~20-40 requests a minute; an answer costs a few ms of database time.
BATAS_PETA_DATA_PER_MENIT_IP = env_int("BATAS_PETA_DATA_PER_MENIT_IP", 1800, minimum=0)
# BATAS_OPEN311_BACA_PER_MENIT_IP: Open311 GET requests (any resource) per address per minute (default 120).
BATAS_OPEN311_BACA_PER_MENIT_IP = env_int("BATAS_OPEN311_BACA_PER_MENIT_IP", 120, minimum=0)
# BATAS_EKSPOR_PER_JAM_IP: open-data downloads (CSV, GeoJSON, XLSX together) per address per hour (default 60).
BATAS_EKSPOR_PER_JAM_IP = env_int("BATAS_EKSPOR_PER_JAM_IP", 60, minimum=0)
# JUMLAH_PROXY_TEPERCAYA: reverse proxies in front of Django that append to X-Forwarded-For
# (0 = use REMOTE_ADDR, the safe default when Django faces the internet directly).
JUMLAH_PROXY_TEPERCAYA = env_int("JUMLAH_PROXY_TEPERCAYA", 0, minimum=0)

# --- Notifications ----------------------------------------------------------------------------
# NOTIFIKASI_SALURAN_TELEPON: channel for users with a phone number: sms (default), whatsapp or off.
_SALURAN_TELEPON = env_str("NOTIFIKASI_SALURAN_TELEPON", "sms").lower()
if _SALURAN_TELEPON not in {"sms", "whatsapp", "off"}:
    raise ImproperlyConfigured(f"NOTIFIKASI_SALURAN_TELEPON must be sms, whatsapp or off, got {_SALURAN_TELEPON!r}")
NOTIFIKASI_SALURAN_TELEPON = "" if _SALURAN_TELEPON == "off" else _SALURAN_TELEPON
# NOTIFIKASI_BACKEND_EMAIL/_SMS/_WHATSAPP: dotted path of each channel's sender (SMS/WhatsApp only log by default).
# The senders moved from verifikasi.notifikasi_backend to kabar.backend; deployments whose .env
# still names the old module keep working (the path is rewritten here, once, at start-up).
_BACKEND_LAMA = "verifikasi.notifikasi_backend."


def _jalur_backend(nama: str, bawaan: str) -> str:
    jalur = env_str(nama, bawaan)
    return "kabar.backend." + jalur.removeprefix(_BACKEND_LAMA) if jalur.startswith(_BACKEND_LAMA) else jalur


NOTIFIKASI_BACKEND = {
    "email": _jalur_backend("NOTIFIKASI_BACKEND_EMAIL", "kabar.backend.EmailBackend"),
    "sms": _jalur_backend("NOTIFIKASI_BACKEND_SMS", "kabar.backend.LogBackend"),
    "whatsapp": _jalur_backend("NOTIFIKASI_BACKEND_WHATSAPP", "kabar.backend.LogBackend"),
}
# NOTIFIKASI_PERCOBAAN_MAKS: attempts before a message is marked failed (default 20: ~3 days of back-off).
NOTIFIKASI_PERCOBAAN_MAKS = env_int("NOTIFIKASI_PERCOBAAN_MAKS", 20)
if NOTIFIKASI_PERCOBAAN_MAKS < 1:
    raise ImproperlyConfigured(f"NOTIFIKASI_PERCOBAAN_MAKS must be at least 1, got {NOTIFIKASI_PERCOBAAN_MAKS}")
# NOTIFIKASI_JAM_RINGKASAN: local hour (0-23) at which officials' daily digests are sent (default 7).
NOTIFIKASI_JAM_RINGKASAN = env_int("NOTIFIKASI_JAM_RINGKASAN", 7)
if not 0 <= NOTIFIKASI_JAM_RINGKASAN <= 23:
    raise ImproperlyConfigured(f"NOTIFIKASI_JAM_RINGKASAN must be an hour from 0 to 23, got {NOTIFIKASI_JAM_RINGKASAN}")
# NOTIFIKASI_SEWA_DETIK: how long a worker holds the rows it claimed (default 300 s); a crashed
# worker's rows are sent again after it. A batch stops taking new rows after half of it.
NOTIFIKASI_SEWA_DETIK = env_int("NOTIFIKASI_SEWA_DETIK", 300)
if NOTIFIKASI_SEWA_DETIK < 60:
    raise ImproperlyConfigured(f"NOTIFIKASI_SEWA_DETIK must be at least 60 seconds, got {NOTIFIKASI_SEWA_DETIK}")
# NOTIFIKASI_SIMPAN_HARI: sent and failed outbox rows (they hold contact data) are deleted this many
# days after they were queued (default 90), by `manage.py bersihkan_notifikasi` and by the worker.
NOTIFIKASI_SIMPAN_HARI = env_int("NOTIFIKASI_SIMPAN_HARI", 90, minimum=1)

# --- Map --------------------------------------------------------------------------------------
# MAP_TILES_URL: XYZ tile URL template; empty means no base tiles (offline, tests).
_TILES_URL = env_str("MAP_TILES_URL")
if _TILES_URL and not re.match(r"(https?://|/)", _TILES_URL):
    raise ImproperlyConfigured(f"MAP_TILES_URL must start with https://, http:// or /, got {_TILES_URL!r}")
_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors")
LEAFLET_CONFIG: dict[str, Any] = {
    # Karimun by default; the map pages fit the deployment's boundary when it is loaded.
    "DEFAULT_CENTER": (
        env_float("MAP_CENTER_LAT", 0.8, minimum=-90.0, maximum=90.0),
        env_float("MAP_CENTER_LON", 103.45, minimum=-180.0, maximum=180.0),
    ),
    "DEFAULT_ZOOM": env_int("MAP_DEFAULT_ZOOM", 10, minimum=4, maximum=19),
    "MIN_ZOOM": 4,
    "MAX_ZOOM": 19,
    "TILES": [(_("Peta dasar"), _TILES_URL, {"attribution": _TILES_ATTRIBUTION, "maxZoom": 19})] if _TILES_URL else [],
    "RESET_VIEW": False,
    "SCALE": "metric",
    "ATTRIBUTION_PREFIX": "Leaflet",
}

# GDAL on Debian 12 is 3.6, older than what Django 5.2 wants to block file/network access in GDAL.
# We never hand user-supplied files or SRS strings to GDAL: points and GeoJSON from users are parsed
# by GEOS; only the administrator's boundary files go through GDAL (impor_wilayah).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

_LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # LOG_LEVEL: DEBUG, INFO (default), WARNING, ERROR or CRITICAL.
    "root": {"handlers": ["console"], "level": _LOG_LEVEL},
    # GEOS reports every invalid polygon it checks; impor_wilayah lists them in its summary instead.
    "loggers": {"django.contrib.gis": {"level": "ERROR"}},
}

# --- Security ---------------------------------------------------------------------------------
# Served over HTTPS unless DEBUG. Behind a TLS-terminating proxy (nginx, a load balancer) that
# overwrites X-Forwarded-Proto, set SECURE_PROXY_SSL_HEADER=true so Django sees the request as secure.
# SECURE_PROXY_SSL_HEADER: trust "X-Forwarded-Proto: https" from the proxy (default false: never
# turn on when clients reach gunicorn directly, they could forge it).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
# SECURE_SSL_REDIRECT: answer plain HTTP with a redirect to HTTPS (default on unless DEBUG).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# SECURE_HSTS_SECONDS: browsers use only HTTPS for this long (default one year unless DEBUG; try
# 3600 first on a new domain). _INCLUDE_SUBDOMAINS and _PRELOAD default on; preload only takes
# effect once the domain is submitted to the browsers' list.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE: cookies only over HTTPS (default on unless DEBUG).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# CSRF_TRUSTED_ORIGINS: extra origins (https://host) allowed to send forms, e.g. a second domain.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The Content-Security-Policy is built by musrenbang.middleware.CSPMiddleware: scripts only from
# this site (no inline scripts), images also from the MAP_TILES_URL host.
# CSP_REPORT_URI: where browsers report violations (default none).
CSP_REPORT_URI = env_str("CSP_REPORT_URI")

# Two-factor sign-in (TOTP, akun/dua_faktor.py) and officials' sessions (akun/middleware.py).
# DUA_FAKTOR_WAJIB: Bappeda, admin and staff accounts must pass a TOTP code after the password
# (default true; turn off only for a local demo). Other officials may enrol from their account page.
DUA_FAKTOR_WAJIB = env_bool("DUA_FAKTOR_WAJIB", True)
# The roles (verifikasi.Peran values) for which two-factor sign-in is required.
DUA_FAKTOR_PERAN_WAJIB = ["bappeda", "admin"]
# DUA_FAKTOR_KODE_BERLAKU_JAM: hours an administrator's one-time enrolment code stays valid (default 72).
DUA_FAKTOR_KODE_BERLAKU_JAM = env_int("DUA_FAKTOR_KODE_BERLAKU_JAM", 72, minimum=1)
# BATAS_KODE_PENDAFTARAN_PER_JAM: wrong enrolment codes one account may type per hour (default 10).
BATAS_KODE_PENDAFTARAN_PER_JAM = env_int("BATAS_KODE_PENDAFTARAN_PER_JAM", 10, minimum=1)
# OTP_TOTP_ISSUER: the name authenticator apps show next to the account (default e-Musrenbang).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "e-Musrenbang")
# The admin may delete an official's device (a lost phone) but never sees its secret or QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# SESI_PETUGAS_MAKS_DETIK: an official is signed out this long after signing in (default 8 h,
# one working day); SESI_PETUGAS_DIAM_DETIK: or after this long without a request (default 30 min).
# Residents keep Django's two-week session: they sign in rarely, from their own phones.
SESI_PETUGAS_MAKS_DETIK = env_int("SESI_PETUGAS_MAKS_DETIK", 8 * 3600)
SESI_PETUGAS_DIAM_DETIK = env_int("SESI_PETUGAS_DIAM_DETIK", 30 * 60)
if SESI_PETUGAS_DIAM_DETIK < 60 or SESI_PETUGAS_MAKS_DETIK < SESI_PETUGAS_DIAM_DETIK:
    raise ImproperlyConfigured(
        "SESI_PETUGAS_DIAM_DETIK must be at least 60 and at most SESI_PETUGAS_MAKS_DETIK, "
        f"got {SESI_PETUGAS_DIAM_DETIK} and {SESI_PETUGAS_MAKS_DETIK}"
    )

# --- Production -------------------------------------------------------------------------------
# WhiteNoise serves STATIC_ROOT (collectstatic) with hashed, compressed names cached for ten years;
# with DEBUG the files come straight from the app folders. scripts/produksi.sh runs everything.
if not DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
