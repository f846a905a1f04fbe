"""Bappeda's XLSX in SIPD's Musrenbang column layout: Bappeda and admin of this kabupaten/kota only,
internal data included, every column filled from its source."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from akun.models import Peran
from dasbor.sipd import KOLOM_SIPD
from musrenbang.models import Tingkat, Wilayah
from tests import factories
from tests.peta_data.bantu import RAHASIA, buat, buku_kerja, isi_unduhan


def _baris(client, **query) -> dict[str, dict]:
    respons = client.get(reverse("data:sipd"), query)
    assert respons.status_code == 200
    lembar = buku_kerja(respons).worksheets[0]
    semua = list(lembar.iter_rows(values_only=True))
    assert tuple(semua[0]) == KOLOM_SIPD
    return {b[0]: dict(zip(semua[0], b, strict=True)) for b in semua[1:]}


@pytest.mark.parametrize("nama", [None, "warga", "operator_desa", "operator_kecamatan", "petugas_opd"])
def test_selain_bappeda_dan_admin_404(client, request, ronde, nama):
    if nama:
        client.force_login(request.getfixturevalue(nama))
    assert client.get(reverse("data:sipd")).status_code == 404


def test_bappeda_kabupaten_lain_404(client, karimun, ronde):
    lain = Wilayah.objects.create(
        kode="21.01", nama="Kabupaten Bintan", tingkat=Tingkat.KABUPATEN_KOTA, induk=karimun.induk
    )
    orang = factories.buat_pengguna("bappeda_bintan")
    factories.buat_penugasan(orang, Peran.BAPPEDA, wilayah=lain)
    client.force_login(orang)
    assert client.get(reverse("data:sipd")).status_code == 404


@pytest.mark.parametrize("nama", ["bappeda", "admin_user"])
def test_bappeda_dan_admin_mengunduh(client, request, ronde, nama):
    client.force_login(request.getfixturevalue(nama))
    respons = client.get(reverse("data:sipd"))
    assert respons.status_code == 200
    assert respons["Cache-Control"] == "private, no-store"
    tanggal = timezone.localdate().isoformat()
    assert respons["Content-Disposition"] == f'attachment; filename="sipd-usulan-musrenbang-2102-{tanggal}.xlsx"'
    assert buku_kerja(respons).sheetnames == ["Usulan Musrenbang"]


def test_pemetaan_kolom(client, bappeda, ronde, opd):
    client.force_login(bappeda)
    baris = _baris(client)
    assert set(baris) == {u.kode_lacak for u in ronde.semua()}

    r = baris[ronde.rahasia.kode_lacak]
    assert r["Pengusul"] == RAHASIA["nama"]
    assert r["Profil"] == "Warga (perorangan)"
    assert (r["Usulan"], r["Masalah"]) == ("Pelebaran jembatan kampung", "Saluran tersumbat saat hujan.")
    assert r["Alamat"] == "Jl. Merdeka"
    assert (r["Kecamatan"], r["Kelurahan"]) == ("Moro", "Moro")
    assert r["OPD Tujuan Awal"] == opd.nama  # the first OPD asked for advice (no catalogue item)
    assert r["OPD Tujuan Akhir"] == RAHASIA["opd_keputusan"]  # the draft decision: Bappeda may see it
    assert r["Status"] == "Diterima (belum diterbitkan)"
    assert r["Catatan"] == f"Normalisasi saluran beton.\nKeputusan Bappeda: {RAHASIA['alasan_keputusan']}"
    assert r["Rekomendasi Kelurahan"] == "Teruskan (peringkat 1)"
    assert r["Rekomendasi Kecamatan"] == "Teruskan (peringkat 2)"
    assert r["Rekomendasi SKPD"] == f"DPUPR: Layak; volume 40; biaya Rp 90.000.000; {RAHASIA['catatan_opd']}"
    assert (r["Volume"], r["Satuan"], r["Anggaran"]) == (40, "meter", 777000000)
    assert r["Tanggal Usul"].date() == timezone.localtime(ronde.rahasia.dibuat).date()

    d = baris[ronde.ditolak.kode_lacak]
    assert d["Status"] == "Ditolak"
    assert d["Rekomendasi Kelurahan"] == "Tolak: Lokasi tidak jelas — Titik di laut"
    assert d["Rekomendasi Kecamatan"] in (None, "")
    assert (d["Volume"], d["Anggaran"]) == (100, None)

    assert baris[ronde.lolos_desa.kode_lacak]["Rekomendasi Kelurahan"] == "Teruskan (peringkat 3)"
    assert baris[ronde.diajukan.kode_lacak]["Rekomendasi SKPD"] in (None, "")


def test_kamus_dan_alamat_lengkap(client, bappeda, warga, desa, siklus):
    kamus = factories.buat_kamus(siklus)
    u = buat(warga, desa, siklus, "Semen gang", kamus=kamus, rt="003", rw="001", dusun="Dusun I")
    client.force_login(bappeda)
    r = _baris(client)[u.kode_lacak]
    assert r["Alamat"] == "Jl. Merdeka, RT 003/RW 001, Dusun I"
    assert r["OPD Tujuan Awal"] == kamus.perangkat_daerah.nama
    assert r["Catatan"] == "Kamus: Semenisasi jalan lingkungan.\nNormalisasi saluran beton."
    assert (r["Anggaran"], r["Satuan"]) == (45000000, "meter")


def test_saringan_status_internal(client, bappeda, ronde):
    client.force_login(bappeda)
    # Bappeda filters on the internal status: the unpublished acceptance counts as accepted here.
    assert set(_baris(client, status="diterima")) == {ronde.diterima.kode_lacak, ronde.rahasia.kode_lacak}


def test_jumlah_kueri_tidak_bergantung_jumlah_baris(client, bappeda, ronde, warga, desa, siklus):
    client.force_login(bappeda)

    def hitung() -> int:
        with CaptureQueriesContext(connection) as kueri:
            isi_unduhan(client.get(reverse("data:sipd")))
        return len(kueri)

    hitung()  # the first request after sign-in also refreshes the session
    sedikit = hitung()
    for i in range(3):
        buat(warga, desa, siklus, f"Usulan tambahan {i}")
    # Rows, history and OPD advice are read per 2000-row chunk: 3 queries whatever the round's size.
    assert hitung() == sedikit
