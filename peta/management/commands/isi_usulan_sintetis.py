"""manage.py isi_usulan_sintetis: fill the database with N realistic, clearly synthetic proposals.

For load tests and benchmarks of the public map, never for a production database: the rows cannot be
removed again one by one (their history is append-only), so use a database of their own.

    manage.py isi_usulan_sintetis --jumlah 100000
    manage.py isi_usulan_sintetis --jumlah 1000000 --batas ../shared/data/wilayah/batas/kabkota_indonesia.geojson

Without --batas the points fall inside the deployment's own desa/kelurahan polygons (so every row has
its real desa and kecamatan). With --batas (a GeoJSON of kabupaten/kota polygons, properties kode,
nama, kode_induk, provinsi) the command first creates, per polygon, the province and kabupaten/kota
when missing and one synthetic kecamatan `<kode>.99` and desa `<kode>.99.9999` covering the whole
polygon (repaired with ST_MakeValid; `sumber` says "sintetis"), then spreads the points over them.

What marks a row as synthetic: tracking codes `SIN-<tahun>-<nomor>`, the account `sintetis` (inactive,
no password) as sender and actor, and "(data sintetis)" as the proposer's name.

Everything is generated inside PostgreSQL: one INSERT … SELECT per batch draws the points with
ST_GeneratePoints inside the polygons and the status, sector, volume, dates and reasons with random();
the same statement writes the history row carrying the published reason. The map's aggregate trigger
runs once per batch statement. The same --benih gives the same rows.
"""

# ruff: noqa: S608 - SQL_BATCH embeds only the constant status mix; all values are query parameters.
from __future__ import annotations

import datetime
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from musrenbang.models import AlasanKode, Bidang, Siklus, Tingkat, Wilayah
from musrenbang.selectors import LokasiTidakValid, kabkota_deployment

if TYPE_CHECKING:
    from musrenbang.models import Pengguna

AWALAN_KODE = "SIN"
SUMBER = "sintetis: manage.py isi_usulan_sintetis"
NAMA_PENGUSUL = "Warga (data sintetis)"

# (title, sub-fungsi code, unit, min volume, max volume, unit price in Rp, implementing OPD)
TEMPLAT = [
    ("Semenisasi jalan lingkungan", "05.01", "meter", 50, 500, 450_000, "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("Pembangunan drainase", "05.01", "meter", 50, 400, 750_000, "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("Perbaikan jembatan kayu", "05.01", "unit", 1, 2, 85_000_000, "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("Turap penahan tanah", "05.01", "meter", 20, 150, 2_500_000, "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("Lampu penerangan jalan", "03.08", "titik", 5, 30, 4_500_000, "Dinas Perhubungan"),
    ("Sumur bor air bersih", "05.02", "unit", 1, 3, 35_000_000, "Dinas Perumahan dan Kawasan Permukiman"),
    (
        "Rehabilitasi rumah tidak layak huni",
        "05.02",
        "unit",
        1,
        10,
        20_000_000,
        "Dinas Perumahan dan Kawasan Permukiman",
    ),
    ("Pembangunan posyandu", "06.01", "unit", 1, 1, 150_000_000, "Dinas Kesehatan"),
    ("Pemberian makanan tambahan balita", "06.01", "paket", 50, 300, 75_000, "Dinas Kesehatan"),
    ("Pelatihan kader kesehatan", "06.01", "orang", 10, 40, 500_000, "Dinas Kesehatan"),
    ("Rehabilitasi ruang kelas SD", "08.01", "ruang", 1, 4, 120_000_000, "Dinas Pendidikan"),
    ("Buku bacaan perpustakaan desa", "08.03", "paket", 1, 5, 10_000_000, "Dinas Perpustakaan dan Kearsipan"),
    ("Lapangan olahraga", "08.02", "unit", 1, 1, 200_000_000, "Dinas Pemuda dan Olahraga"),
    ("Pelatihan menjahit ibu-ibu PKK", "09.02", "orang", 10, 30, 1_500_000, "Dinas Pemberdayaan Perempuan"),
    ("Bantuan alat tangkap nelayan", "03.09", "paket", 5, 40, 5_000_000, "Dinas Perikanan"),
    ("Bantuan bibit dan pupuk", "03.06", "paket", 10, 100, 750_000, "Dinas Pertanian"),
    ("Pelatihan pemasaran daring UMKM", "03.03", "orang", 10, 40, 1_000_000, "Dinas Koperasi dan UKM"),
    ("Pembangunan tambatan perahu", "03.01", "unit", 1, 1, 250_000_000, "Dinas Perhubungan"),
    ("Penanaman mangrove", "04.02", "batang", 500, 5000, 15_000, "Dinas Lingkungan Hidup"),
    ("Bank sampah", "04.02", "unit", 1, 1, 50_000_000, "Dinas Lingkungan Hidup"),
    ("Jalan usaha tani", "03.06", "meter", 100, 1000, 350_000, "Dinas Pertanian"),
    ("Pos kamling", "02.02", "unit", 1, 2, 25_000_000, "Satuan Polisi Pamong Praja"),
    ("Tanggul penahan banjir", "09.06", "meter", 20, 200, 2_000_000, "Badan Penanggulangan Bencana Daerah"),
]

# Public status mix of a round after the Bappeda decisions (cumulative bounds for random()).
CAMPURAN_STATUS = [
    ("diajukan", 0.10),
    ("dikembalikan", 0.05),
    ("lolos_desa", 0.10),
    ("lolos_kecamatan", 0.15),
    ("diterima", 0.27),
    ("ditolak", 0.25),
    ("digabung", 0.05),
    ("ditarik", 0.03),
]

CATATAN_ALASAN = [
    "Hasil peninjauan lapangan bersama perangkat desa.",
    "Sesuai berita acara musyawarah.",
    "Lokasi perlu dipastikan dengan titik koordinat dan foto terbaru.",
    "Usulan serupa sudah masuk dari RT tetangga.",
    "Kegiatan ini sudah dianggarkan melalui dana desa tahun berjalan.",
    "Volume perlu disesuaikan dengan kondisi di lapangan.",
    "Menunggu kejelasan status lahan.",
    "Prioritas tahun ini pada infrastruktur dasar.",
]


@dataclass(frozen=True)
class Area:
    desa_id: int
    kecamatan_id: int


def _status_sql() -> str:
    """A CASE expression that turns the row's r_status (random) into a public status."""
    batas, bagian = 0.0, []
    for status, bobot in CAMPURAN_STATUS:
        batas += bobot
        bagian.append(f"WHEN r_status < {batas:.4f} THEN '{status}'")
    return "CASE " + " ".join(bagian[:-1]) + f" ELSE '{CAMPURAN_STATUS[-1][0]}' END"


SQL_BATCH = f"""
WITH area AS (
  SELECT * FROM unnest(%(desa)s::bigint[], %(kecamatan)s::bigint[], %(jumlah)s::int[], %(benih)s::int[])
    AS a(desa_id, kecamatan_id, jumlah, benih)
), calon AS (
  -- ST_GeneratePoints may return a few points fewer than asked in complex polygons: ask for more,
  -- keep exactly `jumlah` per area.
  SELECT a.desa_id, a.kecamatan_id, a.jumlah, w.nama AS desa_nama, d.path[1] AS urut, d.geom AS lokasi
  FROM area a JOIN musrenbang_wilayah w ON w.id = a.desa_id
  CROSS JOIN LATERAL ST_Dump(ST_GeneratePoints(w.batas, a.jumlah + a.jumlah / 20 + 10, a.benih)) AS d
  WHERE a.jumlah > 0
), titik AS (
  SELECT desa_id, kecamatan_id, desa_nama, lokasi FROM calon WHERE urut <= jumlah
), acak AS (
  SELECT t.*, row_number() OVER () AS nomor, random() AS r_status,
         1 + floor(random() * %(n_templat)s)::int AS tp,
         random() AS r_volume, random() AS r_waktu, random() AS r_ubah, random() AS r_alasan, random() AS r_catatan,
         random() AS r_peran, 1 + floor(random() * 15)::int AS rt, 1 + floor(random() * 6)::int AS rw,
         1 + floor(random() * 7)::int AS jenis
  FROM titik t
), baris AS (
  SELECT acak.*, {_status_sql()} AS status,
         round((%(vol_min)s::numeric[])[tp]
               + r_volume * ((%(vol_maks)s::numeric[])[tp] - (%(vol_min)s::numeric[])[tp])) AS volume,
         %(mulai)s::timestamptz + r_waktu * (%(selesai)s::timestamptz - %(mulai)s::timestamptz) AS dibuat
  FROM acak
), baru AS (
  INSERT INTO usulan_usulan (
    kode_lacak, siklus_id, pengguna_id, dicatat_oleh_id, jenis_pengusul, nama_pengusul, kontak_pengusul,
    tampilkan_nama, judul, permasalahan, uraian, bidang_id, kamus_id, volume, satuan, perkiraan_biaya,
    alamat, dusun, rt, rw, lokasi, desa_id, kecamatan_id, peringkat_desa, peringkat_kecamatan,
    digabung_ke_id, status, status_publik, dibuat, diperbarui)
  SELECT '{AWALAN_KODE}-' || %(tahun)s || '-' || lpad((%(nomor_awal)s + nomor)::text, 7, '0'),
         %(siklus)s, %(pengguna)s, NULL,
         (ARRAY['warga','rt','rw','lpm','pkk','karang_taruna','lainnya'])[jenis],
         %(nama_pengusul)s, '', false,
         left((%(judul)s::text[])[tp] || ' RT ' || lpad(rt::text, 2, '0') || ' ' || desa_nama, 150),
         'Warga mengeluhkan kondisi saat ini di RT ' || lpad(rt::text, 2, '0') || ' ' || desa_nama || '.',
         (%(judul)s::text[])[tp] || ' sesuai hasil musyawarah warga.',
         (%(bidang)s::bigint[])[tp], NULL, volume, (%(satuan)s::text[])[tp],
         volume * (%(harga)s::numeric[])[tp],
         'RT ' || lpad(rt::text, 3, '0') || '/RW ' || lpad(rw::text, 3, '0') || ', ' || desa_nama, '',
         lpad(rt::text, 3, '0'), lpad(rw::text, 3, '0'), lokasi, desa_id, kecamatan_id, NULL, NULL, NULL,
         status, status, dibuat, least(dibuat + r_ubah * interval '60 days', now())
  FROM baris
  ORDER BY nomor
  RETURNING id, status_publik, bidang_id, diperbarui
), riwayat AS (
  SELECT b.*, random() AS r_alasan, random() AS r_catatan, random() AS r_peran,
         array_position(%(bidang)s::bigint[], b.bidang_id) AS tp
  FROM baru b WHERE b.status_publik <> 'diajukan'
), tulis_riwayat AS (
INSERT INTO usulan_riwayatstatus (
  usulan_id, aksi, dari_status, ke_status, pelaku_id, peran, alasan_kode_id, catatan, publik, di_luar_jadwal, waktu)
SELECT r.id,
       CASE r.status_publik WHEN 'dikembalikan' THEN 'kembalikan' WHEN 'lolos_desa' THEN 'teruskan'
            WHEN 'lolos_kecamatan' THEN 'teruskan' WHEN 'diterima' THEN 'terbitkan' WHEN 'ditolak' THEN 'tolak'
            WHEN 'digabung' THEN 'gabungkan' ELSE 'tarik' END,
       CASE r.status_publik WHEN 'lolos_kecamatan' THEN 'lolos_desa' WHEN 'diterima' THEN 'diterima'
            WHEN 'ditolak' THEN (ARRAY['diajukan','lolos_desa','diterima'])[1 + floor(r.r_peran * 3)::int]
            ELSE 'diajukan' END,
       r.status_publik, %(pengguna)s,
       CASE r.status_publik WHEN 'lolos_kecamatan' THEN 'kecamatan' WHEN 'diterima' THEN 'bappeda'
            WHEN 'ditarik' THEN 'pengusul'
            WHEN 'ditolak' THEN (ARRAY['desa','kecamatan','bappeda'])[1 + floor(r.r_peran * 3)::int]
            ELSE 'desa' END,
       CASE WHEN r.status_publik = 'digabung' THEN %(alasan_duplikat)s
            WHEN r.status_publik IN ('dikembalikan', 'ditolak')
            THEN (%(alasan)s::bigint[])[1 + floor(r.r_alasan * cardinality(%(alasan)s::bigint[]))::int] END,
       CASE WHEN r.status_publik = 'diterima'
            THEN 'Diterima dalam RKPD ' || %(tahun)s || ', dilaksanakan ' || (%(opd)s::text[])[r.tp] || '.'
            WHEN r.status_publik IN ('dikembalikan', 'ditolak', 'digabung')
            THEN (%(catatan)s::text[])[1 + floor(r.r_catatan * cardinality(%(catatan)s::text[]))::int]
            ELSE '' END,
       true, false, r.diperbarui
FROM riwayat r
RETURNING 1
)
SELECT (SELECT count(*) FROM baru), (SELECT count(*) FROM tulis_riwayat)
"""


class Command(BaseCommand):
    help = (
        "Isi basis data dengan N usulan sintetis yang realistis (kode SIN-…) di dalam batas wilayah nyata, "
        "untuk uji beban peta. Jangan dipakai pada basis data produksi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jumlah", type=int, required=True, help="banyak usulan yang dibuat")
        parser.add_argument("--batas", type=Path, help="GeoJSON batas kabupaten/kota (mode nasional)")
        parser.add_argument("--siklus-tahun", type=int, help="tahun siklus (bawaan: siklus aktif, atau tahun depan)")
        parser.add_argument("--benih", type=int, default=1, help="benih acak (sama = data sama)")
        parser.add_argument("--ukuran-batch", type=int, default=100_000, help="baris per pernyataan INSERT")

    def handle(self, *args: Any, **opts: Any) -> None:
        jumlah: int = opts["jumlah"]
        if jumlah < 1:
            raise CommandError("--jumlah harus lebih dari 0.")
        if opts["ukuran_batch"] < 1:
            raise CommandError("--ukuran-batch harus lebih dari 0.")
        try:
            kabkota = kabkota_deployment()
        except LokasiTidakValid as exc:
            raise CommandError(str(exc)) from None
        acak = random.Random(opts["benih"])  # noqa: S311 - test data, not security
        mulai_waktu = time.monotonic()
        siklus = self._siklus(kabkota, opts["siklus_tahun"])
        pengguna = self._pengguna()
        if opts["batas"]:
            area = self._area_nasional(opts["batas"])
        else:
            pasangan: list[tuple[int, int]] = list(
                Wilayah.objects.filter(
                    tingkat=Tingkat.DESA_KELURAHAN, induk__induk=kabkota, batas__isnull=False
                ).values_list("pk", "induk_id")
            )
            area = [Area(desa_id=d, kecamatan_id=k) for d, k in pasangan]
        if not area:
            raise CommandError("Tidak ada desa/kelurahan dengan batas wilayah. Jalankan impor_wilayah dulu.")
        self.stdout.write(f"Siklus {siklus.tahun} (id {siklus.pk}), {len(area)} area, {jumlah} usulan.")

        bobot = [0.5 + acak.random() for _ in area]
        total_bobot = sum(bobot)
        bagian = [int(jumlah * b / total_bobot) for b in bobot]
        for i in acak.sample(range(len(area)), jumlah - sum(bagian)):
            bagian[i] += 1

        param_tetap = self._param_tetap(siklus, pengguna.pk)
        nomor_awal = self._nomor_terakhir(siklus.tahun)
        dibuat = 0
        batch: list[tuple[Area, int]] = []
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(opts["benih"] % 1000) / 1000])
            for i, (a, n) in enumerate(zip(area, bagian, strict=True)):
                if n:
                    batch.append((a, n))
                if batch and (sum(n for _a, n in batch) >= opts["ukuran_batch"] or i == len(area) - 1):
                    jml = sum(n for _a, n in batch)
                    t0 = time.monotonic()
                    with transaction.atomic():
                        # The batch's sort and the trigger's grouping stay in memory instead of spilling.
                        cursor.execute("SET LOCAL work_mem = '256MB'")
                        cursor.execute(
                            SQL_BATCH,
                            {
                                **param_tetap,
                                "desa": [a.desa_id for a, _n in batch],
                                "kecamatan": [a.kecamatan_id for a, _n in batch],
                                "jumlah": [n for _a, n in batch],
                                # ST_GeneratePoints wants a positive 32-bit seed.
                                "benih": [(opts["benih"] * 100_003 + a.desa_id) % 2_000_000_000 + 1 for a, _n in batch],
                                "nomor_awal": nomor_awal + dibuat,
                            },
                        )
                        jml = cursor.fetchone()[0]
                    dibuat += jml
                    batch = []
                    self.stdout.write(
                        f"  {dibuat}/{jumlah} ({jml / max(time.monotonic() - t0, 1e-6):,.0f} baris/detik)"
                    )
            # Fresh statistics, so the planner knows the new sizes (autovacuum would take a while).
            cursor.execute("ANALYZE usulan_usulan")
            cursor.execute("ANALYZE usulan_riwayatstatus")
            cursor.execute("ANALYZE peta_agregat")
        durasi = time.monotonic() - mulai_waktu
        self.stdout.write(
            self.style.SUCCESS(
                f"Selesai: {dibuat} usulan sintetis dalam {durasi:.1f} detik ({dibuat / durasi:,.0f}/detik)."
            )
        )

    # --- set-up ------------------------------------------------------------------------------
    def _siklus(self, kabkota: Wilayah, tahun: int | None) -> Siklus:
        if tahun is None:
            aktif = Siklus.objects.filter(kabkota=kabkota, aktif=True).first()
            if aktif is not None:
                return aktif
            tahun = timezone.now().year + 1
        siklus, dibuat = Siklus.objects.get_or_create(
            kabkota=kabkota,
            tahun=tahun,
            defaults={"aktif": not Siklus.objects.filter(kabkota=kabkota, aktif=True).exists()},
        )
        if dibuat:
            self.stdout.write(f"Siklus {tahun} dibuat.")
        return siklus

    def _pengguna(self) -> Pengguna:
        pengguna, dibuat = get_user_model().objects.get_or_create(
            username="sintetis", defaults={"nama_lengkap": "Data sintetis", "is_active": False}
        )
        if dibuat:
            pengguna.set_unusable_password()
            pengguna.save(update_fields=["password"])
        return pengguna

    def _nomor_terakhir(self, tahun: int) -> int:
        awalan = f"{AWALAN_KODE}-{tahun}-"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT max(substring(kode_lacak FROM %s)::int) FROM usulan_usulan WHERE kode_lacak LIKE %s",
                [len(awalan) + 1, awalan + "%"],
            )
            return cursor.fetchone()[0] or 0

    def _param_tetap(self, siklus: Siklus, pengguna_id: int) -> dict[str, Any]:
        bidang = dict(Bidang.objects.filter(kode__in={t[1] for t in TEMPLAT}).values_list("kode", "pk"))
        hilang = {t[1] for t in TEMPLAT} - set(bidang)
        if hilang:
            raise CommandError(f"Bidang belum dimuat: {', '.join(sorted(hilang))} (jalankan migrate).")
        alasan = dict(AlasanKode.objects.filter(aktif=True).values_list("kode", "pk"))
        if not alasan:
            raise CommandError("Kode alasan belum dimuat (jalankan migrate).")
        mulai, selesai = self._jendela_waktu(siklus.tahun)
        return {
            "n_templat": len(TEMPLAT),
            "judul": [t[0] for t in TEMPLAT],
            "bidang": [bidang[t[1]] for t in TEMPLAT],
            "satuan": [t[2] for t in TEMPLAT],
            "vol_min": [t[3] for t in TEMPLAT],
            "vol_maks": [t[4] for t in TEMPLAT],
            "harga": [t[5] for t in TEMPLAT],
            "opd": [t[6] for t in TEMPLAT],
            "alasan": [pk for kode, pk in alasan.items() if kode != "duplikat"] or list(alasan.values()),
            "alasan_duplikat": alasan.get("duplikat", next(iter(alasan.values()))),
            "catatan": CATATAN_ALASAN,
            "tahun": str(siklus.tahun),
            "siklus": siklus.pk,
            "pengguna": pengguna_id,
            "nama_pengusul": NAMA_PENGUSUL,
            "mulai": mulai,
            "selesai": selesai,
        }

    @staticmethod
    def _jendela_waktu(tahun: int) -> tuple[datetime.datetime, datetime.datetime]:
        """Submissions of round `tahun` come in January–April of the year before; never in the future."""
        sekarang = timezone.now()
        mulai = datetime.datetime(tahun - 1, 1, 5, tzinfo=datetime.UTC)
        selesai = min(datetime.datetime(tahun - 1, 4, 30, tzinfo=datetime.UTC), sekarang)
        if selesai <= mulai:
            mulai, selesai = sekarang - datetime.timedelta(days=90), sekarang
        return mulai, selesai

    def _area_nasional(self, berkas: Path) -> list[Area]:
        """One synthetic kecamatan + desa per kabupaten/kota polygon of the file (created if missing)."""
        if not berkas.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {berkas}")
        try:
            fitur = json.loads(berkas.read_text(encoding="utf-8"))["features"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"{berkas}: bukan GeoJSON FeatureCollection ({exc}).") from None
        area: list[Area] = []
        with transaction.atomic(), connection.cursor() as cursor:
            for nomor, f in enumerate(fitur, start=1):
                p = f.get("properties") or {}
                kode, nama = str(p.get("kode") or ""), str(p.get("nama") or "")
                if not f.get("geometry") or kode.count(".") != 1:
                    raise CommandError(f"{berkas} fitur {nomor}: perlu geometri dan properti kode PP.KK.")
                kode_prov = str(p.get("kode_induk") or kode.split(".")[0])
                prov, _ = Wilayah.objects.get_or_create(
                    kode=kode_prov,
                    defaults={
                        "nama": str(p.get("provinsi") or kode_prov),
                        "tingkat": Tingkat.PROVINSI,
                        "sumber": SUMBER,
                    },
                )
                kab, _ = Wilayah.objects.get_or_create(
                    kode=kode,
                    defaults={"nama": nama, "tingkat": Tingkat.KABUPATEN_KOTA, "induk": prov, "sumber": SUMBER},
                )
                geom = json.dumps(f["geometry"])
                ids: list[int] = []
                for kode_baru, tingkat, induk_id in (
                    (f"{kode}.99", Tingkat.KECAMATAN, kab.pk),
                    (f"{kode}.99.9999", Tingkat.DESA_KELURAHAN, None),
                ):
                    cursor.execute(
                        """
                        INSERT INTO musrenbang_wilayah (kode, nama, tingkat, induk_id, batas, sumber, diperbarui)
                        VALUES (%s, %s, %s, %s,
                                ST_Multi(ST_CollectionExtract(
                                    ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)), 3)),
                                %s, now())
                        ON CONFLICT (kode) DO UPDATE SET batas = EXCLUDED.batas, diperbarui = now()
                        RETURNING id
                        """,
                        [kode_baru, f"{nama} (sintetis)", tingkat, induk_id or ids[0], geom, SUMBER],
                    )
                    ids.append(cursor.fetchone()[0])
                area.append(Area(desa_id=ids[1], kecamatan_id=ids[0]))
        self.stdout.write(f"{len(area)} kabupaten/kota dari {berkas.name} disiapkan.")
        return area
