"""manage.py buat_kunci_api: make an Open311 API key for an outside application, shown once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from data_terbuka.models import KunciAPI


class Command(BaseCommand):
    help = (
        "Buat kunci API Open311: buat_kunci_api NAMA --pengguna USERNAME. Usulan yang dikirim dengan "
        "kunci ini tercatat atas nama akun USERNAME. Kunci hanya ditampilkan sekali; yang disimpan hanya "
        "SHA-256-nya. Nonaktifkan kunci di halaman admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("nama", help="nama aplikasi atau mitra pemegang kunci")
        parser.add_argument("--pengguna", required=True, help="username akun pengirim usulan")

    def handle(self, *args: Any, **opsi: Any) -> None:
        nama = opsi["nama"].strip()
        if not nama:
            raise CommandError("Nama kunci tidak boleh kosong.")
        try:
            pengguna = get_user_model().objects.get(username=opsi["pengguna"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"Pengguna {opsi['pengguna']!r} tidak ditemukan.") from None
        if not pengguna.is_active:
            raise CommandError(f"Pengguna {opsi['pengguna']!r} tidak aktif.")
        kunci = KunciAPI.kunci_baru()
        baris = KunciAPI(nama=nama, awalan=kunci[:12], hash_kunci=KunciAPI.hash(kunci), pengguna=pengguna)
        baris.full_clean()
        baris.save()
        self.stdout.write(f"Kunci API untuk {nama} (akun {pengguna.get_username()}):")
        self.stdout.write(kunci)
        self.stdout.write("Simpan kunci ini sekarang: kunci tidak bisa ditampilkan lagi.")
