"""manage.py pulihkan FOLDER --basis-data NAMA --media FOLDER_MEDIA: restore a backup made by
`cadangkan` into a new database and media folder, and check it against its manifest."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from musrenbang.cadangan import GalatCadangan, pulihkan


class Command(BaseCommand):
    help = (
        "Pulihkan cadangan dari `cadangkan` ke basis data BARU (dibuat oleh perintah ini) dan folder media "
        "baru, lalu periksa jumlah baris tiap tabel dan SHA-256 setiap berkas terhadap manifest. "
        "Basis data atau folder yang sudah berisi tidak pernah ditimpa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="folder cadangan (berisi manifest.json)")
        parser.add_argument("--basis-data", required=True, help="nama basis data baru yang akan dibuat")
        parser.add_argument("--media", required=True, type=Path, help="folder media baru (atau kosong)")

    def handle(self, *args: Any, **opsi: Any) -> None:
        nama = opsi["basis_data"]
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", nama):
            raise CommandError(
                "Nama basis data hanya boleh huruf, angka dan _ (paling panjang 63, bukan angka di depan)."
            )
        try:
            # Path() again: call_command passes keyword options without argparse's type=.
            manifest = pulihkan(Path(opsi["folder"]), basis_data=nama, media=Path(opsi["media"]))
        except GalatCadangan as galat:
            raise CommandError(str(galat)) from galat
        self.stdout.write(
            f"Dipulihkan ke basis data {nama} dan folder {opsi['media']}: {len(manifest['baris'])} tabel dan "
            f"{len(manifest['media']['isi'])} berkas media cocok dengan manifest ({manifest['dibuat']}).\n"
            f"Pakai dengan DATABASE_URL=postgis://…/{nama} dan MEDIA_ROOT={opsi['media']}."
        )
