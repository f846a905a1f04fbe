"""`cadangkan` then `pulihkan` into a NEW database and media folder: every table has the same row
count as the original, every original photo has the checksum stored with it, and a damaged or
misdirected restore changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from akun.models import Peran
from tests.skenario import buat_usulan
from usulan.models import FotoUsulan
from verifikasi.transitions import teruskan

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump runs in its own process: data must be committed


def _sambung(nama: str):
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=nama, user=db["USER"], password=db["PASSWORD"], host=db["HOST"] or None, port=db["PORT"] or None
    )


def _hapus_basis_data(nama: str) -> None:
    con = _sambung("postgres")
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(nama)))
    con.close()


def _ada_basis_data(nama: str) -> bool:
    con = _sambung("postgres")
    with con.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [nama])
        ada = cur.fetchone() is not None
    con.close()
    return ada


def _jumlah_baris(cur, tabel: list[str]) -> dict[str, int]:
    hasil = {}
    for nama in tabel:
        cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(nama)))
        hasil[nama] = cur.fetchone()[0]
    return hasil


@pytest.fixture
def nama_pulih():
    nama = connection.settings_dict["NAME"] + "_pulih"
    _hapus_basis_data(nama)  # left over by an interrupted run
    yield nama
    _hapus_basis_data(nama)


@pytest.fixture
def data_nyata(warga, operator_desa, siklus, desa, desa_lain):
    usulan = [buat_usulan(warga, siklus, desa, judul=f"Usulan cadangan {i}") for i in range(3)]
    usulan.append(buat_usulan(warga, siklus, desa_lain, judul="Usulan desa lain"))
    # History and notification rows too.
    teruskan(usulan_id=usulan[0].pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)
    return usulan


def test_cadangkan_lalu_pulihkan_ke_basis_data_baru(tmp_path, data_nyata, nama_pulih):
    cadangan, media_baru = tmp_path / "cadangan", tmp_path / "media-pulih"
    keluaran = io.StringIO()
    call_command("cadangkan", str(cadangan), stdout=keluaran)
    assert "Cadangan selesai" in keluaran.getvalue()
    manifest = json.loads((cadangan / "manifest.json").read_text())
    assert manifest["baris"]["usulan_usulan"] == 4 and manifest["baris"]["usulan_fotousulan"] == 4

    keluaran = io.StringIO()
    call_command("pulihkan", str(cadangan), basis_data=nama_pulih, media=str(media_baru), stdout=keluaran)
    assert "cocok dengan manifest" in keluaran.getvalue()

    # Every table of the application, counted independently of the manifest in both databases.
    tabel = sorted(t for t in connection.introspection.table_names() if t != "spatial_ref_sys")
    assert {"usulan_usulan", "usulan_riwayatstatus", "musrenbang_wilayah", "django_migrations"} <= set(tabel)
    with connection.cursor() as cur:
        asli = _jumlah_baris(cur, tabel)
    con = _sambung(nama_pulih)
    try:
        with con.cursor() as cur:
            pulih = _jumlah_baris(cur, tabel)
            cur.execute("SELECT kode_lacak, ST_AsText(lokasi) FROM usulan_usulan ORDER BY kode_lacak")
            usulan_pulih = cur.fetchall()
    finally:
        con.close()
    assert pulih == asli
    assert asli["usulan_usulan"] == 4 and asli["musrenbang_wilayah"] > 10
    with connection.cursor() as cur:
        cur.execute("SELECT kode_lacak, ST_AsText(lokasi) FROM usulan_usulan ORDER BY kode_lacak")
        assert usulan_pulih == cur.fetchall()

    # The original photos come back byte for byte; their public copies too.
    for foto in FotoUsulan.objects.all():
        berkas = media_baru / "privat" / foto.asli
        assert hashlib.sha256(berkas.read_bytes()).hexdigest() == foto.sha256
        for salinan in (foto.web, foto.thumbnail):
            assert (media_baru / "publik" / salinan).read_bytes() == (
                Path(settings.MEDIA_ROOT) / "publik" / salinan
            ).read_bytes()


def test_arsip_rusak_ditolak_dan_tidak_membuat_apa_pun(tmp_path, data_nyata, nama_pulih):
    cadangan = tmp_path / "cadangan"
    call_command("cadangkan", str(cadangan), stdout=io.StringIO())
    tar = cadangan / "media.tar"
    isi = bytearray(tar.read_bytes())
    isi[len(isi) // 2] ^= 0xFF
    tar.write_bytes(bytes(isi))
    with pytest.raises(CommandError, match=r"media\.tar tidak cocok dengan checksum"):
        call_command("pulihkan", str(cadangan), basis_data=nama_pulih, media=str(tmp_path / "m"), stdout=io.StringIO())
    assert not _ada_basis_data(nama_pulih)
    assert not (tmp_path / "m").exists()


def test_tidak_menimpa_basis_data_atau_folder_yang_ada(tmp_path, warga, nama_pulih):
    cadangan = tmp_path / "cadangan"
    call_command("cadangkan", str(cadangan), stdout=io.StringIO())
    with pytest.raises(CommandError, match="sudah ada; pulihkan hanya ke basis data baru"):
        call_command("pulihkan", str(cadangan), basis_data=connection.settings_dict["NAME"], media=str(tmp_path / "m"))
    berisi = tmp_path / "media-berisi"
    berisi.mkdir()
    (berisi / "penting.txt").write_text("jangan ditimpa")
    with pytest.raises(CommandError, match="sudah berisi berkas"):
        call_command("pulihkan", str(cadangan), basis_data=nama_pulih, media=str(berisi))
    assert not _ada_basis_data(nama_pulih)
    with pytest.raises(CommandError, match="sudah berisi berkas"):
        call_command("cadangkan", str(cadangan))
    with pytest.raises(CommandError, match="Nama basis data hanya boleh"):
        call_command("pulihkan", str(cadangan), basis_data='x"; DROP DATABASE y; --', media=str(tmp_path / "n"))
    with pytest.raises(CommandError, match="bukan folder cadangan"):
        call_command("pulihkan", str(tmp_path), basis_data=nama_pulih, media=str(tmp_path / "n"))
