"""Keep peta_agregat exact: grid-cell functions, statement-level triggers on usulan_usulan, a rebuild
function, and the first fill from the proposals already stored.

The triggers are FOR EACH STATEMENT with transition tables, so a bulk INSERT of 100 000 proposals
updates the aggregates with one grouped upsert per statement instead of 100 000 row triggers, while a
single proposal costs one small upsert (8 zoom levels). UPDATE triggers cannot name columns when they
use transition tables, so the UPDATE trigger compares old and new rows itself and ignores changes that
do not move a proposal between cells (only siklus, bidang, public status and location matter).

Upserts change only count columns, none of them indexed, so PostgreSQL updates the rows in place
(HOT, with room left by fillfactor 80) without touching any index. A cell emptied by an UPDATE or
DELETE is found through the upsert's RETURNING and deleted at once by primary key.

The triggers fire on usulan's table but write only peta's, and exist only for the map: they belong to
peta, which owns what they maintain (usulan does not know the map exists; without peta there is
nothing for them to keep).

The status list and the zoom range are written out here on purpose (a migration must not change when
the code does); tests/peta/test_agregat_tepat.py checks they still match peta.models.
"""

from django.db import migrations

STATUS = ("diajukan", "dikembalikan", "lolos_desa", "lolos_kecamatan", "diterima", "ditolak", "digabung", "ditarik")
ZOOM_MIN, ZOOM_MAKS = 4, 11
SEL_PX = 60

FUNGSI_SEL = f"""
-- The ~{SEL_PX} px grid cell of a longitude/latitude at a zoom level (Web Mercator, 256 px tiles).
-- Plain SQL expressions, IMMUTABLE: PostgreSQL inlines them into the queries that call them.
CREATE OR REPLACE FUNCTION peta_sel_x(lon double precision, zoom integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT floor((lon + 180.0) / 360.0 * 256.0 * power(2.0, zoom) / {SEL_PX}.0)::integer
$$;
CREATE OR REPLACE FUNCTION peta_sel_y(lat double precision, zoom integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT floor((1.0 - asinh(tan(radians(least(greatest(lat, -85.0511), 85.0511)))) / pi())
               / 2.0 * 256.0 * power(2.0, zoom) / {SEL_PX}.0)::integer
$$;
"""

KOLOM = ", ".join(f"n_{s}, x_{s}, y_{s}" for s in STATUS)
NILAI = ",\n       ".join(
    f"coalesce(sum(s.tanda) FILTER (WHERE s.status_publik = '{s}'), 0), "
    f"coalesce(sum(s.tanda * s.x) FILTER (WHERE s.status_publik = '{s}'), 0), "
    f"coalesce(sum(s.tanda * s.y) FILTER (WHERE s.status_publik = '{s}'), 0)"
    for s in STATUS
)
TAMBAH = ",\n  ".join(
    f"n_{s} = a.n_{s} + EXCLUDED.n_{s}, x_{s} = a.x_{s} + EXCLUDED.x_{s}, y_{s} = a.y_{s} + EXCLUDED.y_{s}"
    for s in STATUS
)


def upsert(sumber: str, *, kembalikan_kosong: bool = False) -> str:
    """Add the rows of `sumber` (siklus_id, bidang_id, status_publik, lon, lat, x, y, tanda) to the
    cells of every prepared zoom; tanda is +1 for a proposal that arrives, -1 for one that leaves.
    Ordered by key so concurrent statements lock cells in the same order."""
    return f"""
INSERT INTO peta_agregat AS a (zoom, siklus_id, bidang_id, sel_x, sel_y, {KOLOM}, diperbarui)
SELECT z.zoom, s.siklus_id, s.bidang_id, peta_sel_x(s.lon, z.zoom), peta_sel_y(s.lat, z.zoom),
       {NILAI},
       now()
FROM ({sumber}) AS s
CROSS JOIN generate_series({ZOOM_MIN}, {ZOOM_MAKS}) AS z(zoom)
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 4, 5, 3
ON CONFLICT (zoom, siklus_id, sel_x, sel_y, bidang_id) DO UPDATE SET
  {TAMBAH},
  diperbarui = EXCLUDED.diperbarui""" + (" RETURNING id, jumlah" if kembalikan_kosong else "")


def upsert_lalu_bersihkan(sumber: str) -> str:
    """The upsert for proposals that may leave a cell: delete the cells it emptied (by primary key)."""
    return f"""
  WITH tersentuh AS ({upsert(sumber, kembalikan_kosong=True)})
  SELECT array_agg(id) INTO kosong FROM tersentuh WHERE jumlah = 0;
  IF kosong IS NOT NULL THEN
    DELETE FROM peta_agregat WHERE id = ANY(kosong);
  END IF"""


def baris(tabel: str, tanda: int) -> str:
    return (
        f"SELECT {tabel}.siklus_id, {tabel}.bidang_id, {tabel}.status_publik, "
        f"ST_X({tabel}.lokasi) AS lon, ST_Y({tabel}.lokasi) AS lat, "
        f"round(ST_X({tabel}.lokasi) * 1e6)::bigint AS x, round(ST_Y({tabel}.lokasi) * 1e6)::bigint AS y, "
        f"{tanda} AS tanda FROM"
    )


BERUBAH = (
    "lama.siklus_id IS DISTINCT FROM baru.siklus_id OR lama.bidang_id IS DISTINCT FROM baru.bidang_id "
    "OR lama.status_publik IS DISTINCT FROM baru.status_publik "
    "OR ST_X(lama.lokasi) IS DISTINCT FROM ST_X(baru.lokasi) OR ST_Y(lama.lokasi) IS DISTINCT FROM ST_Y(baru.lokasi)"
)

PEMICU = f"""
CREATE OR REPLACE FUNCTION peta_agregat_sisip() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {upsert(baris("baru", 1) + " baru")};
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION peta_agregat_ubah() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kosong bigint[];
BEGIN
  {upsert_lalu_bersihkan(
    baris("lama", -1) + f" lama JOIN baru USING (id) WHERE {BERUBAH}"
    + " UNION ALL "
    + baris("baru", 1) + f" baru JOIN lama USING (id) WHERE {BERUBAH}"
)};
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION peta_agregat_hapus() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kosong bigint[];
BEGIN
  {upsert_lalu_bersihkan(baris("lama", -1) + " lama")};
  RETURN NULL;
END $$;

-- TRUNCATE fires no DELETE trigger (Django's test flush truncates every table).
CREATE OR REPLACE FUNCTION peta_agregat_kosongkan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM peta_agregat;
  RETURN NULL;
END $$;

-- Rebuild from scratch (manage.py bangun_agregat_peta): writers wait meanwhile, so nothing is missed.
CREATE OR REPLACE FUNCTION peta_agregat_bangun_ulang() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  LOCK TABLE usulan_usulan IN SHARE MODE;
  DELETE FROM peta_agregat;
  {upsert(baris("u", 1) + " usulan_usulan u")};
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END $$;

ALTER TABLE peta_agregat SET (fillfactor = 80);

CREATE TRIGGER peta_agregat_sisip AFTER INSERT ON usulan_usulan
  REFERENCING NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION peta_agregat_sisip();
CREATE TRIGGER peta_agregat_ubah AFTER UPDATE ON usulan_usulan
  REFERENCING OLD TABLE AS lama NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION peta_agregat_ubah();
CREATE TRIGGER peta_agregat_hapus AFTER DELETE ON usulan_usulan
  REFERENCING OLD TABLE AS lama FOR EACH STATEMENT EXECUTE FUNCTION peta_agregat_hapus();
CREATE TRIGGER peta_agregat_kosongkan AFTER TRUNCATE ON usulan_usulan
  FOR EACH STATEMENT EXECUTE FUNCTION peta_agregat_kosongkan();

SELECT peta_agregat_bangun_ulang();
"""

MUNDUR = """
DROP TRIGGER IF EXISTS peta_agregat_sisip ON usulan_usulan;
DROP TRIGGER IF EXISTS peta_agregat_ubah ON usulan_usulan;
DROP TRIGGER IF EXISTS peta_agregat_hapus ON usulan_usulan;
DROP TRIGGER IF EXISTS peta_agregat_kosongkan ON usulan_usulan;
DROP FUNCTION IF EXISTS peta_agregat_sisip();
DROP FUNCTION IF EXISTS peta_agregat_ubah();
DROP FUNCTION IF EXISTS peta_agregat_hapus();
DROP FUNCTION IF EXISTS peta_agregat_kosongkan();
DROP FUNCTION IF EXISTS peta_agregat_bangun_ulang();
DROP FUNCTION IF EXISTS peta_sel_x(double precision, integer);
DROP FUNCTION IF EXISTS peta_sel_y(double precision, integer);
DELETE FROM peta_agregat;
ALTER TABLE peta_agregat RESET (fillfactor);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("peta", "0001_agregat_peta"),
        ("usulan", "0003_peringkat_gabung_jadwal"),
    ]
    operations = [migrations.RunSQL(FUNGSI_SEL + PEMICU, MUNDUR)]
