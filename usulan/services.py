"""Writes for proposals: submission with photos, all or nothing."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from musrenbang.models import Bidang, KamusUsulan, Siklus, Tahapan
from musrenbang.selectors import LokasiTidakValid, titik_dari_koordinat, wilayah_untuk_titik
from usulan.foto import FotoDiproses, FotoDitolak, jarak_meter, pita_dhash, proses_foto
from usulan.kalimat import kalimat
from usulan.models import (
    Aksi,
    FotoUsulan,
    JenisPengusul,
    PenghitungKode,
    RiwayatStatus,
    Status,
    UnggahanFoto,
    Usulan,
)
from usulan.pesan import pengajuan_kabarkan
from usulan.selectors import (
    foto_sama_di_usulan_lain,
    jendela_pesan_tertutup,
    kamus_perkiraan_biaya,
    unggahan_milik,
)
from usulan.unggahan import foto_dari_unggahan, unggahan_lepas

if TYPE_CHECKING:
    from musrenbang.models import Pengguna

logger = logging.getLogger(__name__)


@dataclass
class IsiUsulan:
    """What a proposer fills in. `lat`/`lon` may be None when a photo carries GPS."""

    judul: str
    permasalahan: str
    uraian: str
    bidang: Bidang
    kamus: KamusUsulan | None
    volume: Decimal
    satuan: str
    alamat: str
    lat: float | None
    lon: float | None
    jenis_pengusul: str = JenisPengusul.WARGA
    nama_pengusul: str = ""
    kontak_pengusul: str = ""
    tampilkan_nama: bool = False
    dusun: str = ""
    rt: str = ""
    rw: str = ""


def _proses_semua_foto(foto: Sequence[Any], *, sudah: int = 0) -> list[FotoDiproses]:
    """Decode and check `foto`; `sudah` photos are attached already (uploads) and count to the limits."""
    if not foto and not sudah:
        raise ValidationError({"foto": _("Lampirkan minimal satu foto lokasi.")})
    if len(foto) + sudah > settings.FOTO_JUMLAH_MAKS:
        raise ValidationError(
            {"foto": _("Paling banyak %(jumlah)d foto per usulan.") % {"jumlah": settings.FOTO_JUMLAH_MAKS}}
        )
    hasil, galat = [], []
    for berkas in foto:
        nama = getattr(berkas, "name", "") or _("foto")
        try:
            hasil.append(proses_foto(berkas, nama=nama))
        except FotoDitolak as exc:
            galat.append(f"{nama}: {exc}")
    if galat:
        raise ValidationError({"foto": galat})
    return hasil


def _tentukan_lokasi(isi: IsiUsulan, foto: list[FotoDiproses]) -> tuple[Point, bool]:
    """The pin if given, else the first photo's GPS. Returns (point, taken_from_photo)."""
    if isi.lat is not None and isi.lon is not None:
        try:
            return titik_dari_koordinat(isi.lat, isi.lon), False
        except LokasiTidakValid as exc:
            raise ValidationError({"lokasi": str(exc)}) from None
    for f in foto:
        if f.exif.lat is not None and f.exif.lon is not None:
            return titik_dari_koordinat(f.exif.lat, f.exif.lon), True
    raise ValidationError(
        {"lokasi": _("Tentukan lokasi: geser pin di peta, pakai lokasi Anda, atau isi lintang dan bujur.")}
    )


def _kode_lacak(siklus: Siklus) -> str:
    """KKKK-YYYY-NNNNN: the kabupaten/kota code without dots, the planning year, a sequence.

    The counter row is locked, so concurrent submissions never share a number.
    """
    PenghitungKode.objects.get_or_create(siklus=siklus)
    penghitung = PenghitungKode.objects.select_for_update().get(siklus=siklus)
    penghitung.terakhir += 1
    penghitung.save(update_fields=["terakhir"])
    return f"{siklus.kabkota.kode.replace('.', '')}-{siklus.tahun}-{penghitung.terakhir:05d}"


def _bendera(f: FotoDiproses, titik: Point, sekarang: datetime.datetime) -> dict[str, Any]:
    hasil: dict[str, Any] = {}
    if f.exif.lat is not None and f.exif.lon is not None:
        jarak = jarak_meter(f.exif.lat, f.exif.lon, titik.y, titik.x)
        hasil["lokasi_exif"] = Point(f.exif.lon, f.exif.lat, srid=4326)
        hasil["jarak_dari_pin_m"] = jarak
        hasil["bendera_jauh"] = jarak > settings.FOTO_JARAK_GPS_MAKS_M
    if f.exif.diambil_pada is not None:
        hasil["diambil_pada"] = f.exif.diambil_pada
        hasil["bendera_lama"] = f.exif.diambil_pada < sekarang - datetime.timedelta(days=settings.FOTO_UMUR_MAKS_HARI)
        # A day of slack: phones in WITA/WIT and wrongly set clocks are common.
        hasil["bendera_masa_depan"] = f.exif.diambil_pada > sekarang + datetime.timedelta(days=1)
    return hasil


def usulan_buat(
    *,
    pengguna: Pengguna,
    siklus: Siklus | None,
    isi: IsiUsulan,
    foto: Sequence[Any] = (),
    unggahan: Sequence[uuid.UUID] = (),
    kunci_idempoten: uuid.UUID | None = None,
    dicatat_oleh: Pengguna | None = None,
    atas_nama: bool = False,
    hanya_desa: frozenset[int] | None = None,
    sekarang: datetime.datetime | None = None,
) -> Usulan:
    """Submit a proposal with 1–5 photos. Callers: the resident's form, a desa operator filing on
    behalf of a proposer (`dicatat_oleh`), the Open311 API (`atas_nama`: a partner app's account
    submits for the person named in the request). Either way the proposal is marked `atas_nama`, so
    status news goes to `isi.kontak_pengusul`, not to the recording account.

    Checks the round's window, decodes every photo, derives desa and kecamatan from the point, then
    writes the proposal, its photos (files + rows) and the first history row in one transaction,
    in which the confirmation and the desa digest are queued too (usulan.pesan, into kabar). Raises
    ValidationError (field → messages); on any failure no row and no file remains.

    `unggahan` names photos the same account uploaded beforehand (usulan.unggahan): they are copied
    into the proposal and their pending rows deleted in the same transaction, so a failed submit
    leaves them attachable and a used one cannot be attached again. `kunci_idempoten` is the
    client's key for this submission: a repeated key returns the proposal it already created.
    """
    if kunci_idempoten is not None:
        # Before every other check: an answer lost after the commit is retried, even once the window closed.
        sudah = Usulan.objects.filter(pengguna=pengguna, kunci_idempoten=kunci_idempoten).first()
        if sudah is not None:
            return sudah
    sekarang = sekarang or timezone.now()
    pesan = jendela_pesan_tertutup(siklus, Tahapan.PENGAJUAN, sekarang)
    if pesan and dicatat_oleh is not None:
        # Operators also record proposals raised at the village forum, during the desa window.
        pesan = jendela_pesan_tertutup(siklus, Tahapan.DESA, sekarang) and pesan
    if pesan or siklus is None:
        raise ValidationError(pesan or _("Belum ada siklus perencanaan yang aktif."), code="jendela_tertutup")

    if isi.kamus is not None and (isi.kamus.siklus_id != siklus.pk or not isi.kamus.aktif):
        raise ValidationError({"kamus": _("Item kamus ini tidak berlaku untuk siklus yang aktif.")})
    tertunda = _unggahan_terpakai(pengguna, unggahan)
    try:
        dari_unggahan = [foto_dari_unggahan(u) for u in tertunda]
    except FileNotFoundError:  # pruned between the query and the read
        raise _galat_unggahan_hilang() from None
    diproses = dari_unggahan + _proses_semua_foto(foto, sudah=len(tertunda))
    titik, dari_foto = _tentukan_lokasi(isi, diproses)
    try:
        wilayah = wilayah_untuk_titik(titik, kabkota=siklus.kabkota)
    except LokasiTidakValid as exc:
        raise ValidationError({"lokasi": str(exc)}) from None
    if hanya_desa is not None and wilayah.desa.pk not in hanya_desa:
        raise ValidationError(
            {"lokasi": _("Lokasi ini di %(desa)s, di luar desa/kelurahan Anda.") % {"desa": wilayah.desa.nama}}
        )

    satuan = isi.kamus.satuan if isi.kamus else isi.satuan
    ditulis: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            if kunci_idempoten is not None:
                # One submission per key: the account's row is the lock two retries of a draft queue on.
                get_user_model().objects.select_for_update().filter(pk=pengguna.pk).first()
                sudah = Usulan.objects.filter(pengguna=pengguna, kunci_idempoten=kunci_idempoten).first()
                if sudah is not None:
                    return sudah
            if tertunda:
                # Locked and still there: nobody else attached them or pruned them since they were read.
                terkunci = UnggahanFoto.objects.select_for_update().filter(pk__in=[u.pk for u in tertunda])
                if len(terkunci) != len(tertunda):
                    raise _galat_unggahan_hilang()
                unggahan_lepas(tertunda)
            usulan = Usulan(
                kode_lacak=_kode_lacak(siklus),
                siklus=siklus,
                pengguna=pengguna,
                dicatat_oleh=dicatat_oleh,
                jenis_pengusul=isi.jenis_pengusul,
                nama_pengusul=isi.nama_pengusul or pengguna.nama_lengkap or pengguna.get_username(),
                kontak_pengusul=isi.kontak_pengusul,
                atas_nama=atas_nama or dicatat_oleh is not None,
                tampilkan_nama=isi.tampilkan_nama,
                judul=isi.judul.strip(),
                permasalahan=isi.permasalahan.strip(),
                uraian=isi.uraian.strip(),
                bidang=isi.bidang,
                kamus=isi.kamus,
                volume=isi.volume,
                satuan=satuan,
                perkiraan_biaya=kamus_perkiraan_biaya(isi.kamus, isi.volume),
                alamat=isi.alamat.strip(),
                dusun=isi.dusun.strip(),
                rt=isi.rt.strip(),
                rw=isi.rw.strip(),
                lokasi=titik,
                desa=wilayah.desa,
                kecamatan=wilayah.kecamatan,
                status=Status.DIAJUKAN,
                status_publik=Status.DIAJUKAN,
                kunci_idempoten=kunci_idempoten,
            )
            usulan.full_clean(exclude=["kode_lacak", "kunci_idempoten"])
            usulan.save()
            foto_simpan(usulan, diproses, titik=titik, sekarang=sekarang, ditulis=ditulis)
            kode, data = kalimat("lokasi_dari_gps") if dari_foto else ("", None)
            RiwayatStatus.objects.create(
                usulan=usulan,
                aksi=Aksi.AJUKAN,
                dari_status="",
                ke_status=Status.DIAJUKAN,
                pelaku=dicatat_oleh or pengguna,
                peran="desa" if dicatat_oleh else "pengusul",
                kalimat=kode,
                kalimat_data=data,
                publik=True,
            )
            # The confirmation and the desa digest, queued in this transaction (usulan.pesan).
            pengajuan_kabarkan(usulan)
    except BaseException:
        # The rows are rolled back; the files must go too.
        berkas_hapus(ditulis)
        raise
    return usulan


def _galat_unggahan_hilang() -> ValidationError:
    pesan = _("Foto yang diunggah sudah tidak tersedia (terpakai atau kedaluwarsa). Pilih fotonya lagi.")
    return ValidationError({"foto": ValidationError(pesan, code="unggahan_hilang")})


def _unggahan_terpakai(pengguna: Pengguna, token: Sequence[uuid.UUID]) -> list[UnggahanFoto]:
    """The account's pending uploads named by `token`; every token must be found, each once."""
    if not token:
        return []
    if len(set(token)) != len(token):
        raise ValidationError({"foto": _("Foto yang sama terlampir dua kali.")})
    tertunda = unggahan_milik(pengguna, token)
    if len(tertunda) != len(token):
        raise _galat_unggahan_hilang()
    return tertunda


def berkas_hapus(ditulis: list[tuple[Any, str]]) -> None:
    """Remove stored files: those written by a transaction that did not commit, or those of photos
    whose rows a committed transaction deleted. A file that cannot be removed is logged, not raised."""
    for tempat, jalur in ditulis:
        try:
            tempat.delete(jalur)
        except OSError:
            logger.exception("could not remove the stored file %s", jalur)


def foto_simpan(
    usulan: Usulan,
    diproses: Sequence[FotoDiproses],
    *,
    titik: Point,
    sekarang: datetime.datetime,
    ditulis: list[tuple[Any, str]],
) -> None:
    """Write each photo's private original and public copies, and its row with the verifiers' flags.

    Call inside the caller's transaction; every file written is appended to `ditulis` so the caller
    can remove them (berkas_hapus) if the transaction does not commit.
    """
    publik, privat = storages["default"], storages["privat"]
    # After the highest number in use: removed photos may have left gaps (usulan_perbarui).
    mulai = usulan.foto.aggregate(m=Max("urutan"))["m"] or 0
    for urutan, f in enumerate(diproses, start=mulai + 1):
        nama = uuid.uuid4().hex
        jalur = []
        for tempat, nama_berkas, isi_berkas in (
            (privat, f"usulan/{usulan.siklus.tahun}/{nama}.{f.ekstensi}", f.asli),
            (publik, f"usulan/{usulan.siklus.tahun}/{nama}_web.jpg", f.web),
            (publik, f"usulan/{usulan.siklus.tahun}/{nama}_kecil.jpg", f.thumbnail),
        ):
            tersimpan = tempat.save(nama_berkas, ContentFile(isi_berkas))
            ditulis.append((tempat, tersimpan))
            jalur.append(tersimpan)
        duplikat = foto_sama_di_usulan_lain(sha256=f.sha256, dhash=f.dhash, kecuali_usulan_id=usulan.pk)
        FotoUsulan.objects.create(
            usulan=usulan,
            urutan=urutan,
            asli=jalur[0],
            web=jalur[1],
            thumbnail=jalur[2],
            sha256=f.sha256,
            dhash=f.dhash,
            dhash_pita=pita_dhash(f.dhash),
            format=f.format,
            ukuran_byte=len(f.asli),
            lebar=f.lebar,
            tinggi=f.tinggi,
            merek_kamera=f.exif.merek,
            model_kamera=f.exif.model,
            duplikat_dari_id=duplikat.usulan_id if duplikat else None,
            **_bendera(f, titik, sekarang),
        )


def foto_proses(foto: Sequence[Any], *, wajib: bool = True) -> list[FotoDiproses]:
    """Decode and check uploaded photos (outside any transaction: it is the slow part). Writes nothing;
    raises ValidationError (field `foto`) naming each refused photo."""
    if not foto and not wajib:
        return []
    return _proses_semua_foto(foto)


def usulan_perbarui(
    usulan: Usulan,
    *,
    isi: IsiUsulan,
    foto: Sequence[FotoDiproses],
    ditulis: list[tuple[Any, str]],
    hapus_foto: Sequence[int] = (),
) -> None:
    """Apply a proposer's revision to a locked proposal row, inside the caller's transaction (caller:
    verifikasi.services.usulan_perbaiki, through verifikasi.transitions.ajukan_ulang). The desa is
    derived again from the point; the photos named in `hapus_foto` (ids of this proposal's photos;
    others are ignored) are removed and new ones added, at least one and at most the limit in all.

    Writes the proposal row's fields, the new photos' files and rows (each file written is appended to
    `ditulis`, for the caller to remove if the transaction does not commit), and deletes the removed
    photos' rows; their files are deleted only once the transaction commits, so a revision that fails
    later keeps them. Raises ValidationError."""
    lama = list(usulan.foto.filter(pk__in=list(hapus_foto))) if hapus_foto else []
    tersisa = usulan.foto.count() - len(lama)
    if tersisa + len(foto) > settings.FOTO_JUMLAH_MAKS:
        raise ValidationError(
            {"foto": _("Paling banyak %(jumlah)d foto per usulan.") % {"jumlah": settings.FOTO_JUMLAH_MAKS}}
        )
    if tersisa + len(foto) == 0:
        raise ValidationError({"foto": _("Lampirkan minimal satu foto lokasi.")})
    if isi.kamus is not None and (isi.kamus.siklus_id != usulan.siklus_id or not isi.kamus.aktif):
        raise ValidationError({"kamus": _("Item kamus ini tidak berlaku untuk siklus yang aktif.")})
    titik, _dari_foto = _tentukan_lokasi(isi, list(foto))
    try:
        wilayah = wilayah_untuk_titik(titik, kabkota=usulan.siklus.kabkota)
    except LokasiTidakValid as exc:
        raise ValidationError({"lokasi": str(exc)}) from None
    for nama in ("judul", "permasalahan", "uraian", "alamat", "dusun", "rt", "rw"):
        setattr(usulan, nama, getattr(isi, nama).strip())
    usulan.bidang, usulan.kamus, usulan.volume = isi.bidang, isi.kamus, isi.volume
    usulan.satuan = isi.kamus.satuan if isi.kamus else isi.satuan
    usulan.perkiraan_biaya = kamus_perkiraan_biaya(isi.kamus, isi.volume)
    usulan.jenis_pengusul, usulan.tampilkan_nama = isi.jenis_pengusul, isi.tampilkan_nama
    if isi.nama_pengusul:
        usulan.nama_pengusul = isi.nama_pengusul
    usulan.lokasi, usulan.desa, usulan.kecamatan = titik, wilayah.desa, wilayah.kecamatan
    usulan.full_clean(exclude=["kode_lacak", "status", "status_publik"])
    if lama:
        publik, privat = storages["default"], storages["privat"]
        berkas_lama = [(t, j) for f in lama for t, j in ((privat, f.asli), (publik, f.web), (publik, f.thumbnail)) if j]
        FotoUsulan.objects.filter(pk__in=[f.pk for f in lama]).delete()
        # Only after the commit: until then a rollback brings the rows back, and they need their files.
        transaction.on_commit(lambda: berkas_hapus(berkas_lama))
    foto_simpan(usulan, foto, titik=titik, sekarang=timezone.now(), ditulis=ditulis)
