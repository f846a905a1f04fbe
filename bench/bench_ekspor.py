"""Benchmark of the open data downloads (data_terbuka.views, dasbor.sipd) at scale (run on demand, not a test).

    .venv/bin/python bench/bench_ekspor.py [-n 200000] [--kecil 20000] [--simpan]

Creates its own database (musrenbang_bench_ekspor, from template1 with PostGIS, on the server of
DATABASE_URL), migrates it, loads Karimun's areas and inserts two rounds of synthetic proposals with
SQL: a small one (--kecil rows) and the active one (-n rows), each with its history (every fourth
proposal rejected with a reason). Then each download runs in a fresh interpreter through its view,
exactly as a request would, and the body is read to the end. Printed per download and size:

    <format>_<rows>_seconds        time to produce and read the whole body
    <format>_<rows>_first_byte     time until the first chunk of the body is available
    <format>_<rows>_bytes          size of the body
    <format>_<rows>_peak_memory    growth of the process's peak RSS while producing it (VmHWM after a
                                   reset, so imports and warm-up do not count; C allocations included)

Memory that stays the same from --kecil to -n rows is what "streamed" means here. The database is
dropped at the end unless --simpan is given (then the next run reuses it).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

NAMA_DB = "musrenbang_bench_ekspor"
FORMAT = ("csv", "geojson", "xlsx", "sipd")


def _url_db(nama: str) -> str:
    asal = os.environ.get("DATABASE_URL", "postgis://musrenbang:musrenbang@127.0.0.1:5432/musrenbang")
    bagian = urlsplit(asal)
    return urlunsplit(bagian._replace(path=f"/{nama}"))


def _buat_database() -> None:
    import psycopg2

    bagian = urlsplit(_url_db("postgres"))
    sambungan = psycopg2.connect(
        dbname="postgres",
        user=bagian.username,
        password=bagian.password,
        host=bagian.hostname,
        port=bagian.port or 5432,
    )
    sambungan.autocommit = True
    with sambungan.cursor() as kursor:
        kursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAMA_DB])
        if kursor.fetchone() is None:
            kursor.execute(f'CREATE DATABASE "{NAMA_DB}" TEMPLATE template1')
    sambungan.close()


def _hapus_database() -> None:
    import psycopg2

    bagian = urlsplit(_url_db("postgres"))
    sambungan = psycopg2.connect(
        dbname="postgres", user=bagian.username, password=bagian.password, host=bagian.hostname, port=bagian.port
    )
    sambungan.autocommit = True
    with sambungan.cursor() as kursor:
        kursor.execute(f'DROP DATABASE IF EXISTS "{NAMA_DB}"')
    sambungan.close()


_SQL_USULAN = """
INSERT INTO usulan_usulan (
    kode_lacak, siklus_id, pengguna_id, dicatat_oleh_id, jenis_pengusul, nama_pengusul, kontak_pengusul,
    tampilkan_nama, judul, permasalahan, uraian, bidang_id, kamus_id, volume, satuan, perkiraan_biaya,
    alamat, dusun, rt, rw, lokasi, desa_id, kecamatan_id, peringkat_desa, peringkat_kecamatan,
    digabung_ke_id, status, status_publik, dibuat, diperbarui)
SELECT '2102-' || %(tahun)s || '-' || lpad(g::text, 7, '0'), %(siklus)s, %(pengguna)s, NULL, 'warga',
       'Warga ' || g, '0812' || g, g %% 5 = 0,
       'Perbaikan drainase lingkungan nomor ' || g,
       repeat('Saluran tersumbat, air meluap ke rumah warga saat hujan. ', 6),
       repeat('Normalisasi dan pembangunan saluran beton. ', 6),
       %(bidang)s, NULL, 100 + g %% 50, 'meter', (g %% 1000) * 100000,
       'Jl. Merdeka No. ' || g, '', '003', '001',
       ST_SetSRID(ST_MakePoint(103.3 + random() * 0.5, 0.6 + random() * 0.6), 4326),
       (%(desa)s::bigint[])[1 + g %% %(jumlah_desa)s], (%(kecamatan)s::bigint[])[1 + g %% %(jumlah_desa)s],
       NULL, NULL, NULL,
       CASE WHEN g %% 4 = 0 THEN 'ditolak' ELSE 'diajukan' END,
       CASE WHEN g %% 4 = 0 THEN 'ditolak' ELSE 'diajukan' END,
       now() - (g %% 90) * interval '1 day', now()
FROM generate_series(1, %(n)s) AS g
"""

_SQL_RIWAYAT = """
INSERT INTO usulan_riwayatstatus (usulan_id, aksi, dari_status, ke_status, pelaku_id, peran, alasan_kode_id,
                                  catatan, publik, di_luar_jadwal, waktu)
SELECT id, 'ajukan', '', 'diajukan', pengguna_id, 'pengusul', NULL, '', true, false, dibuat
FROM usulan_usulan WHERE siklus_id = %(siklus)s
UNION ALL
SELECT id, 'tolak', 'diajukan', 'ditolak', pengguna_id, 'desa', %(alasan)s, 'Titik lokasi berada di laut.', true,
       false, dibuat + interval '1 hour'
FROM usulan_usulan WHERE siklus_id = %(siklus)s AND status = 'ditolak'
"""


def _isi(n_besar: int, n_kecil: int) -> tuple[int, int]:
    """Seed (or reuse) the two rounds; returns (small round id, active round id)."""
    import io

    from django.core.management import call_command
    from django.db import connection, transaction

    from akun.models import Peran
    from musrenbang.models import AlasanKode, Bidang, Siklus, Tingkat, Wilayah
    from tests import factories

    call_command("migrate", verbosity=0)
    if not Wilayah.objects.filter(kode="21.02").exists():
        call_command("impor_wilayah", stdout=io.StringIO())
    karimun = Wilayah.objects.get(kode="21.02")
    ada = {s.tahun: s for s in Siklus.objects.filter(kabkota=karimun)}
    if 2026 in ada and 2027 in ada:
        jumlah = {s.pk: s.usulan.count() for s in ada.values()}
        if jumlah[ada[2026].pk] == n_kecil and jumlah[ada[2027].pk] == n_besar:
            return ada[2026].pk, ada[2027].pk
        raise SystemExit(f"{NAMA_DB} holds other sizes; run once without --simpan to drop it")
    desa = list(Wilayah.objects.filter(tingkat=Tingkat.DESA_KELURAHAN, induk__induk=karimun).values_list("pk", "induk"))
    bidang = Bidang.objects.get(kode="05.01").pk
    alasan = AlasanKode.objects.get(kode="lokasi-tidak-jelas").pk
    pengguna = factories.buat_pengguna("bench_warga")
    bappeda = factories.buat_pengguna("bench_bappeda")
    factories.buat_penugasan(bappeda, Peran.BAPPEDA, wilayah=karimun)
    hasil = []
    for tahun, n, aktif in ((2026, n_kecil, False), (2027, n_besar, True)):
        siklus = factories.buat_siklus(karimun, tahun=tahun, aktif=aktif)
        mulai = time.perf_counter()
        with transaction.atomic(), connection.cursor() as kursor:
            parameter = {
                "tahun": str(tahun),
                "siklus": siklus.pk,
                "pengguna": pengguna.pk,
                "bidang": bidang,
                "desa": [d for d, _ in desa],
                "kecamatan": [k for _, k in desa],
                "jumlah_desa": len(desa),
                "n": n,
                "alasan": alasan,
            }
            kursor.execute(_SQL_USULAN, parameter)
            kursor.execute(_SQL_RIWAYAT, parameter)
        with connection.cursor() as kursor:
            kursor.execute("ANALYZE usulan_usulan; ANALYZE usulan_riwayatstatus")
        print(f"seed_{n}_seconds: {time.perf_counter() - mulai:.1f} s")
        hasil.append(siklus.pk)
    return hasil[0], hasil[1]


def _status_kib(kunci: str) -> int:
    teks = Path("/proc/self/status").read_text()
    return int(teks.split(f"{kunci}:", 1)[1].split()[0])


def _anak(format: str, siklus: int) -> None:
    """Run one download in this fresh interpreter and print `seconds first_byte bytes peak_mb`."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    from dasbor import sipd
    from data_terbuka import views

    tampilan = {
        "csv": views.unduh_csv,
        "geojson": views.unduh_geojson,
        "xlsx": views.unduh_xlsx,
        "sipd": sipd.unduh_sipd,
    }[format]
    pabrik = RequestFactory()
    bappeda = get_user_model().objects.get(username="bench_bappeda")

    def jalankan(query: dict[str, str]) -> tuple[float, float, int]:
        permintaan = pabrik.get("/data/", query)
        permintaan.user = bappeda
        mulai = time.perf_counter()
        respons = tampilan(permintaan)
        pertama = None
        ukuran = 0
        for potongan in respons.streaming_content:
            if pertama is None:
                pertama = time.perf_counter() - mulai
            ukuran += len(potongan)
        respons.close()
        return time.perf_counter() - mulai, pertama or 0.0, ukuran

    jalankan({"siklus": str(siklus), "q": "tidak-ada-yang-cocok"})  # imports, connection, caches
    try:
        # Reset the high-water mark (Linux >= 4.0) so only the download itself counts.
        Path("/proc/self/clear_refs").write_text("5")
        sebelum = _status_kib("VmRSS")
        detik, pertama, ukuran = jalankan({"siklus": str(siklus)})
        sesudah = _status_kib("VmHWM")
    except OSError:
        sebelum = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        detik, pertama, ukuran = jalankan({"siklus": str(siklus)})
        sesudah = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{detik:.2f} {pertama:.3f} {ukuran} {(sesudah - sebelum) / 1024:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200_000, help="proposals in the active round (default 200000)")
    parser.add_argument("--kecil", type=int, default=20_000, help="proposals in the small round (default 20000)")
    parser.add_argument("--format", nargs="+", choices=FORMAT, default=list(FORMAT))
    parser.add_argument("--simpan", action="store_true", help=f"keep the {NAMA_DB} database for the next run")
    parser.add_argument("--anak", nargs=2, metavar=("FORMAT", "SIKLUS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = _url_db(NAMA_DB)
    if args.anak:
        _anak(args.anak[0], int(args.anak[1]))
        return

    _buat_database()
    try:
        import django

        django.setup()
        kecil, besar = _isi(args.n, args.kecil)
        from django.db import connection

        connection.close()
        for format in args.format:
            for siklus, n in ((kecil, args.kecil), (besar, args.n)):
                keluaran = subprocess.run(
                    [sys.executable, __file__, "--anak", format, str(siklus)],
                    capture_output=True,
                    text=True,
                    check=True,
                    timeout=3600,
                ).stdout.split()
                detik, pertama, ukuran, puncak = keluaran[-4:]
                print(f"{format}_{n}_seconds: {detik} s")
                print(f"{format}_{n}_first_byte: {pertama} s")
                print(f"{format}_{n}_bytes: {int(ukuran) / 1e6:.2f} MB")
                print(f"{format}_{n}_peak_memory: {puncak} MB")
    finally:
        if not args.simpan:
            from django.db import connections

            connections.close_all()
            _hapus_database()


if __name__ == "__main__":
    main()
