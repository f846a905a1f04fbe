"""The dashboard page shows every figure of the scenario, with accessible SVG bar charts."""

from __future__ import annotations

import re

from django.urls import reverse

from dasbor.views import TABEL_CSV


def _halaman(client, bappeda, **param) -> str:
    client.force_login(bappeda)
    jawab = client.get(reverse("dasbor:dasbor"), param)
    assert jawab.status_code == 200
    return jawab.content.decode()


def test_angka_utama_dan_bagian(client, bappeda, skenario):
    teks = _halaman(client, bappeda)
    angka = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>([^<]+)</dd></div>", teks))
    assert angka == {
        "Usulan": "6",
        "Diputuskan": "4",
        "Angka penerimaan": "25,0 %",
        "Keputusan belum diterbitkan": "1",
        "Terlambat": "0",
    }
    for judul in (
        "Peta kecamatan",
        "Status per kecamatan",
        "Status per bidang",
        "Alasan penolakan teratas",
        "Perkiraan biaya terhadap pagu",
        "Lama proses di tiap tingkat",
        "Usulan terlambat",
    ):
        assert f">{judul}</h2>" in teks
    assert "Tidak sesuai prioritas pembangunan" in teks  # the unpublished rejection, internal view
    assert "Perumahan dan Fasilitasi Umum" in teks and "Kesehatan" in teks


def test_setiap_tabel_punya_tautan_unduhan(client, bappeda, skenario):
    teks = _halaman(client, bappeda)
    tautan = set(re.findall(r'href="/dasbor/\?siklus=\d+&amp;format=csv&amp;tabel=([\w-]+)"', teks))
    # The overdue list appears (with its link) only when something is overdue.
    assert tautan == set(TABEL_CSV) - {"usulan-terlambat"}


def test_grafik_batang_svg_mudah_diakses(client, bappeda, skenario):
    teks = _halaman(client, bappeda)
    svg = re.findall(r"<svg class=\"grafik__batang\"[^>]*>.*?</svg>", teks, flags=re.S)
    # 14 kecamatan + 2 fungsi + 2 reasons + 3 levels
    assert len(svg) == 14 + 2 + 2 + 3
    for s in svg:
        assert 'role="img"' in s and 'aria-label="' in s and "<title>" in s
    moro = next(s for s in svg if 'aria-label="Moro:' in s)
    assert 'aria-label="Moro: 4 usulan (Diajukan 1, Diterima 1, Ditolak 2)"' in moro
    # Widths of the stacked segments: Moro has the most proposals, so its bar is full (1 + 1 + 2 of 4).
    assert re.findall(r'<rect x="([\d.]+)" y="0" width="([\d.]+)" height="10" fill="#(?!eef1ef)', moro) == [
        ("0.0", "25.0"),
        ("25.0", "25.0"),
        ("50.0", "50.0"),
    ]
    durasi = next(s for s in svg if 'aria-label="Desa/kelurahan:' in s)
    assert 'aria-label="Desa/kelurahan: 2,0 hari"' in durasi


def test_label_di_svg_di_escape(client, bappeda, skenario):
    from musrenbang.models import Wilayah

    Wilayah.objects.filter(kode="21.02.01").update(nama='Moro <script>"x"</script>')
    teks = _halaman(client, bappeda)
    assert "<script>" not in teks.split("<main", 1)[1].split("</main>", 1)[0]
    assert "Moro &lt;script&gt;&quot;x&quot;&lt;/script&gt;" in teks


def test_terlambat_tampil_dengan_tautan_tinjau(client, bappeda, skenario):
    import datetime

    from django.utils import timezone

    from musrenbang.models import JadwalTahapan, Tahapan

    JadwalTahapan.objects.filter(siklus=skenario.siklus, tahapan=Tahapan.DESA).update(
        mulai=timezone.now() - datetime.timedelta(days=20), selesai=timezone.now() - datetime.timedelta(days=1)
    )
    teks = _halaman(client, bappeda)
    assert reverse("verifikasi:tinjau", args=[skenario.u4.kode_lacak]) in teks
    assert skenario.u5.kode_lacak not in teks  # the kecamatan window is still open
    assert "tabel=usulan-terlambat" in teks
    assert re.search(r"<dt>Terlambat</dt><dd>1</dd>", teks)
