"""manage.py konfigurasi_nginx: with a trusted proxy in front (NGINX_PROXY_DEPAN=true) nginx believes the
X-Forwarded-* headers it receives, so on a non-loopback address it must accept only that proxy
(NGINX_PROXY_ALAMAT → `allow …; deny all;`) and refuses to write a configuration without it. Every
configuration written is checked by Debian's nginx itself (`nginx -t`)."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

NGINX = "/usr/sbin/nginx"


def _tulis(folder: Path, *argumen: str) -> str:
    keluaran = io.StringIO()
    call_command(
        "konfigurasi_nginx", "--folder", str(folder), "--soket", str(folder / "g.sock"), *argumen, stdout=keluaran
    )
    return keluaran.getvalue()


def _nginx_menerima(folder: Path, teks: str) -> None:
    berkas = folder / "nginx.conf"
    berkas.write_text(teks)
    hasil = subprocess.run(
        [NGINX, "-t", "-q", "-p", str(folder), "-c", str(berkas), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert hasil.returncode == 0, hasil.stderr


@pytest.fixture
def folder(settings):
    """A folder nginx's workers may read (www-data, when run as root), holding the static and media roots."""
    with tempfile.TemporaryDirectory(prefix="musrenbang-nginx-") as nama:
        jalur = Path(nama)
        jalur.chmod(0o755)
        for sub in ("static", "media"):
            (jalur / sub).mkdir(mode=0o755)
        settings.STATIC_ROOT = jalur / "static"
        settings.MEDIA_ROOT = jalur / "media"
        yield jalur


@pytest.mark.parametrize("dengar", ["80", "0.0.0.0:8080", "10.0.0.5:80", "[::]:80", "example.org:80"])
def test_proxy_depan_tanpa_alamat_pada_dengar_bukan_loopback_ditolak(folder, dengar):
    with pytest.raises(CommandError, match="NGINX_PROXY_ALAMAT"):
        _tulis(folder, "--dengar", dengar, "--proxy-depan")


@pytest.mark.parametrize("dengar", ["127.0.0.1:8080", "[::1]:8080", "localhost:8080"])
def test_proxy_depan_pada_loopback_tanpa_alamat_diterima(folder, dengar):
    teks = _tulis(folder, "--dengar", dengar, "--proxy-depan")
    assert "allow " not in teks and "deny all" not in teks
    assert "proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;" in teks


def test_proxy_depan_dengan_alamat_hanya_melayani_proxy_itu(folder):
    teks = _tulis(folder, "--dengar", "80", "--proxy-depan", "--alamat-proxy", "10.0.0.7, 192.168.5.0/24")
    server = teks[teks.index("server {") :]
    assert re.search(r"allow 10\.0\.0\.7;\s+allow 192\.168\.5\.0/24;\s+deny all;", server), server
    _nginx_menerima(folder, teks)


def test_alamat_proxy_bukan_ip_ditolak(folder):
    with pytest.raises(CommandError, match="bukan alamat IP"):
        _tulis(folder, "--dengar", "80", "--proxy-depan", "--alamat-proxy", "10.0.0.7; deny none")


def test_batas_berkas_per_pekerja_cukup_untuk_koneksinya(folder):
    teks = _tulis(folder, "--dengar", "127.0.0.1:8080")
    koneksi = int(re.search(r"worker_connections (\d+);", teks).group(1))
    berkas = int(re.search(r"worker_rlimit_nofile (\d+);", teks).group(1))
    assert berkas >= 2 * koneksi  # a client and a gunicorn connection for each
    _nginx_menerima(folder, teks)
