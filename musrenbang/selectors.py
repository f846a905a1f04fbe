"""Reads of the reference data: the deployment's area, point-in-desa lookups, the active round, and
whether an account identity (e-mail, phone) is taken."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection
from django.utils.translation import gettext as _

from musrenbang.models import Siklus, Tingkat, Wilayah


class LokasiTidakValid(ValueError):
    """The point cannot be placed in the deployment's area; the message is for a person to read."""


@dataclass(frozen=True)
class LokasiWilayah:
    desa: Wilayah
    kecamatan: Wilayah
    # False when the point lies in no desa polygon but within the tolerance of one (coastal slivers).
    di_dalam_batas: bool
    jarak_m: float


def kabkota_deployment() -> Wilayah:
    """The kabupaten/kota this deployment serves (settings.MUSRENBANG_KODE_KABKOTA).

    Raises LokasiTidakValid when its areas have not been imported yet.
    """
    try:
        return Wilayah.objects.get(kode=settings.MUSRENBANG_KODE_KABKOTA, tingkat=Tingkat.KABUPATEN_KOTA)
    except Wilayah.DoesNotExist:
        raise LokasiTidakValid(
            _("Data wilayah %(kode)s belum dimuat. Jalankan manage.py impor_wilayah.")
            % {"kode": settings.MUSRENBANG_KODE_KABKOTA}
        ) from None


def titik_dari_koordinat(lat: float | str, lon: float | str) -> Point:
    """A WGS84 point from latitude/longitude, refusing values that are not a place on Earth."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise LokasiTidakValid(_("Koordinat harus berupa angka.")) from None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)):
        raise LokasiTidakValid(_("Koordinat harus berupa angka."))
    if not -90 <= lat_f <= 90:
        raise LokasiTidakValid(_("Lintang harus di antara -90 dan 90."))
    if not -180 <= lon_f <= 180:
        raise LokasiTidakValid(_("Bujur harus di antara -180 dan 180."))
    return Point(lon_f, lat_f, srid=4326)


# One query, using the GiST index on the boundary (the && prefilter). Where real polygons overlap the
# choice is deterministic: a desa that contains the point beats one that is only near it; then a desa
# whose own kecamatan also contains the point; then the nearest; then the smaller area; then the code.
_SQL_DESA_UNTUK_TITIK = """
WITH p AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS g)
SELECT d.id,
       ST_Covers(d.batas, p.g) AS di_dalam,
       ST_Distance(d.batas::geography, p.g::geography) AS jarak
FROM musrenbang_wilayah d
JOIN musrenbang_wilayah k ON k.id = d.induk_id
CROSS JOIN p
WHERE d.tingkat = 'desa_kelurahan'
  AND k.induk_id = %(kabkota_id)s
  AND d.batas && ST_Expand(p.g, %(derajat)s)
  AND ST_DWithin(d.batas::geography, p.g::geography, %(toleransi)s)
ORDER BY di_dalam DESC,
         COALESCE(ST_Covers(k.batas, p.g), false) DESC,
         jarak ASC,
         ST_Area(d.batas) ASC,
         d.kode ASC
LIMIT 1
"""


def wilayah_untuk_titik(titik: Point, *, kabkota: Wilayah | None = None) -> LokasiWilayah:
    """Which desa/kelurahan (and kecamatan) of the deployment's kabupaten/kota holds this point?

    Answers deterministically where neighbouring polygons overlap or a kelurahan pokes outside its
    kecamatan; a point in a sliver between simplified polygons within
    settings.MUSRENBANG_TOLERANSI_BATAS_M of a desa goes to the nearest one. Raises LokasiTidakValid,
    naming the kabupaten/kota, for a point outside it.
    """
    kabkota = kabkota or kabkota_deployment()
    if titik.srid not in (None, 4326):
        # A transformed point is still a Point (the stubs answer GEOSGeometry).
        titik = titik.transform(4326, clone=True)  # type: ignore[assignment]
    toleransi = float(settings.MUSRENBANG_TOLERANSI_BATAS_M)
    # Degrees of longitude shrink with latitude; the prefilter box must cover the tolerance.
    derajat = toleransi / 111_000 / max(math.cos(math.radians(titik.y)), 0.01) + 1e-6
    with connection.cursor() as cursor:
        cursor.execute(
            _SQL_DESA_UNTUK_TITIK,
            {"lon": titik.x, "lat": titik.y, "kabkota_id": kabkota.pk, "derajat": derajat, "toleransi": toleransi},
        )
        baris = cursor.fetchone()
    if baris is None:
        raise LokasiTidakValid(
            _("Lokasi ini berada di luar wilayah %(kabkota)s. Pilih titik di dalam %(kabkota)s.")
            % {"kabkota": kabkota.nama}
        )
    desa = Wilayah.objects.select_related("induk").get(pk=baris[0])
    # A desa/kelurahan always lies in a kecamatan (the import checks it); only a kabupaten has no parent.
    kecamatan: Wilayah = desa.induk  # type: ignore[assignment]
    return LokasiWilayah(desa=desa, kecamatan=kecamatan, di_dalam_batas=bool(baris[1]), jarak_m=float(baris[2]))


def siklus_aktif(kabkota: Wilayah | None = None) -> Siklus | None:
    """The active planning round of the deployment's kabupaten/kota, with its calendar prefetched."""
    kode = kabkota.kode if kabkota else settings.MUSRENBANG_KODE_KABKOTA
    return (
        Siklus.objects.filter(kabkota__kode=kode, aktif=True)
        .select_related("kabkota")
        .prefetch_related("jadwaltahapan_set")
        .first()
    )
