"""The officials' action endpoint is a registry beside the transition table (verifikasi.aksi): every
action an official may take in TABEL has exactly one row, and the view runs whatever the row says."""

from __future__ import annotations

import inspect

from django.urls import reverse

from akun.models import Peran
from usulan.models import Status
from verifikasi import transitions as t
from verifikasi.aksi import AKSI_PETUGAS


def test_setiap_aksi_petugas_di_tabel_punya_satu_baris():
    petugas = {aksi for (_status, aksi), aturan in t.TABEL.items() if aturan.peran - {t.PENGUSUL}}
    assert set(AKSI_PETUGAS) == petugas
    # The proposer's own actions have their own pages (perbaiki, tarik), never this endpoint.
    assert not {t.Aksi.AJUKAN_ULANG, t.Aksi.TARIK} & set(AKSI_PETUGAS)


def test_argumen_setiap_baris_cocok_dengan_transisinya():
    # Each row's argument map names only parameters its transition takes, and every one it requires.
    contoh = {
        "peringkat": 1,
        "catatan": "c",
        "alasan_kode": None,
        "ke_kode": "XXXX-0000-00000",
        "opd": [],
        "layak": True,
        "volume": None,
        "biaya": None,
        "hasil": "diterima",
        "alasan": "a",
        "perangkat_daerah": None,
        "tahun": None,
        "paksa_jadwal": True,
    }
    for nama, baris in AKSI_PETUGAS.items():
        argumen = baris.argumen(contoh, Peran.ADMIN) if nama != t.Aksi.GABUNGKAN else None
        if argumen is None:
            continue  # reads the database for the target; covered through the view below
        parameter = inspect.signature(baris.transisi).parameters
        wajib = {n for n, p in parameter.items() if p.default is p.empty} - {"usulan_id", "pelaku"}
        assert set(argumen) <= set(parameter), nama
        assert wajib <= set(argumen), nama
        if "paksa_jadwal" in argumen:
            assert argumen["paksa_jadwal"] is True
            assert baris.argumen(contoh, Peran.DESA)["paksa_jadwal"] is False  # only an administrator


def test_aksi_tak_dikenal_404_dan_peran_bukan_miliknya_404(client, operator_desa, usulan):
    client.force_login(operator_desa)
    hapus = reverse("verifikasi:aksi", args=[usulan.kode_lacak, "hapus"])
    assert client.post(hapus, {"peran": Peran.DESA}).status_code == 404
    teruskan = reverse("verifikasi:aksi", args=[usulan.kode_lacak, "teruskan"])
    assert client.post(teruskan, {"peran": Peran.BAPPEDA}).status_code == 404
    usulan.refresh_from_db()
    assert usulan.status == Status.DIAJUKAN


def test_gabungkan_lewat_halaman_mencari_tujuan_dari_kode_lacak(client, operator_desa, usulan, usulan_lain, alasan):
    tujuan = usulan_lain  # across the border, as duplicates often are
    client.force_login(operator_desa)
    jawab = client.post(
        reverse("verifikasi:aksi", args=[usulan.kode_lacak, "gabungkan"]),
        {
            "peran": Peran.DESA,
            "desa-gabungkan-ke_kode": f" {tujuan.kode_lacak.lower()} ",
            "desa-gabungkan-alasan_kode": alasan.pk,
            "desa-gabungkan-catatan": "Sama dengan usulan tetangga",
        },
    )
    assert jawab.status_code == 302
    usulan.refresh_from_db()
    assert (usulan.status, usulan.digabung_ke_id) == (Status.DIGABUNG, tujuan.pk)
