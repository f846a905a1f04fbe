"""Seed the sectors (Permendagri 90/2019 fungsi/sub-fungsi) and the reason codes from practice.

Reversible: going back removes exactly the seeded codes.
"""

import csv
from pathlib import Path

from django.db import migrations

BERKAS_BIDANG = Path(__file__).resolve().parent.parent / "data" / "klasifikasi_fungsi_permendagri_90_2019.csv"

ALASAN = [
    ("duplikat", "Duplikat: usulan yang sama sudah ada"),
    ("lokasi-tidak-jelas", "Lokasi tidak jelas"),
    ("volume-tidak-wajar", "Volume tidak wajar"),
    ("dokumen-tidak-lengkap", "Dokumen/foto pendukung tidak lengkap"),
    ("bukan-kewenangan-daerah", "Bukan kewenangan daerah"),
    ("lahan-bukan-aset-pemda", "Lahan bukan aset pemerintah daerah"),
    ("tidak-sesuai-kamus", "Tidak sesuai kamus usulan"),
    ("sudah-dianggarkan", "Sudah dianggarkan atau sudah terealisasi"),
    ("kondisi-masih-layak", "Kondisi masih layak"),
    ("anggaran-tidak-mencukupi", "Anggaran tidak mencukupi"),
    ("tidak-sesuai-prioritas", "Tidak sesuai prioritas pembangunan"),
]


def isi(apps, schema_editor):
    Bidang = apps.get_model("musrenbang", "Bidang")
    AlasanKode = apps.get_model("musrenbang", "AlasanKode")
    with BERKAS_BIDANG.open(encoding="utf-8", newline="") as f:
        baris = list(csv.DictReader(f))
    induk = {}
    for b in sorted(baris, key=lambda r: (r["tingkat"] != "fungsi", r["kode"])):
        obj, _ = Bidang.objects.update_or_create(
            kode=b["kode"],
            defaults={"nama": b["nama"], "induk": induk.get(b["kode_fungsi"]) if b["tingkat"] != "fungsi" else None},
        )
        if b["tingkat"] == "fungsi":
            induk[b["kode"]] = obj
    for urutan, (kode, nama) in enumerate(ALASAN, start=1):
        AlasanKode.objects.update_or_create(kode=kode, defaults={"nama": nama, "urutan": urutan})


def hapus(apps, schema_editor):
    Bidang = apps.get_model("musrenbang", "Bidang")
    AlasanKode = apps.get_model("musrenbang", "AlasanKode")
    AlasanKode.objects.filter(kode__in=[k for k, _ in ALASAN]).delete()
    Bidang.objects.filter(induk__isnull=False).delete()
    Bidang.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("musrenbang", "0001_wilayah_siklus_opd_kamus")]
    operations = [migrations.RunPython(isi, hapus)]
