"""Issue 9 point 7: the system's sentences are stored as data and read in the reader's language.

Bappeda's published acceptance used to be stored as Indonesian text ("Diterima dalam RKPD 2027,
dilaksanakan …") and so showed in Indonesian on the English pages, the open data and Open311. Now the
history row holds a code and its parameters; every reader words it in their own language, followed
by the reason Bappeda typed (which stays as typed).
"""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.peta_data.bantu import isi_unduhan
from usulan.models import Aksi, RiwayatStatus


@pytest.fixture(autouse=True)
def bahasa_dipulihkan():
    # A request in English leaves English active in this thread (the middleware activates it).
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _klien(bahasa: str) -> Client:
    klien = Client()
    klien.cookies[settings.LANGUAGE_COOKIE_NAME] = bahasa
    return klien


def _alasan_csv(klien: Client, kode: str) -> str:
    isi = isi_unduhan(klien.get(reverse("data:csv"))).decode("utf-8-sig")
    return next(b["alasan"] for b in csv.DictReader(io.StringIO(isi)) if b["kode_lacak"] == kode)


def test_kalimat_keputusan_dalam_bahasa_pembaca(ronde, opd, siklus):
    u = ronde.diterima
    terbit = RiwayatStatus.objects.get(usulan=u, aksi=Aksi.TERBITKAN)
    assert (terbit.kalimat, terbit.kalimat_data, terbit.catatan) == (
        "diterima_rkpd",
        {"tahun": siklus.tahun, "opd": opd.nama},
        "Prioritas banjir",
    )
    indonesia = f"Diterima dalam RKPD {siklus.tahun}, dilaksanakan {opd.nama}. Prioritas banjir"
    inggris = f"Accepted into the RKPD {siklus.tahun}, carried out by {opd.nama}. Prioritas banjir"
    for bahasa, kalimat, lain in (("id", indonesia, inggris), ("en", inggris, indonesia)):
        klien = _klien(bahasa)
        for url in (reverse("peta:popup", args=[u.kode_lacak]), reverse("usulan:lacak", args=[u.kode_lacak])):
            html = klien.get(url).content.decode()
            assert kalimat in html and lain not in html, (bahasa, url)
        assert _alasan_csv(klien, u.kode_lacak) == kalimat
        open311 = klien.get(reverse("open311:request", kwargs={"kode": u.kode_lacak, "format": "json"})).json()
        assert open311[0]["status_notes"].endswith(kalimat)


def test_catatan_rekomendasi_sebagai_data(ronde, bappeda):
    # The OPD's advice: "Layak:" from the system, the technical note as typed.
    r = RiwayatStatus.objects.get(usulan=ronde.rahasia, aksi=Aksi.REKOMENDASIKAN)
    assert (r.kalimat, r.catatan) == ("layak", "CATATAN-TEKNIS-OPD-RAHASIA")
    with translation.override("id"):
        assert r.teks_catatan == "Layak: CATATAN-TEKNIS-OPD-RAHASIA"
    with translation.override("en"):
        assert r.teks_catatan == "Feasible: CATATAN-TEKNIS-OPD-RAHASIA"
    klien = Client()
    klien.force_login(bappeda)
    klien.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    halaman = klien.get(reverse("verifikasi:tinjau", args=[ronde.rahasia.kode_lacak]))
    assert halaman.status_code == 200
    assert "Feasible: CATATAN-TEKNIS-OPD-RAHASIA" in halaman.content.decode()
