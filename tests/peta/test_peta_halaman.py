"""The map page: reachable from the navigation, filters as a plain GET form (works without JS), the
first list already filtered, view and filters from the URL handed to the script, no inline script
or style (the CSP forbids them), and a slot for the public summary box."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_halaman_peta_dan_tautan_navigasi(client, siklus, alur, kecamatan):
    beranda = client.get("/").content.decode()
    assert 'href="/peta/"' in beranda

    respons = client.get("/peta/")
    assert respons.status_code == 200
    html = respons.content.decode()
    assert '<form id="form-saringan" method="get" action="/peta/">' in html
    for nama in ('name="status"', 'name="bidang"', 'name="kecamatan"', 'name="desa"', 'name="q"'):
        assert nama in html
    assert f'<option value="{kecamatan.pk}">{kecamatan.nama}</option>' in html
    assert 'id="ringkasan-publik"' in html
    assert 'data-url-data="/peta/data/"' in html and 'data-url-popup="/peta/usulan/KODE/"' in html
    assert 'data-tiles=""' in html  # no base tiles in tests; no third-party host anywhere
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    # Scripts only from files (plus one JSON data block); no style attributes.
    skrip = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in s or 'type="application/json"' in s for s in skrip)
    assert 'src="/static/leaflet/leaflet.js"' in html and 'src="/static/peta/peta.js"' in html
    assert " style=" not in html
    # Legend: one entry per public status.
    assert html.count('class="legenda__tanda legenda__tanda--') >= 16
    # The list before JavaScript: the newest proposals, linked to their public pages.
    assert f'href="/usulan/lacak/{alur.diajukan.kode_lacak}/"' in html


def test_saringan_dan_tampilan_dari_url(client, siklus, alur):
    html = client.get("/peta/", {"status": "ditolak", "z": "15", "lat": "0.98", "lon": "103.41"}).content.decode()
    assert 'value="ditolak" checked' in html
    assert '<details class="kartu saringan-peta" open>' in html
    assert 'data-z="15" data-lat="0.98" data-lon="103.41"' in html
    assert f'href="/usulan/lacak/{alur.ditolak.kode_lacak}/"' in html
    assert f'href="/usulan/lacak/{alur.diajukan.kode_lacak}/"' not in html
    # A broken view in the URL is ignored (the map then fits the kabupaten), never an error.
    rusak = client.get("/peta/", {"z": "99", "lat": "x", "lon": "1e999"})
    assert rusak.status_code == 200 and "data-z=" not in rusak.content.decode()
    assert 'data-kotak="' in rusak.content.decode()


def test_halaman_tanpa_siklus(client, karimun):
    respons = client.get("/peta/")
    assert respons.status_code == 200
    assert "Belum ada usulan yang cocok." in respons.content.decode()
