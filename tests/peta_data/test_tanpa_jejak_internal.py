"""Issue 9 point 2 (finding F2): nothing public moves when Bappeda acts internally.

Before publication, Bappeda's steps are internal: asking an OPD for advice, the OPD's answer, a draft
decision (and a changed draft). The public must not learn *that* or *when* they happened: not from a
body, not from a header (Last-Modified was max(usulan.diperbarui) on the map's live path), and not
from the work a response costs (a kept summary recomputed after an internal step answers slower).

Every public resource is fetched twice to warm the caches, then once more as the baseline; the
internal steps happen a clock second later (Last-Modified has one-second resolution); then every
resource again. Status, headers (all but Date), body and the number of database queries must be the
same. A public step afterwards (publication) must change them: the comparison can see a change.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akun.models import Peran
from peta import selectors as peta_selectors
from tests.peta_data.bantu import buat, isi_unduhan
from tests.skenario import usulan_pada
from usulan.models import Status
from verifikasi import transitions as t

_TOKEN_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


@dataclass(frozen=True)
class Jawaban:
    status: int
    kepala: tuple[tuple[str, str], ...]
    isi: bytes
    kueri: int


def _isi_sebanding(isi: bytes) -> bytes:
    """The body with what differs on every render whatever the data: the masked CSRF token of a form
    (Django masks it afresh per response) and, in a workbook, its creation time."""
    isi = _TOKEN_CSRF.sub(b'name="csrfmiddlewaretoken" value="-"', isi)
    if isi[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(isi)) as arsip:
            return b"\n".join(
                nama.encode() + b"\n" + arsip.read(nama)
                for nama in sorted(arsip.namelist())
                if nama != "docProps/core.xml"
            )
    return isi


def ambil(klien: Client, url: str) -> Jawaban:
    with CaptureQueriesContext(connection) as kueri:
        respons = klien.get(url)
        isi = isi_unduhan(respons)
    kepala = tuple(sorted((k, v) for k, v in respons.items() if k not in ("Date",)))
    return Jawaban(respons.status_code, kepala, _isi_sebanding(isi), len(kueri.captured_queries))


def url_publik(kode: list[str], titik, desa_id: int, kecamatan_id: int) -> list[str]:
    """Every public resource, with the views that take the map's live path (zoom ≥ 12, a kecamatan,
    desa or text filter) and the prepared one."""
    kotak = peta_selectors.kotak_deployment()
    sekitar = (titik.x - 0.003, titik.y - 0.003, titik.x + 0.003, titik.y + 0.003)
    bbox = lambda k: ",".join(f"{v:.6f}" for v in k)  # noqa: E731
    data = reverse("peta:data")
    urls = [
        "/",
        reverse("peta:peta"),
        reverse("peta:peta") + f"?kecamatan={kecamatan_id}&desa={desa_id}&q=jembatan",
        reverse("usulan:cari"),
        f"{data}?bbox={bbox(kotak)}&zoom=8",
        f"{data}?bbox={bbox(kotak)}&zoom=10&kecamatan={kecamatan_id}",
        f"{data}?bbox={bbox(kotak)}&zoom=9&desa={desa_id}",
        f"{data}?bbox={bbox(kotak)}&zoom=9&q=jembatan",
        f"{data}?bbox={bbox(sekitar)}&zoom=12",
        f"{data}?bbox={bbox(sekitar)}&zoom=14",
        f"{data}?bbox={bbox(sekitar)}&zoom=17&status=lolos_kecamatan",
        reverse("usulan:serupa") + f"?lat={titik.y:.6f}&lon={titik.x:.6f}&judul=jembatan",
        *[reverse("peta:batas", args=[tingkat]) for tingkat in peta_selectors.TINGKAT_BATAS],
    ]
    for k in kode:
        urls += [reverse("peta:popup", args=[k]), reverse("usulan:lacak", args=[k])]
        urls += [reverse("open311:request", kwargs={"kode": k, "format": f}) for f in ("json", "xml")]
    for nama in ("csv", "geojson", "xlsx"):
        urls += [reverse(f"data:{nama}"), reverse(f"data:{nama}") + "?status=lolos_kecamatan"]
    for f in ("json", "xml"):
        semua = reverse("open311:requests", kwargs={"format": f})
        urls += [reverse("open311:services", kwargs={"format": f}), semua, f"{semua}?status=open"]
    return urls


def jelajah(klien: Client, urls: list[str]) -> dict[str, Jawaban]:
    return {url: ambil(klien, url) for url in urls}


def tunggu_detik_berganti() -> None:
    """Until the wall clock enters the next second (Last-Modified's resolution), so a leaked change
    time would differ from the baseline's."""
    awal = int(time.time())
    while int(time.time()) == awal:
        time.sleep(0.005)


def _beda(a: dict[str, Jawaban], b: dict[str, Jawaban]) -> dict[str, list[str]]:
    hasil = {}
    for url, x in a.items():
        y = b[url]
        beda = [nama for nama in ("status", "kepala", "isi", "kueri") if getattr(x, nama) != getattr(y, nama)]
        if x.kepala != y.kepala:
            beda.append(str(sorted(set(x.kepala) ^ set(y.kepala))))
        if beda:
            hasil[url] = beda
    return hasil


@pytest.fixture(autouse=True)
def tanpa_batas_laju(settings):
    # The same address fetches everything four times; the limits are tested elsewhere.
    settings.BATAS_PETA_DATA_PER_MENIT_IP = 0
    settings.BATAS_OPEN311_BACA_PER_MENIT_IP = 0
    settings.BATAS_EKSPOR_PER_JAM_IP = 0


def test_langkah_internal_bappeda_tidak_terlihat_publik(
    ronde, warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, opd, petugas_opd, alasan
):
    # A proposal waiting at Bappeda, at the point of the others (the live views include it).
    menunggu = buat(warga, desa, siklus, "Jembatan gantung Sungai Moro")
    usulan_pada(
        Status.LOLOS_KECAMATAN,
        usulan=menunggu,
        operator_desa=operator_desa,
        operator_kecamatan=operator_kecamatan,
        peringkat=(1, 2),
    )
    semua = [*ronde.semua(), menunggu]
    urls = url_publik([u.kode_lacak for u in semua], menunggu.lokasi, desa.pk, desa.induk_id)
    klien = Client()  # one anonymous visitor (its CSRF cookie is set once)
    jelajah(klien, urls)  # warms the caches (outlines, the kept summary)
    dasar = jelajah(klien, urls)
    assert {j.status for j in dasar.values()} == {200}, {u: j.status for u, j in dasar.items() if j.status != 200}

    tunggu_detik_berganti()
    t.minta_rekomendasi(usulan_id=menunggu.pk, pelaku=bappeda, peran=Peran.BAPPEDA, opd=[opd], catatan="Mohon kaji.")
    t.rekomendasikan(
        usulan_id=menunggu.pk,
        pelaku=petugas_opd,
        layak=True,
        volume=Decimal(1),
        biaya=Decimal("900000000"),
        catatan="Layak.",
    )
    t.putuskan(
        usulan_id=menunggu.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="ditolak",
        alasan="Anggaran tidak cukup.",
        alasan_kode=alasan,
    )
    # And the earlier draft changed (still unpublished).
    t.putuskan(
        usulan_id=ronde.rahasia.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="ditolak",
        alasan="Diganti.",
        alasan_kode=alasan,
    )
    sesudah = jelajah(klien, urls)
    assert _beda(dasar, sesudah) == {}

    # The comparison does see a public step: publishing changes the map's live view and its headers.
    tunggu_detik_berganti()
    t.terbitkan(usulan_id=menunggu.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    terbit = jelajah(klien, urls)
    beda = _beda(sesudah, terbit)
    langsung = next(u for u in urls if "zoom=14" in u)
    assert "isi" in beda[langsung] and any("Last-Modified" in b for b in beda[langsung]), beda.get(langsung)
    assert "isi" in beda[reverse("usulan:lacak", args=[menunggu.kode_lacak])]
