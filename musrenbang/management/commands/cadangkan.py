"""manage.py cadangkan FOLDER: back up the database and MEDIA_ROOT into a new folder (musrenbang/cadangan.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from musrenbang.cadangan import GalatCadangan, cadangkan


class Command(BaseCommand):
    help = (
        "Cadangkan basis data (pg_dump, format custom) dan seluruh MEDIA_ROOT (tar) ke FOLDER baru, "
        "dengan manifest.json berisi jumlah baris tiap tabel dan SHA-256 setiap berkas. Pulihkan dengan "
        "`manage.py pulihkan FOLDER --basis-data NAMA_BARU --media FOLDER_MEDIA_BARU`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="folder baru (atau kosong) untuk cadangan")

    def handle(self, *args: Any, **opsi: Any) -> None:
        folder = Path(opsi["folder"])
        try:
            manifest = cadangkan(folder)
        except GalatCadangan as galat:
            raise CommandError(str(galat)) from galat
        self.stdout.write(
            f"Cadangan selesai di {folder}: {len(manifest['baris'])} tabel, "
            f"{sum(manifest['baris'].values())} baris, {len(manifest['media']['isi'])} berkas media."
        )
