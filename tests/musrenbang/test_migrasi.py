"""Models and migrations agree; the seeded reference data is there."""

from __future__ import annotations

import io

from django.core.management import call_command

from musrenbang.models import AlasanKode, Bidang


def test_tidak_ada_migrasi_yang_tertinggal(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_bidang_permendagri_90_2019_dan_kode_alasan_terisi(db):
    assert Bidang.objects.filter(induk__isnull=True).count() == 9
    assert Bidang.objects.filter(induk__isnull=False).count() == 47
    assert Bidang.objects.get(kode="05.01").nama == "Pekerjaan Umum"
    assert Bidang.objects.get(kode="05.01").induk.kode == "05"
    assert AlasanKode.objects.count() == 11
    assert AlasanKode.objects.filter(kode="duplikat").exists()
