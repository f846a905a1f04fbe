"""The public map's phone budget, measured in Chromium on an emulated slow 3G link (run on demand).

    .venv/bin/python bench/bench_ponsel_peta.py                     # database musrenbang_bench
    .venv/bin/python bench/bench_ponsel_peta.py --db musrenbang_peta --ulang 5 --cpu 4

Serves the site as production does: DEBUG off, `collectstatic` into a temporary STATIC_ROOT (WhiteNoise's
hashed and pre-compressed files), gunicorn with two workers on loopback, against a database that
already holds proposals (bench/bench_peta.py fills musrenbang_bench). Then, --ulang times, a fresh
360×640 phone context with the cache disabled opens /peta/ under Chrome DevTools' network emulation
(Network.emulateNetworkConditions: 400 ms latency, 400 kbit/s down and up; optionally a CPU slowed
--cpu times) and reports:

  page_bytes           the page's own HTML + CSS + JS, uncompressed (budget 250 KB; tiles excluded,
                       there are none offline)
  page_bytes_transfer  the same as sent over the wire (gzip/brotli where the server offers it)
  data_bytes_transfer  the map data fetched by the page (clusters, outlines) as sent
  markers_visible_ms   from navigation start to the first cluster or point on screen (budget 6 s)

and one verdict line per budget (`budget_page_bytes: ok` / `OVER`, `budget_markers: ok` / `OVER`),
judged on the largest page and the slowest of the cold loads. It takes ~20 s with --ulang 3 and
creates no database of its own (it reads --db; its temporary STATIC_ROOT is removed at the end).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from gunicorn_lokal import jalankan_gunicorn

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
ANGGARAN_BYTES, ANGGARAN_MS = 250_000, 6000
JENIS_HALAMAN = {"Document", "Stylesheet", "Script"}


def _argumen() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", default="musrenbang_bench", help="database with proposals (default musrenbang_bench)")
    p.add_argument("--dsn", default="postgis://musrenbang:musrenbang@127.0.0.1:5432", help="server, no database")
    p.add_argument("--port", type=int, default=8799)
    p.add_argument("--ulang", type=int, default=3, help="cold page loads (default 3)")
    p.add_argument("--cpu", type=float, default=1.0, help="CPU slowdown factor, e.g. 4 for a low-end phone")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    return p.parse_args()


def _server(args: argparse.Namespace, static_root: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "MUSRENBANG_ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": f"{args.dsn}/{args.db}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static_root),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "MAP_TILES_URL": "",
        "DJANGO_SETTINGS_MODULE": "musrenbang.settings",
    }
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    return jalankan_gunicorn(env, args.port, periksa="/peta/")


def _ukur(browser, args: argparse.Namespace) -> dict[str, float]:
    konteks = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    halaman = konteks.new_page()
    cdp = konteks.new_cdp_session(halaman)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8, "uploadThroughput": 400_000 / 8},
    )
    if args.cpu > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.cpu})
    jenis: dict[str, str] = {}
    terkirim: dict[str, float] = {}
    isi: dict[str, float] = {}
    cdp.on("Network.responseReceived", lambda e: jenis.__setitem__(e["requestId"], e.get("type", "")))
    cdp.on(
        "Network.dataReceived", lambda e: isi.__setitem__(e["requestId"], isi.get(e["requestId"], 0) + e["dataLength"])
    )
    cdp.on("Network.loadingFinished", lambda e: terkirim.__setitem__(e["requestId"], e["encodedDataLength"]))

    halaman.goto(f"http://127.0.0.1:{args.port}/peta/", wait_until="commit")
    muncul = halaman.wait_for_function(
        "() => document.querySelector('.klaster-ikon, .titik') && performance.now()", polling="raf", timeout=60_000
    ).json_value()
    halaman.wait_for_load_state("networkidle")
    hasil = {
        "markers_visible_ms": float(muncul),
        "page_bytes": sum(n for r, n in isi.items() if jenis.get(r) in JENIS_HALAMAN),
        "page_bytes_transfer": sum(n for r, n in terkirim.items() if jenis.get(r) in JENIS_HALAMAN),
        "data_bytes_transfer": sum(n for r, n in terkirim.items() if jenis.get(r) in {"Fetch", "XHR"}),
        "requests": len(terkirim),
    }
    konteks.close()
    return hasil


def main() -> None:
    args = _argumen()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="musrenbang-bench-static-") as static_root:
        server = _server(args, Path(static_root))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=args.chromium,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
                )
                hasil = [_ukur(browser, args) for _ in range(args.ulang)]
                browser.close()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    for kunci, satuan in (
        ("page_bytes", "B"),
        ("page_bytes_transfer", "B"),
        ("data_bytes_transfer", "B"),
        ("requests", "-"),
    ):
        print(f"{kunci}: {statistics.median(h[kunci] for h in hasil):.0f} {satuan}")
    waktu = [h["markers_visible_ms"] for h in hasil]
    print(f"markers_visible_ms: {statistics.median(waktu):.0f} ms")
    print(f"markers_visible_ms_max: {max(waktu):.0f} ms")
    print(f"markers_visible_ms_each: {' '.join(f'{w:.0f}' for w in waktu)} ms")
    print(f"emulation: latency 400 ms, 400 kbit/s down/up, cpu x{args.cpu:g}, {args.ulang} cold loads -")
    # The budgets must hold on every cold load, so the verdicts judge the largest page and the slowest load.
    halaman = max(h["page_bytes"] for h in hasil)
    print(f"page_kb_max: {halaman / 1000:.1f} KB")
    print(f"markers_visible_s_max: {max(waktu) / 1000:.2f} s")
    print(f"budget_page_bytes: {'ok' if halaman <= ANGGARAN_BYTES else 'OVER'} -")
    print(f"budget_markers: {'ok' if max(waktu) <= ANGGARAN_MS else 'OVER'} -")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
