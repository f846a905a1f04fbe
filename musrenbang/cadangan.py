"""Backups: the database (pg_dump, custom format) and MEDIA_ROOT (a tar), with a manifest of row
counts and SHA-256 checksums; and their restore into a fresh database and media folder.

Used by `manage.py cadangkan` and `manage.py pulihkan`. PostgreSQL's own client tools do the
database part (pg_dump/pg_restore from the same major version as the server); they get the
credentials of settings.DATABASES["default"] through PGPASSWORD, never on a command line or in a
shell string. The row counts are taken in the very snapshot pg_dump exports, so they match the dump
exactly even while the site keeps taking proposals.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import psycopg2
from django.conf import settings
from psycopg2 import sql
from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

from musrenbang import peran_db

FORMAT = 1
BERKAS_DUMP = "basis-data.dump"
BERKAS_MEDIA = "media.tar"
BERKAS_MANIFEST = "manifest.json"
_POTONGAN = 1024 * 1024

# Tables of the public schema, without those that belong to an extension (PostGIS' spatial_ref_sys):
# an extension brings its own rows into the new database.
_SQL_TABEL = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
  )
ORDER BY c.relname
"""


class GalatCadangan(Exception):
    """A backup or restore that cannot go on; the message says why, in words an operator can act on."""


@dataclass(frozen=True)
class Koneksi:
    """Where the database server is and who we are there (from settings.DATABASES["default"])."""

    host: str
    port: str
    user: str
    password: str

    @classmethod
    def dari_settings(cls) -> Koneksi:
        # As the owner of the tables when there are two roles (it may create databases and read all).
        db = settings.DATABASE_PEMILIK or settings.DATABASES["default"]
        return cls(
            host=str(db.get("HOST") or ""),
            port=str(db.get("PORT") or ""),
            user=str(db.get("USER") or ""),
            password=str(db.get("PASSWORD") or ""),
        )

    def argumen(self) -> list[str]:
        """Connection options for pg_dump/pg_restore (an empty host means the local socket)."""
        hasil = ["--no-password"]
        if self.host:
            hasil += ["--host", self.host]
        if self.port:
            hasil += ["--port", self.port]
        if self.user:
            hasil += ["--username", self.user]
        return hasil

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def sambung(self, basis_data: str) -> Any:
        return psycopg2.connect(
            dbname=basis_data,
            user=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port or None,
        )


def sha256_berkas(jalur: Path) -> str:
    h = hashlib.sha256()
    with jalur.open("rb") as f:
        while potongan := f.read(_POTONGAN):
            h.update(potongan)
    return h.hexdigest()


def hitung_baris(cursor: Any) -> dict[str, int]:
    """Rows per table of the public schema, extension tables left out."""
    cursor.execute(_SQL_TABEL)
    tabel = [baris[0] for baris in cursor.fetchall()]
    hasil = {}
    for nama in tabel:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(nama)))
        hasil[nama] = cursor.fetchone()[0]
    return hasil


def _jalankan(perintah: list[str], koneksi: Koneksi) -> subprocess.CompletedProcess:
    try:
        hasil = subprocess.run(perintah, env=koneksi.env(), capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as galat:
        raise GalatCadangan(f"{perintah[0]} tidak ditemukan: pasang klien PostgreSQL (postgresql-client).") from galat
    if hasil.returncode != 0:
        raise GalatCadangan(f"{Path(perintah[0]).name} gagal (kode {hasil.returncode}):\n{hasil.stderr.strip()}")
    return hasil


# --- Backup ---------------------------------------------------------------------------------------
class _TulisDenganHash:
    """A write-only file wrapper that hashes what passes through (the tar is read only once)."""

    def __init__(self, berkas: IO[bytes]) -> None:
        self.berkas = berkas
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.berkas.write(data)


class _BacaDenganHash:
    def __init__(self, berkas: IO[bytes]) -> None:
        self.berkas = berkas
        self.hash = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.berkas.read(n)
        self.hash.update(data)
        return data


def _arsipkan_media(akar: Path, tujuan: Path) -> tuple[str, dict[str, str]]:
    """Tar every regular file under `akar` into `tujuan`; returns the tar's SHA-256 and each file's."""
    isi: dict[str, str] = {}
    with tujuan.open("wb") as keluaran:
        penulis = _TulisDenganHash(keluaran)
        # A stream: mode "w|" only ever calls write() on it, all _TulisDenganHash has.
        with tarfile.open(fileobj=penulis, mode="w|") as tar:  # type: ignore[call-overload]
            if akar.is_dir():
                for jalur in sorted(akar.rglob("*")):
                    if not jalur.is_file() or jalur.is_symlink():
                        continue  # uploads are plain files; a link could point outside MEDIA_ROOT
                    nama = jalur.relative_to(akar).as_posix()
                    info = tar.gettarinfo(str(jalur), arcname=nama)
                    with jalur.open("rb") as masukan:
                        pembaca = _BacaDenganHash(masukan)
                        tar.addfile(info, pembaca)
                    isi[nama] = pembaca.hash.hexdigest()
    return penulis.hash.hexdigest(), isi


def cadangkan(tujuan: Path) -> dict[str, Any]:
    """Back up the database and MEDIA_ROOT into the new folder `tujuan`; returns the manifest.

    The database snapshot is taken first and the media afterwards, so every photo the dumped rows
    name is in the tar (files only ever get added while the site runs). manifest.json is written
    last: a folder without it is an unfinished backup.
    """
    if tujuan.exists() and any(tujuan.iterdir()):
        raise GalatCadangan(f"Folder {tujuan} sudah berisi berkas; pilih folder baru untuk cadangan.")
    tujuan.mkdir(parents=True, exist_ok=True)
    koneksi = Koneksi.dari_settings()
    nama_db = settings.DATABASES["default"]["NAME"]
    dump = tujuan / BERKAS_DUMP

    con = koneksi.sambung(nama_db)
    try:
        con.set_session(isolation_level=ISOLATION_LEVEL_REPEATABLE_READ, readonly=True)
        with con.cursor() as cur:
            # Export this transaction's snapshot: pg_dump reads exactly what we count here.
            cur.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, versi_server = cur.fetchone()
            baris = hitung_baris(cur)
            _jalankan(
                [
                    "pg_dump",
                    *koneksi.argumen(),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(dump),
                    "--dbname",
                    nama_db,
                ],
                koneksi,
            )
        con.rollback()
    finally:
        con.close()

    sha_tar, isi_media = _arsipkan_media(Path(settings.MEDIA_ROOT), tujuan / BERKAS_MEDIA)
    manifest = {
        "format": FORMAT,
        "dibuat": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "basis_data": {
            "nama": nama_db,
            "versi_server": versi_server,
            "berkas": BERKAS_DUMP,
            "sha256": sha256_berkas(dump),
        },
        "baris": baris,
        "media": {"berkas": BERKAS_MEDIA, "sha256": sha_tar, "isi": isi_media},
    }
    sementara = tujuan / (BERKAS_MANIFEST + ".tmp")
    sementara.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    sementara.replace(tujuan / BERKAS_MANIFEST)
    return manifest


# --- Restore --------------------------------------------------------------------------------------
def baca_manifest(sumber: Path) -> dict[str, Any]:
    """The manifest of the backup in `sumber`, after checking both archives against it."""
    berkas = sumber / BERKAS_MANIFEST
    if not berkas.is_file():
        raise GalatCadangan(f"{berkas} tidak ada: ini bukan folder cadangan, atau cadangannya belum selesai.")
    try:
        manifest = json.loads(berkas.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as galat:
        raise GalatCadangan(f"{berkas} rusak: {galat}") from galat
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise GalatCadangan(f"{berkas}: format cadangan tidak dikenal (diharapkan {FORMAT}).")
    for bagian in ("basis_data", "media"):
        arsip = sumber / manifest[bagian]["berkas"]
        if not arsip.is_file():
            raise GalatCadangan(f"{arsip} tidak ada.")
        if sha256_berkas(arsip) != manifest[bagian]["sha256"]:
            raise GalatCadangan(f"{arsip} tidak cocok dengan checksum di manifest: berkas rusak atau diubah.")
    return manifest


@contextmanager
def _basis_data_baru(koneksi: Koneksi, nama: str) -> Iterator[None]:
    """Create database `nama` (it must not exist yet); drop it again if the restore fails."""
    con = koneksi.sambung("postgres")
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nama])
            if cur.fetchone():
                raise GalatCadangan(f"Basis data {nama} sudah ada; pulihkan hanya ke basis data baru.")
            # From template1, where the set-up installed PostGIS and pg_trgm (a plain role may not).
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nama)))
        try:
            yield
        except BaseException:
            with con.cursor() as cur:
                cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(nama)))
            raise
    finally:
        con.close()


def _daftar_pulih(koneksi: Koneksi, dump: Path, folder: Path) -> Path:
    """pg_restore's table of contents without the entries a database owner may not restore:
    comments on extensions (their owner is the superuser who installed them) and PostGIS'
    spatial_ref_sys rows (the new database's extension already has them)."""
    daftar = _jalankan(["pg_restore", "--list", str(dump)], koneksi).stdout.splitlines()
    saring = [
        baris
        for baris in daftar
        if " COMMENT - EXTENSION " not in baris and " TABLE DATA public spatial_ref_sys " not in baris
    ]
    jalur = folder / "pulihkan.list"
    jalur.write_text("\n".join(saring) + "\n", encoding="utf-8")
    return jalur


def _ekstrak_media(tar_jalur: Path, tujuan: Path, harapan: dict[str, str]) -> None:
    """Unpack the media tar into the new folder `tujuan`, refusing anything but plain files and
    folders below it: absolute names, "..", symbolic and hard links, devices and FIFOs stop the
    restore. Written by this code, not tarfile's extract (its safety filter needs Python 3.11.4;
    Debian 12 has 3.11.2): each file is created new (O_EXCL, O_NOFOLLOW) with mode 0644, folders 0755,
    and hashed while written. A file the manifest does not list (or a folder none of its files is in)
    stops the restore before it is written."""
    akar = tujuan.resolve()
    folder_harapan = {p.as_posix() for nama in harapan for p in Path(nama).parents if p != Path(".")}
    ada: dict[str, str] = {}
    with tarfile.open(tar_jalur, mode="r:") as tar:
        for anggota in tar:
            nama = anggota.name
            bagian = Path(nama).parts
            if nama.startswith(("/", "\\")) or not bagian or ".." in bagian or "\x00" in nama:
                raise GalatCadangan(f"Arsip media berisi nama berbahaya: {nama!r}.")
            if not (anggota.isfile() or anggota.isdir()):
                raise GalatCadangan(
                    f"Arsip media berisi {nama!r} yang bukan berkas biasa atau folder (tautan/perangkat)."
                )
            # Only what the manifest lists, checked before anything is written: a hostile archive cannot
            # fill the disk with files (or folders) that would only be refused at the end.
            relatif = Path(*bagian).as_posix()
            if relatif not in (folder_harapan if anggota.isdir() else harapan):
                raise GalatCadangan(f"Arsip media berisi {nama!r} yang tidak ada di manifest.")
            sasaran = akar.joinpath(*bagian)
            if not sasaran.resolve().is_relative_to(akar):  # a folder on the way may not lead outside
                raise GalatCadangan(f"Arsip media berisi nama di luar folder tujuan: {nama!r}.")
            if anggota.isdir():
                sasaran.mkdir(mode=0o755, parents=True, exist_ok=True)
                continue
            sasaran.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            sumber = tar.extractfile(anggota)
            h = hashlib.sha256()
            try:
                fd = os.open(sasaran, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            except FileExistsError:
                raise GalatCadangan(f"Arsip media memuat {nama!r} lebih dari sekali.") from None
            with os.fdopen(fd, "wb") as keluaran:
                # A regular file (folders went above, anything else was refused): extractfile() gave a stream.
                while potongan := sumber.read(_POTONGAN):  # type: ignore[union-attr]
                    h.update(potongan)
                    keluaran.write(potongan)
            ada[Path(*bagian).as_posix()] = h.hexdigest()
    if set(ada) != set(harapan):
        kurang, lebih = sorted(set(harapan) - set(ada)), sorted(set(ada) - set(harapan))
        raise GalatCadangan(f"Isi media tidak sesuai manifest (kurang: {kurang[:5]}, lebih: {lebih[:5]}).")
    salah = [nama for nama, sha in ada.items() if sha != harapan[nama]]
    if salah:
        raise GalatCadangan(f"Checksum {len(salah)} berkas media tidak cocok, misalnya {salah[0]}.")


def pulihkan(sumber: Path, *, basis_data: str, media: Path) -> dict[str, Any]:
    """Restore the backup in `sumber` into the new database `basis_data` and the new (or empty)
    folder `media`, then check every row count and every file checksum against the manifest.

    Never touches an existing database or a folder with files in it; a failed restore drops the
    database it created. Returns the manifest.
    """
    manifest = baca_manifest(sumber)
    if media.exists() and any(media.iterdir()):
        raise GalatCadangan(f"Folder media {media} sudah berisi berkas; pulihkan hanya ke folder baru.")
    koneksi = Koneksi.dari_settings()
    with _basis_data_baru(koneksi, basis_data):
        daftar = _daftar_pulih(koneksi, sumber / BERKAS_DUMP, sumber)
        try:
            _jalankan(
                [
                    "pg_restore",
                    *koneksi.argumen(),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--use-list",
                    str(daftar),
                    "--dbname",
                    basis_data,
                    str(sumber / BERKAS_DUMP),
                ],
                koneksi,
            )
        finally:
            daftar.unlink(missing_ok=True)
        con = koneksi.sambung(basis_data)
        try:
            with con.cursor() as cur:
                baris = hitung_baris(cur)
                # The restored tables belong to the owner; the application's role gets its rights back.
                if (peran := peran_db.peran_aplikasi()) is not None:
                    peran_db.beri_hak_aplikasi(cur, peran)
            con.commit()
        finally:
            con.close()
        if baris != manifest["baris"]:
            beda = sorted(t for t in set(baris) | set(manifest["baris"]) if baris.get(t) != manifest["baris"].get(t))
            raise GalatCadangan(f"Jumlah baris tidak cocok dengan manifest di tabel: {', '.join(beda[:10])}.")
        media.mkdir(parents=True, exist_ok=True)
        try:
            _ekstrak_media(sumber / BERKAS_MEDIA, media, manifest["media"]["isi"])
        except BaseException:
            shutil.rmtree(media, ignore_errors=True)
            raise
    return manifest
