"""The cache is shared by every process (settings.CACHES: the database by default, Redis with REDIS_URL):
two processes with the production settings, side by side. A two-step status one of them refreshed is
what the other reads at once (with a per-process cache it would keep its stale copy for five minutes),
and the public summary and the map outlines one computed are not computed again by the other."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.aman.test_produksi import _url_basis_data

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)  # the other processes see only committed rows


def _env(db: dict, **tambahan: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TZ") if k in os.environ}
    env.update(
        MUSRENBANG_ENV_FILE="",
        DJANGO_SETTINGS_MODULE="musrenbang.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=_url_basis_data(db),
        CONN_MAX_AGE="0",
        MAP_TILES_URL="",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(tambahan)
    return env


class Proses:
    def __init__(self, env: dict[str, str]) -> None:
        self.p = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "aman" / "proses_cache.py")],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self.p.stdout.readline()) == {"siap": True}

    def __call__(self, **perintah):
        self.p.stdin.write(json.dumps(perintah) + "\n")
        self.p.stdin.flush()
        baris = self.p.stdout.readline()
        assert baris, f"the process ended ({self.p.poll()})"
        return json.loads(baris)["jawab"]

    def tutup(self) -> None:
        self.p.stdin.close()
        self.p.wait(timeout=30)


def _port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["database", "redis"])
def env_cache(request, django_db_blocker):
    with django_db_blocker.unblock():
        db = dict(connection.settings_dict)
    if request.param == "database":
        env = _env(db)
        # What `manage.py migrate` does in set-up and production: the cache table.
        subprocess.run([sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True, timeout=120)
        yield env
        return
    redis = shutil.which("redis-server")
    if redis is None:  # set-up installs it: missing means set-up was not run, which must not pass silently
        pytest.fail("redis-server is not installed: run `make setup` (it installs the redis-server package)")
    port = _port_bebas()  # a throw-away server of this test's own, never a shared one
    server = subprocess.Popen(
        [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        batas = time.monotonic() + 10
        while time.monotonic() < batas:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.05)
        yield _env(db, REDIS_URL=f"redis://127.0.0.1:{port}/0")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_perubahan_di_satu_proses_terlihat_di_proses_lain(env_cache, operator_desa, siklus, desa):
    satu, dua = Proses(env_cache), Proses(env_cache)
    try:
        # The two-step status: both read it (kept), then the official enrols a device.
        assert satu(aksi="status", pengguna=operator_desa.pk) is False
        assert dua(aksi="status", pengguna=operator_desa.pk) is False
        TOTPDevice.objects.create(user=operator_desa, name="ponsel", confirmed=True)
        assert satu(aksi="status", pengguna=operator_desa.pk, segarkan=True) is True  # as the enrolment view does
        assert dua(aksi="status", pengguna=operator_desa.pk) is True

        # The public summary and the outlines: computed once, by whichever process came first.
        assert satu(aksi="ringkasan", siklus=siklus.pk) == 1
        assert dua(aksi="ringkasan", siklus=siklus.pk) == 0
        assert satu(aksi="batas") == 1
        assert dua(aksi="batas") == 0
    finally:
        satu.tutup()
        dua.tutup()
