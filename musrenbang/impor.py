"""Importing the Kemendagri code list and boundary files into `Wilayah`.

Everything is read and checked first; only a clean set of records is written, in one transaction,
as an upsert by code. Running the same import twice changes nothing. Invalid polygons are repaired
part by part and their parts merged (perbaiki_batas), so no area is lost; ancestors that no input
and no row provide are created from the boundary features' own properties (a new kabupaten's
kecamatan and desa files are enough); a `--awalan` matching nothing and an empty code are errors.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.core.exceptions import ValidationError
from django.db import transaction

from musrenbang.models import BLOK_KODE_PER_TINGKAT, Tingkat, Wilayah
from musrenbang.validators import POLA_KODE_WILAYAH

URUTAN_TINGKAT: list[str] = [Tingkat.PROVINSI, Tingkat.KABUPATEN_KOTA, Tingkat.KECAMATAN, Tingkat.DESA_KELURAHAN]
# Coordinates are compared to this many degrees (~1 mm) to decide whether a boundary changed.
TOLERANSI_SAMA = 1e-8


class BerkasTidakValid(Exception):
    """One or more input files are wrong; `kesalahan` lists every problem with file and place."""

    def __init__(self, kesalahan: list[str]):
        self.kesalahan = kesalahan
        super().__init__("\n".join(kesalahan))


@dataclass
class _Rekaman:
    kode: str
    nama: str
    tingkat: str
    kode_induk: str
    asal: str
    batas: MultiPolygon | None = None
    # Ancestors named in a boundary feature's own properties: code → name (see _leluhur_dari_properti).
    leluhur: dict[str, str] = field(default_factory=dict)


@dataclass
class RingkasanImpor:
    baru: Counter = field(default_factory=Counter)
    diubah: Counter = field(default_factory=Counter)
    tetap: Counter = field(default_factory=Counter)
    # One line per repaired polygon: where it was, what GEOS found wrong and what the repair did.
    diperbaiki: list[str] = field(default_factory=list)
    # One line per ancestor created from the boundary files' own properties (no code list given).
    induk_dibuat: list[str] = field(default_factory=list)

    def total(self, tingkat: str) -> int:
        return self.baru[tingkat] + self.diubah[tingkat] + self.tetap[tingkat]


def _induk_dari_kode(kode: str) -> str:
    return kode.rsplit(".", 1)[0] if "." in kode else ""


def _periksa_rekaman(r: _Rekaman, kesalahan: list[str]) -> bool:
    if not POLA_KODE_WILAYAH.match(r.kode):
        kesalahan.append(f"{r.asal}: kode {r.kode!r} tidak sesuai format PP.KK.CC.DDDD")
        return False
    if r.tingkat not in Tingkat.values:
        kesalahan.append(f"{r.asal}: tingkat {r.tingkat!r} tidak dikenal (pilihan: {', '.join(Tingkat.values)})")
        return False
    if r.kode.count(".") + 1 != BLOK_KODE_PER_TINGKAT[r.tingkat]:
        kesalahan.append(f"{r.asal}: kode {r.kode} tidak cocok dengan tingkat {r.tingkat}")
        return False
    if r.kode_induk != _induk_dari_kode(r.kode):
        kesalahan.append(f"{r.asal}: kode_induk {r.kode_induk!r} bukan induk dari {r.kode}")
        return False
    if not r.nama.strip():
        kesalahan.append(f"{r.asal}: nama kosong untuk kode {r.kode}")
        return False
    panjang_maks = Wilayah._meta.get_field("nama").max_length
    # nama is a CharField: its max_length is set.
    if len(r.nama) > panjang_maks:  # type: ignore[operator]
        kesalahan.append(f"{r.asal}: nama {len(r.nama)} karakter, paling banyak {panjang_maks}")
        return False
    return True


def baca_kode_csv(path: Path, awalan: str, kesalahan: list[str]) -> dict[str, _Rekaman]:
    """Rows of a code list CSV (kode,nama,tingkat,kode_induk) under `awalan` and its ancestors."""
    hasil: dict[str, _Rekaman] = {}
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            wajib = {"kode", "nama", "tingkat", "kode_induk"}
            if not reader.fieldnames or not wajib <= set(reader.fieldnames):
                kesalahan.append(f"{path.name}: kolom wajib {', '.join(sorted(wajib))}; ditemukan {reader.fieldnames}")
                return hasil
            for nomor, row in enumerate(reader, start=2):
                kode = (row["kode"] or "").strip()
                if not kode:
                    # Skipping it would silently leave an area out (worse when --awalan hides it).
                    kesalahan.append(f"{path.name} baris {nomor}: kode kosong")
                    continue
                if not _dalam_cakupan(kode, awalan):
                    continue
                r = _Rekaman(
                    kode=kode,
                    nama=(row["nama"] or "").strip(),
                    tingkat=(row["tingkat"] or "").strip(),
                    kode_induk=(row["kode_induk"] or "").strip(),
                    asal=f"{path.name} baris {nomor}",
                )
                if not _periksa_rekaman(r, kesalahan):
                    continue
                if kode in hasil:
                    kesalahan.append(f"{r.asal}: kode {kode} sudah ada di {hasil[kode].asal}")
                    continue
                hasil[kode] = r
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        kesalahan.append(f"{path.name}: tidak dapat dibaca ({exc})")
    return hasil


def _dalam_cakupan(kode: str, awalan: str) -> bool:
    if not awalan:
        return True
    return kode == awalan or kode.startswith(awalan + ".") or awalan.startswith(kode + ".")


def _jadi_multipolygon(geom: GEOSGeometry) -> MultiPolygon | None:
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon(geom, srid=geom.srid)
    # make_valid may return a collection with lines or points next to the polygons: keep the areas.
    poligon: list[Polygon] = []
    # A collection here (the stubs type neither it nor a MultiPolygon as iterable by part).
    for bagian in geom:  # type: ignore[attr-defined]
        if isinstance(bagian, Polygon):
            poligon.append(bagian)
        elif isinstance(bagian, MultiPolygon):
            poligon.extend(bagian)  # type: ignore[arg-type]
    return MultiPolygon(poligon, srid=geom.srid) if poligon else None


def baca_batas_geojson(path: Path, awalan: str, kesalahan: list[str], ringkasan: RingkasanImpor) -> list[_Rekaman]:
    """Features of a boundary GeoJSON (properties kode, nama, tingkat, kode_induk), repaired if invalid."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        kesalahan.append(f"{path.name}: bukan GeoJSON yang dapat dibaca ({exc})")
        return []
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        kesalahan.append(f"{path.name}: harus berupa FeatureCollection dengan daftar features")
        return []
    hasil = []
    for nomor, fitur in enumerate(data["features"], start=1):
        asal = f"{path.name} fitur {nomor}"
        # {} for a feature without properties: the same missing kode as before, and a mapping for the checker.
        props = (fitur.get("properties") if isinstance(fitur, dict) else None) or {}
        # Stripped before the check: a kode of spaces is as missing as none (it used to pass the
        # check, become "" and be skipped without a word under --awalan).
        kode = str(props.get("kode") or "").strip() if isinstance(props, dict) else ""
        if not kode:
            kesalahan.append(f"{asal}: properti 'kode' tidak ada")
            continue
        if not _dalam_cakupan(kode, awalan):
            continue
        r = _Rekaman(
            kode=kode,
            nama=str(props.get("nama") or "").strip(),
            tingkat=str(props.get("tingkat") or "").strip(),
            kode_induk=str(props.get("kode_induk") or "").strip(),
            asal=f"{asal} ({kode})",
        )
        if not _periksa_rekaman(r, kesalahan):
            continue
        geometri = fitur.get("geometry")
        if not isinstance(geometri, dict) or geometri.get("type") not in ("Polygon", "MultiPolygon"):
            jenis = geometri.get("type") if isinstance(geometri, dict) else geometri
            kesalahan.append(f"{r.asal}: geometri harus Polygon atau MultiPolygon, bukan {jenis}")
            continue
        try:
            geom = GEOSGeometry(json.dumps(geometri), srid=4326)
            if geom.valid:
                multi = _jadi_multipolygon(geom)
            else:
                alasan = geom.valid_reason
                multi = perbaiki_batas(geom)
                if multi is not None:
                    ringkasan.diperbaiki.append(f"{r.asal}: {alasan}; {_uraian_perbaikan(geom, multi)}")
        except (GEOSException, ValueError, TypeError) as exc:
            kesalahan.append(f"{r.asal}: geometri tidak dapat dibaca ({exc})")
            continue
        if multi is None or multi.empty:
            kesalahan.append(f"{r.asal}: geometri kosong setelah diperbaiki")
            continue
        r.batas = multi
        leluhur = _leluhur_dari_properti(r, props, kesalahan)
        if leluhur is None:
            continue
        r.leluhur = leluhur
        hasil.append(r)
    return hasil


# Property names boundary files use for the ancestors' names (cahyadsn/wilayah_boundaries and the
# exports built from it), per level, and for their codes (optional; checked against the prefix).
_PROPERTI_NAMA_LELUHUR: dict[str, tuple[str, ...]] = {
    Tingkat.PROVINSI: ("provinsi", "nama_provinsi"),
    Tingkat.KABUPATEN_KOTA: ("kabupaten_kota", "nama_kabupaten_kota", "kabkota", "nama_kabkota"),
    Tingkat.KECAMATAN: ("kecamatan", "nama_kecamatan"),
}
_PROPERTI_KODE_LELUHUR: dict[str, tuple[str, ...]] = {
    Tingkat.PROVINSI: ("kode_provinsi",),
    Tingkat.KABUPATEN_KOTA: ("kode_kabupaten_kota", "kode_kabkota"),
    Tingkat.KECAMATAN: ("kode_kecamatan",),
}


def _leluhur_dari_properti(r: _Rekaman, props: dict, kesalahan: list[str]) -> dict[str, str] | None:
    """The ancestors a feature names in its properties, as {code: name}: the codes are the prefixes
    of its own code (12.10.01 → 12, 12.10), the names its `provinsi`, `kabupaten_kota`, `kecamatan`
    properties. A code property that contradicts the prefix is an error (None)."""
    hasil: dict[str, str] = {}
    blok = r.kode.split(".")
    for tingkat in URUTAN_TINGKAT[: URUTAN_TINGKAT.index(r.tingkat)]:
        kode = ".".join(blok[: BLOK_KODE_PER_TINGKAT[tingkat]])
        for nama_properti in _PROPERTI_KODE_LELUHUR.get(tingkat, ()):
            ditulis = str(props.get(nama_properti) or "").strip()
            if ditulis and ditulis != kode:
                kesalahan.append(f"{r.asal}: {nama_properti} {ditulis!r} bukan awal kode {r.kode} ({kode})")
                return None
        nama = next((str(props[n]).strip() for n in _PROPERTI_NAMA_LELUHUR[tingkat] if props.get(n)), "")
        if nama:
            hasil[kode] = nama
    return hasil


def perbaiki_batas(geom: GEOSGeometry) -> MultiPolygon | None:
    """An invalid (multi)polygon made valid without losing area: each part repaired on its own, then
    all parts merged (union). make_valid on the whole would turn a part nested inside another part
    into a hole (the area of both disappears from the outline, and a point there would lie outside
    every area); a part overlapping another would be cut the same way. The union keeps every square
    metre any part covers, once."""
    bagian = list(geom) if isinstance(geom, MultiPolygon) else [geom]
    sah: list[Polygon] = []
    for p in bagian:
        hasil = _jadi_multipolygon(p if p.valid else p.make_valid())
        if hasil is not None:
            sah.extend(q for q in hasil if not q.empty)  # type: ignore[misc]  # a MultiPolygon's parts are Polygons
    if not sah:
        return None
    return _jadi_multipolygon(MultiPolygon(sah, srid=geom.srid).unary_union)


# A repair that changes the area by more than this share is flagged in the report for a person to check
# (issue 9: a repair keeps the area within 0.1 %).
BATAS_PERUBAHAN_LUAS = 0.001
# An equal-area projection (World Cylindrical Equal Area) for the report's km²: only administrator-
# provided boundary files reach here, so GDAL may transform them.
SRID_LUAS_SAMA = 6933


def _luas_km2(geom: GEOSGeometry) -> float:
    """The area as GEOS reads the geometry (for an invalid one: the sum of its parts as drawn), in km²."""
    return geom.transform(SRID_LUAS_SAMA, clone=True).area / 1e6


def _uraian_perbaikan(asli: GEOSGeometry, hasil: MultiPolygon) -> str:
    """What the repair did, for the import's report: the parts and the area before and after it, and a
    flag when the area changed by more than BATAS_PERUBAHAN_LUAS (a part drawn twice, nested or
    overlapping, is counted once after the repair; a change that large is worth a look)."""
    n_asli = len(asli) if isinstance(asli, MultiPolygon) else 1
    luas_asli, luas_hasil = _luas_km2(asli), _luas_km2(hasil)
    teks = (
        f"{n_asli} bagian menjadi {len(hasil)}, bagian yang bersarang atau bertumpuk digabung; "
        f"luas {luas_asli:.4f} km² menjadi {luas_hasil:.4f} km²"
    )
    if luas_asli > 0 and abs(luas_hasil - luas_asli) / luas_asli > BATAS_PERUBAHAN_LUAS:
        teks += f" (PERIKSA: luas berubah {100 * (luas_hasil - luas_asli) / luas_asli:+.2f} %)"
    return teks


def impor_wilayah(
    *,
    berkas_kode: Path | None,
    berkas_batas: Iterable[Path],
    awalan: str = "",
    sumber: str = "",
    kemajuan: Callable[[int, int], None] | None = None,
) -> RingkasanImpor:
    """Upsert areas from a code list CSV and/or boundary GeoJSON files, all or nothing.

    Callers: `manage.py impor_wilayah` (an administrator), the test fixtures. `awalan` (e.g.
    "21.02") limits the import to one area and its ancestors, and must match at least one code.
    Ancestors missing from the inputs and the database are created from the boundary features'
    properties (listed in `induk_dibuat`); repairs are listed in `diperbaiki`. Writes Wilayah rows
    only. Raises BerkasTidakValid listing every problem (file and row/feature) before anything is
    written.
    """
    kesalahan: list[str] = []
    ringkasan = RingkasanImpor()
    rekaman: dict[str, _Rekaman] = {}
    berkas_batas = list(berkas_batas)
    if berkas_kode is not None:
        rekaman = baca_kode_csv(berkas_kode, awalan, kesalahan)
    for path in berkas_batas:
        for r in baca_batas_geojson(path, awalan, kesalahan, ringkasan):
            if r.kode in rekaman:
                # The code list is the authority for names; the boundary file brings the polygon.
                if rekaman[r.kode].tingkat != r.tingkat:
                    kesalahan.append(f"{r.asal}: tingkat {r.tingkat} berbeda dengan daftar kode")
                    continue
                rekaman[r.kode].batas = r.batas
            else:
                rekaman[r.kode] = r
    if awalan and not any(k == awalan or k.startswith(awalan + ".") for k in rekaman):
        # A typo in --awalan used to import nothing and say "done".
        nama_berkas = ", ".join(p.name for p in [*([berkas_kode] if berkas_kode else []), *berkas_batas])
        kesalahan.append(f"--awalan {awalan}: tidak ada kode wilayah dengan awalan ini di {nama_berkas}")
    if kesalahan:
        raise BerkasTidakValid(kesalahan)

    with transaction.atomic():
        _tambah_induk_dari_properti(rekaman, ringkasan, kesalahan)
        ada = {w.kode: w for w in Wilayah.objects.filter(kode__in=list(rekaman))}
        induk_di_db = {
            w.kode: w for w in Wilayah.objects.filter(kode__in={r.kode_induk for r in rekaman.values() if r.kode_induk})
        }
        for r in rekaman.values():
            if r.kode_induk and r.kode_induk not in rekaman and r.kode_induk not in induk_di_db:
                kesalahan.append(
                    f"{r.asal}: induk {r.kode_induk} tidak ada di berkas maupun di basis data (beri --kode CSV, "
                    "atau properti provinsi/kabupaten_kota/kecamatan di berkas batas)"
                )
        if kesalahan:
            raise BerkasTidakValid(kesalahan)

        semua = sorted(rekaman.values(), key=lambda r: (URUTAN_TINGKAT.index(r.tingkat), r.kode))
        dikenal = dict(induk_di_db)
        for nomor, r in enumerate(semua, start=1):
            induk = dikenal.get(r.kode_induk) if r.kode_induk else None
            w = ada.get(r.kode)
            try:
                if w is None:
                    w = Wilayah(kode=r.kode, nama=r.nama, tingkat=r.tingkat, induk=induk, batas=r.batas, sumber=sumber)
                    w.full_clean(validate_unique=False)
                    w.save()
                    ringkasan.baru[r.tingkat] += 1
                elif _terapkan(w, r, induk, sumber):
                    w.full_clean(validate_unique=False)
                    w.save()
                    ringkasan.diubah[r.tingkat] += 1
                else:
                    ringkasan.tetap[r.tingkat] += 1
            except ValidationError as exc:
                # Anything the checks above missed (e.g. a too-long --sumber): raising here rolls back
                # every row already written, and the message still says where.
                raise BerkasTidakValid([f"{r.asal}: {'; '.join(exc.messages)}"]) from None
            dikenal[r.kode] = w
            if kemajuan:
                kemajuan(nomor, len(semua))
    return ringkasan


def _tambah_induk_dari_properti(rekaman: dict[str, _Rekaman], ringkasan: RingkasanImpor, kesalahan: list[str]) -> None:
    """Add the ancestors no input and no row provides, from the boundary features' own properties
    (the kecamatan and desa files of a new kabupaten name its provinsi and kabupaten/kota), so
    those files import in one command. Two features naming one ancestor differently is an error.
    Ancestors get no boundary: a later import with their own file adds it."""
    diminta: dict[str, tuple[str, str]] = {}  # code → (name, where it was named)
    for r in list(rekaman.values()):
        for kode, nama in r.leluhur.items():
            if kode in rekaman:
                continue
            if kode in diminta and diminta[kode][0] != nama:
                kesalahan.append(f"{r.asal}: induk {kode} bernama {nama!r}, di {diminta[kode][1]} {diminta[kode][0]!r}")
                continue
            diminta.setdefault(kode, (nama, r.asal))
    if not diminta:
        return
    di_db = set(Wilayah.objects.filter(kode__in=list(diminta)).values_list("kode", flat=True))
    for kode in sorted(diminta, key=lambda k: (k.count("."), k)):
        if kode in di_db:
            continue
        nama, asal = diminta[kode]
        tingkat = next(t for t in URUTAN_TINGKAT if BLOK_KODE_PER_TINGKAT[t] == kode.count(".") + 1)
        baru = _Rekaman(
            kode=kode, nama=nama, tingkat=tingkat, kode_induk=_induk_dari_kode(kode), asal=f"induk dari {asal}"
        )
        if _periksa_rekaman(baru, kesalahan):
            rekaman[kode] = baru
            ringkasan.induk_dibuat.append(f"{kode} {nama} ({Tingkat(tingkat).label.lower()}), dari {asal}")


def _terapkan(w: Wilayah, r: _Rekaman, induk: Wilayah | None, sumber: str) -> bool:
    """Copy the record onto the row; True when anything changed."""
    berubah = False
    for nama_field, nilai in (("nama", r.nama), ("tingkat", r.tingkat)):
        if getattr(w, nama_field) != nilai:
            setattr(w, nama_field, nilai)
            berubah = True
    if (w.induk_id or None) != (induk.pk if induk else None):
        w.induk = induk
        berubah = True
    if sumber and w.sumber != sumber:
        w.sumber = sumber
        berubah = True
    # A code-list-only import keeps the boundary a previous import loaded.
    if r.batas is not None and (w.batas is None or not w.batas.equals_exact(r.batas, TOLERANSI_SAMA)):
        w.batas = r.batas
        berubah = True
    return berubah
