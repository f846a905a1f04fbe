"""The officials' session checks (two-step code, session clocks) leave /open311/ alone.

The API never uses the session: a Bappeda official's browser, signed in but not past the code step, or
with an expired session, asking an Open311 URL gets the spec's answer, not a redirect to a sign-in page.
"""

from __future__ import annotations

import pytest

from akun.middleware import KUNCI_SESI
from tests.aman.dua_faktor_uji import perangkat_aktif

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/open311/v2/services.json", "/open311/v2/discovery.xml"])
def test_bappeda_belum_lewat_kode_tetap_dapat_jawaban_api(client, settings, siklus, bappeda, url):
    settings.DUA_FAKTOR_WAJIB = True
    perangkat_aktif(bappeda)
    client.force_login(bappeda)
    # The official pages still stop at the code step ...
    assert client.get("/verifikasi/").status_code == 302
    # ... the API does not.
    jawab = client.get(url)
    assert jawab.status_code == 200, jawab.get("Location")


def test_bappeda_tanpa_perangkat_tidak_dialihkan_ke_pendaftaran(client, settings, siklus, bappeda):
    settings.DUA_FAKTOR_WAJIB = True
    client.force_login(bappeda)
    jawab = client.post("/open311/v2/requests.json", {"api_key": "salah"})
    assert jawab.status_code == 403
    assert jawab.json()[0]["code"] == 403


def test_sesi_petugas_habis_tidak_mengubah_jawaban_api(client, settings, siklus, operator_desa):
    client.force_login(operator_desa)
    assert client.get("/verifikasi/").status_code == 200
    sesi = client.session
    sesi[KUNCI_SESI] = {**sesi[KUNCI_SESI], "aktif": sesi[KUNCI_SESI]["aktif"] - 9 * 3600}
    sesi.save()
    assert client.get("/open311/v2/services.json").status_code == 200
    assert client.get("/open311/v2/requests.xml").status_code == 200
    # The session itself is left as it was: the next official page signs the official out.
    assert client.get("/verifikasi/").status_code == 302
