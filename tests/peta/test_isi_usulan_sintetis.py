"""manage.py isi_usulan_sintetis: exactly N realistic, clearly marked proposals inside real polygons,
valid for every constraint, with published reasons; national mode from a kabupaten/kota GeoJSON."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F

from musrenbang.models import Tingkat, Wilayah
from peta.management.commands.isi_usulan_sintetis import CAMPURAN_STATUS
from tests.peta.bantu import agregat_dari_nol, agregat_tersimpan
from usulan.models import RiwayatStatus, Usulan

pytestmark = pytest.mark.django_db


def _di_luar_desanya() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM usulan_usulan u JOIN musrenbang_wilayah d ON d.id = u.desa_id
               WHERE NOT ST_Covers(d.batas, u.lokasi) OR u.kecamatan_id <> d.induk_id"""
        )
        return cursor.fetchone()[0]


def test_mengisi_tepat_n_usulan_di_dalam_desa_karimun(siklus):
    keluaran = io.StringIO()
    call_command("isi_usulan_sintetis", jumlah=700, ukuran_batch=300, stdout=keluaran)
    assert "700" in keluaran.getvalue()
    semua = Usulan.objects.all()
    assert semua.count() == 700
    assert not semua.exclude(kode_lacak__regex=rf"^SIN-{siklus.tahun}-\d{{7}}$").exists()
    assert semua.filter(siklus=siklus, nama_pengusul__contains="sintetis", tampilkan_nama=False).count() == 700
    assert _di_luar_desanya() == 0
    assert semua.values("desa").distinct().count() > 30
    statuses = dict(semua.values_list("status_publik").annotate(n=Count("pk")))
    assert set(statuses) == {s for s, _ in CAMPURAN_STATUS}
    assert statuses["diterima"] > statuses["ditarik"]
    assert not semua.exclude(status=F("status_publik")).exists()
    # Rejections carry a published reason code and note; acceptances the publication's text.
    ditolak = RiwayatStatus.objects.filter(usulan__status_publik="ditolak", aksi="tolak")
    assert ditolak.count() == statuses["ditolak"]
    assert not ditolak.filter(alasan_kode__isnull=True).exists() and not ditolak.filter(catatan="").exists()
    assert (
        RiwayatStatus.objects.filter(aksi="terbitkan", catatan__startswith="Diterima dalam RKPD").count()
        == statuses["diterima"]
    )
    assert agregat_tersimpan() == agregat_dari_nol()
    # A second run continues the numbering.
    call_command("isi_usulan_sintetis", jumlah=5, benih=9, stdout=io.StringIO())
    assert Usulan.objects.filter(kode_lacak=f"SIN-{siklus.tahun}-0000705").exists()


def test_mode_nasional_dari_geojson(tmp_path, siklus, kecamatan, desa_lain):
    # Two "kabupaten/kota" polygons (real Karimun kecamatan outlines under made-up codes).
    fitur = [
        {
            "type": "Feature",
            "properties": {"kode": kode, "nama": nama, "kode_induk": "98", "provinsi": "Provinsi Uji"},
            "geometry": json.loads(w.batas.geojson),
        }
        for kode, nama, w in (("98.01", "Kabupaten Uji Satu", kecamatan), ("98.02", "Kota Uji Dua", desa_lain.induk))
    ]
    berkas = tmp_path / "kabkota.geojson"
    berkas.write_text(json.dumps({"type": "FeatureCollection", "features": fitur}))

    call_command("isi_usulan_sintetis", jumlah=400, batas=berkas, stdout=io.StringIO())

    assert Wilayah.objects.get(kode="98", tingkat=Tingkat.PROVINSI).nama == "Provinsi Uji"
    kab = Wilayah.objects.get(kode="98.02")
    desa_sintetis = Wilayah.objects.get(kode="98.02.99.9999")
    assert desa_sintetis.induk.kode == "98.02.99" and desa_sintetis.induk.induk == kab
    assert desa_sintetis.sumber.startswith("sintetis")
    assert Usulan.objects.count() == 400
    assert set(Usulan.objects.values_list("desa__kode", flat=True)) == {"98.01.99.9999", "98.02.99.9999"}
    assert _di_luar_desanya() == 0
    assert agregat_tersimpan() == agregat_dari_nol()


def test_masukan_salah(tmp_path, siklus):
    with pytest.raises(CommandError, match="--jumlah"):
        call_command("isi_usulan_sintetis", jumlah=0, stdout=io.StringIO())
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("isi_usulan_sintetis", jumlah=5, batas=tmp_path / "tidak-ada.geojson", stdout=io.StringIO())
    rusak = tmp_path / "rusak.geojson"
    rusak.write_text('{"type": "FeatureCollection", "features": [{"properties": {"kode": "x"}, "geometry": null}]}')
    with pytest.raises(CommandError, match="fitur 1"):
        call_command("isi_usulan_sintetis", jumlah=5, batas=rusak, stdout=io.StringIO())
    assert not Usulan.objects.exists()
