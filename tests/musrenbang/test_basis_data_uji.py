"""The tests' database is the one set-up chose and never a guessed one (tests/settings.py): DATABASE_URL
from the environment when set (with its DATABASE_URL_PEMILIK), else the project's .env, as the owner
role when there are two; with neither, the run stops with a message instead of trying 127.0.0.1:5432."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tests.settings import basis_data_uji

APLIKASI = "postgis://musrenbang_app:a@127.0.0.1:5433/musrenbang"
PEMILIK = "postgis://musrenbang:p@127.0.0.1:5433/musrenbang"


@pytest.fixture
def berkas_env(tmp_path):
    berkas = tmp_path / ".env"
    berkas.write_text(f"DEBUG=true\nDATABASE_URL={APLIKASI}\nDATABASE_URL_PEMILIK={PEMILIK}\n")
    return berkas


def test_env_proyek_dengan_dua_peran(berkas_env):
    assert basis_data_uji({}, berkas_env) == (PEMILIK, APLIKASI)


def test_env_proyek_dengan_satu_peran(tmp_path):
    berkas = tmp_path / ".env"
    berkas.write_text(f"DATABASE_URL={PEMILIK}\n")
    assert basis_data_uji({}, berkas) == (PEMILIK, None)


def test_lingkungan_menang_sepenuhnya(berkas_env):
    lain = "postgis://u:p@db.internal:6543/uji"
    assert basis_data_uji({"DATABASE_URL": lain}, berkas_env) == (lain, None)  # nothing mixed in from .env
    assert basis_data_uji({"DATABASE_URL": lain, "DATABASE_URL_PEMILIK": PEMILIK}, berkas_env) == (PEMILIK, lain)


def test_tanpa_keduanya_berhenti_tanpa_menebak(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="No database for the tests: set DATABASE_URL or run `make setup`"):
        basis_data_uji({}, tmp_path / ".env")


def test_hanya_basis_data_yang_diambil_dari_env():
    # This run's .env (written by set-up) turns DEBUG on; the tests keep their own settings.
    assert settings.DEBUG is False
    assert settings.DATABASE_PEMILIK is None  # the tests connect as one role: the owner
