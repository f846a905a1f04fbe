"""Benchmark of usulan.foto.proses_foto against a bare Pillow baseline (run on demand, not a test).

    .venv/bin/python bench/bench_foto.py [JPEG] [--heic HEIC] [-n 10]

Prints one figure per line as `name: value unit`, then one verdict line per target (issue #3: ratio
<= 1.3 and peak memory under 150 MB per photo), `verdict_<target>: ok|OVER (figure vs limit)`, for
the JPEG and, with the `heic_` prefix, for the HEIC photo. Exits 1 when a JPEG target is OVER (the
HEIC lines are reported against the same limits, for information).

The baseline is what any upload code has to do anyway: open + draft + load + exif_transpose + resize
to 1600 and to 400 + two JPEG saves. The ratio is the price of the pipeline's validation, EXIF parsing
and hashing on top of that.

Peak memory is measured in a fresh subprocess per figure: after a warm-up on a small image (imports and
library initialisation are not counted) the kernel's RSS high-water mark is reset (/proc/self/clear_refs),
one photo is processed, and the peak (VmHWM) minus the RSS before is printed. tracemalloc would
under-report: Pillow's and libheif's pixel buffers are allocated in C, outside Python's allocator.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402 - the path and settings above must come first

django.setup()

from PIL import Image, ImageOps  # noqa: E402

from usulan.foto import proses_foto  # noqa: E402

DATA = ROOT / "tests" / "data" / "foto"
# The largest real phone JPEG in the test data (Samsung J3, 2576x1932, EXIF "Rotated 90 CW").
JPEG_BAKU = DATA / "phone-nogps" / "Samsung_SM-J327T1.jpg"
HEIC_BAKU = DATA / "heic" / "Apple_iPhone_8_IMG_1034.heic"  # 4032x3024, GPS
PEMANASAN = DATA / "orientation" / "landscape_6.jpg"
PEMANASAN_HEIC = DATA / "heic" / "cheers_1440x960_no_exif.heic"
# The targets of issue #3 for one full-size phone photo.
RASIO_MAKS = 1.3
PUNCAK_MAKS_MB = 150.0


def _ukuran(lebar: int, tinggi: int, sisi: int) -> tuple[int, int]:
    skala = min(1.0, sisi / max(lebar, tinggi))
    return max(1, round(lebar * skala)), max(1, round(tinggi * skala))


def dasar(data: bytes) -> tuple[bytes, bytes]:
    """Bare Pillow: the minimum any upload handler does to produce the same two copies."""
    img = Image.open(io.BytesIO(data))
    if img.format in ("JPEG", "MPO"):
        # Same aspect-kept request as the pipeline, so both decode at the same scale.
        img.draft("RGB", _ukuran(*img.size, 1600))
    img.load()
    img = ImageOps.exif_transpose(img)
    web = img.resize(_ukuran(*img.size, 1600), Image.Resampling.LANCZOS)
    kecil = web.resize(_ukuran(*web.size, 400), Image.Resampling.LANCZOS)
    keluaran = []
    for salinan in (web, kecil):
        buf = io.BytesIO()
        salinan.convert("RGB").save(buf, "JPEG", quality=85)
        keluaran.append(buf.getvalue())
    return keluaran[0], keluaran[1]


def _median_ms(fungsi: Callable[[bytes], object], data: bytes, n: int) -> list[float]:
    waktu = []
    for _ in range(n):
        mulai = time.perf_counter()
        fungsi(data)
        waktu.append((time.perf_counter() - mulai) * 1000)
    return waktu


def _bandingkan(data: bytes, n: int) -> tuple[float, float]:
    """Median ms of pipeline and baseline, interleaved so drift (CPU boost, other load) hits both."""
    proses_foto(data)
    dasar(data)
    pipa: list[float] = []
    polos: list[float] = []
    for _ in range(n):
        pipa += _median_ms(proses_foto, data, 1)
        polos += _median_ms(dasar, data, 1)
    return statistics.median(pipa), statistics.median(polos)


def _puncak_mb(jalur: Path, jenis: str) -> float:
    """Peak RSS growth (MB) of a fresh interpreter handling one photo; see the module docstring."""
    hasil = subprocess.run(
        [sys.executable, __file__, "--anak", jenis, str(jalur)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return float(hasil.stdout.strip())


def _status_kib(kunci: str) -> int:
    teks = Path("/proc/self/status").read_text()
    return int(teks.split(f"{kunci}:", 1)[1].split()[0])


def _anak(jenis: str, jalur: Path) -> None:
    fungsi = proses_foto if jenis == "pipeline" else dasar
    pemanasan = PEMANASAN_HEIC if jalur.suffix.lower() in (".heic", ".heif") else PEMANASAN
    fungsi(pemanasan.read_bytes())
    data = jalur.read_bytes()  # the upload itself is already in memory in a real request
    try:
        # Reset the high-water mark (Linux >= 4.0): import-time peaks would otherwise hide the photo's.
        Path("/proc/self/clear_refs").write_text("5")
        sebelum = _status_kib("VmRSS")
        fungsi(data)
        sesudah = _status_kib("VmHWM")
    except OSError:  # no /proc: ru_maxrss growth, which under-reports when imports peaked higher
        sebelum = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        fungsi(data)
        sesudah = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{(sesudah - sebelum) / 1024:.1f}")  # KiB -> MiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jpeg", nargs="?", type=Path, default=JPEG_BAKU)
    parser.add_argument("--heic", type=Path, default=HEIC_BAKU)
    parser.add_argument("-n", type=int, default=10, help="iterations per measurement (default 10)")
    parser.add_argument("--anak", nargs=2, metavar=("JENIS", "JALUR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.anak:
        _anak(args.anak[0], Path(args.anak[1]))
        return

    putusan: dict[str, bool] = {}
    for awalan, jalur in (("", args.jpeg), ("heic_", args.heic)):
        data = jalur.read_bytes()
        hasil = proses_foto(data)
        print(f"{awalan}file: {jalur.name} {hasil.lebar}x{hasil.tinggi} {len(data) / 1024:.0f} KB")
        pipa, polos = _bandingkan(data, args.n)
        rasio = pipa / polos
        puncak = _puncak_mb(jalur, "pipeline")
        print(f"{awalan}pipeline_median: {pipa:.1f} ms")
        print(f"{awalan}baseline_median: {polos:.1f} ms")
        print(f"{awalan}ratio: {rasio:.2f}")
        print(f"{awalan}peak_memory_pipeline: {puncak:.1f} MB")
        print(f"{awalan}peak_memory_baseline: {_puncak_mb(jalur, 'baseline'):.1f} MB")
        putusan[f"{awalan}verdict_ratio"] = _putusan(f"{awalan}verdict_ratio", rasio, RASIO_MAKS, "", lebih_kecil=False)
        putusan[f"{awalan}verdict_peak_memory"] = _putusan(
            f"{awalan}verdict_peak_memory", puncak, PUNCAK_MAKS_MB, " MB", lebih_kecil=True
        )
    if not (putusan["verdict_ratio"] and putusan["verdict_peak_memory"]):
        sys.exit(1)


def _putusan(nama: str, nilai: float, batas: float, satuan: str, *, lebih_kecil: bool) -> bool:
    """Print `nama: ok|OVER (value <= limit)`; `lebih_kecil`: the value must stay strictly under the limit."""
    baik = nilai < batas if lebih_kecil else nilai <= batas
    tanda = "<" if lebih_kecil else "<="
    lawan = ">" if not lebih_kecil else ">="
    print(f"{nama}: {'ok' if baik else 'OVER'} ({nilai:.2f}{satuan} {tanda if baik else lawan} {batas:g}{satuan})")
    return baik


if __name__ == "__main__":
    main()
