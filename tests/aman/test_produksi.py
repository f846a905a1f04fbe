"""The production run mode, for real: scripts/produksi.sh (check --deploy, migrate, collectstatic,
gunicorn with gunicorn.conf.py, the notification worker) is started once for this session on a free
loopback port against the test database, and smoke-tested over HTTP the way a TLS proxy would talk
to it (X-Forwarded-Proto: https). Also: `check --deploy` is clean under production settings."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIAP_DALAM_DETIK = 120  # check + migrate + collectstatic + gunicorn's workers, on a busy 2-core machine
JEJAK = ("Traceback", 'File "/', "django.core", "psycopg2", "SECRET_KEY", "settings.py")


def _env_produksi(**tambahan: str) -> dict[str, str]:
    """A production environment: nothing from the test run or a developer's .env leaks in."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ") if k in os.environ}
    env.update(
        MUSRENBANG_ENV_FILE="",
        DJANGO_SETTINGS_MODULE="musrenbang.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(tambahan)
    return env


def _url_basis_data(db: dict) -> str:
    return "postgis://{}:{}@{}:{}/{}".format(
        quote(db["USER"], safe=""),
        quote(db["PASSWORD"] or "", safe=""),
        db["HOST"] or "127.0.0.1",
        db["PORT"] or 5432,
        quote(db["NAME"], safe=""),
    )


def _port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Jawaban:
    status: int
    header: http.client.HTTPMessage
    isi: bytes

    @property
    def teks(self) -> str:
        return self.isi.decode("utf-8", "replace")


@dataclass
class Server:
    port: int
    log: Path

    def minta(
        self, jalur: str, *, https: bool = True, metode: str = "GET", header: dict | None = None, isi: str = ""
    ) -> Jawaban:
        kepala = {"Host": "127.0.0.1"}
        if https:
            kepala["X-Forwarded-Proto"] = "https"
        kepala.update(header or {})
        koneksi = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            koneksi.request(metode, jalur, body=isi or None, headers=kepala)
            respons = koneksi.getresponse()
            jawaban = Jawaban(respons.status, respons.headers, respons.read())
        finally:
            koneksi.close()
        for jejak in JEJAK:
            assert jejak not in jawaban.teks, f"{jalur} leaks {jejak!r}"
        return jawaban


def _tunggu_siap(proses: subprocess.Popen, port: int, log: Path) -> None:
    """Poll the port (short timeouts) until gunicorn answers, within an overall deadline."""
    batas = time.monotonic() + SIAP_DALAM_DETIK
    while time.monotonic() < batas:
        if proses.poll() is not None:
            pytest.fail(f"scripts/produksi.sh ended with {proses.returncode}:\n{log.read_text()[-4000:]}")
        try:
            koneksi = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            koneksi.request("GET", "/masuk/", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
            if koneksi.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            koneksi.close()
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within {SIAP_DALAM_DETIK} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")  # the worker polls the outbox: it must not outlive these tests
def produksi(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Server]:
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        db = dict(connection.settings_dict)  # the test database, set up by pytest-django
    folder = tmp_path_factory.mktemp("produksi")
    port = _port_bebas()
    env = _env_produksi(
        DATABASE_URL=_url_basis_data(db),
        CONN_MAX_AGE="0",  # nothing holds a connection when pytest drops the test database
        MEDIA_ROOT=str(settings.MEDIA_ROOT),  # the photos this test run stores
        STATIC_ROOT=str(folder / "static"),
        SECURE_PROXY_SSL_HEADER="true",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        NOTIFIKASI_JEDA_DETIK="0.2",
        NOTIFIKASI_SALURAN_TELEPON="off",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        PYTHON=sys.executable,
    )
    log = folder / "produksi.log"
    with log.open("wb") as keluaran:
        proses = subprocess.Popen(
            ["bash", "scripts/produksi.sh"],
            cwd=ROOT,
            env=env,
            stdout=keluaran,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _tunggu_siap(proses, port, log)
            yield Server(port=port, log=log)
        finally:
            proses.send_signal(signal.SIGTERM)  # the script stops gunicorn and the worker, then exits 0
            try:
                kode = proses.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proses.pid, signal.SIGKILL)
                proses.wait()
                kode = None
    teks = log.read_text()
    assert kode == 0, teks[-4000:]
    assert "Berhenti." in teks  # the worker finished its loop cleanly


def test_beranda_https_dengan_header_keamanan(produksi):
    jawab = produksi.minta("/")
    assert jawab.status == 200
    h = jawab.header
    assert h["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    kebijakan = h["Content-Security-Policy"]
    assert "script-src 'self';" in kebijakan and "unsafe-inline" not in kebijakan
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    kuki = h.get_all("Set-Cookie") or []
    assert kuki and all("Secure" in k for k in kuki)  # the CSRF cookie of the language switch


def test_http_biasa_dialihkan_ke_https_tanpa_hsts(produksi):
    jawab = produksi.minta("/usulan/lacak/?kode=x", https=False)
    assert jawab.status == 301
    assert jawab.header["Location"] == "https://127.0.0.1/usulan/lacak/?kode=x"
    assert "Strict-Transport-Security" not in jawab.header


def test_berkas_statis_dari_whitenoise_dengan_nama_hash(produksi):
    beranda = produksi.minta("/").teks
    cocok = re.search(r'href="(/static/css/musrenbang\.[0-9a-f]{12}\.css)"', beranda)
    assert cocok, "the stylesheet link carries the content hash"
    jawab = produksi.minta(cocok.group(1), header={"Accept-Encoding": "gzip"})
    assert jawab.status == 200
    assert jawab.header["Cache-Control"] == "max-age=315360000, public, immutable"
    assert jawab.header["Content-Encoding"] == "gzip"
    assert b".kartu" in gzip.decompress(jawab.isi)
    assert produksi.minta("/static/css/tidak-ada.css").status == 404


def test_masuk_admin_404_dan_host_asing(produksi):
    masuk = produksi.minta("/masuk/")
    assert masuk.status == 200 and 'name="password"' in masuk.teks
    admin = produksi.minta("/admin/")
    assert admin.status == 302 and admin.header["Location"] == "/admin/login/?next=/admin/"
    admin_masuk = produksi.minta("/admin/login/?next=/admin/")
    assert admin_masuk.status == 302 and admin_masuk.header["Location"] == "/masuk/?next=%2Fadmin%2F"

    hilang = produksi.minta("/tidak-ada/")
    assert hilang.status == 404 and "Content-Security-Policy" in hilang.header
    asing = produksi.minta("/", header={"Host": "penyerang.test"})
    assert asing.status == 400
    # A form sent without the CSRF token: refused, with Django's plain page.
    tanpa_token = produksi.minta(
        "/masuk/",
        metode="POST",
        isi="username=a&password=b",
        header={"Content-Type": "application/x-www-form-urlencoded", "Referer": "https://127.0.0.1/masuk/"},
    )
    assert tanpa_token.status == 403

    log = produksi.log.read_text()
    assert '"GET /masuk/ HTTP/1.1" 200' in log  # gunicorn's access log


@pytest.mark.django_db(transaction=True)
def test_halaman_usulan_publik_foto_dan_pekerja_notifikasi(produksi, warga, siklus, desa):
    from tests.verifikasi.conftest import buat_usulan
    from verifikasi.models import Notifikasi, StatusNotifikasi
    from verifikasi.notifikasi import antrekan

    usulan = buat_usulan(warga, siklus, desa, judul="Uji produksi jalan lingkungan")
    jawab = produksi.minta(f"/usulan/lacak/{usulan.kode_lacak}/")
    assert jawab.status == 200
    assert "Uji produksi jalan lingkungan" in jawab.teks
    assert re.search(r'src="/static/leaflet/leaflet\.[0-9a-f]{12}\.js"', jawab.teks)
    foto = usulan.foto.get()
    gambar = produksi.minta(foto.url_thumbnail)
    assert gambar.status == 200 and gambar.isi[:3] == b"\xff\xd8\xff"

    # The worker started by the script sends what is queued (e-mail and SMS for this resident).
    antre = antrekan(warga, subjek="Uji pekerja produksi", isi="Isi uji.")
    assert len(antre) == 2
    semua = Notifikasi.objects.filter(pk__in=[n.pk for n in antre])
    batas = time.monotonic() + 30
    while semua.filter(status=StatusNotifikasi.ANTRE).exists() and time.monotonic() < batas:
        time.sleep(0.1)
    assert list(semua.values_list("status", flat=True)) == [StatusNotifikasi.TERKIRIM] * 2
    assert not semua.filter(terkirim_pada__isnull=True).exists()
    assert "Uji pekerja produksi" in produksi.log.read_text()  # the console mail backend's output


def _cek_deploy(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env_produksi(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_bersih():
    hasil = _cek_deploy()
    assert hasil.returncode == 0, hasil.stdout + hasil.stderr
    assert "System check identified no issues" in hasil.stdout


def test_check_deploy_menangkap_pengaturan_lemah():
    hasil = _cek_deploy(SECURE_HSTS_SECONDS="0", SESSION_COOKIE_SECURE="false", SECURE_SSL_REDIRECT="false")
    assert hasil.returncode != 0
    keluaran = hasil.stdout + hasil.stderr
    assert "security.W004" in keluaran and "security.W012" in keluaran and "security.W008" in keluaran
