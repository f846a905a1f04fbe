"""Peak memory of the photo service for each file given, one JSON line per file (run as a subprocess).

    .venv/bin/python -m tests.serang.ukur_memori FILE...

The interpreter warms up once (imports, libjpeg/libheif initialisation are not counted), then forks a child
per file: the child resets the kernel's RSS high-water mark (/proc/self/clear_refs), runs proses_foto on the
bytes and reports VmHWM minus the RSS before. A fork starts every file from the same warmed state, so memory
freed but kept by one file's allocator cannot hide the next file's peak, and costs milliseconds instead of a
fresh interpreter. tracemalloc would under-report: Pillow's and libheif's pixel buffers live in C.

A child that allocates without bound hits an address-space limit (MemoryError, reported) instead of the
machine's memory, and one that loops is killed by an alarm.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from usulan.foto import FotoDitolak, proses_foto  # noqa: E402

FOTO = Path(__file__).resolve().parents[1] / "data" / "foto"
DETIK_MAKS = 60  # per file; the largest legal decode takes ~2 s here
RUANG_ALAMAT_TAMBAHAN = 3 * 1024**3  # bytes of address space a child may add before MemoryError


def _status_kib(kunci: str) -> int:
    teks = Path("/proc/self/status").read_text()
    return int(teks.split(f"{kunci}:", 1)[1].split()[0])


def _ukur(jalur: Path) -> dict[str, object]:
    """Runs in the child: process one file, return its outcome, peak RSS growth (MB) and time."""
    data = jalur.read_bytes()  # a real request has the upload in memory (or a temp file) already
    batas = resource.getrlimit(resource.RLIMIT_AS)[1]
    ruang = _status_kib("VmSize") * 1024 + RUANG_ALAMAT_TAMBAHAN
    resource.setrlimit(resource.RLIMIT_AS, (ruang if batas == resource.RLIM_INFINITY else min(ruang, batas), batas))
    signal.alarm(DETIK_MAKS)
    Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current RSS (Linux >= 4.0)
    sebelum = _status_kib("VmRSS")
    mulai = time.perf_counter()
    try:
        proses_foto(data, nama=jalur.name)
        hasil = "diterima"
    except FotoDitolak as exc:
        hasil = exc.kode
    except BaseException as exc:  # reported, so the test names the file and the exception
        hasil = f"galat:{type(exc).__name__}"
    detik = time.perf_counter() - mulai
    return {"hasil": hasil, "mb": (_status_kib("VmHWM") - sebelum) / 1024, "detik": detik}


def main(jalur_jalur: list[str]) -> None:
    for pemanasan in (FOTO / "orientation" / "landscape_6.jpg", FOTO / "heic" / "cheers_1440x960_no_exif.heic"):
        proses_foto(pemanasan.read_bytes())
    for teks in jalur_jalur:
        jalur = Path(teks)
        baca, tulis = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(baca)
            try:
                laporan = json.dumps({"berkas": teks, **_ukur(jalur)})
                os.write(tulis, laporan.encode())
            finally:
                os._exit(0)
        os.close(tulis)
        with os.fdopen(baca, "rb") as pipa:
            isi = pipa.read()
        _pid, status = os.waitpid(pid, 0)
        if not isi:  # killed (alarm, OOM killer) before reporting
            isi = json.dumps({"berkas": teks, "hasil": f"mati:{status}", "mb": -1, "detik": -1}).encode()
        print(isi.decode(), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
