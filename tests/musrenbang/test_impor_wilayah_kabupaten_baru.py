"""Issue 9 point 4: boundary files of a kabupaten the project has never seen, built here.

Testers imported three other kabupaten: a part nested inside another part was "repaired" by
make_valid into a hole (19 parts became 18, 0.07 km² vanished, a point there lay outside every
outline); the kecamatan and desa files of a new kabupaten could not be imported without a
hand-made code list; a mistyped --awalan imported nothing and said "done"; a code-list row with an
empty code was skipped silently.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.core.management import CommandError, call_command

from musrenbang.models import Tingkat, Wilayah
from musrenbang.selectors import wilayah_untuk_titik

PROVINSI, KABKOTA = "Sumatera Utara", "Kabupaten Labuhanbatu"


def _impor(*args: str) -> str:
    out = io.StringIO()
    call_command("impor_wilayah", *args, stdout=out)
    return out.getvalue()


def _kotak(x0: float, y0: float, x1: float, y1: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


def _fitur(kode: str, nama: str, tingkat: str, geometri: dict, **lain) -> dict:
    props = {
        "kode": kode,
        "nama": nama,
        "tingkat": tingkat,
        "kode_induk": kode.rsplit(".", 1)[0],
        "provinsi": PROVINSI,
        "kabupaten_kota": KABKOTA,
        **lain,
    }
    return {"type": "Feature", "properties": props, "geometry": geometri}


def _tulis(path: Path, fitur: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": fitur}), encoding="utf-8")
    return path


# Kecamatan 12.10.01: a main island, a small island nested inside it (as real sources have: an
# enclave drawn twice), and a part overlapping the main one. Kecamatan 12.10.02 beside it.
PULAU = _kotak(100.00, 2.00, 100.10, 2.10)
BERSARANG = _kotak(100.04, 2.04, 100.05, 2.05)
BERTUMPUK = _kotak(100.08, 2.02, 100.14, 2.06)
KEC_SATU = {"type": "MultiPolygon", "coordinates": [PULAU, BERSARANG, BERTUMPUK]}
KEC_DUA = {"type": "Polygon", "coordinates": _kotak(100.20, 2.00, 100.30, 2.10)}


@pytest.fixture
def berkas(tmp_path, db) -> dict[str, Path]:
    assert not Wilayah.objects.filter(kode__startswith="12").exists()  # nothing of Sumatera Utara yet
    kecamatan = _tulis(
        tmp_path / "kecamatan_12.10.geojson",
        [
            _fitur("12.10.01", "Bilah Hulu", "kecamatan", KEC_SATU),
            _fitur("12.10.02", "Pangkatan", "kecamatan", KEC_DUA),
        ],
    )
    desa = _tulis(
        tmp_path / "desa_12.10.geojson",
        [
            _fitur(
                "12.10.01.2001",
                "Aek Nabara",
                "desa_kelurahan",
                {"type": "Polygon", "coordinates": _kotak(100.00, 2.00, 100.05, 2.10)},
                kecamatan="Bilah Hulu",
            ),
            _fitur(
                "12.10.02.2001",
                "Pangkatan",
                "desa_kelurahan",
                {"type": "Polygon", "coordinates": _kotak(100.20, 2.00, 100.30, 2.10)},
                kecamatan="Pangkatan",
            ),
        ],
    )
    return {"kecamatan": kecamatan, "desa": desa}


def test_bagian_bersarang_dan_bertumpuk_digabung_luas_tetap(berkas):
    keluaran = _impor("--batas", str(berkas["kecamatan"]), "--batas", str(berkas["desa"]))
    batas = Wilayah.objects.get(kode="12.10.01").batas
    harapan = MultiPolygon(Polygon(*PULAU), Polygon(*BERSARANG), Polygon(*BERTUMPUK)).unary_union
    assert batas.valid and abs(batas.area - harapan.area) / harapan.area < 0.001
    # make_valid would have cut the nested island out: a point there must still be in the kecamatan.
    di_pulau_kecil = Point(100.045, 2.045, srid=4326)
    assert batas.contains(di_pulau_kecil)
    assert batas.contains(Point(100.13, 2.04, srid=4326))  # the overlapping part is kept too
    # Every repair is listed, with what it did.
    assert "Geometri tidak valid yang diperbaiki: 1" in keluaran
    (baris,) = [b for b in keluaran.splitlines() if "bagian menjadi" in b]
    assert baris.startswith("  - kecamatan_12.10.geojson fitur 1 (12.10.01): Self-intersection")
    assert "3 bagian menjadi 1" in baris and "digabung" in baris


def test_batas_karimun_bersarang_tidak_menjadi_lubang(db):
    """The shipped Karimun files have nested shells too: each repaired outline keeps the area of
    the union of its parts (before: make_valid's holes)."""
    data = Path(__file__).resolve().parents[2] / "musrenbang" / "data" / "wilayah"
    for nama in ("kecamatan_21.02.geojson", "kabkota_21.02.geojson", "desa_kelurahan_21.02.geojson"):
        for fitur in json.loads((data / nama).read_text(encoding="utf-8"))["features"]:
            asli = GEOSGeometry(json.dumps(fitur["geometry"]), srid=4326)
            if asli.valid:
                continue
            bagian = list(asli) if isinstance(asli, MultiPolygon) else [asli]
            # The union of its valid parts: an outline that keeps them all.
            gabungan = MultiPolygon([p for p in bagian if p.valid], srid=4326).unary_union
            tersimpan = Wilayah.objects.get(kode=fitur["properties"]["kode"]).batas
            assert tersimpan.area >= gabungan.area * 0.999, fitur["properties"]["kode"]


def test_kabupaten_baru_dari_berkas_kecamatan_dan_desa_saja(berkas):
    keluaran = _impor("--batas", str(berkas["kecamatan"]), "--batas", str(berkas["desa"]))
    provinsi = Wilayah.objects.get(kode="12")
    kabkota = Wilayah.objects.get(kode="12.10")
    assert (provinsi.nama, provinsi.tingkat, provinsi.induk) == (PROVINSI, Tingkat.PROVINSI, None)
    assert (kabkota.nama, kabkota.tingkat, kabkota.induk) == (KABKOTA, Tingkat.KABUPATEN_KOTA, provinsi)
    assert provinsi.batas is None and kabkota.batas is None  # a later import of their own file adds it
    desa = Wilayah.objects.select_related("induk__induk__induk").get(kode="12.10.01.2001")
    assert [desa.induk.kode, desa.induk.induk.kode, desa.induk.induk.induk.kode] == ["12.10.01", "12.10", "12"]
    assert "Induk dibuat dari properti berkas batas: 2" in keluaran
    assert f"12 {PROVINSI} (provinsi), dari kecamatan_12.10.geojson fitur 1 (12.10.01)" in keluaran
    assert f"12.10 {KABKOTA} (kabupaten/kota)" in keluaran
    # The areas work: a point in the first desa is placed in it.
    hasil = wilayah_untuk_titik(Point(100.02, 2.05, srid=4326), kabkota=kabkota)
    assert (hasil.desa.kode, hasil.kecamatan.kode) == ("12.10.01.2001", "12.10.01")

    # Again: nothing changes, and the ancestors are not created twice.
    sebelum = {w.kode: (w.pk, w.diperbarui) for w in Wilayah.objects.filter(kode__startswith="12")}
    lagi = _impor("--batas", str(berkas["kecamatan"]), "--batas", str(berkas["desa"]))
    assert {w.kode: (w.pk, w.diperbarui) for w in Wilayah.objects.filter(kode__startswith="12")} == sebelum
    assert "Induk dibuat" not in lagi

    # The kabupaten's own outline, later, fills in its boundary.
    kab = _tulis(
        berkas["desa"].with_name("kabkota_12.10.geojson"),
        [_fitur("12.10", KABKOTA, "kabupaten_kota", {"type": "Polygon", "coordinates": _kotak(99.9, 1.9, 100.4, 2.2)})],
    )
    _impor("--batas", str(kab))
    assert Wilayah.objects.get(kode="12.10").batas is not None


def test_nama_induk_berbeda_antar_fitur_ditolak(berkas, tmp_path):
    fitur = json.loads(berkas["kecamatan"].read_text(encoding="utf-8"))["features"]
    fitur[1]["properties"]["kabupaten_kota"] = "Kabupaten Labuhan Batu Lain"
    _tulis(berkas["kecamatan"], fitur)
    with pytest.raises(CommandError, match=r"induk 12\.10 bernama 'Kabupaten Labuhan Batu Lain'"):
        _impor("--batas", str(berkas["kecamatan"]))
    assert not Wilayah.objects.filter(kode__startswith="12").exists()


def test_tanpa_properti_induk_tetap_ditolak(berkas):
    fitur = json.loads(berkas["kecamatan"].read_text(encoding="utf-8"))["features"]
    for f in fitur:
        del f["properties"]["provinsi"], f["properties"]["kabupaten_kota"]
    _tulis(berkas["kecamatan"], fitur)
    with pytest.raises(CommandError, match=r"induk 12\.10 tidak ada di berkas maupun di basis data"):
        _impor("--batas", str(berkas["kecamatan"]))
    assert not Wilayah.objects.filter(kode__startswith="12").exists()


def test_awalan_yang_tidak_cocok_adalah_galat(berkas):
    with pytest.raises(CommandError, match=r"--awalan 12\.01: tidak ada kode wilayah dengan awalan ini"):
        _impor("--batas", str(berkas["kecamatan"]), "--batas", str(berkas["desa"]), "--awalan", "12.01")
    assert not Wilayah.objects.filter(kode__startswith="12").exists()
    # The right one works.
    _impor("--batas", str(berkas["kecamatan"]), "--batas", str(berkas["desa"]), "--awalan", "12.10")
    assert Wilayah.objects.filter(kode__startswith="12.10.").count() == 4


def test_baris_csv_kode_kosong_adalah_galat(berkas, tmp_path):
    path = tmp_path / "kode.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        tulis = csv.writer(f)
        tulis.writerow(["kode", "nama", "tingkat", "kode_induk"])
        tulis.writerow(["12", PROVINSI, "provinsi", ""])
        tulis.writerow(["12.10", KABKOTA, "kabupaten_kota", "12"])
        tulis.writerow(["", "Bilah Hilir", "kecamatan", "12.10"])
    with pytest.raises(CommandError, match=r"kode\.csv baris 4: kode kosong"):
        _impor("--kode", str(path), "--batas", str(berkas["kecamatan"]), "--awalan", "12.10")
    assert not Wilayah.objects.filter(kode__startswith="12").exists()


def test_kode_berisi_spasi_adalah_galat_juga_dengan_awalan(berkas, tmp_path):
    path = _tulis(
        tmp_path / "kecamatan_spasi.geojson",
        [
            _fitur("12.10.02", "Pangkatan", "kecamatan", KEC_DUA),
            {**_fitur("12.10.03", "Tanpa Kode", "kecamatan", KEC_DUA), "properties": {"kode": "   ", "nama": "X"}},
        ],
    )
    with pytest.raises(CommandError, match=r"kecamatan_spasi\.geojson fitur 2: properti 'kode' tidak ada"):
        _impor("--batas", str(path), "--awalan", "12.10")
    assert not Wilayah.objects.filter(kode__startswith="12").exists()


def test_setiap_perbaikan_menyebut_luas_sebelum_dan_sesudah(tmp_path, db):
    # Two parts overlapping by a sliver (0.02 % of the area): repaired, listed, not flagged.
    sedikit = {
        "type": "MultiPolygon",
        "coordinates": [_kotak(100.0, 2.0, 100.1, 2.1), _kotak(100.09998, 2.0, 100.2, 2.1)],
    }
    path = _tulis(
        tmp_path / "kecamatan_luas.geojson",
        [
            _fitur("12.10.01", "Bilah Hulu", "kecamatan", KEC_SATU),
            _fitur("12.10.02", "Pangkatan", "kecamatan", sedikit),
        ],
    )
    keluaran = _impor("--batas", str(path))
    baris = {b.split(": ", 1)[0]: b for b in keluaran.splitlines() if "bagian menjadi" in b}
    satu = baris["  - kecamatan_luas.geojson fitur 1 (12.10.01)"]
    dua = baris["  - kecamatan_luas.geojson fitur 2 (12.10.02)"]
    luas = [float(x) for x in re.findall(r"luas ([\d.]+) km² menjadi ([\d.]+) km²", satu)[0]]
    # The nested island and the overlap were drawn twice: counted once now, a change worth a look.
    assert luas[0] > luas[1] > 0 and "PERIKSA: luas berubah -" in satu
    luas_dua = [float(x) for x in re.findall(r"luas ([\d.]+) km² menjadi ([\d.]+) km²", dua)[0]]
    assert 0 < luas_dua[0] - luas_dua[1] < luas_dua[0] * 0.001 and "PERIKSA" not in dua
