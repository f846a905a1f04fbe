"""Shared by the phone benches: the site served as production serves it, on loopback, for one bench run."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def jalankan_gunicorn(env: dict[str, str], port: int, *, periksa: str = "/peta/") -> subprocess.Popen:
    """Start gunicorn (two workers) with `env` on 127.0.0.1:`port` and return once `periksa` answers
    200; stop it and exit the bench if it does not within 30 s. The caller sends SIGTERM at the end."""
    server = subprocess.Popen(
        [GUNICORN, "musrenbang.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--access-logfile", os.devnull],
        cwd=ROOT,
        env=env,
    )
    batas = time.monotonic() + 30
    while time.monotonic() < batas:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{periksa}", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.send_signal(signal.SIGTERM)
    raise SystemExit(f"gunicorn did not answer {periksa} within 30 s")
