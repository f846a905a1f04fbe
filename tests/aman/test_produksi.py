"""The production run mode, for real: scripts/produksi.sh (check --deploy, migrate as the owner role,
collectstatic, Debian's nginx on a free loopback port in front of gunicorn's unix socket, the
notification worker) is started once for this module against the test database, the app running as
the application's role, and smoke-tested over HTTP the way a TLS proxy in front would talk to nginx
(X-Forwarded-Proto: https). Also: slow clients do not stop the site, an oversized body is refused by
nginx before gunicorn, and `check --deploy` is clean under production settings."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

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


def _url_basis_data(db: dict, *, user: str | None = None, password: str | None = None) -> str:
    return "postgis://{}:{}@{}:{}/{}".format(
        quote(user or db["USER"], safe=""),
        quote((db["PASSWORD"] if password is None else password) or "", safe=""),
        db["HOST"] or "127.0.0.1",
        db["PORT"] or 5432,
        quote(db["NAME"], safe=""),
    )


def _url_dua_peran(db: dict) -> dict[str, str]:
    """DATABASE_URL as the application's role (when set-up made one) and DATABASE_URL_PEMILIK as the
    owner, on the test database: the stack runs as operators deploy it."""
    from tests import settings as pengaturan_uji

    pemilik = _url_basis_data(db)
    if not pengaturan_uji.URL_PERAN_APLIKASI:
        return {"DATABASE_URL": pemilik}
    aplikasi = urlsplit(pengaturan_uji.URL_PERAN_APLIKASI)
    return {
        "DATABASE_URL": _url_basis_data(db, user=aplikasi.username, password=aplikasi.password or ""),
        "DATABASE_URL_PEMILIK": pemilik,
    }


def folder_terbuka(awalan: str) -> Path:
    """A new folder nginx's workers (www-data, when the tests run as root) may read."""
    folder = Path(tempfile.mkdtemp(prefix=awalan))
    folder.chmod(0o755)
    return folder


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


def mulai_produksi(db: dict, media: Path, **tambahan: str) -> tuple[subprocess.Popen, int, Path]:
    """Start scripts/produksi.sh on a free loopback port (nginx) against database `db`; returns the
    process, the port and its log once nginx answers through gunicorn."""
    folder = folder_terbuka("musrenbang-produksi-")
    media.chmod(0o755)
    port = _port_bebas()
    env = _env_produksi(
        **_url_dua_peran(db),
        CONN_MAX_AGE="0",  # nothing holds a connection when pytest drops the test database
        MEDIA_ROOT=str(media),
        STATIC_ROOT=str(folder / "static"),
        PRODUKSI_FOLDER=str(folder / "run"),
        SECURE_PROXY_SSL_HEADER="true",
        NGINX_LISTEN=f"127.0.0.1:{port}",
        NGINX_PROXY_DEPAN="true",  # the tests play the TLS proxy in front: they send X-Forwarded-Proto
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        NOTIFIKASI_JEDA_DETIK="0.2",
        NOTIFIKASI_SALURAN_TELEPON="off",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        PYTHON=sys.executable,
        **tambahan,
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
    except BaseException:
        hentikan_produksi(proses)
        raise
    return proses, port, log


def hentikan_produksi(proses: subprocess.Popen) -> int | None:
    proses.send_signal(signal.SIGTERM)  # the script stops nginx, gunicorn and the worker, then exits 0
    try:
        return proses.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proses.pid, signal.SIGKILL)
        proses.wait()
        return None


@pytest.fixture(scope="module")  # the worker polls the outbox: it must not outlive these tests
def produksi(django_db_setup, django_db_blocker) -> Iterator[Server]:
    from django.conf import settings
    from django.db import connection

    with django_db_blocker.unblock():
        db = dict(connection.settings_dict)  # the test database, set up by pytest-django
    proses, port, log = mulai_produksi(db, Path(settings.MEDIA_ROOT))  # the photos this test run stores
    try:
        yield Server(port=port, log=log)
    finally:
        kode = hentikan_produksi(proses)
    teks = log.read_text()
    assert kode == 0, teks[-4000:]
    assert "Berhenti." in teks  # the worker finished its loop cleanly
    shutil.rmtree(log.parent, ignore_errors=True)


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
    from kabar.models import Notifikasi, StatusNotifikasi
    from kabar.notifikasi import antrekan
    from tests.skenario import buat_usulan

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


# --- nginx in front: slow clients and oversized bodies ------------------------------------------------
LAMBAT = 32  # slow-body connections, eight times gunicorn's threads here (2 workers × 2 threads)


def _baris_gunicorn(log: str, permintaan: str) -> list[str]:
    """gunicorn's access-log lines for `permintaan` (its format ends the line with the time in ms)."""
    return re.findall(rf'"{re.escape(permintaan)} HTTP/1\.[01]" \d+ \S+ \d+ms', log)


def test_klien_lambat_tidak_menghentikan_situs(produksi):
    """32 clients each announce a 100 KB form and send one byte a second: nginx holds them while it
    reads their bodies, and a normal `GET /` still answers within 2 s throughout."""
    tanda = secrets.token_hex(4)
    berhenti = threading.Event()
    soket = []
    for _ in range(LAMBAT):
        s = socket.create_connection(("127.0.0.1", produksi.port), timeout=5)
        s.sendall(
            (
                f"POST /masuk/?lambat={tanda} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                # With a CSRF cookie and a Referer, Django reads the body for the form's token: the
                # request would hold a gunicorn thread for as long as the body takes.
                f"Referer: https://127.0.0.1/masuk/\r\nCookie: csrftoken={'a' * 32}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n"
            ).encode()
        )
        soket.append(s)

    def tetes() -> None:  # a byte a second on every connection, for as long as the probes run
        while not berhenti.wait(1.0):
            for s in soket:
                s.sendall(b"a")

    penetes = threading.Thread(target=tetes, daemon=True)
    penetes.start()
    try:
        time.sleep(2)  # every slow client is connected and sending
        waktu = []
        for _ in range(8):
            mulai = time.monotonic()
            koneksi = http.client.HTTPConnection("127.0.0.1", produksi.port, timeout=2)
            try:
                koneksi.request("GET", "/", headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
                assert koneksi.getresponse().status == 200
            finally:
                koneksi.close()
            waktu.append(time.monotonic() - mulai)
            time.sleep(0.5)
    finally:
        berhenti.set()
        penetes.join(timeout=5)
        for s in soket:
            s.close()
    assert max(waktu) < 2.0, waktu
    # None of them reached gunicorn: nginx was still reading their bodies.
    assert _baris_gunicorn(produksi.log.read_text(), f"POST /masuk/?lambat={tanda}") == []


def test_badan_terlalu_besar_ditolak_nginx_sebelum_gunicorn(produksi):
    from musrenbang.management.commands.konfigurasi_nginx import batas_badan_mb

    tanda = secrets.token_hex(4)
    besar = (batas_badan_mb() + 1) * 1024 * 1024
    with socket.create_connection(("127.0.0.1", produksi.port), timeout=10) as s:
        s.sendall(
            (
                f"POST /usulan/baru/?besar={tanda} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {besar}"
                "\r\n\r\n"
            ).encode()
        )
        jawaban = s.recv(4096).decode("latin-1")
    assert jawaban.startswith("HTTP/1.1 413"), jawaban[:200]
    baris_nginx = f'"POST /usulan/baru/?besar={tanda} HTTP/1.1" 413'
    batas = time.monotonic() + 10  # nginx logs a request after answering it
    while baris_nginx not in (log := produksi.log.read_text()) and time.monotonic() < batas:
        time.sleep(0.1)
    assert baris_nginx in log  # nginx's access log
    assert _baris_gunicorn(log, f"POST /usulan/baru/?besar={tanda}") == []
    # A body within the limit does reach the app (here: refused by Django's CSRF check, as any bare form).
    assert produksi.minta("/masuk/", metode="POST", isi="a=b", header={"Referer": "https://127.0.0.1/"}).status == 403


def test_soket_gunicorn_tidak_terbuka_untuk_pengguna_lain(produksi):
    """gunicorn's socket is rwxrwx--- (gunicorn.conf.py's umask) in a folder other local users cannot
    enter: only nginx (its workers' group, when run as root) can reach gunicorn and set X-Forwarded-*."""
    import grp
    import stat

    folder = produksi.log.parent / "run" / "soket"
    soket_gunicorn = folder / "gunicorn.sock"
    info = soket_gunicorn.stat()
    assert stat.S_ISSOCK(info.st_mode)
    assert stat.S_IMODE(info.st_mode) & 0o007 == 0, oct(info.st_mode)
    mode_folder = stat.S_IMODE(folder.stat().st_mode)
    assert mode_folder & 0o007 == 0, oct(mode_folder)
    if os.geteuid() == 0:
        assert mode_folder == 0o2750, oct(mode_folder)
        assert grp.getgrgid(folder.stat().st_gid).gr_name == "www-data"
        assert grp.getgrgid(info.st_gid).gr_name == "www-data"  # the setgid folder gave it nginx's group
        # Another local user cannot even reach the socket.
        coba = subprocess.run(
            [
                "/usr/sbin/runuser",
                "-u",
                "nobody",
                "--",
                "/usr/bin/python3",
                "-c",
                f"import socket; socket.socket(socket.AF_UNIX).connect({str(soket_gunicorn)!r})",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert coba.returncode != 0 and "PermissionError" in coba.stderr, coba.stderr
    else:
        assert mode_folder == 0o700, oct(mode_folder)
    # And nginx still can: the site answers.
    assert produksi.minta("/").status == 200


def test_badan_multipart_4_mb_sampai_ke_django(produksi):
    """A real-sized form (a 4 MB photo part) passes nginx's buffering and reaches Django, which parses
    it (the CSRF check reads the form's fields from the multipart body and refuses it: 403)."""
    tanda = secrets.token_hex(4)
    batas_part = "batas" + tanda
    foto = os.urandom(4 * 1024 * 1024)
    isi = (
        (
            f'--{batas_part}\r\nContent-Disposition: form-data; name="judul"\r\n\r\nUji\r\n'
            f'--{batas_part}\r\nContent-Disposition: form-data; name="foto"; filename="a.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + foto
        + f"\r\n--{batas_part}--\r\n".encode()
    )
    koneksi = http.client.HTTPConnection("127.0.0.1", produksi.port, timeout=60)
    try:
        koneksi.request(
            "POST",
            f"/masuk/?besar4mb={tanda}",
            body=isi,
            headers={
                "Host": "127.0.0.1",
                "X-Forwarded-Proto": "https",
                "Referer": "https://127.0.0.1/",
                "Content-Type": f"multipart/form-data; boundary={batas_part}",
            },
        )
        respons = koneksi.getresponse()
        respons.read()
    finally:
        koneksi.close()
    assert respons.status == 403  # Django's CSRF refusal, not nginx's 413
    baris = f"POST /masuk/?besar4mb={tanda}"
    batas = time.monotonic() + 10  # gunicorn logs a request after answering it
    while not _baris_gunicorn(log := produksi.log.read_text(), baris) and time.monotonic() < batas:
        time.sleep(0.1)
    assert len(_baris_gunicorn(log, baris)) == 1, log[-2000:]
    assert len(isi) > 4 * 1024 * 1024


def test_foto_asli_privat_tidak_dilayani_nginx(produksi):
    """A private original that exists on disk (MEDIA_ROOT/privat) answers nginx's 404, never its bytes,
    and the request never reaches gunicorn."""
    from django.conf import settings

    tanda = secrets.token_hex(4)
    privat = Path(settings.MEDIA_ROOT) / "privat" / "uji"
    privat.mkdir(parents=True, exist_ok=True)
    berkas = privat / f"asli-{tanda}.jpg"
    berkas.write_bytes(b"RAHASIA" + tanda.encode())
    try:
        for jalur in (f"/media/privat/uji/asli-{tanda}.jpg", f"/media/publik/../privat/uji/asli-{tanda}.jpg"):
            jawab = produksi.minta(jalur)
            assert jawab.status == 404, jalur
            assert b"RAHASIA" not in jawab.isi
        assert _baris_gunicorn(produksi.log.read_text(), f"GET /media/privat/uji/asli-{tanda}.jpg") == []
    finally:
        berkas.unlink()
