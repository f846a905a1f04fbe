"""History cannot be wiped with TRUNCATE while its proposals exist (usulan 0008); emptying the whole
dataset in one statement, as `manage.py flush` and the transactional tests do, still works."""

from __future__ import annotations

import pytest
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import DatabaseError, connection, transaction

from akun.models import Peran
from usulan.models import RiwayatStatus, Usulan
from verifikasi import transitions as t


class _Batalkan(Exception):
    """Raised to roll a savepoint back after looking inside it."""


def _periksa_fk_sekarang() -> None:
    # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: with checks still pending in this test's
    # transaction PostgreSQL refuses any TRUNCATE for that reason, before the trigger could speak.
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_truncate_riwayat_ditolak(usulan, operator_desa):
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)
    sebelum = list(RiwayatStatus.objects.filter(usulan=usulan).values_list("pk", "aksi"))
    assert len(sebelum) == 2
    _periksa_fk_sekarang()
    for sql in ("TRUNCATE usulan_riwayatstatus", "TRUNCATE usulan_riwayatstatus RESTART IDENTITY"):
        with (
            pytest.raises(DatabaseError, match="tidak boleh dikosongkan selama usulannya masih ada"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql)
    assert list(RiwayatStatus.objects.filter(usulan=usulan).values_list("pk", "aksi")) == sebelum


def test_pengosongan_penuh_seperti_flush_tetap_boleh(usulan):
    _periksa_fk_sekarang()
    # The very statement `manage.py flush` (and pytest-django after a transactional test) runs.
    perintah = sql_flush(no_style(), connection, allow_cascade=False)
    assert len(perintah) == 1 and "usulan_riwayatstatus" in perintah[0] and "usulan_usulan" in perintah[0]
    with pytest.raises(_Batalkan), transaction.atomic():
        with connection.cursor() as c:
            c.execute(perintah[0])
        assert (Usulan.objects.count(), RiwayatStatus.objects.count()) == (0, 0)
        raise _Batalkan
    assert RiwayatStatus.objects.filter(usulan=usulan).count() == 1


@pytest.mark.django_db(transaction=True)
def test_truncate_riwayat_ditolak_di_luar_transaksi_uji(usulan):
    """Committed data, autocommit like production: the TRUNCATE is refused and rolled back, and this
    test's own teardown flush (which empties everything) then succeeds."""
    with pytest.raises(DatabaseError, match="tidak boleh dikosongkan"), connection.cursor() as c:
        c.execute("TRUNCATE usulan_riwayatstatus")
    assert RiwayatStatus.objects.filter(usulan=usulan).count() == 1


def _pemicu_dan_fungsi() -> tuple[list[str], list[str]]:
    with connection.cursor() as c:
        c.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal ORDER BY tgname",
            [RiwayatStatus._meta.db_table],
        )
        pemicu = [r[0] for r in c.fetchall()]
        c.execute("SELECT proname FROM pg_proc WHERE proname LIKE %s", ["%riwayat_tolak_kosongkan"])
        fungsi = [r[0] for r in c.fetchall()]
    return pemicu, fungsi


@pytest.mark.django_db
def test_penjaga_milik_tabel_riwayat():
    # The guard lives with usulan's table (usulan 0008), and the copy verifikasi 0005 once made is gone.
    pemicu, fungsi = _pemicu_dan_fungsi()
    assert pemicu == ["usulan_riwayat_tidak_bisa_dikosongkan", "usulan_riwayat_tidak_bisa_diubah"]
    assert fungsi == ["usulan_riwayat_tolak_kosongkan"]


# What verifikasi 0005 created before the guard moved to usulan 0008.
SQL_VERIFIKASI_0005_LAMA = """
CREATE OR REPLACE FUNCTION verifikasi_riwayat_tolak_kosongkan() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM usulan_usulan) THEN
    RAISE EXCEPTION 'riwayat status tidak boleh dikosongkan selama usulannya masih ada (TRUNCATE)'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER verifikasi_riwayat_tidak_bisa_dikosongkan
  AFTER TRUNCATE ON usulan_riwayatstatus
  FOR EACH STATEMENT EXECUTE FUNCTION verifikasi_riwayat_tolak_kosongkan();
"""


@pytest.mark.django_db(transaction=True)
def test_basis_data_lama_berganti_ke_penjaga_usulan():
    # A database that ran the old verifikasi 0005 ends with usulan's guard only, not two of them.
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("usulan", "0007_unggahan_foto_dan_kunci_idempoten")])
        with connection.cursor() as c:
            c.execute(SQL_VERIFIKASI_0005_LAMA)
        assert _pemicu_dan_fungsi()[0] == [
            "usulan_riwayat_tidak_bisa_diubah",
            "verifikasi_riwayat_tidak_bisa_dikosongkan",
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert _pemicu_dan_fungsi() == (
        ["usulan_riwayat_tidak_bisa_dikosongkan", "usulan_riwayat_tidak_bisa_diubah"],
        ["usulan_riwayat_tolak_kosongkan"],
    )
