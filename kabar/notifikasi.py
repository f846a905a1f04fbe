"""The notification outbox: queue messages with the change they announce, send them from a worker.

Writers (`antrekan`, `antrekan_ringkasan`) only insert or update `Notifikasi` rows, so they belong
inside the caller's `transaction.atomic()`: a status change and its messages commit or roll back
together, and nothing is sent for a change that did not happen.

The worker (`kirim_antrean`, run by `manage.py kirim_notifikasi`) delivers at least once:

1. Claim: in a short transaction, take up to `batas` due rows with SELECT … FOR UPDATE SKIP LOCKED,
   count the attempt (`percobaan + 1`: a message sent at the first try has percobaan 1), push
   `kirim_setelah` one lease (NOTIFIKASI_SEWA_DETIK) into the future, and commit. Other workers
   skip the locked rows during the claim and find them not due afterwards, so two live workers
   never send the same row.
2. Send each claimed row outside any lock. The batch stops taking new rows after half the lease
   and hands the rest back, so a slow mail server cannot make a lease run out mid-batch.
3. Record the outcome, only if the row is still ours (same attempt, same lease): `terkirim`, or a
   retry after an exponential back-off (1, 2, 4 … minutes, at most 6 hours), or `gagal` after
   NOTIFIKASI_PERCOBAAN_MAKS attempts. The error text is kept in `galat_terakhir`.

A worker that dies between claim and record leaves its rows `antre`; they are due again when the
lease expires and are sent then (the one message in flight may be sent twice — never zero times).
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Model, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from kabar.models import Notifikasi, Saluran, StatusNotifikasi
from kabar.pesan import Pesan, PesanBatal, pembuka_ringkasan, reset_kata_sandi, tulis
from musrenbang import pembersihan
from musrenbang.validators import POLA_TELEPON, normalisasi_telepon

if TYPE_CHECKING:
    from kabar.backend import BackendNotifikasi
    from musrenbang.models import Pengguna

# The proposal a message is about (usulan.Usulan, the outbox's lazy foreign key). Typed as any model:
# this app sits below usulan and does not import it, not even for the type checker.
Usulan = Model

logger = logging.getLogger(__name__)

# In a free-text contact: something shaped like an e-mail address, or like a phone number
# (digits with the separators people type: spaces, dashes, dots, brackets).
_POLA_EMAIL = re.compile(r"[^\s/,;:<>()\[\]]+@[^\s/,;:<>()\[\]]+")
_POLA_NOMOR = re.compile(r"\+?\d[\d\s\-.()]{6,}\d")

JEDA_ULANG_AWAL = datetime.timedelta(minutes=1)
JEDA_ULANG_MAKS = datetime.timedelta(hours=6)
PANJANG_GALAT_MAKS = 2000
# A digest whose day was already sent (or is being sent) takes the line into the next day's digest;
# after this many days of that, something is wrong with the clock and the line goes out on its own.
HARI_RINGKASAN_MAKS = 7


def antrekan(
    penerima: Pengguna,
    *,
    subjek: str = "",
    isi: str = "",
    pesan: Pesan | None = None,
    usulan: Usulan | None = None,
    pada: datetime.datetime | None = None,
    saluran: Sequence[str] | None = None,
) -> list[Notifikasi]:
    """Queue one message per available channel of `penerima`: e-mail if penerima.email, and SMS
    (settings.NOTIFIKASI_SALURAN_TELEPON, "sms" or "whatsapp" or "" to disable) if penerima.telepon;
    `saluran` narrows the channels (the submission confirmation goes by e-mail only).

    For the proposer on every status change. `pesan` (code, data; kabar.pesan) is worded again
    in the recipient's language when sent; without it `subjek` and `isi` go out as given (the
    subject is folded onto one line, as mail headers require). The rows are due from `pada`
    (default now). Inserts rows only (safe inside the caller's transaction.atomic; commits or rolls
    back with it). Returns the rows, none when the recipient has no address on any enabled channel.
    """
    alamat = [(s, a) for s, a in _saluran_penerima(penerima) if saluran is None or s in saluran]
    return _sisipkan(penerima, alamat, subjek=subjek, isi=isi, pesan=pesan, usulan=usulan, pada=pada)


def antrekan_kontak(
    kontak: str,
    *,
    subjek: str = "",
    isi: str = "",
    pesan: Pesan | None = None,
    usulan: Usulan | None = None,
    pada: datetime.datetime | None = None,
) -> list[Notifikasi]:
    """Queue one message to a proposer who has no account here, only the contact recorded for them.

    For proposals filed on someone's behalf (usulan.atas_nama: a desa operator's `catat`, Open311):
    `kontak` is kontak_pengusul, free text such as "budi@contoh.id / 0812 3456 7890". The first
    e-mail address in it gets an e-mail, the first Indonesian mobile number an SMS or WhatsApp
    (settings.NOTIFIKASI_SALURAN_TELEPON). The rows have no `penerima`. Inserts rows only, like
    `antrekan`; returns them, none when the text holds no usable address. A bare contact has no
    language of its own: `pesan` is worded in the site's language.
    """
    return _sisipkan(None, saluran_kontak(kontak), subjek=subjek, isi=isi, pesan=pesan, usulan=usulan, pada=pada)


def antrekan_reset_kata_sandi(email: str) -> Notifikasi:
    """Queue a password-reset e-mail to `email` as typed on the reset form (registered through
    akun.kabar_reset in KabarConfig.ready; called inside the form's request).

    One INSERT and nothing else, whether or not an account has the address: the worker looks the
    accounts up and makes the link when it sends (kabar.pesan._reset_kata_sandi). The reset link
    is a credential, so it is never stored: the row holds only the typed address and when it was
    asked, and is deleted once sent, when no account has the address, or when it is older than a
    link's validity (settings.PASSWORD_RESET_TIMEOUT). A row that fails for good keeps the address.
    """
    sekarang = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):  # for the admin's list, as other rows
        subjek = render_to_string("registration/password_reset_subject.txt").strip()
    return Notifikasi.objects.create(
        penerima=None,
        saluran=Saluran.EMAIL,
        alamat=email,
        subjek=subjek,
        isi="",
        kode_pesan="reset_kata_sandi",
        data_pesan={"email": email, "diminta": sekarang.isoformat()},
        kirim_setelah=sekarang,
    )


def _sisipkan(
    penerima: Pengguna | None,
    alamat_saluran: list[tuple[str, str]],
    *,
    subjek: str,
    isi: str,
    pesan: Pesan | None,
    usulan: Usulan | None,
    pada: datetime.datetime | None,
) -> list[Notifikasi]:
    """One outbox row per (channel, address), due from `pada` (default now); the subject on one line.
    A `pesan` is also stored worded in the site's language (the admin shows it so)."""
    sekarang = pada or timezone.now()
    kode_pesan, data_pesan = pesan or ("", None)
    if pesan:
        with translation.override(settings.LANGUAGE_CODE):
            subjek, isi = tulis(kode_pesan, data_pesan)  # type: ignore[arg-type]  # a pesan has its data
    subjek = _satu_baris(str(subjek))[: Notifikasi._meta.get_field("subjek").max_length]
    baris = [
        Notifikasi(
            penerima=penerima,
            saluran=saluran,
            alamat=alamat,
            subjek=subjek,
            isi=str(isi),
            kode_pesan=kode_pesan,
            data_pesan=data_pesan,
            usulan=usulan,  # type: ignore[misc]  # a Usulan, typed as any model here (kabar is below usulan)
            kirim_setelah=sekarang,
        )
        for saluran, alamat in alamat_saluran
    ]
    return Notifikasi.objects.bulk_create(baris) if baris else []


def saluran_kontak(kontak: str) -> list[tuple[str, str]]:
    """(channel, address) found in a free-text contact: its first valid e-mail address and its first
    valid phone number (normalised to +62…, sent on NOTIFIKASI_SALURAN_TELEPON when that is on)."""
    teks = kontak or ""
    hasil: list[tuple[str, str]] = []
    for calon in _POLA_EMAIL.findall(teks):
        try:
            validate_email(calon)
        except ValidationError:
            continue
        hasil.append((Saluran.EMAIL.value, calon))
        break
    teks = _POLA_EMAIL.sub(" ", teks)
    if settings.NOTIFIKASI_SALURAN_TELEPON:
        for calon in _POLA_NOMOR.findall(teks):
            nomor = normalisasi_telepon(calon)
            if POLA_TELEPON.match(nomor):
                hasil.append((Saluran(settings.NOTIFIKASI_SALURAN_TELEPON).value, nomor))
                break
    return hasil


def antrekan_ringkasan(
    penerima: Pengguna,
    *,
    baris: str,
    usulan: Usulan | None = None,
    pada: datetime.datetime | None = None,
) -> list[Notifikasi]:
    """Add one line to the daily digest of an official, on each of their channels.

    For the next level's officials when work arrives (e.g. baris=f"{kode_lacak} {judul}"). There is
    one digest row per recipient per channel per day, keyed f"ringkasan:{pk}:{saluran}:{date}" in
    `kunci_ringkasan`, sent at settings.NOTIFIKASI_JAM_RINGKASAN o'clock local time (TIME_ZONE) of
    `date` with the subject "Ringkasan usulan masuk <date>".

    Which day: a line joins the earliest digest not yet sent. Before the hour (event time `pada`,
    default now) that is today's; from the hour on it is tomorrow's, so each digest covers the 24
    hours before it goes out and no line waits longer than a day. A digest the worker has already
    claimed (or sent) is never changed — the line goes into the next day's instead — so a line is
    never lost between reading and sending.

    The line is appended atomically with INSERT … ON CONFLICT DO UPDATE, so concurrent writers never
    lose each other's lines; inside the caller's transaction.atomic it commits or rolls back with
    it. Digest rows carry no `usulan` (a digest is about many; `usulan` is accepted for symmetry with
    `antrekan`). The stored subject and opening sentence are in settings.LANGUAGE_CODE; the worker
    words them in the recipient's language when it sends (kabar.pesan). Returns the digest rows.
    """
    sekarang = pada or timezone.now()
    jam = settings.NOTIFIKASI_JAM_RINGKASAN
    zona = timezone.get_default_timezone()
    lokal = timezone.localtime(sekarang, zona)
    tanggal_awal = lokal.date() if lokal.hour < jam else lokal.date() + datetime.timedelta(days=1)
    baris = _satu_baris(str(baris))
    hasil: list[int] = []
    for saluran, alamat in _saluran_penerima(penerima):
        for tambahan in range(HARI_RINGKASAN_MAKS):
            tanggal = tanggal_awal + datetime.timedelta(days=tambahan)
            kirim_setelah = datetime.datetime.combine(tanggal, datetime.time(jam), tzinfo=zona)
            data_pesan = {"tanggal": tanggal.isoformat()}
            with translation.override(settings.LANGUAGE_CODE):
                subjek, _isi = tulis("ringkasan", data_pesan)
                pembuka = pembuka_ringkasan()
            pk = _tambah_ke_ringkasan(
                kunci=f"ringkasan:{penerima.pk}:{saluran}:{tanggal.isoformat()}",
                penerima=penerima,
                saluran=saluran,
                alamat=alamat,
                subjek=subjek,
                isi_baru=f"{pembuka}\n\n{baris}",
                tambahan=f"\n{baris}",
                data_pesan=data_pesan,
                kirim_setelah=kirim_setelah,
                sekarang=sekarang,
            )
            if pk is not None:
                hasil.append(pk)
                break
        else:
            logger.error("no open digest for user %s on %s: the line goes alone", penerima.pk, saluran)
            sendiri = Notifikasi.objects.create(
                penerima=penerima,
                saluran=saluran,
                alamat=alamat,
                subjek=subjek,
                isi=f"{pembuka}\n\n{baris}",
                kode_pesan="ringkasan",
                data_pesan=data_pesan,
                kirim_setelah=sekarang,
            )
            hasil.append(sendiri.pk)
    return list(Notifikasi.objects.filter(pk__in=hasil).order_by("pk"))


def kirim_antrean(*, batas: int = 50, pada: datetime.datetime | None = None) -> dict[str, int]:
    """Send up to `batas` due messages (status antre, kirim_setelah <= now); called by the worker.

    Claims the rows with select_for_update(skip_locked=True) in a short transaction that also takes
    a lease on them (see the module docstring), sends each through the backend named for its
    channel in settings.NOTIFIKASI_BACKEND outside the lock, and records the outcome: `terkirim`
    (terkirim_pada), or a retry after 1, 2, 4 … minutes (at most 6 h) with galat_terakhir and
    percobaan, or `gagal` after settings.NOTIFIKASI_PERCOBAAN_MAKS attempts. Call it outside any
    transaction, or the lease is not committed before sending. `pada` replaces the clock (tests).
    Returns counts {"terkirim": …, "dicoba_lagi": …, "gagal": …}.
    """
    hitungan = {"terkirim": 0, "dicoba_lagi": 0, "gagal": 0}
    maks = settings.NOTIFIKASI_PERCOBAAN_MAKS
    sewa = datetime.timedelta(seconds=settings.NOTIFIKASI_SEWA_DETIK)
    klaim, sewa_sampai, habis = _klaim(batas=batas, sekarang=pada or timezone.now(), sewa=sewa, maks=maks)
    hitungan["gagal"] += habis
    mulai = time.monotonic()
    backend: dict[str, BackendNotifikasi] = {}
    bahasa = _bahasa_penerima(klaim)
    for urutan, notifikasi in enumerate(klaim):
        if time.monotonic() - mulai >= sewa.total_seconds() / 2:
            _lepas(klaim[urutan:], sewa_sampai=sewa_sampai, sekarang=pada or timezone.now())
            break
        try:
            try:
                # A row for a bare contact (no account, penerima_id None) finds no language: the site's.
                keluar = _pesan_keluar(notifikasi, bahasa.get(notifikasi.penerima_id) or settings.LANGUAGE_CODE)  # type: ignore[arg-type]
            except PesanBatal:
                # Nothing to send (a reset for an address no account has, or asked too long ago):
                # not an error, and not counted; the row goes.
                _milik_kita(notifikasi, sewa_sampai).delete()
                continue
            if notifikasi.saluran not in backend:
                backend[notifikasi.saluran] = import_string(settings.NOTIFIKASI_BACKEND[notifikasi.saluran])()
            for pesan in keluar:
                backend[notifikasi.saluran].kirim(pesan)
        except Exception as galat:  # any failure of any backend: record it and retry later
            logger.warning("notifikasi %s (%s) failed: %r", notifikasi.pk, notifikasi.saluran, galat)
            hasil = _catat_galat(notifikasi, galat, sewa_sampai=sewa_sampai, sekarang=pada or timezone.now(), maks=maks)
        else:
            hasil = _catat_terkirim(notifikasi, sewa_sampai=sewa_sampai, sekarang=pada or timezone.now())
        hitungan[hasil] += 1
    return hitungan


def _bahasa_penerima(klaim: list[Notifikasi]) -> dict[int, str]:
    """The language each recipient picked (one query for the batch)."""
    from django.contrib.auth import get_user_model

    penerima = {n.penerima_id for n in klaim if n.penerima_id and n.kode_pesan}
    if not penerima:
        return {}
    return dict(get_user_model().objects.filter(pk__in=penerima).values_list("pk", "bahasa"))


# Messages carrying a credential made at sending time: their row is deleted once sent.
PESAN_SEKALI_KIRIM = frozenset({"reset_kata_sandi"})


def _pesan_keluar(notifikasi: Notifikasi, bahasa: str) -> list[Notifikasi]:
    """What to hand the backend for one row: the row worded in `bahasa`, or, for a password reset,
    one unsaved copy per account with its own address and link (kabar.pesan.reset_kata_sandi)."""
    if notifikasi.kode_pesan == "reset_kata_sandi":
        return [
            Notifikasi(pk=notifikasi.pk, saluran=notifikasi.saluran, alamat=alamat, subjek=subjek, isi=isi)
            for alamat, subjek, isi in reset_kata_sandi(notifikasi.data_pesan or {})
        ]
    _dalam_bahasa_penerima(notifikasi, bahasa)
    return [notifikasi]


def _dalam_bahasa_penerima(notifikasi: Notifikasi, bahasa: str) -> None:
    """Word a coded message in `bahasa`, in memory only, for the backend that sends it."""
    if not notifikasi.kode_pesan:
        return
    with translation.override(bahasa):
        subjek, isi = tulis(notifikasi.kode_pesan, notifikasi.data_pesan or {}, notifikasi.isi)
    notifikasi.subjek, notifikasi.isi = _satu_baris(subjek), isi


def hapus_yang_lama(
    *, umur_hari: int | None = None, per_batch: int = pembersihan.PER_BATCH, pada: datetime.datetime | None = None
) -> int:
    """Delete sent and failed messages queued more than `umur_hari` days ago (default
    settings.NOTIFIKASI_SIMPAN_HARI): they hold addresses and phone numbers and are no longer needed.
    Queued ones are never touched, however old. In batches; returns how many were deleted."""
    batas = (pada or timezone.now()) - datetime.timedelta(
        days=settings.NOTIFIKASI_SIMPAN_HARI if umur_hari is None else umur_hari
    )
    lama = Notifikasi.objects.filter(status__in=[StatusNotifikasi.TERKIRIM, StatusNotifikasi.GAGAL], dibuat__lt=batas)
    return pembersihan.hapus_bertahap(lama, per_batch=per_batch)


def _satu_baris(teks: str) -> str:
    """Fold whitespace and line breaks into single spaces (mail headers, digest lines)."""
    return " ".join(teks.split())


def _saluran_penerima(penerima: Pengguna) -> list[tuple[str, str]]:
    """(channel, address) for every channel the recipient can be reached on."""
    saluran = []
    if penerima.email:
        saluran.append((Saluran.EMAIL.value, penerima.email))
    if settings.NOTIFIKASI_SALURAN_TELEPON and penerima.telepon:
        saluran.append((Saluran(settings.NOTIFIKASI_SALURAN_TELEPON).value, penerima.telepon))
    return saluran


def _tambah_ke_ringkasan(
    *,
    kunci: str,
    penerima: Pengguna,
    saluran: str,
    alamat: str,
    subjek: str,
    isi_baru: str,
    tambahan: str,
    data_pesan: dict[str, str],
    kirim_setelah: datetime.datetime,
    sekarang: datetime.datetime,
) -> int | None:
    """Create the digest row `kunci` or append to it if no worker has claimed it yet.

    Returns the row's pk, or None when the row exists but is claimed or done (the caller moves on to
    the next day). The conflict update waits for a worker's claim transaction to finish and then
    re-checks `percobaan = 0`, so a line is never appended to text that is already being sent.
    """
    q = connection.ops.quote_name
    tabel = q(Notifikasi._meta.db_table)
    kolom = ", ".join(
        q(nama)
        for nama in (
            "penerima_id",
            "saluran",
            "alamat",
            "subjek",
            "isi",
            "kunci_ringkasan",
            "status",
            "kirim_setelah",
            "percobaan",
            "galat_terakhir",
            "dibuat",
            "kode_pesan",
            "data_pesan",
        )
    )
    sql = (
        f"INSERT INTO {tabel} ({kolom}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 0, '', %s, 'ringkasan', %s) "  # noqa: S608 (names from _meta)
        f"ON CONFLICT ({q('kunci_ringkasan')}) DO UPDATE SET {q('isi')} = {tabel}.{q('isi')} || %s "
        f"WHERE {tabel}.{q('status')} = %s AND {tabel}.{q('percobaan')} = 0 "
        f"RETURNING {q('id')}"
    )
    antre = StatusNotifikasi.ANTRE.value
    with connection.cursor() as kursor:
        kursor.execute(
            sql,
            [
                penerima.pk,
                saluran,
                alamat,
                subjek,
                isi_baru,
                kunci,
                antre,
                kirim_setelah,
                sekarang,
                json.dumps(data_pesan),
                tambahan,
                antre,
            ],
        )
        baris = kursor.fetchone()
    return baris[0] if baris else None


def _klaim(
    *, batas: int, sekarang: datetime.datetime, sewa: datetime.timedelta, maks: int
) -> tuple[list[Notifikasi], datetime.datetime, int]:
    """Lock due rows (skipping rows another worker holds), lease them and count the attempt.

    Returns the leased rows as they now are, the lease's end, and how many rows were marked `gagal`
    instead because their last allowed attempt never reported back (the worker died mid-send).
    """
    sewa_sampai = sekarang + sewa
    with transaction.atomic():
        jatuh_tempo = list(
            Notifikasi.objects.select_for_update(skip_locked=True)
            .filter(status=StatusNotifikasi.ANTRE, kirim_setelah__lte=sekarang)
            .order_by("kirim_setelah", "pk")[:batas]
        )
        habis = [n.pk for n in jatuh_tempo if n.percobaan >= maks]
        if habis:
            Notifikasi.objects.filter(pk__in=habis).update(
                status=StatusNotifikasi.GAGAL,
                galat_terakhir="no attempts left: the last one never reported back (the worker stopped mid-send)",
            )
        klaim = [n for n in jatuh_tempo if n.percobaan < maks]
        if klaim:
            Notifikasi.objects.filter(pk__in=[n.pk for n in klaim]).update(
                kirim_setelah=sewa_sampai, percobaan=F("percobaan") + 1
            )
    for notifikasi in klaim:
        notifikasi.kirim_setelah = sewa_sampai
        notifikasi.percobaan += 1
    return klaim, sewa_sampai, len(habis)


def _milik_kita(notifikasi: Notifikasi, sewa_sampai: datetime.datetime) -> QuerySet[Notifikasi]:
    """The row, if this worker's lease on it still holds (no other worker has re-claimed it)."""
    return Notifikasi.objects.filter(
        pk=notifikasi.pk,
        status=StatusNotifikasi.ANTRE,
        percobaan=notifikasi.percobaan,
        kirim_setelah=sewa_sampai,
    )


def _catat_terkirim(notifikasi: Notifikasi, *, sewa_sampai: datetime.datetime, sekarang: datetime.datetime) -> str:
    milik_kita = _milik_kita(notifikasi, sewa_sampai)
    if notifikasi.kode_pesan in PESAN_SEKALI_KIRIM:
        # The sent message held a credential (a reset link); no copy of any part of it stays here.
        milik_kita.delete()
        return "terkirim"
    if not milik_kita.update(status=StatusNotifikasi.TERKIRIM, terkirim_pada=sekarang):
        logger.warning("notifikasi %s was sent after its lease ran out; another worker may send it too", notifikasi.pk)
    return "terkirim"


def _catat_galat(
    notifikasi: Notifikasi,
    galat: Exception,
    *,
    sewa_sampai: datetime.datetime,
    sekarang: datetime.datetime,
    maks: int,
) -> str:
    teks = f"{type(galat).__name__}: {galat}"[:PANJANG_GALAT_MAKS]
    if notifikasi.percobaan >= maks:
        _milik_kita(notifikasi, sewa_sampai).update(status=StatusNotifikasi.GAGAL, galat_terakhir=teks)
        return "gagal"
    jeda = min(JEDA_ULANG_AWAL * 2 ** min(notifikasi.percobaan - 1, 30), JEDA_ULANG_MAKS)
    _milik_kita(notifikasi, sewa_sampai).update(kirim_setelah=sekarang + jeda, galat_terakhir=teks)
    return "dicoba_lagi"


def _lepas(sisa: list[Notifikasi], *, sewa_sampai: datetime.datetime, sekarang: datetime.datetime) -> None:
    """Hand back claimed rows this batch will not send: due now, the attempt not counted."""
    Notifikasi.objects.filter(
        pk__in=[n.pk for n in sisa], status=StatusNotifikasi.ANTRE, kirim_setelah=sewa_sampai
    ).update(kirim_setelah=sekarang, percobaan=F("percobaan") - 1)
