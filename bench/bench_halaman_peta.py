"""Benchmark of the pages that show the public summary (the map page and the home page), with the
summary kept in the cache (dasbor.statistik.ringkasan_publik_tersimpan) against computing it on every
view, as before, in the same run. Run on demand, not a test.

    .venv/bin/python bench/bench_halaman_peta.py                       # 100 000 proposals
    .venv/bin/python bench/bench_halaman_peta.py --jumlah 1000000      # tops the same database up to 1 M

Uses the database of bench/bench_peta.py (default `musrenbang_bench`, created and filled the same
way, never the app's; drop it afterwards with `dropdb musrenbang_bench` as the postgres user).
Each page is requested through Django's test Client (in process: routing, middleware, view,
template; no sockets). Prints `name: value unit` lines:
  ringkasan_hitung_p50      computing the summary itself (the query)
  <page>_simpan_p50/_p95    the page with the summary kept (what visitors get while nothing changes)
  <page>_hitung_p50/_p95    the page when the summary is computed on each view (the baseline)
  <page>_rasio              hitung_p50 / simpan_p50
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_peta import _persentil, _siapkan_db, isi_sampai  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--jumlah", type=int, default=100_000, help="proposals in the database (default 100 000)")
    p.add_argument("--db", default="musrenbang_bench", help="database name (created if missing)")
    p.add_argument("--dsn", default="postgresql://musrenbang:musrenbang@127.0.0.1:5432", help="server, no database")
    p.add_argument("--ulang", type=int, default=20, help="requests per page and mode (default 20)")
    p.add_argument("--benih", type=int, default=20260101)
    args = p.parse_args()

    _siapkan_db(args.dsn, args.db)
    os.environ["DATABASE_URL"] = f"postgis://{args.dsn.split('://', 1)[1]}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from dasbor import statistik
    from peta import selectors

    print(f"usulan: {isi_sampai(args.jumlah, args.benih)} rows")
    siklus = selectors.siklus_deployment()[0]

    def waktu(fungsi, n: int) -> list[float]:
        hasil = []
        for _ in range(n):
            t = time.perf_counter()
            fungsi()
            hasil.append((time.perf_counter() - t) * 1000)
        return hasil

    hitung = waktu(lambda: statistik.ringkasan_publik(siklus), max(3, args.ulang // 4))
    print(f"ringkasan_hitung_p50: {statistics.median(hitung):.1f} ms")

    klien = Client()
    for nama, url in (("peta", "/peta/"), ("beranda", "/")):

        def minta(url=url) -> None:
            assert klien.get(url).status_code == 200

        minta()  # warm: templates compiled, summary kept
        simpan = waktu(minta, args.ulang)

        def minta_baru(url=url) -> None:
            cache.clear()  # what every view did before the summary was kept
            minta(url)

        baru = waktu(minta_baru, max(3, args.ulang // 4))
        print(f"{nama}_simpan_p50: {statistics.median(simpan):.1f} ms")
        print(f"{nama}_simpan_p95: {_persentil(simpan, 95):.1f} ms")
        print(f"{nama}_hitung_p50: {statistics.median(baru):.1f} ms")
        print(f"{nama}_hitung_p95: {_persentil(baru, 95):.1f} ms")
        print(f"{nama}_rasio: {statistics.median(baru) / statistics.median(simpan):.1f}")


if __name__ == "__main__":
    main()
