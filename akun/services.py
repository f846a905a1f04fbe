"""Writes on the shared reference data and accounts: resident sign-up, two-step enrolment codes.
Reads (whether an identity is taken) live in musrenbang.selectors."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from akun.models import KodePendaftaranDuaLangkah
from akun.selectors import pengguna_galat_terdaftar
from musrenbang.models import Pengguna


def _username_baru() -> str:
    # Residents never see or type it (they sign in with e-mail or phone); 40 random bits.
    while True:
        username = f"warga-{secrets.token_hex(5)}"
        if not Pengguna._default_manager.filter(username=username).exists():
            return username


@transaction.atomic
def pengguna_daftar(*, nama_lengkap: str, email: str | None, telepon: str | None, kata_sandi: str) -> Pengguna:
    """Create a resident's account from the public sign-up page (anyone may call it; no roles).

    `email` (already normalised) and/or `telepon` (already in +62… form) must be given; the
    password must already have passed the password validators. Writes one `Pengguna` with a
    generated username. Raises `ValidationError` keyed by field when the e-mail or phone number is
    already registered, also when a concurrent sign-up took it a moment earlier.
    """
    if not email and not telepon:
        raise ValueError("pengguna_daftar needs an e-mail address or a phone number")
    galat = pengguna_galat_terdaftar(email=email, telepon=telepon)
    if galat:
        raise ValidationError(galat)
    pengguna = Pengguna(
        username=_username_baru(), nama_lengkap=nama_lengkap, email=email or None, telepon=telepon or None
    )
    pengguna.set_password(kata_sandi)
    # Uniqueness is checked above with our own messages, and by the database below.
    pengguna.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            pengguna.save()
    except IntegrityError:
        # A concurrent sign-up took the e-mail or phone between our check and the insert.
        galat = pengguna_galat_terdaftar(email=email, telepon=telepon)
        if not galat:
            raise
        raise ValidationError(galat) from None
    return pengguna


# Letters and digits a person reads off a screen and types without mixing them up (no 0/O, 1/I/L).
_HURUF_KODE = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def kode_pendaftaran_buat(*, pengguna: Pengguna, oleh: Pengguna | None = None) -> tuple[str, datetime.datetime]:
    """Issue a one-time two-step enrolment code for `pengguna` (callers: `manage.py tugaskan`, the
    admin's action; shown to the administrator once). Any earlier unspent code of theirs stops
    working. Writes one KodePendaftaranDuaLangkah (only the code's hash). Returns (code, expiry)."""
    kode = "-".join("".join(secrets.choice(_HURUF_KODE) for _ in range(4)) for _ in range(4))  # ~79 bits
    berlaku_sampai = timezone.now() + datetime.timedelta(hours=settings.DUA_FAKTOR_KODE_BERLAKU_JAM)
    with transaction.atomic():
        KodePendaftaranDuaLangkah.objects.filter(pengguna=pengguna, dipakai_pada__isnull=True).delete()
        KodePendaftaranDuaLangkah.objects.create(
            pengguna=pengguna,
            hash_kode=KodePendaftaranDuaLangkah.hash(kode),
            berlaku_sampai=berlaku_sampai,
            dibuat_oleh=oleh,
        )
    return kode, berlaku_sampai


def kode_pendaftaran_pakai(*, pengguna: Pengguna, kode: str) -> TOTPDevice | None:
    """Spend `pengguna`'s enrolment code if `kode` is it, unspent and unexpired, and make the new,
    unconfirmed authenticator device it enrols (caller: the two-step enrolment page). Atomic: of two
    sessions typing the same code, one succeeds. Writes the code's `dipakai_pada` and its link to the
    device (the mark of a device enrolled with a code); deletes earlier unconfirmed devices. Returns
    the device, or None when the code was not accepted."""
    sekarang = timezone.now()
    with transaction.atomic():
        baris = (
            KodePendaftaranDuaLangkah.objects.select_for_update()
            .filter(
                pengguna=pengguna,
                hash_kode=KodePendaftaranDuaLangkah.hash(kode),
                dipakai_pada__isnull=True,
                berlaku_sampai__gt=sekarang,
            )
            .first()
        )
        if baris is None:
            return None
        TOTPDevice.objects.filter(user=pengguna, confirmed=False).delete()
        calon = TOTPDevice.objects.create(user=pengguna, name=gettext("Aplikasi autentikator"), confirmed=False)
        baris.dipakai_pada = sekarang
        baris.perangkat = calon
        baris.save(update_fields=["dipakai_pada", "perangkat"])
    return calon


def perangkat_konfirmasi(*, pengguna: Pengguna, calon: TOTPDevice) -> None:
    """Make `calon` (its first code just accepted) the account's only authenticator device (caller: the
    enrolment page). When it replaces a device enrolled with an enrolment code, from a session verified
    with that device, the mark moves to the successor: the person proved they hold the old one."""
    with transaction.atomic():
        lama = TOTPDevice.objects.filter(user=pengguna).exclude(pk=calon.pk)
        if not KodePendaftaranDuaLangkah.objects.filter(perangkat=calon).exists():
            KodePendaftaranDuaLangkah.objects.filter(perangkat__in=lama.filter(confirmed=True)).update(perangkat=calon)
        lama.delete()
        TOTPDevice.objects.filter(pk=calon.pk).update(confirmed=True)


def perangkat_cabut_setelah_peran(*, pengguna: Pengguna) -> bool:
    """Call after granting `pengguna` a role, staff or superuser status (callers: `manage.py tugaskan`,
    the Penugasan and user admin). When two-step sign-in is now required of them, their devices that
    were not enrolled with an enrolment code stop counting and are deleted: whoever had the password
    before the grant could have put their own phone on the account, and it must not carry over into
    the new role (a session verified with such a device loses its verification with it). Returns True
    when the account now needs an enrolment code (the caller issues and shows one)."""
    from akun.middleware import dua_faktor_wajib, status_keamanan  # the middleware imports the models

    if not dua_faktor_wajib(pengguna, status_keamanan(pengguna, segarkan=True)):
        return False
    TOTPDevice.objects.filter(user=pengguna, kode_pendaftaran__isnull=True).delete()
    status_keamanan(pengguna, segarkan=True)
    return not TOTPDevice.objects.filter(user=pengguna, confirmed=True).exists()
