"""Shared pieces of the property-based tests: hostile values, per-example isolation, readable errors."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.core import signals
from django.db import close_old_connections, transaction
from django.test import TestCase
from hypothesis import HealthCheck
from hypothesis import settings as aturan_hypothesis
from hypothesis import strategies as st
from PIL import Image

from tests.fixtures_usulan import berkas_tersimpan

# Stable in CI: the same examples every run (derandomize), no per-example deadline (the first request of a
# run compiles templates), and the function-scoped fixtures (named actors, the round) are shared by every
# example on purpose: each example runs in its own savepoint, rolled back by `terisolasi`.
_DASAR = aturan_hypothesis(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def aturan(contoh: int) -> aturan_hypothesis:
    """Hypothesis settings with `contoh` examples (kept modest: the whole folder runs in well under a minute)."""
    return aturan_hypothesis(_DASAR, max_examples=contoh)


# Every character a browser can send as UTF-8 (lone surrogates cannot be encoded), NUL and controls included.
HURUF = st.characters(blacklist_categories=("Cs",))
TEKS = st.text(alphabet=HURUF, max_size=60)

ANGKA_ANEH = [
    "",
    " ",
    "nan",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "-1e309",
    "1e-400",
    "-0",
    "-0.0",
    "0",
    "1_000",
    "0x1p-2",
    "1,5",
    " 1.5 ",
    "١٫٥",  # Arabic-Indic digits: Python's float() reads them
    "１０３.５",  # full-width digits
    "9" * 400,
    "1" + "0" * 5000,
    "0." + "0" * 400 + "1",
    "1e",
    "--1",
    "+1",
    "1/2",
    "½",
    "\x00",
    "1\x00",
    "<script>alert(1)</script>",
]

# The poles, the antimeridian and just beyond, in plain and exponent notation.
KOORDINAT_TEPI = [
    "90",
    "-90",
    "90.0000001",
    "-90.0000001",
    "180",
    "-180",
    "180.0000001",
    "-180.0000001",
    "179.99999999999",
    "-179.99999999999",
    "89.9999999999",
    "9e1",
    "1.8e2",
    "360",
    "-360",
    "540",
]


def angka_teks(rentang: tuple[float, float] | None = None) -> st.SearchStrategy[str]:
    """A number as a form sends it: odd spellings, edges, any float, any integer, or any text."""
    pilihan = [
        st.sampled_from(ANGKA_ANEH),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers().map(str),
        TEKS,
    ]
    if rentang:
        pilihan.append(st.floats(*rentang).map(repr))
    return st.one_of(*pilihan)


KOORDINAT = st.one_of(st.sampled_from(KOORDINAT_TEPI), angka_teks((-181.0, 181.0)))
# Points in and around Kabupaten Karimun (land, sea, the neighbours), so the service's own checks run too.
SEKITAR_KARIMUN = st.tuples(st.floats(0.3, 1.3), st.floats(103.0, 104.2))


def teks_panjang(maks: int) -> st.SearchStrategy[str]:
    """Text around a field's limit: any text up to the limit and a little over, or far too long."""
    return st.one_of(
        TEKS,
        st.text(alphabet=HURUF, min_size=maks - 2, max_size=maks + 2),
        st.sampled_from(["x" * (maks * 50), "🌧️" * maks, "\u0301" * (maks + 1), "\x00" * 3, " " * maks]),
    )


def jpeg_kecil() -> bytes:
    """A plain 400×300 photo without GPS: cheap to decode, so examples reach the service's checks."""
    keluaran = io.BytesIO()
    Image.new("RGB", (400, 300), (40, 120, 200)).save(keluaran, "JPEG", quality=80)
    return keluaran.getvalue()


def berkas_usulan(usulan: Any) -> set[Path]:
    """The three files of each photo of a proposal: the private original and the two public copies."""
    media = Path(settings.MEDIA_ROOT)
    hasil: set[Path] = set()
    for foto in usulan.foto.all():
        hasil |= {media / "privat" / foto.asli, media / "publik" / foto.web, media / "publik" / foto.thumbnail}
    return hasil


def berkas_unggahan_tertunda() -> set[Path]:
    """The three files of each pending photo upload (kept for a form the server refused)."""
    from usulan.models import UnggahanFoto

    privat = Path(settings.MEDIA_ROOT) / "privat"
    return {privat / j for u in UnggahanFoto.objects.all() for j in (u.asli, u.web, u.thumbnail)}


@contextmanager
def terisolasi() -> Iterator[set]:
    """Run one example in a savepoint that is rolled back, and remove the files it wrote.

    Yields the set the example may fill with the files it expected to write: any other new file under
    MEDIA_ROOT is an orphan and fails the example.
    """
    sebelum = set(berkas_tersimpan())
    diharapkan: set = set()
    try:
        with transaction.atomic():
            # What would run on commit runs here (an accepted proposal removes its pending upload files),
            # although the rows are rolled back.
            with TestCase.captureOnCommitCallbacks(execute=True):
                yield diharapkan
            transaction.set_rollback(True)
        baru = set(berkas_tersimpan()) - sebelum
        assert baru == diharapkan, f"file tak bertuan: {sorted(map(str, baru - diharapkan))}"
    finally:
        # The rows were rolled back, so the files written by an accepted example go too.
        for jalur in set(berkas_tersimpan()) - sebelum:
            jalur.unlink()


_GALAT = re.compile(r'<p class="galat"[^>]*>(.*?)</p>|<div class="galat kotak-galat"[^>]*>(.*?)</div>', re.S)
_POLA_JELEK = re.compile(r"Traceback|Exception|Error\(|<built-in|object at 0x|\{'|\[<")


def pesan_galat(teks_html: str) -> list[str]:
    """The error messages a person sees on a form page (under fields and in the top box)."""
    return [html.unescape(re.sub(r"<[^>]+>", " ", "".join(m))).strip() for m in _GALAT.findall(teks_html)]


def pesan_terbaca(pesan: str) -> bool:
    """A message a person can read: words, no Python reprs or stack traces."""
    return bool(re.search(r"[A-Za-z]{3}", pesan)) and not _POLA_JELEK.search(pesan)


@dataclass
class JawabanWSGI:
    """What the WSGI server got back: status, headers (case-insensitive lookup) and body."""

    status_code: int
    kepala: dict[str, str]
    content: bytes

    def __getitem__(self, nama: str) -> str:
        return self.kepala[nama.lower()]


def panggil_wsgi(
    metode: str, jalur: str, isi: bytes = b"", jenis: str = "", query: str = "", *, cookie: str = ""
) -> JawabanWSGI:
    """One request through musrenbang.wsgi.application, as gunicorn makes it.

    Django's test Client builds its own WSGIRequest, so a fault while the request is being built (before
    any middleware) is only seen through the real entry point. request_started/finished would close the
    test's connection inside its transaction; the test Client unhooks them for the same reason.
    """
    from musrenbang.wsgi import application

    environ = {
        "REQUEST_METHOD": metode,
        "PATH_INFO": unquote(jalur, encoding="latin-1"),
        "QUERY_STRING": query,
        "CONTENT_LENGTH": str(len(isi)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(isi),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if jenis:
        environ["CONTENT_TYPE"] = jenis
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    awal: dict[str, Any] = {}

    def mulai(status: str, kepala: list[tuple[str, str]], exc_info: Any = None) -> None:
        awal["status"] = int(status.split()[0])
        awal["kepala"] = {k.lower(): v for k, v in kepala}

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        hasil = application(environ, mulai)
        try:
            isi_jawab = b"".join(hasil)
        finally:
            hasil.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return JawabanWSGI(awal["status"], awal["kepala"], isi_jawab)
