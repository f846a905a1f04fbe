"""Writes for photos uploaded before their proposal exists (one request per photo, as soon as chosen).

A resident on a weak signal uploads each photo while still typing; the form's submit then only names
the uploads by token. The photo pipeline (usulan.foto) checks each upload once, here; usulan_buat
turns the rows into FotoUsulan inside its own transaction. Nothing here trusts the client: a token
counts only for the account that uploaded it, and only until it is used or pruned.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from musrenbang.models import Pengguna
from usulan.foto import FotoDiproses, InfoExif, proses_foto
from usulan.models import UnggahanFoto

logger = logging.getLogger(__name__)

# Pending files live in the private storage: an upload nobody submitted is nobody's public photo.
FOLDER = "unggahan"
# Uploads no proposal took within this many hours are pruned (hapus_unggahan_usang, the outbox worker).
UMUR_USANG_JAM = 24


def unggahan_buat(*, pengguna: Pengguna, berkas: Any, nama: str = "") -> UnggahanFoto:
    """Check one uploaded photo with the pipeline and keep it, pending, for `pengguna`.

    Callers: the upload endpoint (usulan.views.unggah_foto) and the form's full-page POST, which
    keeps the files of a refused form this way. Writes three files under the private `unggahan/`
    folder and one UnggahanFoto row; raises usulan.foto.FotoDitolak (nothing written) for a photo the
    resident must replace.
    """
    nama = nama or getattr(berkas, "name", "") or ""
    f = proses_foto(berkas, nama=nama)
    privat = storages["privat"]
    dasar = uuid.uuid4().hex
    ditulis: list[str] = []
    try:
        for akhiran, isi in ((f".{f.ekstensi}", f.asli), ("_web.jpg", f.web), ("_kecil.jpg", f.thumbnail)):
            ditulis.append(privat.save(f"{FOLDER}/{dasar}{akhiran}", ContentFile(isi)))
        return UnggahanFoto.objects.create(
            pengguna=pengguna,
            nama_berkas=nama[:200],
            asli=ditulis[0],
            web=ditulis[1],
            thumbnail=ditulis[2],
            ekstensi=f.ekstensi,
            sha256=f.sha256,
            format=f.format,
            ukuran_byte=len(f.asli),
            lebar=f.lebar,
            tinggi=f.tinggi,
            lat=f.exif.lat,
            lon=f.exif.lon,
            diambil_pada=f.exif.diambil_pada,
            orientasi=f.exif.orientasi,
            merek_kamera=f.exif.merek,
            model_kamera=f.exif.model,
            dhash=f.dhash,
        )
    except BaseException:
        _hapus_berkas(ditulis)
        raise


def foto_dari_unggahan(unggahan: UnggahanFoto) -> FotoDiproses:
    """The pipeline's result for a pending upload, read back from its files (no second decode)."""
    privat = storages["privat"]

    def baca(jalur: str) -> bytes:
        with privat.open(jalur, "rb") as berkas:
            return berkas.read()

    return FotoDiproses(
        asli=baca(unggahan.asli),
        ekstensi=unggahan.ekstensi,
        format=unggahan.format,
        sha256=unggahan.sha256,
        lebar=unggahan.lebar,
        tinggi=unggahan.tinggi,
        web=baca(unggahan.web),
        thumbnail=baca(unggahan.thumbnail),
        exif=InfoExif(
            lat=unggahan.lat,
            lon=unggahan.lon,
            diambil_pada=unggahan.diambil_pada,
            orientasi=unggahan.orientasi,
            merek=unggahan.merek_kamera,
            model=unggahan.model_kamera,
        ),
        dhash=unggahan.dhash,
    )


def unggahan_lepas(unggahan: Sequence[UnggahanFoto]) -> None:
    """Delete attached uploads' rows and, once the caller's transaction commits, their files.

    Call inside the transaction that stored their FotoUsulan copies (usulan_buat): if it rolls back,
    rows and files stay and the resident can submit them again.
    """
    jalur = [j for u in unggahan for j in (u.asli, u.web, u.thumbnail)]
    UnggahanFoto.objects.filter(pk__in=[u.pk for u in unggahan]).delete()
    transaction.on_commit(lambda: _hapus_berkas(jalur))


def unggahan_hapus(*, pengguna: Pengguna, token: uuid.UUID) -> bool:
    """The owner removes one pending upload (the "Hapus" button). False if it is not theirs or gone."""
    with transaction.atomic():
        u = UnggahanFoto.objects.select_for_update(skip_locked=True).filter(pengguna=pengguna, token=token).first()
        if u is None:
            return False
        unggahan_lepas([u])
    return True


def unggahan_hapus_usang(*, sebelum: datetime.datetime) -> tuple[int, int]:
    """Remove uploads created before `sebelum` that no proposal took, and stray files in `unggahan/`.

    Caller: `manage.py hapus_unggahan_usang` (cron). Rows a submission holds locked right now are
    skipped (they are being attached). Files under `unggahan/` older than `sebelum` that no row names
    (left by a process killed between writing a file and its row) go too. Returns (rows, files) removed.
    """
    with transaction.atomic():
        usang = list(UnggahanFoto.objects.select_for_update(skip_locked=True).filter(dibuat__lt=sebelum))
        jalur = [j for u in usang for j in (u.asli, u.web, u.thumbnail)]
        UnggahanFoto.objects.filter(pk__in=[u.pk for u in usang]).delete()
    terhapus = _hapus_berkas(jalur)

    privat = storages["privat"]
    try:
        _folder, isi = privat.listdir(FOLDER)
    except FileNotFoundError:
        return len(usang), terhapus
    dipakai: set[str] = set()
    for baris in UnggahanFoto.objects.values_list("asli", "web", "thumbnail"):
        dipakai.update(baris)
    yatim = []
    for nama in isi:
        j = f"{FOLDER}/{nama}"
        if j not in dipakai and privat.get_modified_time(j) < sebelum:
            yatim.append(j)
    return len(usang), terhapus + _hapus_berkas(yatim)


def unggahan_usang_bersihkan() -> int:
    """Remove uploads older than UMUR_USANG_JAM that no proposal took (and their stray files);
    returns the rows removed. Registered as the outbox worker's hourly clean-up (UsulanConfig.ready)."""
    baris, _berkas = unggahan_hapus_usang(sebelum=timezone.now() - datetime.timedelta(hours=UMUR_USANG_JAM))
    return baris


def _hapus_berkas(jalur: Iterable[str]) -> int:
    privat, jumlah = storages["privat"], 0
    for j in jalur:
        try:
            privat.delete(j)
            jumlah += 1
        except OSError:
            logger.exception("could not remove upload file %s", j)
    return jumlah
