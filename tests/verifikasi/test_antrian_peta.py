"""The queue's small map gets its points as JSON (json_script, no inline code): exactly the
proposals listed on the page, with their code, title, status and WGS84 coordinates."""

from __future__ import annotations

import json
import re

from django.urls import reverse

from akun.models import Peran
from tests.skenario import buat_usulan
from verifikasi import transitions as t


def _titik(teks: str) -> list[dict]:
    data = re.search(r'<script id="titik-antrian" type="application/json">(.*?)</script>', teks, re.S)
    return json.loads(data.group(1))


def test_data_peta_berisi_titik_antrian(client, operator_desa, usulan, usulan_lain, warga, siklus, desa, alasan):
    kedua = buat_usulan(warga, siklus, desa, judul="Lampu jalan gang mawar")
    ditolak = buat_usulan(warga, siklus, desa, judul="Gapura")
    t.tolak(usulan_id=ditolak.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="x")
    client.force_login(operator_desa)
    teks = client.get(reverse("verifikasi:antrian")).content.decode()
    assert 'id="peta-antrian"' in teks and 'data-tiles=""' in teks
    titik = {t_["kode"]: t_ for t_ in _titik(teks)}
    assert set(titik) == {usulan.kode_lacak, kedua.kode_lacak}  # the queue: not the rejected, not other areas
    assert titik[usulan.kode_lacak] == {
        "kode": usulan.kode_lacak,
        "judul": usulan.judul,
        "status": "diajukan",
        "lat": usulan.lokasi.y,
        "lon": usulan.lokasi.x,
    }
    # The filtered list, the filtered map.
    teks = client.get(reverse("verifikasi:antrian"), {"status": "ditolak"}).content.decode()
    assert [t_["kode"] for t_ in _titik(teks)] == [ditolak.kode_lacak]


def test_antrean_kosong_peta_kosong(client, operator_desa):
    client.force_login(operator_desa)
    assert _titik(client.get(reverse("verifikasi:antrian")).content.decode()) == []
