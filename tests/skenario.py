"""Scenario helpers the tests import (a plain module: conftest files hold fixtures only).

`buat_usulan` submits a proposal through the real service with one photo; `usulan_pada` brings a
proposal to a status through the real transitions, as the officials would, so its history, ranks,
notifications and public status are what that path leaves (never by writing the status column).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from akun.models import Peran
from musrenbang.models import AlasanKode, Bidang, PerangkatDaerah, Siklus, Wilayah
from tests import gambar
from usulan.models import Status, Usulan
from usulan.services import IsiUsulan, usulan_buat
from verifikasi import transitions as t


def buat_usulan(pengguna, siklus: Siklus, desa: Wilayah, judul: str = "Perbaikan drainase Jalan Merdeka") -> Usulan:
    """A proposal at a point inside `desa`, submitted by `pengguna` through the real service with one photo."""
    titik = desa.batas.point_on_surface
    isi = IsiUsulan(
        judul=judul,
        permasalahan="Saluran tersumbat.",
        uraian="Saluran beton.",
        bidang=Bidang.objects.get(kode="05.01"),
        kamus=None,
        volume=Decimal("100"),
        satuan="meter",
        alamat="Jl. Merdeka",
        lat=titik.y,
        lon=titik.x,
    )
    foto = SimpleUploadedFile("a.jpg", gambar.jpeg(lat=titik.y, lon=titik.x, penanda=judul), "image/jpeg")
    return usulan_buat(pengguna=pengguna, siklus=siklus, isi=isi, foto=[foto])


# The path to each status this helper reaches, as the steps taken from a fresh submission.
_JALAN = {
    Status.DIAJUKAN: (),
    Status.LOLOS_DESA: ("desa",),
    Status.LOLOS_KECAMATAN: ("desa", "kecamatan"),
    Status.DIKEMBALIKAN: ("kembalikan",),
    Status.DITOLAK: ("tolak",),
    Status.DITERIMA: ("desa", "kecamatan", "putuskan"),
}


def _perlu(nama: str, nilai):
    if nilai is None:
        raise TypeError(f"usulan_pada: this path needs {nama}=")
    return nilai


def usulan_pada(
    status: str,
    *,
    usulan: Usulan | None = None,
    pengusul=None,
    siklus: Siklus | None = None,
    desa: Wilayah | None = None,
    judul: str = "Perbaikan drainase Jalan Merdeka",
    operator_desa=None,
    operator_kecamatan=None,
    bappeda=None,
    opd: PerangkatDaerah | None = None,
    alasan: AlasanKode | None = None,
    peringkat: tuple[int | None, int | None] = (None, None),
    terbit: bool = False,
) -> Usulan:
    """A proposal in `status`, reached through the real transitions from a fresh submission.

    `usulan` (submitted, status diajukan) is taken along; without it one is submitted by `pengusul` in
    `desa` for `siklus`. The officials of the steps on the way are needed: the desa operator for
    lolos_desa, dikembalikan and ditolak (with `alasan`), the kecamatan operator for lolos_kecamatan
    (waiting at Bappeda), Bappeda and `opd` for diterima (`terbit=True` publishes the decision).
    `peringkat` is the rank given at the desa and at the kecamatan. Returns the proposal as stored.
    """
    if status not in _JALAN:
        raise ValueError(f"usulan_pada: no path to {status!r}; known: {', '.join(_JALAN)}")
    if usulan is None:
        usulan = buat_usulan(_perlu("pengusul", pengusul), _perlu("siklus", siklus), _perlu("desa", desa), judul)
    if usulan.status != Status.DIAJUKAN:
        raise ValueError(f"usulan_pada starts from a submitted proposal, not one in {usulan.status!r}")
    for langkah in _JALAN[status]:
        if langkah == "desa":
            t.teruskan(
                usulan_id=usulan.pk,
                pelaku=_perlu("operator_desa", operator_desa),
                peran=Peran.DESA,
                peringkat=peringkat[0],
            )
        elif langkah == "kecamatan":
            t.teruskan(
                usulan_id=usulan.pk,
                pelaku=_perlu("operator_kecamatan", operator_kecamatan),
                peran=Peran.KECAMATAN,
                peringkat=peringkat[1],
            )
        elif langkah in ("kembalikan", "tolak"):
            getattr(t, langkah)(
                usulan_id=usulan.pk,
                pelaku=_perlu("operator_desa", operator_desa),
                peran=Peran.DESA,
                alasan_kode=_perlu("alasan", alasan),
                catatan="Alasan tertulis",
            )
        else:
            t.putuskan(
                usulan_id=usulan.pk,
                pelaku=_perlu("bappeda", bappeda),
                peran=Peran.BAPPEDA,
                hasil=Status.DITERIMA,
                alasan="Prioritas",
                perangkat_daerah=_perlu("opd", opd),
                volume=Decimal(100),
                biaya=Decimal("100000000"),
            )
    if terbit:
        t.terbitkan(usulan_id=usulan.pk, pelaku=_perlu("bappeda", bappeda), peran=Peran.BAPPEDA)
    usulan.refresh_from_db()
    assert usulan.status == status, (usulan.status, status)
    return usulan
