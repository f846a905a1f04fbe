"""Restore unpacks only plain files and folders inside the new media folder, on every Python the project
runs on (Debian 12's 3.11.2 has no tarfile safety filter): a hostile media.tar (absolute names, "..",
symbolic and hard links, a device, a FIFO, a name twice) stops the restore and writes nothing outside."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from musrenbang.cadangan import GalatCadangan, _ekstrak_media


def _tar(jalur: Path, anggota: list[tarfile.TarInfo | tuple[str, bytes]]) -> None:
    with tarfile.open(jalur, mode="w") as tar:
        for a in anggota:
            if isinstance(a, tuple):
                info = tarfile.TarInfo(a[0])
                info.size = len(a[1])
                info.mode = 0o4777  # setuid and world-writable in the archive: not carried over
                tar.addfile(info, io.BytesIO(a[1]))
            else:
                tar.addfile(a)


def _info(nama: str, jenis: bytes, tautan: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(nama)
    info.type = jenis
    info.linkname = tautan
    return info


def _sha(isi: bytes) -> str:
    return hashlib.sha256(isi).hexdigest()


@pytest.fixture
def tempat(tmp_path: Path) -> tuple[Path, Path, Path]:
    tujuan = tmp_path / "pulih" / "media"
    tujuan.mkdir(parents=True)
    return tmp_path / "media.tar", tujuan, tmp_path


def test_arsip_baik_dibongkar_dengan_izin_aman(tempat):
    arsip, tujuan, _ = tempat
    isi = b"\xff\xd8\xff foto"
    _tar(arsip, [_info("publik", tarfile.DIRTYPE), ("publik/foto/a.jpg", isi), ("privat/asli/a.jpg", isi)])
    _ekstrak_media(arsip, tujuan, {"publik/foto/a.jpg": _sha(isi), "privat/asli/a.jpg": _sha(isi)})
    berkas = tujuan / "publik" / "foto" / "a.jpg"
    assert berkas.read_bytes() == isi
    assert berkas.stat().st_mode & 0o7777 == 0o644
    assert (tujuan / "privat" / "asli").stat().st_mode & 0o777 == 0o755


@pytest.mark.parametrize(
    "jahat",
    [
        ("../../luar.txt", b"x"),
        ("publik/../../../luar.txt", b"x"),
        ("/LUAR/luar.txt", b"x"),
        _info("tautan", tarfile.SYMTYPE, "../../luar.txt"),
        _info("publik/tautan-mutlak", tarfile.SYMTYPE, "/etc/passwd"),
        _info("keras", tarfile.LNKTYPE, "/etc/passwd"),
        _info("perangkat", tarfile.CHRTYPE),
        _info("pipa", tarfile.FIFOTYPE),
    ],
    ids=["dot-dot", "dot-dot-inside", "absolute", "symlink-out", "symlink-absolute", "hardlink", "device", "fifo"],
)
def test_arsip_jahat_ditolak_tanpa_menulis_di_luar(tempat, jahat):
    arsip, tujuan, dasar = tempat
    _tar(arsip, [("publik/baik.jpg", b"baik"), jahat])
    with pytest.raises(GalatCadangan, match="Arsip media berisi"):
        _ekstrak_media(arsip, tujuan, {"publik/baik.jpg": _sha(b"baik")})
    diluar = sorted(p.relative_to(dasar).as_posix() for p in dasar.rglob("*") if not p.is_relative_to(tujuan))
    assert diluar == ["media.tar", "pulih"]
    assert not Path("/LUAR").exists()
    assert not any(p.is_symlink() for p in tujuan.rglob("*"))


def test_nama_ganda_ditolak(tempat):
    arsip, tujuan, _ = tempat
    _tar(arsip, [("publik/a.jpg", b"pertama"), ("publik/a.jpg", b"kedua menimpa")])
    with pytest.raises(GalatCadangan, match="lebih dari sekali"):
        _ekstrak_media(arsip, tujuan, {"publik/a.jpg": _sha(b"pertama")})
    assert (tujuan / "publik" / "a.jpg").read_bytes() == b"pertama"


@pytest.mark.parametrize("anggota", [("publik/besar.bin", b"\0" * (2 * 1024 * 1024)), _info("lain", tarfile.DIRTYPE)])
def test_nama_di_luar_manifest_ditolak_sebelum_ditulis(tempat, anggota):
    """A member the manifest does not list is refused before a byte of it is written: a hostile archive
    cannot fill the disk first and be refused only at the end."""
    arsip, tujuan, _ = tempat
    _tar(arsip, [("publik/a.jpg", b"baik"), anggota, ("publik/b.jpg", b"juga baik")])
    with pytest.raises(GalatCadangan, match="tidak ada di manifest"):
        _ekstrak_media(arsip, tujuan, {"publik/a.jpg": _sha(b"baik"), "publik/b.jpg": _sha(b"juga baik")})
    assert sorted(p.relative_to(tujuan).as_posix() for p in tujuan.rglob("*")) == ["publik", "publik/a.jpg"]
