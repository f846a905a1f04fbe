"""antrekan_ringkasan: one digest row per official, channel and day, sent at NOTIFIKASI_JAM_RINGKASAN."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from kabar.models import Notifikasi, Saluran, StatusNotifikasi
from kabar.notifikasi import antrekan_ringkasan, kirim_antrean
from tests.verifikasi import notifikasi_uji

WIB = ZoneInfo("Asia/Jakarta")
PAGI = datetime.datetime(2026, 5, 5, 5, 0, tzinfo=WIB)
JAM_TUJUH = datetime.datetime(2026, 5, 5, 7, 0, tzinfo=WIB)
PEMBUKA = "Usulan berikut masuk ke antrean verifikasi Anda:"


@pytest.fixture(autouse=True)
def jam_tujuh(settings):
    settings.NOTIFIKASI_JAM_RINGKASAN = 7
    settings.TIME_ZONE = "Asia/Jakarta"


def test_baris_bergabung_dalam_satu_baris_sehari(operator_kecamatan):
    for menit, kode in enumerate(["00001", "00002", "00003"]):
        (n,) = antrekan_ringkasan(
            operator_kecamatan, baris=f"2102-2027-{kode} — Drainase", pada=PAGI + datetime.timedelta(minutes=menit)
        )
    assert Notifikasi.objects.count() == 1
    n.refresh_from_db()
    assert n.kunci_ringkasan == f"ringkasan:{operator_kecamatan.pk}:email:2026-05-05"
    assert (n.saluran, n.alamat, n.status, n.percobaan) == (Saluran.EMAIL, "operator_kecamatan@contoh.test", "antre", 0)
    assert n.subjek == "Ringkasan usulan masuk 5 Mei 2026"
    assert n.isi == (f"{PEMBUKA}\n\n2102-2027-00001 — Drainase\n2102-2027-00002 — Drainase\n2102-2027-00003 — Drainase")
    assert n.kirim_setelah == JAM_TUJUH
    assert n.usulan is None


def test_tidak_dikirim_sebelum_jamnya(operator_kecamatan):
    antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00001 — Drainase", pada=PAGI)
    antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00002 — Lampu jalan", pada=PAGI)
    assert kirim_antrean(pada=JAM_TUJUH - datetime.timedelta(seconds=1))["terkirim"] == 0
    assert mail.outbox == []
    assert kirim_antrean(pada=JAM_TUJUH)["terkirim"] == 1
    (pesan,) = mail.outbox
    assert pesan.to == ["operator_kecamatan@contoh.test"]
    assert pesan.subject == "Ringkasan usulan masuk 5 Mei 2026"
    assert pesan.body == f"{PEMBUKA}\n\n2102-2027-00001 — Drainase\n2102-2027-00002 — Lampu jalan"


def test_setelah_jamnya_masuk_ringkasan_besok(operator_kecamatan):
    (n,) = antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00004 — Jalan", pada=JAM_TUJUH)
    assert n.kunci_ringkasan.endswith(":2026-05-06")
    assert n.kirim_setelah == JAM_TUJUH + datetime.timedelta(days=1)
    assert n.subjek == "Ringkasan usulan masuk 6 Mei 2026"
    # 23:30 UTC on the 5th is 06:30 WIB on the 6th: the local day counts, and it joins the same digest.
    malam_utc = datetime.datetime(2026, 5, 5, 23, 30, tzinfo=datetime.UTC)
    (sama,) = antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00005 — Posyandu", pada=malam_utc)
    assert sama.pk == n.pk and sama.isi.endswith("Jalan\n2102-2027-00005 — Posyandu")


def test_satu_ringkasan_per_saluran(operator_desa):
    operator_desa.telepon = "+6281200000077"
    operator_desa.save()
    antrekan_ringkasan(operator_desa, baris="2102-2027-00001 — Drainase", pada=PAGI)
    baris = antrekan_ringkasan(operator_desa, baris="2102-2027-00002 — Lampu", pada=PAGI)
    assert [(n.saluran, n.alamat) for n in baris] == [
        (Saluran.EMAIL, operator_desa.email),
        (Saluran.SMS, "+6281200000077"),
    ]
    assert all(n.isi.endswith("Drainase\n2102-2027-00002 — Lampu") for n in baris)
    assert Notifikasi.objects.count() == 2


def test_ringkasan_yang_sudah_diklaim_tidak_diubah(settings, operator_kecamatan):
    notifikasi_uji.pasang(settings, "BackendSelaluGagal")
    (n,) = antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00001 — Drainase", pada=PAGI)
    # The worker's clock runs a little ahead of the web server's: it has tried today's digest already.
    assert kirim_antrean(pada=JAM_TUJUH)["dicoba_lagi"] == 1
    (besok,) = antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00002 — Lampu", pada=JAM_TUJUH)
    antrekan_ringkasan(
        operator_kecamatan, baris="2102-2027-00003 — Jalan", pada=JAM_TUJUH - datetime.timedelta(minutes=1)
    )
    n.refresh_from_db()
    besok.refresh_from_db()
    assert n.isi == f"{PEMBUKA}\n\n2102-2027-00001 — Drainase"
    assert besok.kunci_ringkasan.endswith(":2026-05-06")
    assert besok.isi == f"{PEMBUKA}\n\n2102-2027-00002 — Lampu\n2102-2027-00003 — Jalan"


def test_ringkasan_selalu_berbahasa_situs(operator_kecamatan):
    with translation.override("en"):
        (n,) = antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00001 — Drainase", pada=PAGI)
    assert n.subjek == "Ringkasan usulan masuk 5 Mei 2026"
    assert n.isi.startswith(PEMBUKA)


def test_baris_ringkasan_batal_bersama_transaksi(operator_kecamatan):
    antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00001 — Drainase", pada=PAGI)
    with pytest.raises(RuntimeError), transaction.atomic():
        antrekan_ringkasan(operator_kecamatan, baris="2102-2027-00002 — Lampu", pada=PAGI)
        raise RuntimeError("teruskan gagal")
    assert Notifikasi.objects.get().isi == f"{PEMBUKA}\n\n2102-2027-00001 — Drainase"
    assert Notifikasi.objects.get().status == StatusNotifikasi.ANTRE
