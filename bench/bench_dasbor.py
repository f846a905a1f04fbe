"""Benchmark of the dashboard's selectors and pages at scale (run on demand, not a test).

    DATABASE_URL=postgis://…/musrenbang_dasbor .venv/bin/python bench/bench_dasbor.py [-n 20000] [-k 5]

Needs a migrated database with the Karimun areas imported (`manage.py impor_wilayah`). Everything
runs in one transaction that is rolled back: N proposals spread over every desa, sector and stage
(waiting, rejected by the desa, passed on, accepted and published, rejected as a draft) with their
history rows days apart are generated in SQL, then each selector, the dashboard page, a CSV download
and the home page (public summary) are timed. Prints `name: value unit` (median of k runs, warm).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402 - the path and settings above must come first

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from akun.models import Peran  # noqa: E402
from dasbor import statistik  # noqa: E402
from musrenbang.models import AlasanKode, Bidang, JadwalTahapan, Siklus, Tahapan, Tingkat, Wilayah  # noqa: E402
from tests import factories  # noqa: E402

_SQL_USULAN = """
INSERT INTO usulan_usulan (kode_lacak, jenis_pengusul, nama_pengusul, kontak_pengusul, tampilkan_nama, judul,
    permasalahan, uraian, volume, satuan, perkiraan_biaya, alamat, dusun, rt, rw, lokasi, status, status_publik,
    dibuat, diperbarui, bidang_id, desa_id, kecamatan_id, pengguna_id, siklus_id)
SELECT 'BENCH-' || g, 'warga', 'Bench', '', false, 'Usulan ' || g, 'x', 'x', 10, 'meter', (g %% 50) * 1000000,
       'Jl', '', '', '', ST_PointOnSurface(d.batas),
       (ARRAY['diajukan','ditolak','lolos_desa','lolos_kecamatan','diterima','ditolak'])[1 + g %% 6],
       (ARRAY['diajukan','ditolak','lolos_desa','lolos_kecamatan','diterima','lolos_kecamatan'])[1 + g %% 6],
       %(t0)s + (g %% 10) * interval '1 day', now(),
       (%(bidang)s::bigint[])[1 + (g / 7) %% %(n_bidang)s], d.id, d.induk_id, %(pengguna)s, %(siklus)s
FROM generate_series(1, %(n)s) g
JOIN musrenbang_wilayah d ON d.id = (%(desa)s::bigint[])[1 + g %% %(n_desa)s]
"""

# One history row per step; stage = g % 6 as above; each step a few days after the previous one.
_SQL_RIWAYAT = """
WITH u AS (
    SELECT id, dibuat, substring(kode_lacak from 7)::int AS g FROM usulan_usulan WHERE siklus_id = %(siklus)s
), langkah AS (
    SELECT id, g, g %% 6 AS tahap, dibuat AS t0,
           dibuat + (1 + g %% 5) * interval '1 day' AS t1,
           dibuat + (2 + g %% 5 + g %% 3) * interval '1 day' AS t2,
           dibuat + (3 + g %% 5 + g %% 3 + g %% 7) * interval '1 day' AS t3
    FROM u
)
INSERT INTO usulan_riwayatstatus (aksi, dari_status, ke_status, peran, catatan, publik, waktu, alasan_kode_id,
    pelaku_id, usulan_id, di_luar_jadwal)
SELECT 'ajukan', '', 'diajukan', 'pengusul', '', true, t0, NULL, %(pengguna)s, id, false FROM langkah
UNION ALL
SELECT 'tolak', 'diajukan', 'ditolak', 'desa', 'x', true, t1, %(alasan)s, %(pengguna)s, id, false
FROM langkah WHERE tahap = 1
UNION ALL
SELECT 'teruskan', 'diajukan', 'lolos_desa', 'desa', '', true, t1, NULL, %(pengguna)s, id, false
FROM langkah WHERE tahap >= 2
UNION ALL
SELECT 'teruskan', 'lolos_desa', 'lolos_kecamatan', 'kecamatan', '', true, t2, NULL, %(pengguna)s, id, false
FROM langkah WHERE tahap >= 3
UNION ALL
SELECT 'putuskan', 'lolos_kecamatan', CASE tahap WHEN 4 THEN 'diterima' ELSE 'ditolak' END, 'bappeda', 'x', false,
       t3, CASE tahap WHEN 5 THEN %(alasan)s END, %(pengguna)s, id, false
FROM langkah WHERE tahap >= 4
UNION ALL
SELECT 'terbitkan', 'diterima', 'diterima', 'bappeda', 'x', true, t3, NULL, %(pengguna)s, id, false
FROM langkah WHERE tahap = 4
"""

_SQL_KEPUTUSAN = """
INSERT INTO verifikasi_keputusanbappeda (usulan_id, hasil, perangkat_daerah_id, biaya, tahun, alasan_kode_id, alasan,
    diputuskan_oleh_id, diputuskan_pada, diterbitkan_pada)
SELECT id, status, CASE status WHEN 'diterima' THEN %(opd)s END, CASE status WHEN 'diterima' THEN 1000000 END,
       CASE status WHEN 'diterima' THEN 2027 END, CASE status WHEN 'ditolak' THEN %(alasan)s END, 'x',
       %(pengguna)s, now(), CASE status WHEN 'diterima' THEN now() END
FROM usulan_usulan
WHERE siklus_id = %(siklus)s AND substring(kode_lacak from 7)::int %% 6 IN (4, 5)
"""


def _ukur(fungsi: Callable[[], object], k: int) -> float:
    fungsi()  # warm-up (plans, caches)
    waktu = []
    for _ in range(k):
        mulai = time.perf_counter()
        fungsi()
        waktu.append(time.perf_counter() - mulai)
    return statistics.median(waktu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="proposals to generate")
    parser.add_argument("-k", type=int, default=5, help="timed runs per figure")
    args = parser.parse_args()

    karimun = Wilayah.objects.get(kode="21.02", tingkat=Tingkat.KABUPATEN_KOTA)
    with transaction.atomic():
        Siklus.objects.filter(kabkota=karimun, aktif=True).update(aktif=False)
        siklus = factories.buat_siklus(karimun, tahun=2099)
        # The desa window closed yesterday, so waiting proposals are overdue.
        JadwalTahapan.objects.filter(siklus=siklus, tahapan=Tahapan.DESA).update(
            mulai=timezone.now() - datetime.timedelta(days=60), selesai=timezone.now() - datetime.timedelta(days=1)
        )
        bappeda = factories.buat_pengguna("bench_bappeda")
        factories.buat_penugasan(bappeda, Peran.BAPPEDA, wilayah=karimun)
        desa = list(
            Wilayah.objects.filter(tingkat=Tingkat.DESA_KELURAHAN, induk__induk=karimun).values_list("pk", flat=True)
        )
        bidang = list(Bidang.objects.filter(induk__isnull=False).values_list("pk", flat=True)[:40])
        p = {
            "n": args.n,
            "t0": timezone.now() - datetime.timedelta(days=40),
            "desa": desa,
            "n_desa": len(desa),
            "bidang": bidang,
            "n_bidang": len(bidang),
            "pengguna": bappeda.pk,
            "siklus": siklus.pk,
            "alasan": AlasanKode.objects.get(kode="lokasi-tidak-jelas").pk,
            "opd": factories.buat_opd().pk,
        }
        mulai = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(_SQL_USULAN, p)
            cur.execute(_SQL_RIWAYAT, p)
            cur.execute(_SQL_KEPUTUSAN, p)
            cur.execute("ANALYZE usulan_usulan; ANALYZE usulan_riwayatstatus; ANALYZE verifikasi_keputusanbappeda")
        print(f"generate_{args.n}_proposals: {time.perf_counter() - mulai:.1f} s")
        siklus = Siklus.objects.prefetch_related("jadwaltahapan_set").select_related("kabkota").get(pk=siklus.pk)
        ukuran = {
            "ringkasan_status": lambda: statistik.ringkasan_status(siklus),
            "status_per_kecamatan": lambda: statistik.status_per_kecamatan(siklus),
            "status_per_fungsi": lambda: statistik.status_per_bidang(siklus, tingkat="fungsi"),
            "status_per_subfungsi": lambda: statistik.status_per_bidang(siklus, tingkat="subfungsi"),
            "alasan_penolakan": lambda: statistik.alasan_penolakan(siklus),
            "biaya_terhadap_pagu": lambda: statistik.biaya_terhadap_pagu(siklus),
            "median_hari_per_tingkat": lambda: statistik.median_hari_per_tingkat(siklus),
            "terlambat_per_kecamatan": lambda: statistik.terlambat_per_kecamatan(siklus),
            "usulan_terlambat_20": lambda: list(statistik.usulan_terlambat(siklus)[:20]),
            "peta_kecamatan": lambda: statistik.peta_kecamatan(siklus),
            "ringkasan_publik": lambda: statistik.ringkasan_publik(siklus),
        }
        for nama, fungsi in ukuran.items():
            print(f"{nama}_{args.n}: {_ukur(fungsi, args.k):.1f} ms")
        klien = Client()
        klien.force_login(bappeda)
        print(f"halaman_dasbor_{args.n}: {_ukur(lambda: klien.get('/dasbor/'), args.k):.1f} ms")
        csv = {"format": "csv", "tabel": "usulan-terlambat"}
        unduh = lambda: b"".join(klien.get("/dasbor/", csv).streaming_content)  # noqa: E731
        print(f"csv_usulan_terlambat_{args.n}: {_ukur(unduh, args.k):.1f} ms")
        tamu = Client()
        print(f"halaman_beranda_{args.n}: {_ukur(lambda: tamu.get('/'), args.k):.1f} ms")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
