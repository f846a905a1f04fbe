"""Load without loss: residents submitting with photos and map viewers, through a PostgreSQL restart
(issue 6 point 6; run on demand, not a test, not in CI).

    .venv/bin/python bench/beban.py [--detik 60] [--warga 50] [--penonton 100] [--simpan]

Everything runs on loopback in a temporary folder that is removed at the end (also on Ctrl-C or an
error): its own throw-away PostgreSQL 15 cluster (initdb + pg_ctl as the `postgres` OS user, trust auth
on 127.0.0.1, a free port and its own socket folder, so restarting it disturbs no other cluster), its
own MEDIA_ROOT and STATIC_ROOT. The cluster gets PostGIS and pg_trgm, `migrate`, `muat_demo` (which
needs DEBUG=true: it runs in its own process; the server never does) and --warga resident accounts;
then scripts/produksi.sh starts gunicorn (gunicorn.conf.py) and the notification worker with
production settings (DEBUG off, a random SECRET_KEY, SECURE_PROXY_SSL_HEADER=true with
`X-Forwarded-Proto: https` on every request, as behind the TLS proxy; the per-hour proposal limits
and the sign-in limit per address raised, since every simulated phone shares 127.0.0.1).

Every resident signs in through /masuk/ (CSRF token and cookies as a browser), before the clock starts:
50 password hashes at once would otherwise fill the first half of the run. Then for --detik seconds
each resident loops GET /usulan/baru/ + POST a proposal with two real phone photos and a random point
inside a desa of Karimun, while the viewers loop GET /peta/data/ with a random box and zoom over
Karimun. At --restart-pada seconds (default half-way) the cluster is restarted (`pg_ctl restart -m
fast`).

Then the no-loss proof: every submission answered with a redirect to its tracking page is in the
database with its two photo rows, and the files those rows name (private original, public web copy,
thumbnail) are on disk; no file under MEDIA_ROOT lacks its row; no stored proposal (acknowledged or
not) lacks a photo file. Prints `name: value unit` lines; exits 1 when `hilang`, `berkas_yatim` or
`tersimpan_tanpa_berkas` is not 0, or when scripts/produksi.sh died during the run (its notification
worker and gunicorn stop together).
"""

from __future__ import annotations

import argparse
import getpass
import http.client
import math
import os
import random
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
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
FOTO_DATA = ROOT / "tests" / "data" / "foto"
# Two real phone JPEGs: a 2576x1932 Samsung (945 KB, EXIF rotation) and an iPhone 4 (338 KB, GPS).
FOTO = [FOTO_DATA / "phone-nogps" / "Samsung_SM-J327T1.jpg", FOTO_DATA / "phone-gps" / "Apple_iPhone_4.jpg"]
HOST = "127.0.0.1"
BATAS_WAKTU_HTTP = 120  # seconds a client waits for one answer (gunicorn's own timeout is 60)
SIAP_DALAM_DETIK = 180
POLA_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
POLA_LACAK = re.compile(r"^/usulan/lacak/([A-Za-z0-9-]+)/$")


def log(pesan: str) -> None:
    print(f"[beban {time.strftime('%H:%M:%S')}] {pesan}", file=sys.stderr, flush=True)


def port_bebas() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def persentil(nilai: list[float], p: float) -> float:
    """Nearest-rank percentile (NaN for no values)."""
    if not nilai:
        return math.nan
    urut = sorted(nilai)
    return urut[max(0, math.ceil(p / 100 * len(urut)) - 1)]


# --- The throw-away cluster -----------------------------------------------------------------------
class Klaster:
    """A PostgreSQL 15 cluster of its own in `folder`, run as the postgres OS user."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.soket = folder / "soket"
        self.log = folder / "postgresql.log"
        self.port = port_bebas()
        self.berjalan = False

    def _sebagai_postgres(self, *perintah: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", *perintah],
            cwd=self.folder,
            check=True,
            capture_output=True,
            text=True,
            **kw,
        )

    def buat(self) -> None:
        self.folder.mkdir(mode=0o700)
        shutil.chown(self.folder, "postgres", "postgres")
        self.soket.mkdir(mode=0o700)
        shutil.chown(self.soket, "postgres", "postgres")
        self._sebagai_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        tambahan = (
            f"\nlisten_addresses = '{HOST}'\nport = {self.port}\nunix_socket_directories = '{self.soket}'\n"
            "max_connections = 200\n"
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(tambahan)

    def _pg_ctl(self, *args: str) -> None:
        self._sebagai_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", *args)

    def mulai(self) -> None:
        self._pg_ctl("start")
        self.berjalan = True

    def restart(self) -> float:
        mulai = time.monotonic()
        self._pg_ctl("restart", "-m", "fast")
        return time.monotonic() - mulai

    def berhenti(self) -> None:
        if self.berjalan:
            self._pg_ctl("stop", "-m", "fast")
            self.berjalan = False

    def psql(self, sql: str, db: str = "postgres") -> list[list[str]]:
        hasil = self._sebagai_postgres(
            str(PG_BIN / "psql"),
            "-X",
            "-h",
            str(self.soket),
            "-p",
            str(self.port),
            "-d",
            db,
            "-v",
            "ON_ERROR_STOP=1",
            "-qAt",
            "-F",
            "\t",
            "-c",
            sql,
        )
        return [baris.split("\t") for baris in hasil.stdout.splitlines() if baris]


# --- HTTP like a phone behind the TLS proxy ---------------------------------------------------------
class Sesi:
    """One browser: its own cookies (Secure ones too: the proxy speaks HTTPS to the phone)."""

    def __init__(self, port: int):
        self.port = port
        self.kuki: dict[str, str] = {}

    def minta(
        self, metode: str, jalur: str, *, isi: bytes | None = None, kepala: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        h = {"Host": HOST, "X-Forwarded-Proto": "https", "User-Agent": "beban.py"}
        if self.kuki:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.kuki.items())
        h.update(kepala or {})
        koneksi = http.client.HTTPConnection(HOST, self.port, timeout=BATAS_WAKTU_HTTP)
        try:
            koneksi.request(metode, jalur, body=isi, headers=h)
            respons = koneksi.getresponse()
            data = respons.read()
        finally:
            koneksi.close()
        for kuki in respons.headers.get_all("Set-Cookie") or []:
            nama, _, sisa = kuki.partition("=")
            nilai = sisa.split(";", 1)[0]
            if "max-age=0" in kuki.lower() or not nilai or nilai == '""':
                self.kuki.pop(nama.strip(), None)
            else:
                self.kuki[nama.strip()] = nilai
        return respons.status, respons.headers, data

    def kirim_form(self, jalur: str, isi: bytes, jenis: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.minta(
            "POST",
            jalur,
            isi=isi,
            kepala={"Content-Type": jenis, "Origin": f"https://{HOST}", "Referer": f"https://{HOST}{jalur}"},
        )


def multipart(kolom: dict[str, str], berkas: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    batas = f"----beban{uuid.uuid4().hex}"
    bagian: list[bytes] = []
    for nama, nilai in kolom.items():
        bagian.append(f'--{batas}\r\nContent-Disposition: form-data; name="{nama}"\r\n\r\n{nilai}\r\n'.encode())
    for nama, nama_berkas, data in berkas:
        bagian.append(
            f'--{batas}\r\nContent-Disposition: form-data; name="{nama}"; filename="{nama_berkas}"\r\n'
            "Content-Type: image/jpeg\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    bagian.append(f"--{batas}--\r\n".encode())
    return b"".join(bagian), f"multipart/form-data; boundary={batas}"


def token_csrf(html: bytes) -> str | None:
    cocok = POLA_CSRF.search(html.decode("utf-8", "replace"))
    return cocok.group(1) if cocok else None


# --- The load ---------------------------------------------------------------------------------------
@dataclass
class Catatan:
    """What one thread saw. Merged at the end; no lock needed while running."""

    kirim_ms: list[float] = field(default_factory=list)
    form_ms: list[float] = field(default_factory=list)
    peta_ms: list[float] = field(default_factory=list)
    kode_ok: list[str] = field(default_factory=list)
    kirim_gagal: int = 0
    peta_ok: int = 0
    galat: Counter = field(default_factory=Counter)
    # (start, end, kind) of every failed request, to tell restart errors from others.
    waktu_galat: list[tuple[float, float, str]] = field(default_factory=list)

    def gagal(self, jenis: str, mulai: float) -> None:
        self.galat[jenis] += 1
        self.waktu_galat.append((mulai, time.monotonic(), jenis))


@dataclass
class Data:
    """What the simulated clients need to know about the deployment (read from the database)."""

    titik: list[tuple[float, float]]
    kotak: tuple[float, float, float, float]
    bidang: list[str]
    foto: list[tuple[str, bytes]]
    kata_sandi: str


def masuk(sesi: Sesi, username: str, kata_sandi: str, catatan: Catatan, batas: float) -> bool:
    """Sign in as a browser does; retries (bounded by `batas`) on any failure."""
    while time.monotonic() < batas:
        mulai = time.monotonic()
        try:
            status, _h, html = sesi.minta("GET", "/masuk/")
            token = token_csrf(html) if status == 200 else None
            if token is None:
                catatan.gagal(f"masuk_form_http_{status}", mulai)
            else:
                isi = f"csrfmiddlewaretoken={token}&username={username}&password={kata_sandi}&next=/usulan/baru/"
                status, _h, _ = sesi.kirim_form("/masuk/", isi.encode(), "application/x-www-form-urlencoded")
                if status == 302 and "sessionid" in sesi.kuki:
                    return True
                catatan.gagal(f"masuk_http_{status}", mulai)
        except OSError as exc:
            catatan.gagal(f"masuk_{type(exc).__name__}", mulai)
        time.sleep(0.5)
    return False


def warga(sesi: Sesi, nomor: int, data: Data, catatan: Catatan, mulai_pada: float, selesai_pada: float) -> None:
    acak = random.Random(nomor)
    while time.monotonic() < mulai_pada:
        time.sleep(0.01)
    urutan = 0
    while time.monotonic() < selesai_pada:
        mulai = time.monotonic()
        try:
            status, _h, html = sesi.minta("GET", "/usulan/baru/")
        except OSError as exc:
            catatan.gagal(f"form_{type(exc).__name__}", mulai)
            time.sleep(0.2)
            continue
        token = token_csrf(html) if status == 200 else None
        if token is None:
            catatan.gagal(f"form_http_{status}", mulai)
            time.sleep(0.2)
            continue
        catatan.form_ms.append((time.monotonic() - mulai) * 1000)
        if time.monotonic() >= selesai_pada:
            break
        urutan += 1
        lon, lat = acak.choice(data.titik)
        kolom = {
            "csrfmiddlewaretoken": token,
            "judul": f"Uji beban {nomor:03d}-{urutan:04d}: perbaikan drainase lingkungan",
            "permasalahan": "Saluran tersumbat, air meluap ke jalan setiap hujan deras.",
            "uraian": "Normalisasi dan pembangunan saluran beton sepanjang gang.",
            "jenis_pengusul": "warga",
            "nama_pengusul": "",
            "bidang": acak.choice(data.bidang),
            "kamus": "",
            "volume": str(acak.randint(10, 500)),
            "satuan": "meter",
            "alamat": f"Gang Beban {nomor}, dekat masjid",
            "dusun": "",
            "rt": "003",
            "rw": "001",
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
        }
        isi, jenis = multipart(kolom, [("foto", nama, isi) for nama, isi in data.foto])
        mulai = time.monotonic()
        try:
            status, h, _ = sesi.kirim_form("/usulan/baru/", isi, jenis)
        except OSError as exc:
            catatan.kirim_gagal += 1
            catatan.gagal(f"kirim_{type(exc).__name__}", mulai)
            time.sleep(0.2)
            continue
        lama = (time.monotonic() - mulai) * 1000
        cocok = POLA_LACAK.match(h.get("Location", "")) if status == 302 else None
        if cocok:
            catatan.kirim_ms.append(lama)
            catatan.kode_ok.append(cocok.group(1))
        else:
            catatan.kirim_gagal += 1
            catatan.gagal(f"kirim_http_{status}", mulai)
            time.sleep(0.2)


def penonton(port: int, nomor: int, data: Data, catatan: Catatan, mulai_pada: float, selesai_pada: float) -> None:
    acak = random.Random(10_000 + nomor)
    sesi = Sesi(port)
    x0, y0, x1, y1 = data.kotak
    while time.monotonic() < mulai_pada:
        time.sleep(0.01)
    while time.monotonic() < selesai_pada:
        # A phone's viewport (~400x700 px) at a random zoom, centred somewhere over Karimun.
        zoom = acak.randint(8, 16)
        derajat_per_px = 360 / (256 * 2**zoom)
        lebar, tinggi = 400 * derajat_per_px, 700 * derajat_per_px
        cx, cy = acak.uniform(x0, x1), acak.uniform(y0, y1)
        bbox = f"{cx - lebar / 2:.6f},{cy - tinggi / 2:.6f},{cx + lebar / 2:.6f},{cy + tinggi / 2:.6f}"
        mulai = time.monotonic()
        try:
            status, _h, _ = sesi.minta(
                "GET", f"/peta/data/?bbox={bbox}&zoom={zoom}", kepala={"Accept-Encoding": "gzip"}
            )
        except OSError as exc:
            catatan.gagal(f"peta_{type(exc).__name__}", mulai)
            time.sleep(0.2)
            continue
        if status == 200:
            catatan.peta_ok += 1
            catatan.peta_ms.append((time.monotonic() - mulai) * 1000)
        else:
            catatan.gagal(f"peta_http_{status}", mulai)
            time.sleep(0.2)


# --- Set-up -----------------------------------------------------------------------------------------
def env_app(klaster: Klaster, folder: Path, port_web: int, **tambahan: str) -> dict[str, str]:
    """Production settings; nothing from the developer's environment or .env leaks in."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ") if k in os.environ}
    env.update(
        MUSRENBANG_ENV_FILE="",
        DJANGO_SETTINGS_MODULE="musrenbang.settings",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHON=sys.executable,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"postgis://musrenbang@{HOST}:{klaster.port}/musrenbang",
        MEDIA_ROOT=str(folder / "media"),
        STATIC_ROOT=str(folder / "static"),
        SECURE_PROXY_SSL_HEADER="true",
        # nginx in front of gunicorn's socket, as `make produksi` runs it; this script plays the TLS proxy.
        NGINX_LISTEN=f"{HOST}:{port_web}",
        NGINX_PROXY_DEPAN="true",
        NGINX_PENGGUNA=getpass.getuser(),
        PRODUKSI_FOLDER=str(folder / "run"),
        NOTIFIKASI_SALURAN_TELEPON="off",
        # The worker polls every second (production: 10), so it surely meets the restart: if it died,
        # scripts/produksi.sh would stop gunicorn too.
        NOTIFIKASI_JEDA_DETIK="1",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        # Every simulated phone is 127.0.0.1 and submits far more than a person would in an hour.
        BATAS_USULAN_PER_JAM_AKUN="1000000",
        BATAS_USULAN_PER_JAM_IP="1000000",
        BATAS_MASUK_GAGAL_PER_IP="1000000",
        # All simulated viewers share 127.0.0.1: the per-address read limits would measure themselves.
        BATAS_PETA_DATA_PER_MENIT_IP="0",
        BATAS_OPEN311_BACA_PER_MENIT_IP="0",
        BATAS_EKSPOR_PER_JAM_IP="0",
    )
    env.update(tambahan)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    hasil = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if hasil.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{hasil.stdout[-3000:]}{hasil.stderr[-3000:]}")
    return hasil.stdout


BUAT_WARGA = """
import os
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
P = get_user_model()
sandi = make_password(os.environ["BEBAN_KATA_SANDI"])
n = int(os.environ["BEBAN_WARGA"])
P.objects.bulk_create([P(username=f"beban{i:03d}", nama_lengkap=f"Warga Beban {i:03d}", password=sandi)
                       for i in range(n)])
"""


def siapkan(klaster: Klaster, folder: Path, env: dict[str, str], jumlah_warga: int) -> Data:
    klaster.buat()
    klaster.mulai()
    log(f"cluster up on {HOST}:{klaster.port} ({klaster.data})")
    klaster.psql("CREATE ROLE musrenbang LOGIN CREATEDB")
    klaster.psql("CREATE DATABASE musrenbang OWNER musrenbang")
    klaster.psql("CREATE EXTENSION postgis; CREATE EXTENSION pg_trgm;", db="musrenbang")
    (folder / "media").mkdir()
    manage(env, "migrate", "--noinput")
    log("migrated; loading the demo data (Karimun, an active round with open windows)")
    manage({**env, "DEBUG": "true"}, "muat_demo")
    kata_sandi = secrets.token_urlsafe(16)
    manage({**env, "BEBAN_KATA_SANDI": kata_sandi, "BEBAN_WARGA": str(jumlah_warga)}, "shell", "-c", BUAT_WARGA)
    log(f"{jumlah_warga} resident accounts created")

    # Points inside the desa/kelurahan of Karimun (21.02, what muat_demo loads), drawn by PostGIS.
    titik = [
        (float(x), float(y))
        for x, y in klaster.psql(
            "SELECT ST_X(g), ST_Y(g) FROM (SELECT (ST_Dump(ST_GeneratePoints(batas, 20, 42))).geom AS g "
            "FROM musrenbang_wilayah WHERE tingkat = 'desa_kelurahan' AND kode LIKE '21.02.%' "
            "AND batas IS NOT NULL) t",
            db="musrenbang",
        )
    ]
    ((x0, y0, x1, y1),) = klaster.psql(
        "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM "
        "(SELECT ST_Extent(batas) AS b FROM musrenbang_wilayah WHERE kode = '21.02') t",
        db="musrenbang",
    )
    bidang = [
        b
        for (b,) in klaster.psql("SELECT id FROM musrenbang_bidang WHERE aktif AND induk_id IS NOT NULL", "musrenbang")
    ]
    if not titik or not bidang:
        raise RuntimeError("no desa boundaries or no bidang after muat_demo")
    return Data(
        titik=titik,
        kotak=(float(x0), float(y0), float(x1), float(y1)),
        bidang=bidang,
        foto=[(p.name, p.read_bytes()) for p in FOTO],
        kata_sandi=kata_sandi,
    )


def tunggu_siap(proses: subprocess.Popen, port: int, log_server: Path) -> None:
    batas = time.monotonic() + SIAP_DALAM_DETIK
    while time.monotonic() < batas:
        if proses.poll() is not None:
            raise RuntimeError(f"scripts/produksi.sh ended with {proses.returncode}:\n{log_server.read_text()[-4000:]}")
        try:
            if Sesi(port).minta("GET", "/masuk/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer within {SIAP_DALAM_DETIK} s:\n{log_server.read_text()[-4000:]}")


def hentikan_server(proses: subprocess.Popen | None) -> int | None:
    if proses is None or proses.poll() is not None:
        return None if proses is None else proses.returncode
    proses.send_signal(signal.SIGTERM)
    try:
        return proses.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proses.pid, signal.SIGKILL)
        return proses.wait()


# --- The proof ---------------------------------------------------------------------------------------
def periksa(klaster: Klaster, media: Path, kode_ok: list[str], jumlah_foto: int) -> tuple[int, int, int, int]:
    """(hilang, berkas_yatim, stored rows without a success answer, stored rows missing a photo file),
    with details on stderr."""
    baris = klaster.psql(
        "SELECT u.kode_lacak, f.asli, f.web, f.thumbnail FROM usulan_usulan u "
        "LEFT JOIN usulan_fotousulan f ON f.usulan_id = u.id",
        db="musrenbang",
    )
    foto: dict[str, list[tuple[str, str, str]]] = {}
    for kode, asli, web, kecil in baris:
        daftar = foto.setdefault(kode, [])
        if asli:
            daftar.append((asli, web, kecil))
    publik, privat = media / "publik", media / "privat"
    hilang = 0
    for kode in kode_ok:
        masalah = []
        if kode not in foto:
            masalah.append("no row")
        else:
            if len(foto[kode]) != jumlah_foto:
                masalah.append(f"{len(foto[kode])} photo rows")
            for asli, web, kecil in foto[kode]:
                masalah += [f"missing {p}" for p in (privat / asli, publik / web, publik / kecil) if not p.is_file()]
        if masalah:
            hilang += 1
            log(f"LOST {kode}: {', '.join(masalah)}")
    dikenal = {privat / a for d in foto.values() for a, _w, _k in d}
    dikenal |= {publik / p for d in foto.values() for _a, w, k in d for p in (w, k)}
    yatim = [p for p in media.rglob("*") if p.is_file() and p not in dikenal]
    for p in yatim[:20]:
        log(f"ORPHAN {p.relative_to(media)}")
    tanpa_jawaban = sorted(set(foto) - set(kode_ok))
    for kode in tanpa_jawaban[:20]:
        log(f"stored without a success answer: {kode}")
    # Whatever the client was told: a stored proposal whose photo files are gone is damaged.
    rusak = [
        kode
        for kode, daftar in foto.items()
        if not daftar or any(not p.is_file() for a, w, k in daftar for p in (privat / a, publik / w, publik / k))
    ]
    for kode in rusak[:20]:
        log(f"DAMAGED {kode}: a photo row or file is missing")
    return hilang, len(yatim), len(tanpa_jawaban), len(rusak)


def _sigterm(nomor: int, frame: object) -> None:
    raise KeyboardInterrupt


# --- Main ---------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--detik", type=float, default=60, help="length of the load, seconds (default 60)")
    parser.add_argument("--warga", type=int, default=50, help="concurrent residents submitting (default 50)")
    parser.add_argument("--penonton", type=int, default=100, help="concurrent map viewers (default 100)")
    parser.add_argument("--restart-pada", type=float, help="second of the PostgreSQL restart (default half-way)")
    parser.add_argument("--simpan", action="store_true", help="keep the temporary folder (logs, cluster, media)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        parser.error("needs root: the cluster runs as the postgres OS user (runuser)")
    restart_pada = args.detik / 2 if args.restart_pada is None else args.restart_pada

    # SIGTERM ends the run like Ctrl-C, through the same clean-up.
    signal.signal(signal.SIGTERM, _sigterm)
    folder = Path(tempfile.mkdtemp(prefix="beban-"))
    folder.chmod(0o755)  # the postgres user must reach its cluster folder inside
    klaster = Klaster(folder / "pg")
    port_web = port_bebas()
    env = env_app(klaster, folder, port_web)
    server: subprocess.Popen | None = None
    log_server = folder / "produksi.log"
    kode_keluar = 0
    try:
        data = siapkan(klaster, folder, env, args.warga)
        with log_server.open("wb") as keluaran:
            server = subprocess.Popen(
                ["bash", "scripts/produksi.sh"],
                cwd=ROOT,
                env=env,
                stdout=keluaran,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        tunggu_siap(server, port_web, log_server)
        log(f"gunicorn up on {HOST}:{port_web}; signing {args.warga} residents in")

        catatan_masuk = Catatan()
        sesi = [Sesi(port_web) for _ in range(args.warga)]
        mulai_masuk = time.monotonic()
        hasil_masuk: list[bool] = [False] * args.warga

        def masuk_satu(i: int) -> None:
            hasil_masuk[i] = masuk(sesi[i], f"beban{i:03d}", data.kata_sandi, catatan_masuk, mulai_masuk + 300)

        utas = [threading.Thread(target=masuk_satu, args=(i,), daemon=True) for i in range(args.warga)]
        for u in utas:
            u.start()
        for u in utas:
            u.join()
        lama_masuk = time.monotonic() - mulai_masuk
        if not all(hasil_masuk):
            raise RuntimeError(f"{hasil_masuk.count(False)} residents could not sign in: {dict(catatan_masuk.galat)}")
        log(f"signed in in {lama_masuk:.1f} s; load for {args.detik:.0f} s, restart at {restart_pada:.0f} s")

        mulai_pada = time.monotonic() + 0.5
        selesai_pada = mulai_pada + args.detik
        semua: list[Catatan] = []
        utas = []
        for i in range(args.warga):
            c = Catatan()
            semua.append(c)
            utas.append(
                threading.Thread(target=warga, args=(sesi[i], i, data, c, mulai_pada, selesai_pada), daemon=True)
            )
        for i in range(args.penonton):
            c = Catatan()
            semua.append(c)
            utas.append(
                threading.Thread(target=penonton, args=(port_web, i, data, c, mulai_pada, selesai_pada), daemon=True)
            )
        for u in utas:
            u.start()

        while time.monotonic() < mulai_pada + restart_pada:
            time.sleep(0.05)
        restart_mulai = time.monotonic()
        log("restarting PostgreSQL (pg_ctl restart -m fast)")
        lama_restart = klaster.restart()
        restart_selesai = time.monotonic()
        log(f"PostgreSQL back after {lama_restart:.2f} s")

        for u in utas:
            u.join(timeout=max(1.0, selesai_pada + BATAS_WAKTU_HTTP + 10 - time.monotonic()))
        berjalan_lagi = sum(u.is_alive() for u in utas)
        durasi = time.monotonic() - mulai_pada
        server_hidup = server.poll() is None
        kode_server = hentikan_server(server)
        log(f"load done; scripts/produksi.sh {'stopped' if server_hidup else 'had died'} (status {kode_server})")

        kirim_ms = [x for c in semua for x in c.kirim_ms]
        form_ms = [x for c in semua for x in c.form_ms]
        peta_ms = [x for c in semua for x in c.peta_ms]
        kode_ok = [k for c in semua for k in c.kode_ok]
        galat = sum((c.galat for c in semua), Counter())
        jendela = (restart_mulai, restart_selesai + 5)
        luar_jendela = sum(1 for c in semua for m, s, _j in c.waktu_galat if s < jendela[0] or m > jendela[1])
        kirim_gagal = sum(c.kirim_gagal for c in semua)
        peta_ok = sum(c.peta_ok for c in semua)

        print(f"warga: {args.warga} threads")
        print(f"penonton: {args.penonton} threads")
        print(f"durasi: {durasi:.1f} s")
        print(f"masuk_semua: {lama_masuk:.1f} s")
        print(f"usulan_ok: {len(kode_ok)} submissions")
        print(f"usulan_gagal: {kirim_gagal} submissions")
        print(f"throughput_usulan: {len(kode_ok) / durasi:.2f} submissions/s")
        print(f"throughput_peta: {peta_ok / durasi:.1f} requests/s")
        print(f"peta_ok: {peta_ok} requests")
        print(f"kirim_p50: {persentil(kirim_ms, 50):.0f} ms")
        print(f"kirim_p95: {persentil(kirim_ms, 95):.0f} ms")
        print(f"form_p50: {persentil(form_ms, 50):.0f} ms")
        print(f"form_p95: {persentil(form_ms, 95):.0f} ms")
        print(f"peta_p50: {persentil(peta_ms, 50):.0f} ms")
        print(f"peta_p95: {persentil(peta_ms, 95):.0f} ms")
        print(f"restart_postgresql: {lama_restart:.2f} s")
        for jenis, n in sorted(galat.items()):
            print(f"galat_{jenis}: {n} requests")
        print(f"galat_total: {sum(galat.values())} requests")
        print(f"galat_di_luar_restart: {luar_jendela} requests")
        print(f"utas_belum_selesai: {berjalan_lagi} threads")
        teks_log = log_server.read_text(errors="replace")
        print(f"traceback_di_log: {teks_log.count('Traceback')} tracebacks")
        print(f"pekerja_tunggu_basis_data: {teks_log.count('database unavailable, retrying')} times")
        print(f"produksi_sh_hidup: {1 if server_hidup else 0} bool")

        hilang, yatim, tanpa_jawaban, rusak = periksa(klaster, folder / "media", kode_ok, len(FOTO))
        print(f"tersimpan_tanpa_jawaban_sukses: {tanpa_jawaban} proposals")
        print(f"tersimpan_tanpa_berkas: {rusak} proposals")
        print(f"hilang: {hilang}")
        print(f"berkas_yatim: {yatim}")
        if hilang or yatim or rusak:
            kode_keluar = 1
        if not server_hidup:
            log(f"scripts/produksi.sh died during the run:\n{teks_log[-3000:]}")
            kode_keluar = 1
    except KeyboardInterrupt:
        log("interrupted; cleaning up")
        kode_keluar = 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the clean-up
        try:
            hentikan_server(server)
        finally:
            try:
                klaster.berhenti()
            except subprocess.CalledProcessError as exc:
                log(f"pg_ctl stop failed: {exc.stderr}")
            if args.simpan:
                log(f"kept {folder}")
            else:
                shutil.rmtree(folder, ignore_errors=True)
    return kode_keluar


if __name__ == "__main__":
    sys.exit(main())
