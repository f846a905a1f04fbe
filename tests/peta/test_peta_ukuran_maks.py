"""The map data body stays within 100 KB in the worst case: the bound is proven for the largest view
(peta.selectors.batas_byte_data), a view with every cell full of proposals of every status answers
within it with cluster counts that still add up, and points too long for it come as clusters."""

# ruff: noqa: S608 - the column list comes from the model; every value travels as a query parameter.
from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from peta import selectors
from peta.models import STATUS_AGREGAT, UKURAN_SEL_PX
from tests.peta.bantu import baris_usulan, json_data, minta_data
from usulan.models import Usulan
from usulan.saringan import SaringanPublik

pytestmark = pytest.mark.django_db

# Far south-west of the world: the longest coordinates there are ("-80.12345", "-170.12345").
KOTAK_LEBAR = "-178,-84,-160,-76"


def _isi_setiap_sel(siklus, desa, tampilan: selectors.Tampilan, *, per_status: int) -> int:
    """`per_status` proposals of every public status in every grid cell of `tampilan`, written by one
    INSERT … SELECT copying a template row (the aggregate trigger sees them like any other insert).
    Each point lies well inside its cell (20–80 % of the cell's width and height)."""
    [contoh] = baris_usulan(siklus, desa, desa.batas.point_on_surface)  # at Moro: outside the view
    diganti = ("id", "kode_lacak", "lokasi", "status", "status_publik")
    tetap = [f.column for f in Usulan._meta.concrete_fields if f.column not in diganti]
    sql = f"""
        INSERT INTO usulan_usulan ({", ".join(tetap)}, kode_lacak, lokasi, status, status_publik)
        SELECT {", ".join("t." + k for k in tetap)},
               format('P%%s-%%s-%%s-%%s-%%s', %(zoom)s, x, y, s.i, k),
               ST_SetSRID(ST_MakePoint(
                   (x + 0.2 + 0.6 * random()) / %(lebar)s * 360.0 - 180.0,
                   degrees(atan(sinh(pi() * (1.0 - 2.0 * (y + 0.2 + 0.6 * random()) / %(lebar)s))))
               ), 4326),
               s.status, s.status
        FROM usulan_usulan t
        CROSS JOIN generate_series(%(x0)s, %(x1)s) AS x
        CROSS JOIN generate_series(%(y0)s, %(y1)s) AS y
        CROSS JOIN unnest(%(status)s::text[]) WITH ORDINALITY AS s(status, i)
        CROSS JOIN generate_series(1, %(k)s) AS k
        WHERE t.id = %(contoh)s
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            sql,
            {
                "zoom": tampilan.zoom,
                "lebar": 256 * 2**tampilan.zoom / UKURAN_SEL_PX,
                "x0": tampilan.x0,
                "x1": tampilan.x1,
                "y0": tampilan.y0,
                "y1": tampilan.y1,
                "status": list(STATUS_AGREGAT),
                "k": per_status,
                "contoh": contoh.pk,
            },
        )
        return cursor.rowcount


def test_batas_terbukti_untuk_tampilan_terbesar():
    assert selectors.batas_byte_data() <= selectors.BYTE_MAKS_DATA == 100_000
    # The old cap of 34 cells a side could not promise it.
    assert selectors.batas_byte_data(sel_sisi=34) > selectors.BYTE_MAKS_DATA
    # The bound grows with the data, so it also holds for every smaller view and round.
    assert selectors.batas_byte_data(usulan=1) < selectors.batas_byte_data(usulan=10_000) < selectors.batas_byte_data()


@pytest.mark.parametrize(
    ("zoom", "per_status", "sumber"),
    [
        (9, 1, "agregat"),  # the prepared aggregates
        (13, 13, "langsung"),  # clustered live: 104 proposals a cell, counts of two and three digits
    ],
)
def test_setiap_sel_penuh_tetap_di_bawah_100_kb(client, siklus, desa, zoom, per_status, sumber):
    tampilan = selectors.tampilan_dari_query(KOTAK_LEBAR, str(zoom))
    sisi = selectors.MAKS_SEL_SISI
    assert (tampilan.x1 - tampilan.x0 + 1, tampilan.y1 - tampilan.y0 + 1) == (sisi, sisi)  # the largest view
    jumlah = _isi_setiap_sel(siklus, desa, tampilan, per_status=per_status)
    assert jumlah == sisi * sisi * len(STATUS_AGREGAT) * per_status

    respons = minta_data(client, KOTAK_LEBAR, zoom)
    data = json_data(respons)

    assert selectors.data_peta(tampilan=tampilan, saringan=SaringanPublik()).sumber == sumber
    assert len(respons.content) <= selectors.BYTE_MAKS_DATA
    assert len(respons.content) <= selectors.batas_byte_data(usulan=jumlah)  # the proof bounds reality
    assert data["jenis"] == "klaster" and len(data["fitur"]) == sisi * sisi  # every cell, one cluster each
    assert data["total"] == jumlah == sum(f["jumlah"] for f in data["fitur"])
    assert all(f["per_status"] == [per_status] * len(STATUS_AGREGAT) for f in data["fitur"])
    assert all(f["lat"] < -75 and f["lon"] < -159 for f in data["fitur"])


def test_titik_yang_terlalu_besar_dijawab_sebagai_klaster(client, siklus, desa, titik_moro):
    # MAKS_TITIK proposals whose shortened titles are 60 four-byte characters: as points ~170 KB.
    for i in range(selectors.MAKS_TITIK // 50):
        titik = Point(titik_moro.x + i * 0.0002, titik_moro.y, srid=4326)
        baris_usulan(siklus, desa, titik, judul="\U0001f30a" * 150, jumlah=50)
    sekitar = (titik_moro.x - 0.001, titik_moro.y - 0.001, titik_moro.x + 0.003, titik_moro.y + 0.001)

    respons = minta_data(client, sekitar, selectors.ZOOM_TITIK + 2)
    data = json_data(respons)

    assert data["total"] == selectors.MAKS_TITIK
    assert data["jenis"] == "klaster" and sum(f["jumlah"] for f in data["fitur"]) == data["total"]
    assert len(respons.content) <= selectors.BYTE_MAKS_DATA
    # With ordinary titles the same proposals are shown one by one.
    Usulan.objects.update(judul="Drainase")
    assert json_data(minta_data(client, sekitar, selectors.ZOOM_TITIK + 2))["jenis"] == "titik"
