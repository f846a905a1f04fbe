"""CSV download of the published proposals: exact columns, public values only, the map's filters,
streamed with a constant number of queries, formulas neutralised."""

from __future__ import annotations

import csv
import io
import json
import subprocess

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from data_terbuka.proyeksi import KOLOM_PUBLIK
from tests import factories
from tests.peta_data.bantu import buat, isi_unduhan


def _baris(client, **query) -> tuple[list[str], dict[str, dict[str, str]]]:
    respons = client.get(reverse("data:csv"), query)
    assert respons.status_code == 200
    pembaca = csv.reader(io.StringIO(isi_unduhan(respons).decode("utf-8-sig")))
    kepala = next(pembaca)
    return kepala, {b[0]: dict(zip(kepala, b, strict=True)) for b in pembaca}


def test_kolom_persis_dan_nilai_publik(client, ronde, opd):
    respons = client.get(reverse("data:csv"))
    assert respons.streaming
    assert respons["Content-Type"] == "text/csv; charset=utf-8"
    tanggal = timezone.localdate().isoformat()
    assert respons["Content-Disposition"] == f'attachment; filename="usulan-musrenbang-2102-{tanggal}.csv"'

    kepala, baris = _baris(client)
    assert tuple(kepala) == KOLOM_PUBLIK
    assert set(baris) == {u.kode_lacak for u in ronde.semua()}

    ditolak = baris[ronde.ditolak.kode_lacak]
    assert (ditolak["status"], ditolak["status_label"]) == ("ditolak", "Ditolak")
    assert ditolak["alasan"] == "Lokasi tidak jelas: Titik di laut"
    assert ditolak["desa_kode"] == "21.02.01.1003" and ditolak["kecamatan"] == "Moro"
    assert ditolak["tautan"] == f"http://testserver/usulan/lacak/{ronde.ditolak.kode_lacak}/"
    assert float(ditolak["lat"]) == round(ronde.ditolak.lokasi.y, 7)
    assert float(ditolak["lon"]) == round(ronde.ditolak.lokasi.x, 7)

    diterima = baris[ronde.diterima.kode_lacak]
    assert diterima["status"] == "diterima"
    assert (diterima["opd_pelaksana"], diterima["pagu"]) == (opd.nama, "125000000")
    assert diterima["alasan"].startswith("Diterima dalam RKPD") and "Prioritas banjir" in diterima["alasan"]
    assert diterima["volume"] == "100"  # the proposal's own volume; the agreed one is in the decision text

    # Named only where the proposer opted in.
    assert baris[ronde.lolos_desa.kode_lacak]["nama_pengusul"] == "Ketua RW 02 Terbuka"
    assert baris[ronde.diajukan.kode_lacak]["nama_pengusul"] == ""
    # A decision not yet published: still the public status, no OPD, no budget, no reason.
    rahasia = baris[ronde.rahasia.kode_lacak]
    assert (rahasia["status"], rahasia["opd_pelaksana"], rahasia["pagu"], rahasia["alasan"]) == (
        "lolos_kecamatan",
        "",
        "",
        "",
    )


def test_saringan_peta_berlaku(client, ronde, kecamatan, karimun):
    _, baris = _baris(client, status="ditolak,diterima")
    assert set(baris) == {ronde.ditolak.kode_lacak, ronde.diterima.kode_lacak}
    _, baris = _baris(client, q="posyandu")
    assert set(baris) == {ronde.lolos_desa.kode_lacak}
    _, baris = _baris(client, kecamatan=kecamatan.pk)
    assert len(baris) == 5
    # A round that is not the active one is left out unless asked for.
    lama = factories.buat_siklus(karimun, tahun=2020, aktif=False)
    ronde.diajukan.__class__.objects.filter(pk=ronde.diajukan.pk).update(siklus=lama)
    _, baris = _baris(client)
    assert ronde.diajukan.kode_lacak not in baris
    _, baris = _baris(client, siklus=lama.pk)
    assert set(baris) == {ronde.diajukan.kode_lacak}


def test_rumus_dinetralkan(client, warga, desa, siklus):
    u = buat(warga, desa, siklus, '=HYPERLINK("http://contoh.test","klik")', permasalahan="+SUM(1,2)")
    _, baris = _baris(client)
    assert baris[u.kode_lacak]["judul"] == '\'=HYPERLINK("http://contoh.test","klik")'
    assert baris[u.kode_lacak]["permasalahan"] == "'+SUM(1,2)"


def test_jumlah_kueri_tetap(client, ronde, warga, desa, siklus):
    def hitung() -> int:
        with CaptureQueriesContext(connection) as kueri:
            isi_unduhan(client.get(reverse("data:csv")))
        return len(kueri)

    sedikit = hitung()
    for i in range(3):
        buat(warga, desa, siklus, f"Usulan tambahan {i}")
    # The active round (2), the rows (1), and the read transaction's savepoint and release.
    assert hitung() == sedikit <= 5


def test_bom_utf8_untuk_excel_dan_terbaca_gdal(client, ronde, tmp_path):
    """Excel on Windows needs the byte-order mark to read UTF-8; Python's csv (utf-8-sig) and GDAL's
    CSV driver (ogr2ogr, as a data journalist would convert it) still read the file."""
    isi = isi_unduhan(client.get(reverse("data:csv")))
    assert isi.startswith(b"\xef\xbb\xbfkode_lacak,")
    assert isi.count(b"\xef\xbb\xbf") == 1
    kepala, baris = _baris(client)
    assert kepala[0] == "kode_lacak" and set(baris) == {u.kode_lacak for u in ronde.semua()}

    berkas = tmp_path / "usulan.csv"
    berkas.write_bytes(isi)
    keluaran = tmp_path / "usulan.geojson"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            str(keluaran),
            str(berkas),
            "-oo",
            "X_POSSIBLE_NAMES=lon",
            "-oo",
            "Y_POSSIBLE_NAMES=lat",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    fitur = json.loads(keluaran.read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["kode_lacak"] for f in fitur} == set(baris)
    desa = {f["properties"]["desa"] for f in fitur}
    assert desa == {b["desa"] for b in baris.values()}
    pertama = fitur[0]
    assert pertama["geometry"]["type"] == "Point"
    assert pertama["geometry"]["coordinates"] == [
        float(baris[pertama["properties"]["kode_lacak"]]["lon"]),
        float(baris[pertama["properties"]["kode_lacak"]]["lat"]),
    ]
