"""manage.py tugaskan: give (or take away) an official's role in an area or an OPD.

A role that requires two-step sign-in (settings.DUA_FAKTOR_PERAN_WAJIB) given to an account without an
authenticator app enrolled with an enrolment code (one enrolled on the password alone is deleted) prints
a one-time enrolment code, shown only this once; `--kode-dua-langkah` issues
a new one at any time (a lost phone: delete its device in the admin, then give the person a new code).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from akun.models import Penugasan, Peran
from akun.services import kode_pendaftaran_buat, perangkat_cabut_setelah_peran
from musrenbang.models import PerangkatDaerah, Wilayah

if TYPE_CHECKING:
    from musrenbang.models import Pengguna


class Command(BaseCommand):
    help = (
        "Tugaskan petugas: tugaskan USERNAME PERAN (--wilayah KODE | --opd KODE) [--cabut]. "
        "PERAN: desa, kecamatan, opd, bappeda, admin. Tanpa argumen PERAN: tampilkan penugasan pengguna itu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("peran", nargs="?", choices=Peran.values)
        parser.add_argument("--wilayah", help="kode wilayah Kemendagri (desa, kecamatan, atau kabupaten/kota)")
        parser.add_argument("--opd", help="kode perangkat daerah (untuk peran opd)")
        parser.add_argument("--cabut", action="store_true", help="nonaktifkan penugasan ini")
        parser.add_argument(
            "--kode-dua-langkah",
            action="store_true",
            help="buat kode pendaftaran verifikasi dua langkah sekali pakai (mis. setelah ponsel hilang)",
        )

    def handle(self, *args: Any, **opsi: Any) -> None:
        try:
            pengguna = get_user_model().objects.get(username=opsi["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"Pengguna {opsi['username']!r} tidak ditemukan.") from None
        perlu_kode = False
        if opsi["peran"]:
            self._ubah(pengguna, opsi)
            # A device enrolled before the grant on the password alone no longer counts (deleted).
            perlu_kode = not opsi["cabut"] and perangkat_cabut_setelah_peran(pengguna=pengguna)
        if opsi["kode_dua_langkah"] or perlu_kode:
            kode, berlaku_sampai = kode_pendaftaran_buat(pengguna=pengguna)
            self.stdout.write(
                "Kode pendaftaran verifikasi dua langkah (sekali pakai, berlaku sampai "
                f"{timezone.localtime(berlaku_sampai):%Y-%m-%d %H:%M}; tidak ditampilkan lagi):"
            )
            self.stdout.write(kode)
        for p in Penugasan.objects.filter(pengguna=pengguna).select_related("wilayah", "perangkat_daerah"):
            keadaan = "aktif" if p.aktif else "dicabut"
            self.stdout.write(f"{p.get_peran_display()}: {p.perangkat_daerah or p.wilayah} ({keadaan})")

    def _ubah(self, pengguna: Pengguna, opsi: dict[str, Any]) -> None:
        peran = opsi["peran"]
        wilayah = opd = None
        if peran == Peran.OPD:
            if not opsi["opd"]:
                raise CommandError("Peran opd perlu --opd KODE.")
            opd = PerangkatDaerah.objects.filter(kode=opsi["opd"]).first()
            if opd is None:
                raise CommandError(f"OPD dengan kode {opsi['opd']!r} tidak ditemukan.")
        else:
            if not opsi["wilayah"]:
                raise CommandError(f"Peran {peran} perlu --wilayah KODE.")
            wilayah = Wilayah.objects.filter(kode=opsi["wilayah"]).first()
            if wilayah is None:
                raise CommandError(f"Wilayah dengan kode {opsi['wilayah']!r} tidak ditemukan.")
        with transaction.atomic():
            penugasan, _ = Penugasan.objects.get_or_create(
                pengguna=pengguna, peran=peran, wilayah=wilayah, perangkat_daerah=opd, defaults={"aktif": True}
            )
            penugasan.aktif = not opsi["cabut"]
            try:
                penugasan.full_clean()
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            penugasan.save()
        self.stdout.write(self.style.SUCCESS("Penugasan dicabut." if opsi["cabut"] else "Penugasan disimpan."))
