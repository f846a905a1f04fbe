"""Importing the Kemendagri code list and boundary files into `Wilayah`.

Everything is read and checked first; only a clean set of records is written, in one transaction,
as an upsert by code. Running the same import twice changes nothing.
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

URUTAN_TINGKAT = [Tingkat.PROVINSI, Tingkat.KABUPATEN_KOTA, Tingkat.KECAMATAN, Tingkat.DESA_KELURAHAN]
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


@dataclass
class RingkasanImpor:
    baru: Counter = field(default_factory=Counter)
    diubah: Counter = field(default_factory=Counter)
    tetap: Counter = field(default_factory=Counter)
    # One line per repaired polygon: where it was and what GEOS found wrong.
    diperbaiki: list[str] = field(default_factory=list)

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
    if len(r.nama) > panjang_maks:
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
    for bagian in geom:
        if isinstance(bagian, Polygon):
            poligon.append(bagian)
        elif isinstance(bagian, MultiPolygon):
            poligon.extend(bagian)
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
        props = fitur.get("properties") if isinstance(fitur, dict) else None
        if not isinstance(props, dict) or not props.get("kode"):
            kesalahan.append(f"{asal}: properti 'kode' tidak ada")
            continue
        kode = str(props["kode"]).strip()
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
            if not geom.valid:
                ringkasan.diperbaiki.append(f"{r.asal}: {geom.valid_reason}")
                geom = geom.make_valid()
            multi = _jadi_multipolygon(geom)
        except (GEOSException, ValueError, TypeError) as exc:
            kesalahan.append(f"{r.asal}: geometri tidak dapat dibaca ({exc})")
            continue
        if multi is None or multi.empty:
            kesalahan.append(f"{r.asal}: geometri kosong setelah diperbaiki")
            continue
        r.batas = multi
        hasil.append(r)
    return hasil


def impor_wilayah(
    *,
    berkas_kode: Path | None,
    berkas_batas: Iterable[Path],
    awalan: str = "",
    sumber: str = "",
    kemajuan: Callable[[int, int], None] | None = None,
) -> RingkasanImpor:
    """Upsert areas from a code list CSV and/or boundary GeoJSON files, all or nothing.

    `awalan` (e.g. "21.02") limits the import to one area and its ancestors. Raises
    BerkasTidakValid listing every problem (file and row/feature) before anything is written.
    """
    kesalahan: list[str] = []
    ringkasan = RingkasanImpor()
    rekaman: dict[str, _Rekaman] = {}
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
    if kesalahan:
        raise BerkasTidakValid(kesalahan)

    with transaction.atomic():
        ada = {w.kode: w for w in Wilayah.objects.filter(kode__in=list(rekaman))}
        induk_di_db = {
            w.kode: w for w in Wilayah.objects.filter(kode__in={r.kode_induk for r in rekaman.values() if r.kode_induk})
        }
        for r in rekaman.values():
            if r.kode_induk and r.kode_induk not in rekaman and r.kode_induk not in induk_di_db:
                kesalahan.append(f"{r.asal}: induk {r.kode_induk} tidak ada di berkas maupun di basis data")
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
