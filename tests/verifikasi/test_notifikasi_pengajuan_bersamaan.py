"""Issue 9 point 6: a submission reaches the desa digest exactly once, whatever the worker does
meanwhile, on real separate connections.

The poller this replaces (`ringkas_pengajuan_baru`) read submissions stamped after its marker and
then moved the marker to "now": a submission stamped before a worker's run but committed after it
fell behind the marker and was never digested. Now the digest line is written by the submission's
own transaction, so there is no window to fall into.
"""

from __future__ import annotations

import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from kabar.models import Notifikasi
from kabar.notifikasi import kirim_antrean
from tests.skenario import buat_usulan
from usulan.models import Usulan

pytestmark = pytest.mark.django_db(transaction=True)
TUNGGU = 30  # seconds; only reached when something is broken


def test_pengajuan_dicap_sebelum_pekerja_jalan_tetap_diringkas_sekali(warga, siklus, desa, operator_desa):
    tertulis, lanjut = threading.Event(), threading.Event()
    hasil: dict[str, object] = {}

    def pengaju() -> None:
        # Another connection: the submission is written (its history row stamped) but not committed
        # while the worker runs.
        try:
            with transaction.atomic():
                u = buat_usulan(warga, siklus, desa)
                hasil["kode"] = u.kode_lacak
                hasil["dicap"] = u.riwayat.get().waktu
                tertulis.set()
                assert lanjut.wait(TUNGGU)
        except BaseException as galat:
            hasil["galat"] = galat
            tertulis.set()
        finally:
            connection.close()

    utas = threading.Thread(target=pengaju)
    utas.start()
    try:
        assert tertulis.wait(TUNGGU)
        # The real worker runs now, after the stamp, before the commit: it sees nothing of it.
        call_command("kirim_notifikasi", "--sekali", stdout=io.StringIO())
        assert not Usulan.objects.exists()
        pekerja_jalan = timezone.now()
    finally:
        lanjut.set()
        utas.join(TUNGGU)
    assert not utas.is_alive() and "galat" not in hasil, hasil
    assert hasil["dicap"] < pekerja_jalan  # stamped before the worker's run, committed after it

    # Committed: the line is in the desa official's digest once; the digest goes out at its hour.
    kode = hasil["kode"]
    (ringkasan,) = Notifikasi.objects.filter(penerima=operator_desa, kunci_ringkasan__isnull=False)
    assert ringkasan.isi.count(kode) == 1
    besok = timezone.now() + datetime.timedelta(days=2)
    for _ in range(3):  # any number of later runs
        call_command("kirim_notifikasi", "--sekali", stdout=io.StringIO())
        kirim_antrean(pada=besok)
    ke_operator = [m for m in mail.outbox if m.to == [operator_desa.email]]
    assert len(ke_operator) == 1 and ke_operator[0].body.count(kode) == 1
    # And the proposer's confirmation went through the outbox once too.
    assert [m.to for m in mail.outbox if kode in m.subject] == [[warga.email]]
