"""manage.py kirim_notifikasi: --sekali sends what is due and prints counts; --ulang runs until a signal."""

from __future__ import annotations

import io
import os
import signal
import threading
import time

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from kabar.management.commands.kirim_notifikasi import Command
from kabar.models import Notifikasi, StatusNotifikasi
from kabar.notifikasi import antrekan
from tests.verifikasi import notifikasi_uji


@pytest.mark.parametrize("argumen", [["--sekali"], []], ids=["sekali", "bawaan"])
def test_sekali_mengirim_dan_mencetak_hitungan(warga, argumen):
    antrekan(warga, subjek="Usulan 2102-2027-00001: Lolos desa", isi="Isi")
    keluaran = io.StringIO()
    call_command("kirim_notifikasi", *argumen, stdout=keluaran)
    assert keluaran.getvalue() == "terkirim=2 dicoba_lagi=0 gagal=0\n"
    assert len(mail.outbox) == 1
    assert not Notifikasi.objects.filter(status=StatusNotifikasi.ANTRE).exists()


def test_batas_dipatuhi(settings, warga):
    settings.NOTIFIKASI_SALURAN_TELEPON = ""
    for i in range(3):
        antrekan(warga, subjek=f"Peristiwa {i}", isi="Isi")
    keluaran = io.StringIO()
    call_command("kirim_notifikasi", "--batas", "2", stdout=keluaran)
    assert keluaran.getvalue() == "terkirim=2 dicoba_lagi=0 gagal=0\n"
    assert Notifikasi.objects.filter(status=StatusNotifikasi.ANTRE).count() == 1


def test_backend_yang_tidak_ada_menghentikan_perintah(settings, db):
    settings.NOTIFIKASI_BACKEND = {**settings.NOTIFIKASI_BACKEND, "sms": "gerbang.tidak.ada.Backend"}
    with pytest.raises(CommandError, match=r"NOTIFIKASI_BACKEND\['sms'\] tidak bisa dimuat"):
        call_command("kirim_notifikasi", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sinyal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_sinyal_saat_mengirim_menunggu_putaran_selesai(settings, warga, sinyal):
    pencatat = notifikasi_uji.pasang(settings)
    antrekan(warga, subjek="Subjek", isi="Isi")
    # Signalled during the first send: the batch still finishes, then the worker stops without waiting.
    pencatat.setelah_kirim = lambda: os.kill(os.getpid(), sinyal) if len(pencatat.terkirim) == 1 else None
    sebelum = signal.getsignal(sinyal)
    keluaran = io.StringIO()
    call_command("kirim_notifikasi", "--ulang", "--jeda", "600", stdout=keluaran)
    assert keluaran.getvalue() == "terkirim=2 dicoba_lagi=0 gagal=0\nBerhenti.\n"
    assert len(pencatat.terkirim) == 2
    assert signal.getsignal(sinyal) == sebelum


class _PerintahDiamati(Command):
    """The real command, announcing when it starts to wait for work."""

    def __init__(self, menunggu: threading.Event) -> None:
        self.keluaran = io.StringIO()
        super().__init__(stdout=self.keluaran)
        self.menunggu = menunggu

    def _tunggu(self, baca: int, jeda: float) -> None:
        self.menunggu.set()
        super()._tunggu(baca, jeda)


@pytest.mark.django_db(transaction=True)
def test_sigterm_membangunkan_pekerja_yang_menunggu(warga):
    menunggu, selesai = threading.Event(), threading.Event()

    def hentikan() -> None:
        if menunggu.wait(30) and not selesai.is_set():
            # Whether this lands before or inside select(), the wake-up pipe ends the wait at once.
            os.kill(os.getpid(), signal.SIGTERM)

    sebelum = signal.getsignal(signal.SIGTERM)
    penghenti = threading.Thread(target=hentikan)
    penghenti.start()
    perintah = _PerintahDiamati(menunggu)
    mulai = time.monotonic()
    try:
        call_command(perintah, "--ulang", "--jeda", "20")
    finally:
        selesai.set()
        menunggu.set()
        penghenti.join(30)
    assert perintah.keluaran.getvalue() == "Berhenti.\n"
    assert time.monotonic() - mulai < 15  # woken by the signal, not by the end of the pause
    assert signal.getsignal(signal.SIGTERM) == sebelum


class _PerintahBerhentiSetelah(Command):
    """The real command, stopped (SIGTERM to itself) at its first pause once `cukup()` holds."""

    def __init__(self, cukup) -> None:
        self.keluaran = io.StringIO()
        super().__init__(stdout=self.keluaran)
        self.cukup = cukup
        self.jeda_tercatat: list[float] = []

    def _tunggu(self, baca: int, jeda: float) -> None:
        self.jeda_tercatat.append(jeda)
        if self.cukup() or len(self.jeda_tercatat) > 200:
            os.kill(os.getpid(), signal.SIGTERM)
        super()._tunggu(baca, jeda)


@pytest.mark.django_db(transaction=True)
def test_pekerja_bertahan_saat_koneksi_database_putus(settings, warga, caplog):
    """A database restart kills the worker's connection mid-batch: the worker logs it, reconnects and
    goes on sending (under scripts/produksi.sh its exit would also stop gunicorn). The message whose
    outcome could not be recorded comes back after its lease: sent at least once, never lost."""
    from django.db import connection, connections

    settings.NOTIFIKASI_SALURAN_TELEPON = ""
    settings.NOTIFIKASI_SEWA_DETIK = 2
    pencatat = notifikasi_uji.pasang(settings)
    [a] = antrekan(warga, subjek="Pertama", isi="Isi")
    [b] = antrekan(warga, subjek="Kedua", isi="Isi")
    diputus: list[int] = []

    def putuskan() -> None:
        if diputus:
            return
        pid = connection.connection.get_backend_pid()  # the worker's own session (same thread)
        lain = connections.create_connection("default")
        try:
            with lain.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                assert cursor.fetchone() == (True,)
        finally:
            lain.close()
        diputus.append(pid)

    pencatat.setelah_kirim = putuskan
    terkirim = lambda: set(  # noqa: E731
        Notifikasi.objects.filter(status=StatusNotifikasi.TERKIRIM).values_list("pk", flat=True)
    )
    # Judged from what the backend received: the worker's connection may be the broken one here.
    perintah = _PerintahBerhentiSetelah(
        lambda: {pk for pk, _s, _u in pencatat.terkirim} == {a.pk, b.pk} and len(pencatat.terkirim) >= 3
    )
    with caplog.at_level("WARNING", logger="kabar.management.commands.kirim_notifikasi"):
        call_command(perintah, "--ulang", "--jeda", "0.2", "--batas", "1")

    assert diputus, "the connection was never cut"
    assert any("database unavailable" in r.getMessage() for r in caplog.records)
    assert 1.0 in perintah.jeda_tercatat  # the pause after the error (at least a second)
    assert terkirim() == {a.pk, b.pk}
    assert perintah.keluaran.getvalue().endswith("Berhenti.\n")
    # `Pertama` went out before the cut, again after its lease; `Kedua` after the reconnection.
    subjek = [s for _pk, s, _utas in pencatat.terkirim]
    assert subjek.count("Kedua") == 1 and subjek.count("Pertama") == 2
