"""Point-in-desa lookups on Karimun's real (simplified, overlapping) boundaries."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from musrenbang.models import Tingkat, Wilayah
from musrenbang.selectors import LokasiTidakValid, titik_dari_koordinat, wilayah_untuk_titik


def test_titik_di_dalam_desa(karimun):
    moro = Wilayah.objects.get(kode="21.02.01.1003")
    titik = moro.batas.point_on_surface
    lokasi = wilayah_untuk_titik(titik)
    assert lokasi.desa == moro
    assert lokasi.kecamatan.kode == "21.02.01"
    assert lokasi.di_dalam_batas
    assert lokasi.jarak_m == 0


def test_setiap_desa_ditemukan_dari_titik_di_dalamnya(karimun, django_assert_num_queries):
    desa = list(Wilayah.objects.filter(tingkat=Tingkat.DESA_KELURAHAN).select_related("induk"))
    assert len(desa) == 71
    salah = []
    for d in desa:
        titik = d.batas.point_on_surface
        with django_assert_num_queries(2):  # the spatial query + loading the desa with its kecamatan
            lokasi = wilayah_untuk_titik(titik, kabkota=karimun)
        # In an overlap the point may belong to a neighbour, but never to a desa that misses it.
        if lokasi.desa != d and not lokasi.desa.batas.covers(titik):
            salah.append(d.kode)
    assert salah == []


def test_tumpang_tindih_dijawab_deterministik(karimun):
    # 21.02.05.2007 (kecamatan 21.02.05) and 21.02.10.1001 (kecamatan 21.02.10) overlap here; only
    # 21.02.05's polygon also covers the point, so the desa of that kecamatan wins — every time.
    titik = Point(103.35940125633786, 1.124183565424692, srid=4326)
    pemilik = set(
        Wilayah.objects.filter(tingkat=Tingkat.DESA_KELURAHAN, batas__covers=titik).values_list("kode", flat=True)
    )
    assert pemilik == {"21.02.05.2007", "21.02.10.1001"}
    hasil = {wilayah_untuk_titik(titik).desa.kode for _ in range(5)}
    assert hasil == {"21.02.05.2007"}


def test_kelurahan_yang_keluar_dari_kecamatannya(karimun):
    # Buluh Patah's polygon pokes outside kecamatan 21.02.14's (and the kabupaten's) simplified outline.
    titik = Point(103.90510340554425, 0.78398871050004, srid=4326)
    assert not Wilayah.objects.get(kode="21.02.14").batas.covers(titik)
    lokasi = wilayah_untuk_titik(titik)
    assert lokasi.desa.kode == "21.02.14.2006"
    assert lokasi.kecamatan.kode == "21.02.14"  # the desa's own kecamatan, not the polygon's


def test_titik_di_celah_dekat_desa_masuk_desa_terdekat(karimun, settings):
    moro = Wilayah.objects.get(kode="21.02.01.1003")
    # Just outside Moro's outline (about 50 m out), in no other desa.
    tepi = moro.batas.buffer(0.0005).boundary
    titik = None
    for garis in tepi if tepi.geom_type.startswith("Multi") else [tepi]:
        for x, y in garis.coords:
            p = Point(x, y, srid=4326)
            if not Wilayah.objects.filter(tingkat=Tingkat.DESA_KELURAHAN, batas__intersects=p.buffer(0.0001)).exists():
                titik = p
                break
        if titik:
            break
    assert titik is not None
    settings.MUSRENBANG_TOLERANSI_BATAS_M = 300
    lokasi = wilayah_untuk_titik(titik)
    assert lokasi.desa == moro and not lokasi.di_dalam_batas and 20 < lokasi.jarak_m < 100
    settings.MUSRENBANG_TOLERANSI_BATAS_M = 10
    with pytest.raises(LokasiTidakValid):
        wilayah_untuk_titik(titik)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (1.2903, 103.8519),  # Singapore, 30 km from Karimun
        (-6.2088, 106.8456),  # Jakarta
        (0.0, 0.0),  # "null island"
    ],
)
def test_titik_di_luar_kabupaten_ditolak_dengan_pesan(karimun, lat, lon):
    with pytest.raises(LokasiTidakValid, match="di luar wilayah Kabupaten Karimun"):
        wilayah_untuk_titik(titik_dari_koordinat(lat, lon))


@pytest.mark.parametrize(
    ("lat", "lon", "pesan"),
    [
        ("abc", "103", "Koordinat harus berupa angka"),
        ("nan", "103", "Koordinat harus berupa angka"),
        ("inf", "103", "Koordinat harus berupa angka"),
        ("91", "103", "Lintang harus di antara -90 dan 90"),
        ("0.8", "181", "Bujur harus di antara -180 dan 180"),
    ],
)
def test_koordinat_tidak_valid(lat, lon, pesan):
    with pytest.raises(LokasiTidakValid, match=pesan):
        titik_dari_koordinat(lat, lon)


def test_data_wilayah_belum_dimuat(db, settings):
    settings.MUSRENBANG_KODE_KABKOTA = "35.78"
    with pytest.raises(LokasiTidakValid, match=r"Data wilayah 35\.78 belum dimuat"):
        wilayah_untuk_titik(Point(112.75, -7.25, srid=4326))


def test_pencarian_memakai_indeks_spasial(karimun):
    """With 71 desa the planner may scan the table anyway; with scans off it must be able to use the
    GiST index on the boundary, so a national import (83 000 desa) stays fast."""
    from django.db import connection, transaction

    from musrenbang.selectors import _SQL_DESA_UNTUK_TITIK

    titik = Wilayah.objects.get(kode="21.02.01.1003").batas.point_on_surface
    parameter = {"lon": titik.x, "lat": titik.y, "kabkota_id": karimun.pk, "derajat": 0.003, "toleransi": 300.0}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes "
            "WHERE tablename = 'musrenbang_wilayah' AND indexdef LIKE '%%gist (batas)%%'"
        )
        (indeks,) = cursor.fetchone()
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + _SQL_DESA_UNTUK_TITIK, parameter)
        rencana = "\n".join(baris[0] for baris in cursor.fetchall())
    assert f"Index Scan using {indeks} on musrenbang_wilayah d" in rencana, rencana
    assert "Index Cond: (batas && " in rencana, rencana
