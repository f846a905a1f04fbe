"""manage.py tugaskan: officials are assigned and unassigned from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from akun.models import Penugasan
from tests import factories
from verifikasi.permissions import usulan_terlihat


def _jalankan(*args: str) -> str:
    out = io.StringIO()
    call_command("tugaskan", *args, stdout=out)
    return out.getvalue()


def test_tugaskan_dan_cabut(desa, usulan):
    pengguna = factories.buat_pengguna("lurah_moro")
    keluaran = _jalankan("lurah_moro", "desa", "--wilayah", desa.kode)
    assert "Penugasan disimpan." in keluaran and "Moro" in keluaran
    assert list(usulan_terlihat(pengguna)) == [usulan]
    _jalankan("lurah_moro", "desa", "--wilayah", desa.kode)
    assert Penugasan.objects.filter(pengguna=pengguna).count() == 1  # idempotent
    assert "(dicabut)" in _jalankan("lurah_moro", "desa", "--wilayah", desa.kode, "--cabut")
    pengguna = type(pengguna).objects.get(pk=pengguna.pk)  # fresh object: no cached assignments
    assert list(usulan_terlihat(pengguna)) == []


def test_opd_dan_galat_yang_jelas(opd, kecamatan):
    factories.buat_pengguna("staf_pupr")
    assert "Perangkat daerah (OPD)" in _jalankan("staf_pupr", "opd", "--opd", opd.kode)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        _jalankan("tidak_ada", "desa", "--wilayah", "21.02.01.1003")
    with pytest.raises(CommandError, match="perlu --wilayah"):
        _jalankan("staf_pupr", "kecamatan")
    with pytest.raises(CommandError, match="harus ditugaskan pada wilayah tingkat"):
        _jalankan("staf_pupr", "desa", "--wilayah", kecamatan.kode)
