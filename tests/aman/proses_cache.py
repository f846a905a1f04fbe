"""One process of tests/aman/test_cache_bersama.py: the real settings (settings.CACHES), commands on
standard input, one JSON answer per line. It counts how often it computes what the cache keeps, so the
test sees whether a value another process computed reached it."""

from __future__ import annotations

import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from akun.middleware import status_keamanan  # noqa: E402
from dasbor import statistik  # noqa: E402
from musrenbang.models import Siklus  # noqa: E402
from peta import selectors  # noqa: E402

dihitung = {"ringkasan": 0, "batas": 0}
_ringkasan, _batas = statistik.ringkasan_publik, selectors.batas_geojson


def _hitung_ringkasan(siklus):
    dihitung["ringkasan"] += 1
    return _ringkasan(siklus)


def _hitung_batas(tingkat):
    dihitung["batas"] += 1
    return _batas(tingkat)


statistik.ringkasan_publik, selectors.batas_geojson = _hitung_ringkasan, _hitung_batas

print(json.dumps({"siap": True}), flush=True)
for baris in sys.stdin:
    perintah = json.loads(baris)
    aksi = perintah["aksi"]
    if aksi == "status":
        pengguna = get_user_model().objects.get(pk=perintah["pengguna"])
        jawab = status_keamanan(pengguna, segarkan=perintah.get("segarkan", False))["perangkat"]
    elif aksi == "ringkasan":
        statistik.ringkasan_publik_tersimpan(Siklus.objects.get(pk=perintah["siklus"]))
        jawab = dihitung["ringkasan"]
    elif aksi == "batas":
        assert Client().get("/peta/batas/desa/", secure=True).status_code == 200
        jawab = dihitung["batas"]
    else:
        raise SystemExit(f"unknown command {aksi!r}")
    print(json.dumps({"jawab": jawab}), flush=True)
