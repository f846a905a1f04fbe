"""manage.py impor_wilayah: load the Kemendagri code list and boundary GeoJSON files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from musrenbang.impor import URUTAN_TINGKAT, BerkasTidakValid, impor_wilayah
from musrenbang.models import Tingkat

DATA_KARIMUN = Path(__file__).resolve().parents[2] / "data" / "wilayah"


class Command(BaseCommand):
    help = (
        "Impor daftar kode wilayah Kemendagri (CSV: kode,nama,tingkat,kode_induk) dan batas wilayah "
        "(GeoJSON dengan properti yang sama). Upsert per kode dalam satu transaksi; berkas yang salah "
        "tidak mengubah apa pun. Tanpa argumen: data Kabupaten Karimun (21.02) yang dibawa proyek."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kode", type=Path, help="CSV daftar kode wilayah")
        parser.add_argument("--batas", type=Path, action="append", default=[], help="GeoJSON batas (boleh berulang)")
        parser.add_argument("--awalan", default="", help="hanya kode ini, turunannya dan induknya, mis. 21.02")
        parser.add_argument("--sumber", default="", help="sumber/versi data, disimpan di setiap wilayah")

    def handle(self, *args: object, **opts: Any) -> None:
        berkas_kode: Path | None = opts["kode"]
        berkas_batas: list[Path] = opts["batas"]
        awalan: str = opts["awalan"]
        sumber: str = opts["sumber"]
        if berkas_kode is None and not berkas_batas:
            berkas_kode = DATA_KARIMUN / "kode_wilayah_21.02.csv"
            berkas_batas = [
                DATA_KARIMUN / f"{nama}_21.02.geojson" for nama in ("kabkota", "kecamatan", "desa_kelurahan")
            ]
            awalan = awalan or "21.02"
            sumber = sumber or "Kepmendagri 300.2.2-2430/2025; batas: cahyadsn/wilayah_boundaries"
        for path in [p for p in [berkas_kode, *berkas_batas] if p is not None]:
            if not path.is_file():
                raise CommandError(f"Berkas tidak ditemukan: {path}")

        langkah = 0

        def kemajuan(nomor: int, total: int) -> None:
            nonlocal langkah
            # A line every 10 %, so a national import (90 000 areas) shows it is moving.
            if total >= 200 and (nomor * 10 // total) > langkah:
                langkah = nomor * 10 // total
                self.stdout.write(f"  … {nomor}/{total}")

        try:
            ringkasan = impor_wilayah(
                berkas_kode=berkas_kode, berkas_batas=berkas_batas, awalan=awalan, sumber=sumber, kemajuan=kemajuan
            )
        except BerkasTidakValid as exc:
            daftar = exc.kesalahan[:50]
            lebih = len(exc.kesalahan) - len(daftar)
            pesan = "\n".join(f"  - {k}" for k in daftar)
            if lebih:
                pesan += f"\n  … dan {lebih} kesalahan lain"
            raise CommandError(
                f"Impor dibatalkan, basis data tidak diubah. {len(exc.kesalahan)} kesalahan:\n{pesan}"
            ) from None

        for tingkat in URUTAN_TINGKAT:
            if ringkasan.total(tingkat):
                self.stdout.write(
                    f"{Tingkat(tingkat).label}: {ringkasan.total(tingkat)} "
                    f"(baru {ringkasan.baru[tingkat]}, diubah {ringkasan.diubah[tingkat]}, "
                    f"tetap {ringkasan.tetap[tingkat]})"
                )
        if ringkasan.induk_dibuat:
            self.stdout.write(f"Induk dibuat dari properti berkas batas: {len(ringkasan.induk_dibuat)}")
            for baris in ringkasan.induk_dibuat:
                self.stdout.write(f"  - {baris}")
        self.stdout.write(f"Geometri tidak valid yang diperbaiki: {len(ringkasan.diperbaiki)}")
        for baris in ringkasan.diperbaiki:
            self.stdout.write(f"  - {baris}")
        self.stdout.write(self.style.SUCCESS("Impor wilayah selesai."))
