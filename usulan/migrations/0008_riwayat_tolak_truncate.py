"""History rows cannot be wiped with TRUNCATE while the proposals they record still exist.

usulan 0002 refuses UPDATE and DELETE row by row, but TRUNCATE fires no row trigger, so
`TRUNCATE usulan_riwayatstatus` would silently erase every proposal's history. This adds a
statement-level AFTER TRUNCATE trigger that rolls the statement back unless usulan_usulan is empty by
then, i.e. unless the proposals were emptied in the same statement.

Why not refuse every TRUNCATE: emptying the whole dataset (`manage.py flush`, which pytest-django's
transactional tests run after each test) truncates every table in one statement. That erases no
surviving proposal's record: a proposal either keeps its full history or no longer exists. A
bypass switch (a session setting only the tests set) would make the guard something the test suite
does not exercise as production runs it, so the rule here is the same everywhere. As with every
trigger, the table owner can still drop or disable it; the guard is against application code and
mistakes, not against the owner.

AFTER, not BEFORE: BEFORE TRUNCATE triggers of a multi-table TRUNCATE all fire before any table is
emptied, in an order Django's flush does not fix, so only an AFTER trigger can see whether the
proposals went too. Raising there rolls the whole TRUNCATE back (TRUNCATE is transactional).

A guard lives with the table it guards: it was first written in verifikasi 0005 (now empty), but both
tables it reads are usulan's, beside the row guard of usulan 0002. A database that ran verifikasi 0005
loses that trigger here and gets this one in the same transaction, so it is never unguarded.
"""

from django.db import migrations

SQL = """
DROP TRIGGER IF EXISTS verifikasi_riwayat_tidak_bisa_dikosongkan ON usulan_riwayatstatus;
DROP FUNCTION IF EXISTS verifikasi_riwayat_tolak_kosongkan();
CREATE OR REPLACE FUNCTION usulan_riwayat_tolak_kosongkan() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM usulan_usulan) THEN
    RAISE EXCEPTION 'riwayat status tidak boleh dikosongkan selama usulannya masih ada (TRUNCATE)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER usulan_riwayat_tidak_bisa_dikosongkan
  AFTER TRUNCATE ON usulan_riwayatstatus
  FOR EACH STATEMENT EXECUTE FUNCTION usulan_riwayat_tolak_kosongkan();
"""

SQL_MUNDUR = """
DROP TRIGGER IF EXISTS usulan_riwayat_tidak_bisa_dikosongkan ON usulan_riwayatstatus;
DROP FUNCTION IF EXISTS usulan_riwayat_tolak_kosongkan();
"""


class Migration(migrations.Migration):
    dependencies = [("usulan", "0007_unggahan_foto_dan_kunci_idempoten")]
    operations = [migrations.RunSQL(SQL, SQL_MUNDUR)]
