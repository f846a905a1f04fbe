"""History cannot be wiped with TRUNCATE while its proposals exist (verifikasi 0005); emptying the whole
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
