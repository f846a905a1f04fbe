"""The flush that ends a transactional test keeps the reference data, and restores it when a test changed it
(tests/acuan.py): the next test sees Karimun as imported, never another test's rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from musrenbang.models import AlasanKode, Bidang, Siklus, Tingkat, Wilayah
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _flush() -> None:
    # What pytest-django runs after every transactional test.
    call_command("flush", verbosity=0, interactive=False)


def _isi_acuan() -> dict[str, object]:
    return {
        "wilayah": sorted(Wilayah.objects.values_list("kode", "nama", "induk__kode")),
        "batas_moro": Wilayah.objects.get(kode="21.02.01.1003").batas.wkb,
        "bidang": sorted(Bidang.objects.values_list("kode", "nama")),
        "alasan": sorted(AlasanKode.objects.values_list("kode", "nama")),
    }


def test_flush_tanpa_perubahan_menyimpan_data_acuan_apa_adanya(karimun):
    sebelum, kunci = _isi_acuan(), sorted(Wilayah.objects.values_list("pk", flat=True))
    factories.buat_siklus(karimun)
    _flush()
    assert Siklus.objects.count() == 0  # the test's own rows are gone
    assert _isi_acuan() == sebelum
    # Not reloaded (the same rows, not equal copies): that is what keeps the flush cheap.
    assert sorted(Wilayah.objects.values_list("pk", flat=True)) == kunci


def test_flush_memulihkan_data_acuan_yang_diubah_tes(karimun):
    sebelum = _isi_acuan()
    Wilayah.objects.filter(kode="21.02.01.1003").update(nama="DIUBAH OLEH TES")
    Wilayah.objects.create(kode="21.02.99", nama="Kecamatan Tambahan Tes", tingkat="kecamatan", induk=karimun)
    AlasanKode.objects.filter(kode="duplikat").delete()
    Bidang.objects.filter(induk__isnull=False).update(nama="BIDANG DIUBAH")
    _flush()
    assert _isi_acuan() == sebelum
    # And once restored, a change is caught again.
    Wilayah.objects.filter(kode="21.02.01.1003").delete()
    _flush()
    assert _isi_acuan() == sebelum


def test_flush_memulihkan_data_acuan_yang_dikosongkan(karimun):
    sebelum = _isi_acuan()
    for tingkat in reversed(Tingkat.values):  # children first: the parent link protects
        Wilayah.objects.filter(tingkat=tingkat).delete()
    assert not Wilayah.objects.exists()
    _flush()
    assert _isi_acuan() == sebelum
