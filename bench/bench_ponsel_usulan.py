"""A resident's proposal with two real phone photos, in Chromium on an emulated slow 3G phone (on demand).

    .venv/bin/python bench/bench_ponsel_usulan.py                    # 3 runs, CPU x4
    .venv/bin/python bench/bench_ponsel_usulan.py --ulang 5 --dasar  # also the old way once, as a baseline

Builds its own database (--db, default musrenbang_bench_usulan, dropped and created again from template1,
which holds PostGIS), migrates it and loads the demo data (Karimun, an open round, the demo resident),
collects the static files into a temporary STATIC_ROOT and serves the site as production does (DEBUG
off, WhiteNoise, gunicorn with two workers on loopback, MEDIA_ROOT in a temporary folder). Then, --ulang
times, a fresh 360×640 phone context signs in, opens the form and, under Chrome DevTools' emulation
(Network.emulateNetworkConditions: 400 ms latency, 400 kbit/s down and up; Emulation.setCPUThrottlingRate
×4), chooses the two photos, fills the form while they upload, sends it and waits for the tracking code.

Prints `name: value unit` lines:

  kirim_dua_foto_3g_s   from choosing the photos to the tracking code on screen (target ≤ 20 s; the
                        median, and the slowest run judged against the target)
  unggah_dua_foto_3g_s  of which until both photos are uploaded (made small and sent)
  byte_terkirim_kb      bytes of the two photos as the server received them (target ≤ 900 KB)
  target_…: ok|OVER     one verdict per target

Then, unless --tanpa-lacak, it runs bench/bench_ponsel_lacak.py with the same --ulang and --cpu (its own
database with published proposals and real photos) and prints its lines too: `lacak_foto_3g_s` (the
tracking page's photos visible, target ≤ 4 s) and `popup_tetap_terbuka_s` (a tapped map popup through a
pan and a data reload, target ≥ 3 s in every run), each with its `target_…` verdict.

The measurements are functions in PENGUKURAN, each returning {name: (value, unit)} for one run, with
their targets in TARGET. Takes a few minutes with --ulang 3.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gunicorn_lokal import jalankan_gunicorn

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
FOTO = ROOT / "tests" / "data" / "foto"
# Real phone photos kept in the repository (licences in tests/data/foto/SUMBER.md): 2.4 MB and 0.9 MB.
FOTO_PONSEL = (FOTO / "phone-gps" / "Apple_iPhone_5.jpg", FOTO / "phone-nogps" / "Samsung_SM-J327T1.jpg")
KATA_SANDI_DEMO = "demo-musrenbang-2027"  # verifikasi/management/commands/muat_demo.py
TUNGGU_MS = 300_000


@dataclass
class Lingkungan:
    args: argparse.Namespace
    url: str
    dsn: str


def _argumen() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", default="musrenbang_bench_usulan", help="database this bench creates (dropped first)")
    p.add_argument("--dsn", default="postgis://musrenbang:musrenbang@127.0.0.1:5432", help="server, no database")
    p.add_argument("--port", type=int, default=8798)
    p.add_argument("--ulang", type=int, default=3, help="runs (default 3)")
    p.add_argument("--cpu", type=float, default=4.0, help="CPU slowdown factor (default 4, a low-end phone)")
    p.add_argument("--dasar", action="store_true", help="also send once the old way (full-size, no JavaScript)")
    p.add_argument("--tanpa-lacak", action="store_true", help="skip the tracking-page and map-popup figures")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    return p.parse_args()


def _env(args: argparse.Namespace, static_root: Path, media_root: Path) -> dict[str, str]:
    return {
        **{k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ") if k in os.environ},
        "MUSRENBANG_ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": f"{args.dsn}/{args.db}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "MAP_TILES_URL": "",
        "NOTIFIKASI_SALURAN_TELEPON": "off",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "BATAS_USULAN_PER_JAM_AKUN": "1000000",
        "BATAS_UNGGAH_FOTO_PER_JAM_AKUN": "1000000",
        "DJANGO_SETTINGS_MODULE": "musrenbang.settings",
    }


def _psql(dsn: str, sql: str, db: str, param: tuple = ()) -> list[tuple]:
    import psycopg2

    url = dsn.replace("postgis://", "postgresql://") + f"/{db}"
    koneksi = psycopg2.connect(url)
    koneksi.autocommit = True
    try:
        with koneksi.cursor() as cur:
            cur.execute(sql, param)
            return cur.fetchall() if cur.description else []
    finally:
        koneksi.close()


def _siapkan(args: argparse.Namespace, env: dict[str, str]) -> None:
    if not args.db.startswith("musrenbang_bench"):
        raise SystemExit("--db must start with musrenbang_bench: this bench drops it")
    _psql(args.dsn, f'DROP DATABASE IF EXISTS "{args.db}"', "postgres")
    _psql(args.dsn, f'CREATE DATABASE "{args.db}" TEMPLATE template1', "postgres")
    for perintah in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([PYTHON, "manage.py", *perintah, "-v", "0"], cwd=ROOT, env=env, check=True)
    demo = {**env, "DEBUG": "true"}
    subprocess.run([PYTHON, "manage.py", "muat_demo"], cwd=ROOT, env=demo, check=True, stdout=subprocess.DEVNULL)


def _server(args: argparse.Namespace, env: dict[str, str]) -> subprocess.Popen:
    return jalankan_gunicorn(env, args.port, periksa="/masuk/")


def _ponsel(browser, ling: Lingkungan, *, js: bool = True):
    konteks = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True, locale="id-ID", java_script_enabled=js
    )
    halaman = konteks.new_page()
    return konteks, halaman


def _emulasi(halaman, ling: Lingkungan) -> None:
    cdp = halaman.context.new_cdp_session(halaman)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8},
    )
    if ling.args.cpu > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": ling.args.cpu})


def _masuk(halaman, ling: Lingkungan) -> None:
    halaman.goto(f"{ling.url}/masuk/?next=/usulan/baru/")
    halaman.get_by_label("E-mail, nomor telepon, atau nama pengguna").fill("warga")
    halaman.locator("#id_password").fill(KATA_SANDI_DEMO)
    halaman.get_by_role("button", name="Masuk").click()
    halaman.wait_for_url("**/usulan/baru/")


def _isi(halaman, titik: tuple[float, float], *, js: bool) -> None:
    halaman.get_by_label("Judul usulan").fill("Perbaikan jalan setapak ke dermaga")
    halaman.get_by_label("Permasalahan saat ini").fill("Jalan berlubang dan licin saat hujan.")
    halaman.get_by_label("Usulan kegiatan").fill("Semenisasi jalan setapak 120 meter.")
    halaman.get_by_label("Lintang").fill(f"{titik[1]:.6f}")
    halaman.get_by_label("Bujur").fill(f"{titik[0]:.6f}")
    if js:
        halaman.get_by_label("Lintang").dispatch_event("change")
    halaman.get_by_label("Alamat atau patokan").fill("Jalan ke dermaga")
    halaman.get_by_label("Bidang").select_option(index=1)
    halaman.get_by_label("Volume").fill("120")
    halaman.get_by_label("Satuan").fill("meter")


def _byte_foto(ling: Lingkungan, kode: str) -> int:
    ((jumlah,),) = _psql(
        ling.dsn,
        "SELECT coalesce(sum(f.ukuran_byte), 0) FROM usulan_fotousulan f JOIN usulan_usulan u ON u.id = f.usulan_id "
        "WHERE u.kode_lacak = %s",
        ling.args.db,
        (kode,),
    )
    return int(jumlah)


def _titik(ling: Lingkungan) -> tuple[float, float]:
    ((x, y),) = _psql(
        ling.dsn,
        "SELECT ST_X(ST_PointOnSurface(batas)), ST_Y(ST_PointOnSurface(batas)) FROM musrenbang_wilayah "
        "WHERE kode = '21.02.01.1003'",
        ling.args.db,
    )
    return float(x), float(y)


def ukur_kirim_dua_foto(browser, ling: Lingkungan) -> dict[str, tuple[float, str]]:
    """Choose two photos, fill the form while they upload, send, wait for the tracking code."""
    konteks, halaman = _ponsel(browser, ling)
    try:
        _masuk(halaman, ling)  # not timed: signing in is not part of filing
        _emulasi(halaman, ling)
        halaman.reload()
        halaman.get_by_role("heading", name="Ajukan usulan").wait_for(timeout=TUNGGU_MS)
        mulai = time.monotonic()
        halaman.locator("#id_foto").set_input_files([str(p) for p in FOTO_PONSEL])
        _isi(halaman, _titik(ling), js=True)
        halaman.locator(".foto-unggah--selesai").nth(len(FOTO_PONSEL) - 1).wait_for(timeout=TUNGGU_MS)
        terunggah = time.monotonic() - mulai
        halaman.get_by_role("button", name="Kirim usulan").click()
        kode = halaman.locator("main .kode-lacak strong").first
        kode.wait_for(timeout=TUNGGU_MS)
        detik = time.monotonic() - mulai
        teks = kode.inner_text().strip()
        return {
            "kirim_dua_foto_3g_s": (detik, "s"),
            "unggah_dua_foto_3g_s": (terunggah, "s"),
            "byte_terkirim_kb": (_byte_foto(ling, teks) / 1024, "KB"),
        }
    finally:
        konteks.close()


def ukur_dasar_tanpa_js(browser, ling: Lingkungan) -> dict[str, tuple[float, str]]:
    """The old way, as a baseline: the full-size photos inside the form's one POST (no JavaScript)."""
    konteks, halaman = _ponsel(browser, ling, js=False)
    try:
        _masuk(halaman, ling)
        _emulasi(halaman, ling)
        halaman.reload()
        mulai = time.monotonic()
        halaman.locator("#id_foto").set_input_files([str(p) for p in FOTO_PONSEL])
        _isi(halaman, _titik(ling), js=False)
        # The form's one POST carries megabytes: do not let click() wait for the navigation it starts.
        halaman.get_by_role("button", name="Kirim usulan").click(no_wait_after=True)
        kode = halaman.locator("main .kode-lacak strong").first
        kode.wait_for(timeout=TUNGGU_MS)
        detik = time.monotonic() - mulai
        byte = _byte_foto(ling, kode.inner_text().strip())
        return {"dasar_tanpa_js_kirim_s": (detik, "s"), "dasar_tanpa_js_byte_kb": (byte / 1024, "KB")}
    finally:
        konteks.close()


Pengukuran = Callable[[object, Lingkungan], dict[str, tuple[float, str]]]
# Each run calls every function here; add a phone measurement by appending it (and its targets below).
PENGUKURAN: list[Pengukuran] = [ukur_kirim_dua_foto]
# name → highest value allowed; judged on the worst run, since it must hold on every one.
TARGET: dict[str, float] = {"kirim_dua_foto_3g_s": 20.0, "byte_terkirim_kb": 900.0}


def main() -> None:
    args = _argumen()
    from playwright.sync_api import sync_playwright

    sementara = Path(tempfile.mkdtemp(prefix="musrenbang-bench-usulan-"))
    env = _env(args, sementara / "static", sementara / "media")
    (sementara / "media").mkdir()
    _siapkan(args, env)
    ling = Lingkungan(args=args, url=f"http://127.0.0.1:{args.port}", dsn=args.dsn)
    server = _server(args, env)
    hasil: dict[str, list[float]] = {}
    satuan: dict[str, str] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=args.chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
            )
            pengukuran = [*PENGUKURAN, *([ukur_dasar_tanpa_js] if args.dasar else [])]
            for putaran in range(args.ulang):
                for ukur in pengukuran:
                    if ukur is ukur_dasar_tanpa_js and putaran > 0:
                        continue  # the baseline takes minutes on 3G: once is enough to compare
                    satu = ukur(browser, ling)
                    print(f"# run {putaran + 1} {ukur.__name__}: {satu}", file=sys.stderr, flush=True)
                    for nama, (nilai, s) in satu.items():
                        hasil.setdefault(nama, []).append(nilai)
                        satuan[nama] = s
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(sementara, ignore_errors=True)
    for nama, nilai in hasil.items():
        print(f"{nama}: {statistics.median(nilai):.1f} {satuan[nama]}")
        if len(nilai) > 1:
            print(f"{nama}_max: {max(nilai):.1f} {satuan[nama]}")
            print(f"{nama}_each: {' '.join(f'{v:.1f}' for v in nilai)} {satuan[nama]}")
    print(f"emulation: latency 400 ms, 400 kbit/s down/up, cpu x{args.cpu:g}, {args.ulang} runs -")
    for nama, batas in TARGET.items():
        if nama in hasil:
            print(f"target_{nama}: {'ok' if max(hasil[nama]) <= batas else 'OVER'} -")
    sys.stdout.flush()
    if not args.tanpa_lacak:
        # The tracking page and the map popup need published proposals: that bench builds its own.
        lacak = Path(__file__).with_name("bench_ponsel_lacak.py")
        perintah = [sys.executable, str(lacak), "--ulang", str(args.ulang), "--cpu", f"{args.cpu:g}"]
        subprocess.run([*perintah, "--dsn", args.dsn, "--chromium", args.chromium], check=True)


if __name__ == "__main__":
    main()
