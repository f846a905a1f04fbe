"""impor_wilayah: counts, idempotency, repaired geometry, and bad files rejected with nothing written."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from musrenbang.models import Tingkat, Wilayah

DATA = Path(__file__).resolve().parents[2] / "musrenbang" / "data" / "wilayah"


def _impor(*args: str) -> str:
    out = io.StringIO()
    call_command("impor_wilayah", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kosong(db):
    """Start from no areas at all (the session import is rolled back after the test)."""
    for tingkat in reversed(Tingkat.values):
        Wilayah.objects.filter(tingkat=tingkat).delete()


def test_impor_karimun_memuat_14_kecamatan_dan_71_desa(kosong):
    keluaran = _impor()
    assert Wilayah.objects.filter(tingkat=Tingkat.KECAMATAN, kode__startswith="21.02.").count() == 14
    assert Wilayah.objects.filter(tingkat=Tingkat.DESA_KELURAHAN, kode__startswith="21.02.").count() == 71
    assert Wilayah.objects.filter(tingkat=Tingkat.KABUPATEN_KOTA).get().kode == "21.02"
    assert Wilayah.objects.filter(batas__isnull=True).count() == 1  # only the provinsi has no polygon here
    assert "Desa/kelurahan: 71 (baru 71, diubah 0, tetap 0)" in keluaran
    desa = Wilayah.objects.select_related("induk__induk").get(kode="21.02.01.1003")
    assert (desa.nama, desa.induk.kode, desa.induk.induk.kode) == ("Moro", "21.02.01", "21.02")


def test_impor_dua_kali_tidak_mengubah_apa_pun(kosong):
    _impor()
    sebelum = {w.kode: (w.pk, w.diperbarui) for w in Wilayah.objects.all()}
    keluaran = _impor()
    assert {w.kode: (w.pk, w.diperbarui) for w in Wilayah.objects.all()} == sebelum
    assert "Desa/kelurahan: 71 (baru 0, diubah 0, tetap 71)" in keluaran
    assert "Kecamatan: 14 (baru 0, diubah 0, tetap 14)" in keluaran


def test_geometri_tidak_valid_diperbaiki(kosong):
    keluaran = _impor()
    # The source has 4 invalid polygons (nested shells, a hole outside its shell).
    assert "Geometri tidak valid yang diperbaiki: 4" in keluaran
    assert "kecamatan_21.02.geojson fitur 9 (21.02.09): Hole lies outside shell" in keluaran
    assert not Wilayah.objects.filter(batas__isvalid=False).exists()
    assert Wilayah.objects.filter(batas__isvalid=True).count() == 86


def test_perubahan_nama_di_daftar_kode_diperbarui(karimun, tmp_path):
    csv_baru = tmp_path / "kode.csv"
    teks = (DATA / "kode_wilayah_21.02.csv").read_text(encoding="utf-8")
    csv_baru.write_text(teks.replace("21.02.01.1003,Moro,", "21.02.01.1003,Moro Kota,"), encoding="utf-8")
    keluaran = _impor("--kode", str(csv_baru), "--awalan", "21.02")
    assert "Desa/kelurahan: 71 (baru 0, diubah 1, tetap 70)" in keluaran
    desa = Wilayah.objects.get(kode="21.02.01.1003")
    assert desa.nama == "Moro Kota"
    assert desa.batas is not None  # a code-list-only import keeps the polygon


def _salin_geojson(tmp_path: Path, ubah) -> Path:
    data = json.loads((DATA / "desa_kelurahan_21.02.geojson").read_text(encoding="utf-8"))
    ubah(data)
    path = tmp_path / "desa_rusak.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _tanpa_perubahan(tmp_path: Path, berkas: Path, pesan: str) -> None:
    sebelum = sorted(Wilayah.objects.values_list("kode", "nama", "diperbarui"))
    jumlah = Wilayah.objects.count()
    with pytest.raises(CommandError) as galat:
        _impor("--kode", str(DATA / "kode_wilayah_21.02.csv"), "--batas", str(berkas), "--awalan", "21.02")
    assert "basis data tidak diubah" in str(galat.value)
    assert pesan in str(galat.value)
    assert Wilayah.objects.count() == jumlah
    assert sorted(Wilayah.objects.values_list("kode", "nama", "diperbarui")) == sebelum


def test_json_rusak_ditolak_tanpa_menulis(karimun, tmp_path):
    path = tmp_path / "rusak.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    _tanpa_perubahan(tmp_path, path, "rusak.geojson: bukan GeoJSON yang dapat dibaca")


def test_geometri_titik_ditolak_dengan_nomor_fitur(karimun, tmp_path):
    def ubah(data):
        data["features"][4]["geometry"] = {"type": "Point", "coordinates": [103.5, 0.8]}
        data["features"][0]["properties"]["nama"] = "Nama Baru Yang Tidak Boleh Tersimpan"

    kode = json.loads((DATA / "desa_kelurahan_21.02.geojson").read_text())["features"][4]["properties"]["kode"]
    path = _salin_geojson(tmp_path, ubah)
    _tanpa_perubahan(tmp_path, path, f"desa_rusak.geojson fitur 5 ({kode}): geometri harus Polygon atau MultiPolygon")


def test_kode_salah_format_dan_induk_salah_ditolak(karimun, tmp_path):
    def ubah(data):
        data["features"][1]["properties"]["kode"] = "21.02.01.99"
        data["features"][2]["properties"]["kode_induk"] = "21.02.07"

    path = _salin_geojson(tmp_path, ubah)
    _tanpa_perubahan(tmp_path, path, "fitur 2 (21.02.01.99): kode '21.02.01.99' tidak sesuai format")
    with pytest.raises(CommandError, match=r"fitur 3 \(.*\): kode_induk '21.02.07' bukan induk"):
        _impor("--batas", str(path), "--awalan", "21.02")


def test_csv_tanpa_kolom_wajib_ditolak(karimun, tmp_path):
    path = tmp_path / "kode.csv"
    path.write_text("kode;nama\n21.02;Karimun\n", encoding="utf-8")
    jumlah = Wilayah.objects.count()
    with pytest.raises(CommandError, match=r"kode\.csv: kolom wajib"):
        _impor("--kode", str(path))
    assert Wilayah.objects.count() == jumlah


def test_induk_yang_tidak_ada_ditolak(kosong, tmp_path):
    # Kecamatan without their kabupaten, and no names for it in the file's properties: nothing may be
    # written, not even the valid ones. (With the names, the ancestors are created: see
    # test_impor_wilayah_kabupaten_baru.py.)
    data = json.loads((DATA / "kecamatan_21.02.geojson").read_text(encoding="utf-8"))
    for fitur in data["features"]:
        fitur["properties"].pop("provinsi")
        fitur["properties"].pop("kabupaten_kota")
    path = tmp_path / "kec.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match=r"induk 21\.02 tidak ada di berkas maupun di basis data"):
        _impor("--batas", str(path))
    assert Wilayah.objects.count() == 0


def test_kecamatan_karimun_saja_membuat_induknya(kosong):
    keluaran = _impor("--batas", str(DATA / "kecamatan_21.02.geojson"))
    assert Wilayah.objects.get(kode="21").nama == "Kepulauan Riau"
    assert Wilayah.objects.get(kode="21.02").nama == "Kabupaten Karimun"
    assert Wilayah.objects.filter(tingkat=Tingkat.KECAMATAN).count() == 14
    assert "Induk dibuat dari properti berkas batas: 2" in keluaran


def test_kode_tetap_teks_bukan_angka(kosong, tmp_path):
    # 12.10 is Labuhanbatu, 12.1 would be nothing: codes must never pass through a float.
    path = tmp_path / "kode.csv"
    path.write_text(
        "kode,nama,tingkat,kode_induk\n12,Sumatera Utara,provinsi,\n12.10,Kabupaten Labuhanbatu,kabupaten_kota,12\n",
        encoding="utf-8",
    )
    _impor("--kode", str(path))
    assert Wilayah.objects.get(nama="Kabupaten Labuhanbatu").kode == "12.10"


def _csv_desa_banyak(tmp_path: Path, jumlah: int, nama_desa=lambda i: f"Desa Uji {i}") -> Path:
    baris = [
        "kode,nama,tingkat,kode_induk",
        "21,Kepulauan Riau,provinsi,",
        "21.02,Kabupaten Karimun,kabupaten_kota,21",
        "21.02.01,Moro,kecamatan,21.02",
    ]
    baris += [f"21.02.01.{2000 + i},{nama_desa(i)},desa_kelurahan,21.02.01" for i in range(1, jumlah + 1)]
    path = tmp_path / "kode_banyak.csv"
    path.write_text("\n".join(baris) + "\n", encoding="utf-8")
    return path


def test_impor_panjang_menampilkan_kemajuan_tiap_sepuluh_persen(kosong, tmp_path):
    keluaran = _impor("--kode", str(_csv_desa_banyak(tmp_path, 250)))
    kemajuan = [b.strip() for b in keluaran.splitlines() if b.strip().startswith("…")]
    assert len(kemajuan) == 10
    assert kemajuan[0] == "… 26/253" and kemajuan[-1] == "… 253/253"
    # Progress comes before the summary, which still counts everything.
    assert keluaran.index("… 253/253") < keluaran.index("Desa/kelurahan: 250 (baru 250, diubah 0, tetap 0)")


def test_impor_pendek_tanpa_baris_kemajuan(kosong):
    assert "…" not in _impor()


def test_nama_terlalu_panjang_ditolak_dengan_nomor_baris(kosong, tmp_path):
    path = _csv_desa_banyak(tmp_path, 5, nama_desa=lambda i: "Desa " + "x" * 200 if i == 4 else f"Desa {i}")
    with pytest.raises(CommandError) as galat:
        _impor("--kode", str(path))
    assert "kode_banyak.csv baris 8: nama 205 karakter, paling banyak 100" in str(galat.value)
    assert "basis data tidak diubah" in str(galat.value)
    assert Wilayah.objects.count() == 0


def test_galat_saat_menulis_tetap_menyebut_baris_tanpa_menulis(kosong, tmp_path):
    # --sumber longer than the column is caught only by the model, inside the write transaction: the
    # command must still say where (not a traceback) and leave nothing behind.
    with pytest.raises(CommandError) as galat:
        _impor("--kode", str(_csv_desa_banyak(tmp_path, 3)), "--sumber", "s" * 250)
    assert "basis data tidak diubah" in str(galat.value)
    assert "kode_banyak.csv baris 2:" in str(galat.value)
    assert Wilayah.objects.count() == 0
