"""scripts/setup.sh (what `make run` and `make test` call first) on PostgreSQL clusters of every kind a
fresh machine may have: none yet, one created but not started, one with peer and one with trust auth
for local connections. Each time it ends with the cluster online, the owner and the application's role
able to sign in with their passwords, the database with PostGIS and pg_trgm, and a `.env` with both
roles' URLs pointing at the cluster's port, without stray messages from psql; run
again, it creates nothing twice. Real throw-away clusters (pg_createcluster), dropped afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSI = "15"


def _jalan(*perintah: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(perintah, check=True, capture_output=True, text=True, timeout=300, **kw)


def _keadaan(nama: str) -> tuple[int, str] | None:
    for baris in _jalan("pg_lsclusters", "-h").stdout.splitlines():
        kolom = baris.split()
        if kolom[0] == VERSI and kolom[1] == nama:
            return int(kolom[2]), kolom[3]
    return None


@pytest.fixture
def klaster():
    """A unique cluster name; the cluster (if any test step made one) is stopped and dropped after."""
    nama = f"uji_{uuid.uuid4().hex[:8]}"
    yield nama
    if _keadaan(nama) is not None:
        subprocess.run(["pg_dropcluster", "--stop", VERSI, nama], check=False, capture_output=True, timeout=120)
    assert _keadaan(nama) is None


@pytest.fixture
def salinan(tmp_path: Path) -> Path:
    """The script in a copy of the project's top level, sharing the already-built .venv (its
    requirements stamp matches, so no pip run) — the real checkout's .env is never touched."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    for berkas in ("requirements.txt", "requirements-dev.txt", ".env.example"):
        shutil.copy(ROOT / berkas, tmp_path / berkas)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    return tmp_path


def _setup(salinan: Path, nama: str) -> str:
    # The script's defaults (role and database names), whatever this run's environment chose.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DB_", "PYTHON"))}
    hasil = _jalan("bash", str(salinan / "scripts" / "setup.sh"), env={**env, "PG_CLUSTER": nama})
    # psql runs as postgres from a folder it may enter: no "could not change directory" noise.
    assert hasil.stderr.strip() == "", hasil.stderr
    return hasil.stdout


def _periksa(salinan: Path, nama: str) -> None:
    port, status = _keadaan(nama)
    assert status == "online"
    # The app role signs in with its password over TCP, and finds both extensions in its database
    # and in template1 (so the test databases Django creates have them too).
    with (
        psycopg2.connect(
            host="127.0.0.1", port=port, user="musrenbang", password="musrenbang", dbname="musrenbang"
        ) as k,
        k.cursor() as c,
    ):
        c.execute("SELECT extname FROM pg_extension ORDER BY 1")
        assert {"pg_trgm", "postgis"} <= {r[0] for r in c.fetchall()}
        c.execute("SELECT count(*) FROM pg_database WHERE datname = 'musrenbang'")
        assert c.fetchone() == (1,)
        c.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'musrenbang'")
        assert c.fetchone() == (1,)
    with (
        psycopg2.connect(
            host="127.0.0.1", port=port, user="musrenbang", password="musrenbang", dbname="template1"
        ) as k,
        k.cursor() as c,
    ):
        c.execute("SELECT extname FROM pg_extension")
        assert {"pg_trgm", "postgis"} <= {r[0] for r in c.fetchall()}
    env = (salinan / ".env").read_text()
    assert f"DATABASE_URL=postgis://musrenbang_app:musrenbang_app@127.0.0.1:{port}/musrenbang\n" in env
    assert f"DATABASE_URL_PEMILIK=postgis://musrenbang:musrenbang@127.0.0.1:{port}/musrenbang\n" in env
    # The application's role signs in too, and may do nothing more than that.
    with (
        psycopg2.connect(
            host="127.0.0.1", port=port, user="musrenbang_app", password="musrenbang_app", dbname="musrenbang"
        ) as k,
        k.cursor() as c,
    ):
        c.execute("SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user")
        assert c.fetchone() == (False, False, False)
        c.execute("SELECT d.datdba::regrole::text FROM pg_database d WHERE datname = 'musrenbang'")
        assert c.fetchone() == ("musrenbang",)


def test_tanpa_klaster_dibuat_dijalankan_dan_diulang_tanpa_ganda(salinan, klaster):
    assert _keadaan(klaster) is None
    keluaran = _setup(salinan, klaster)
    assert f"creating PostgreSQL {VERSI} cluster {klaster}" in keluaran
    assert "creating database musrenbang" in keluaran and "writing .env" in keluaran
    _periksa(salinan, klaster)
    env_pertama = (salinan / ".env").read_text()

    lagi = _setup(salinan, klaster)  # the second run: nothing to create
    assert "creating" not in lagi and "writing .env" not in lagi and "starting" not in lagi
    _periksa(salinan, klaster)
    assert (salinan / ".env").read_text() == env_pertama

    # A machine rebooted without starting PostgreSQL: the script starts it.
    _jalan("pg_ctlcluster", "--skip-systemctl-redirect", VERSI, klaster, "stop")
    assert _keadaan(klaster)[1] == "down"
    assert f"starting PostgreSQL {VERSI} cluster {klaster}" in _setup(salinan, klaster)
    _periksa(salinan, klaster)


@pytest.mark.parametrize("auth", ["peer", "trust"])
def test_klaster_ada_belum_jalan_dengan_auth_peer_atau_trust(salinan, klaster, auth):
    _jalan("pg_createcluster", VERSI, klaster, "--", f"--auth-local={auth}", "--auth-host=scram-sha-256")
    hba = Path(f"/etc/postgresql/{VERSI}/{klaster}/pg_hba.conf").read_text()
    assert any(b.split()[:1] == ["local"] and b.split()[-1] == auth for b in hba.splitlines() if b.strip())
    assert _keadaan(klaster)[1] == "down"
    keluaran = _setup(salinan, klaster)
    assert "creating PostgreSQL" not in keluaran and f"starting PostgreSQL {VERSI} cluster {klaster}" in keluaran
    _periksa(salinan, klaster)
    assert "creating" not in _setup(salinan, klaster)
