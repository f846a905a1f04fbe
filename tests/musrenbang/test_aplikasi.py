"""The installable app's manifest and service worker, as the browser fetches them."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders
from PIL import Image


def test_manifest_dengan_ikon_png(client, db):
    jawab = client.get("/manifest.webmanifest")
    assert jawab.status_code == 200 and jawab["Content-Type"] == "application/manifest+json"
    isi = json.loads(jawab.content)
    assert set(isi) == {
        "name",
        "short_name",
        "description",
        "lang",
        "start_url",
        "scope",
        "display",
        "background_color",
        "theme_color",
        "icons",
    }
    assert isi["display"] == "standalone" and isi["start_url"] == "/" and isi["scope"] == "/"
    ukuran = {}
    for ikon in isi["icons"]:
        jalur = finders.find(ikon["src"].removeprefix("/static/"))
        with Image.open(jalur) as img:
            assert img.format == "PNG"
            ukuran[ikon["sizes"]] = img.size
    assert ukuran == {"192x192": (192, 192), "512x512": (512, 512)}
    # Every page links it.
    assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/").content.decode()


def test_service_worker_di_akar_hanya_halaman_warga(client, db):
    jawab = client.get("/sw.js")
    assert jawab.status_code == 200 and jawab["Content-Type"].startswith("application/javascript")
    assert jawab["Cache-Control"] == "no-cache"
    teks = jawab.content.decode()
    halaman = json.loads(re.search(r"var HALAMAN = (\[.*?\]);", teks).group(1))
    assert halaman == ["/", "/usulan/baru/", "/usulan/saya/", "/usulan/lacak/"]
    aset = json.loads(re.search(r"var ASET = (\[.*?\]);", teks).group(1))
    assert "/static/usulan/usulan_form.js" in aset and "/static/leaflet/leaflet.js" in aset
    for url in aset:
        assert finders.find(url.removeprefix("/static/")), url
    # Officials' pages and personal data never appear in what it caches.
    for kata in ("verifikasi", "dasbor", "admin", "akun"):
        assert kata not in teks
    assert 'importScripts("/static/usulan/draf.js")' in teks
