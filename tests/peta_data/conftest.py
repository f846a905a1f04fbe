"""Fixtures for the open data downloads and the Open311 API: a round with proposals at every public
stage, and one proposal full of personal and internal data that must never leave the private side."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from akun.models import Peran
from musrenbang.models import AlasanKode, Bidang, Wilayah
from tests import factories, gambar
from usulan.models import Usulan
from usulan.services import IsiUsulan, usulan_buat
from verifikasi import transitions as t

# Values that exist only on the private side; no public output may contain any of them.
RAHASIA = {
    "email": "surel.rahasia.pengusul@contoh.test",
    "telepon": "+6281299998888",
    "username": "akun_rahasia_pengusul",
    "kontak": "KONTAK-RAHASIA-0812-7777",
    "nama": "NAMA-RAHASIA-PENGUSUL",
    "alasan_keputusan": "ALASAN-INTERNAL-BAPPEDA-BELUM-TERBIT",
    "catatan_opd": "CATATAN-TEKNIS-OPD-RAHASIA",
    "opd_keputusan": "Dinas Rahasia Internal",
    "permintaan_opd": "PERMINTAAN-REKOMENDASI-INTERNAL",
}


def buat(pengguna, desa: Wilayah, siklus, judul: str, **isi) -> Usulan:
    """A proposal at a point inside `desa`, submitted through the real service with one photo."""
    titik = desa.batas.point_on_surface
    data = {
        "judul": judul,
        "permasalahan": "Saluran tersumbat saat hujan.",
        "uraian": "Normalisasi saluran beton.",
        "bidang": Bidang.objects.get(kode="05.01"),
        "kamus": None,
        "volume": Decimal("100"),
        "satuan": "meter",
        "alamat": "Jl. Merdeka",
        "lat": titik.y,
        "lon": titik.x,
    }
    data.update(isi)
    foto = SimpleUploadedFile("a.jpg", gambar.jpeg(lat=titik.y, lon=titik.x, penanda=judul), "image/jpeg")
    return usulan_buat(pengguna=pengguna, siklus=siklus, isi=IsiUsulan(**data), foto=[foto])


def ke_bappeda(u: Usulan, operator_desa, operator_kecamatan) -> None:
    t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)
    t.teruskan(usulan_id=u.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=2)


@dataclass
class Ronde:
    diajukan: Usulan  # waiting at the desa
    ditolak: Usulan  # rejected by the desa with a reason
    lolos_desa: Usulan  # waiting at the kecamatan; proposer opted in to show their name
    diterima: Usulan  # accepted by Bappeda and published
    rahasia: Usulan  # accepted by Bappeda but not published; full of private data

    def semua(self) -> list[Usulan]:
        return [self.diajukan, self.ditolak, self.lolos_desa, self.diterima, self.rahasia]


@pytest.fixture
def alasan(db) -> AlasanKode:
    return AlasanKode.objects.get(kode="lokasi-tidak-jelas")


@pytest.fixture
def opd_rahasia(db):
    return factories.buat_opd("DRI", RAHASIA["opd_keputusan"])


@pytest.fixture
def ronde(
    warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd, alasan, opd_rahasia
) -> Ronde:
    diajukan = buat(warga, desa, siklus, "Lampu jalan gang Melati")
    ditolak = buat(warga, desa, siklus, "Jalan ke kebun sawit")
    t.tolak(usulan_id=ditolak.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Titik di laut")
    lolos_desa = buat(warga, desa, siklus, "Posyandu RW 02", nama_pengusul="Ketua RW 02 Terbuka", tampilkan_nama=True)
    t.teruskan(usulan_id=lolos_desa.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=3)
    diterima = buat(warga, desa, siklus, "Drainase Jalan Merdeka")
    ke_bappeda(diterima, operator_desa, operator_kecamatan)
    t.putuskan(
        usulan_id=diterima.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Prioritas banjir",
        perangkat_daerah=opd,
        volume=Decimal(80),
        biaya=Decimal("125000000"),
    )
    t.terbitkan(usulan_id=diterima.pk, pelaku=bappeda, peran=Peran.BAPPEDA)

    pengusul = factories.buat_pengguna(RAHASIA["username"], email=RAHASIA["email"], telepon=RAHASIA["telepon"])
    rahasia = buat(
        pengusul,
        desa,
        siklus,
        "Pelebaran jembatan kampung",
        nama_pengusul=RAHASIA["nama"],
        kontak_pengusul=RAHASIA["kontak"],
        tampilkan_nama=False,
    )
    ke_bappeda(rahasia, operator_desa, operator_kecamatan)
    t.minta_rekomendasi(
        usulan_id=rahasia.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd], catatan=RAHASIA["permintaan_opd"]
    )
    t.rekomendasikan(
        usulan_id=rahasia.pk,
        pelaku=petugas_opd,
        layak=True,
        volume=Decimal(40),
        biaya=Decimal("90000000"),
        catatan=RAHASIA["catatan_opd"],
    )
    t.putuskan(
        usulan_id=rahasia.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan=RAHASIA["alasan_keputusan"],
        perangkat_daerah=opd_rahasia,
        volume=Decimal(40),
        biaya=Decimal("777000000"),
    )
    for u in (diajukan, ditolak, lolos_desa, diterima, rahasia):
        u.refresh_from_db()
    return Ronde(diajukan, ditolak, lolos_desa, diterima, rahasia)


def isi_unduhan(respons) -> bytes:
    """The whole body of a (streaming or file) response."""
    return b"".join(respons.streaming_content) if respons.streaming else respons.content


def buku_kerja(respons):
    return load_workbook(io.BytesIO(isi_unduhan(respons)))


def teks_buku_kerja(respons) -> str:
    """Every cell of every sheet as text, to search for values that must not be there."""
    buku = buku_kerja(respons)
    return "\n".join(
        str(sel) for lembar in buku.worksheets for baris in lembar.iter_rows(values_only=True) for sel in baris
    )


def baca_xml(isi: bytes) -> ET.Element:
    """Parse the server's own XML output (trusted here: it is what the test checks)."""
    return ET.fromstring(isi)  # noqa: S314
