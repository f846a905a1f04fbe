"""Every dashboard table downloads as CSV that parses and matches the selectors."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from dasbor import statistik
from dasbor.views import TABEL_CSV
from musrenbang.models import JadwalTahapan, Tahapan

URL = "/dasbor/"


def _csv(client, bappeda, tabel: str, **param) -> tuple[list[str], list[dict[str, str]], object]:
    client.force_login(bappeda)
    jawab = client.get(URL, {"format": "csv", "tabel": tabel, **param})
    assert jawab.status_code == 200, jawab.content
    isi = b"".join(jawab.streaming_content)
    assert isi.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    teks = isi.decode("utf-8-sig")
    baca = csv.DictReader(io.StringIO(teks))
    return list(baca.fieldnames or []), list(baca), jawab


@pytest.mark.parametrize("tabel", list(TABEL_CSV))
def test_setiap_tabel_terunduh(client, bappeda, skenario, tabel):
    kolom, _baris, jawab = _csv(client, bappeda, tabel)
    assert kolom == list(TABEL_CSV[tabel].kolom)
    assert jawab["Content-Type"] == "text/csv; charset=utf-8"
    assert jawab["Content-Disposition"] == f'attachment; filename="dasbor-{tabel}-{skenario.siklus.tahun}.csv"'
    assert jawab["Cache-Control"] == "private, no-store"


def test_kecamatan_sama_dengan_selektor(client, bappeda, skenario):
    _kolom, baris, _ = _csv(client, bappeda, "kecamatan")
    harapan = statistik.status_per_kecamatan(skenario.siklus)
    assert [r["kode_kecamatan"] for r in baris] == [b["kode"] for b in harapan]
    moro = next(r for r in baris if r["kecamatan"] == "Moro")
    assert {k: moro[k] for k in ("diajukan", "diterima", "ditolak", "jumlah", "angka_penerimaan_persen")} == {
        "diajukan": "1",
        "diterima": "1",
        "ditolak": "2",
        "jumlah": "4",
        "angka_penerimaan_persen": "33.3",
    }
    kosong = next(r for r in baris if r["kecamatan"] == "Durai")
    assert (kosong["jumlah"], kosong["angka_penerimaan_persen"]) == ("0", "")


def test_bidang_alasan_pagu_durasi(client, bappeda, skenario):
    _k, fungsi, _ = _csv(client, bappeda, "fungsi")
    assert [(r["kode_bidang"], r["jumlah"]) for r in fungsi] == [("05", "4"), ("06", "2")]
    _k, sub, _ = _csv(client, bappeda, "subfungsi")
    assert [(r["kode_bidang"], r["bidang"], r["ditolak"]) for r in sub] == [
        ("05.01", "Pekerjaan Umum", "1"),
        ("06.01", "Kesehatan", "2"),
    ]
    _k, alasan, _ = _csv(client, bappeda, "alasan")
    assert [(r["kode_alasan"], r["ditolak_desa"], r["ditolak_bappeda"], r["jumlah"]) for r in alasan] == [
        ("lokasi-tidak-jelas", "2", "0", "2"),
        ("tidak-sesuai-prioritas", "0", "1", "1"),
    ]
    _k, pagu, _ = _csv(client, bappeda, "pagu")
    assert pagu[-1] == {
        "tingkat": "desa_kelurahan",
        "kode_wilayah": "21.02.05.2007",
        "wilayah": pagu[-1]["wilayah"],
        "pagu": "20000000.00",
        "biaya_diteruskan": "30000000.00",
        "sisa": "-10000000.00",
        "persen": "150.0",
        "lewat": "ya",
        "blokir": "ya",
    }
    _k, durasi, _ = _csv(client, bappeda, "durasi")
    assert [(r["tahapan"], r["jumlah_usulan"], r["median_hari"]) for r in durasi] == [
        ("desa", "5", "2.0"),
        ("kecamatan", "2", "1.5"),
        ("bappeda", "2", "3.5"),
    ]


def test_terlambat_dan_daftar_usulan_terlambat(client, bappeda, skenario):
    JadwalTahapan.objects.filter(siklus=skenario.siklus, tahapan__in=[Tahapan.DESA, Tahapan.KECAMATAN]).update(
        mulai=timezone.now() - datetime.timedelta(days=20), selesai=timezone.now() - datetime.timedelta(hours=1)
    )
    _k, ringkas, _ = _csv(client, bappeda, "terlambat")
    assert len(ringkas) == 14
    assert sum(int(r["jumlah"]) for r in ringkas) == 2
    _k, daftar, _ = _csv(client, bappeda, "usulan-terlambat")
    assert [(r["kode_lacak"], r["status"], r["kecamatan"]) for r in daftar] == [
        (skenario.u4.kode_lacak, "diajukan", "Moro"),
        (skenario.u5.kode_lacak, "lolos_desa", "Tebing"),
    ]
    assert daftar[0]["menunggu_sejak"] == timezone.localtime(skenario.t0).isoformat(timespec="minutes")
    assert daftar[0]["hari_menunggu"] == "9"


def test_isi_yang_mirip_rumus_dinetralkan(client, bappeda, skenario):
    from usulan.models import Usulan

    Usulan.objects.filter(pk=skenario.u4.pk).update(judul='=HYPERLINK("http://contoh.test","klik")')
    JadwalTahapan.objects.filter(siklus=skenario.siklus, tahapan=Tahapan.DESA).update(
        mulai=timezone.now() - datetime.timedelta(days=20), selesai=timezone.now() - datetime.timedelta(hours=1)
    )
    _k, daftar, _ = _csv(client, bappeda, "usulan-terlambat")
    assert daftar[0]["judul"] == '\'=HYPERLINK("http://contoh.test","klik")'


@pytest.mark.parametrize(
    ("param", "pesan"),
    [
        ({"format": "csv", "tabel": "rahasia"}, "Tabel “rahasia” tidak ada. Pilihan: kecamatan, fungsi"),
        ({"format": "csv"}, "Tabel “” tidak ada."),
        ({"format": "xlsx", "tabel": "kecamatan"}, "Format “xlsx” tidak dikenal. Gunakan format=csv."),
    ],
)
def test_masukan_salah_mendapat_pesan_jelas(client, bappeda, siklus, param, pesan):
    client.force_login(bappeda)
    jawab = client.get(URL, param)
    assert jawab.status_code == 400
    assert pesan in jawab.content.decode()
