"""History rows are append-only: PostgreSQL itself refuses UPDATE and DELETE on them."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION usulan_riwayat_tolak_ubah() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'riwayat status tidak boleh diubah atau dihapus (% pada baris %)', TG_OP, OLD.id
    USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER usulan_riwayat_tidak_bisa_diubah
  BEFORE UPDATE OR DELETE ON usulan_riwayatstatus
  FOR EACH ROW EXECUTE FUNCTION usulan_riwayat_tolak_ubah();
"""

SQL_MUNDUR = """
DROP TRIGGER IF EXISTS usulan_riwayat_tidak_bisa_diubah ON usulan_riwayatstatus;
DROP FUNCTION IF EXISTS usulan_riwayat_tolak_ubah();
"""


class Migration(migrations.Migration):
    dependencies = [("usulan", "0001_usulan_foto_riwayat")]
    operations = [migrations.RunSQL(SQL, SQL_MUNDUR)]
