"""The server-rendered choropleth: one SVG path per kecamatan, coloured by count or acceptance
rate, with <title> tooltips and a legend."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.urls import reverse

from dasbor import statistik
from dasbor import views as dasbor

SVG = "{http://www.w3.org/2000/svg}"


def _peta(client, bappeda, **param) -> ET.Element:
    client.force_login(bappeda)
    teks = client.get(reverse("dasbor:dasbor"), param).content.decode()
    cocok = re.search(r'<svg class="peta-kecamatan__svg".*?</svg>', teks, flags=re.S)
    assert cocok, "choropleth missing"
    # Inline SVG in HTML has no namespace declaration; add it so the fragment parses as SVG XML.
    # (Our own page's markup, not untrusted input.)
    svg = cocok.group(0).replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return ET.fromstring(svg)  # noqa: S314


def test_satu_path_per_kecamatan_dengan_judul(client, bappeda, skenario):
    svg = _peta(client, bappeda)
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "peta-kecamatan-judul"
    assert svg.find(f"{SVG}title").text == "Jumlah usulan per kecamatan"
    path = svg.findall(f"{SVG}path")
    assert len(path) == 14
    assert sorted(p.get("data-kode") for p in path) == [f"21.02.{i:02d}" for i in range(1, 15)]
    for p in path:
        assert re.fullmatch(r"(M -?\d+ -?\d+( L -?\d+ -?\d+| -?\d+ -?\d+)* ?Z ?)+", p.get("d").strip()), p.get("d")[:80]
    judul = {p.get("data-kode"): p.find(f"{SVG}title").text for p in path}
    assert judul["21.02.01"] == "Moro: 4 usulan"
    # Names are drawn inside the frame (hidden from screen readers: the titles and tables carry them).
    nama = svg.find(f"{SVG}g")
    assert nama.get("aria-hidden") == "true"
    assert sorted(n.text for n in nama.findall(f"{SVG}text")) == sorted(
        b.text.split(":")[0] for b in svg.iter(f"{SVG}title") if ":" in b.text
    )
    assert judul["21.02.05"] == "Tebing: 2 usulan"
    # Karimun's shapes fit the viewBox (Web Mercator metres, y flipped).
    x, y, w, h = (float(n) for n in svg.get("viewBox").split())
    assert 11_400_000 < x < 11_500_000 and -140_000 < y < -130_000 and 80_000 < w < 90_000 and 80_000 < h < 90_000


def test_warna_menurut_jumlah_dan_legenda(client, bappeda, skenario):
    svg = _peta(client, bappeda)
    warna = {p.get("data-kode"): p.get("fill") for p in svg.findall(f"{SVG}path")}
    # Four classes over 1…4 take the palette's darker four: Moro (4) the darkest, Tebing (2) the second.
    assert warna["21.02.01"] == dasbor.PALET_JUMLAH[4]
    assert warna["21.02.05"] == dasbor.PALET_JUMLAH[2]
    assert {w for k, w in warna.items() if k not in ("21.02.01", "21.02.05")} == {dasbor.WARNA_KOSONG}


def test_warna_menurut_angka_penerimaan(client, bappeda, skenario):
    client.force_login(bappeda)
    teks = client.get(reverse("dasbor:dasbor"), {"warna": "penerimaan"}).content.decode()
    svg = _peta(client, bappeda, warna="penerimaan")
    assert svg.find(f"{SVG}title").text == "Angka penerimaan per kecamatan"
    path = {p.get("data-kode"): p for p in svg.findall(f"{SVG}path")}
    assert path["21.02.01"].get("fill") == dasbor.PALET_PENERIMAAN[1]  # 33,3 %
    assert path["21.02.05"].get("fill") == dasbor.PALET_PENERIMAAN[0]  # 0 %
    assert path["21.02.02"].get("fill") == dasbor.WARNA_KOSONG
    assert path["21.02.01"].find(f"{SVG}title").text == "Moro: penerimaan 33,3 % (1 diterima, 2 ditolak)"
    legenda = re.search(r'<figcaption id="peta-kecamatan-legenda">(.*?)</figcaption>', teks, flags=re.S).group(1)
    assert "0–20 %" in legenda and "80–100 %" in legenda and "belum ada keputusan" in legenda


def test_kelas_jumlah():
    assert dasbor._kelas_jumlah(4) == [(1, 1), (2, 2), (3, 3), (4, 4)]
    assert dasbor._kelas_jumlah(100) == [(1, 20), (21, 40), (41, 60), (61, 80), (81, 100)]
    assert dasbor._kelas_jumlah(0) == []


def test_ukuran_svg_wajar(skenario):
    peta = statistik.peta_kecamatan(skenario.siklus)
    assert 5_000 < sum(len(b.path) for b in peta.bentuk) < 60_000
