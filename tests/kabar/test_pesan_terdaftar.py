"""Message wording by code: the outbox's own codes live in kabar.pesan, the proposal's codes are
registered by usulan at start-up, and a code cannot silently get a second wording."""

from __future__ import annotations

import pytest

from kabar import pesan
from usulan import pesan as pesan_usulan


def test_kode_usulan_terdaftar_saat_mulai():
    assert pesan.PENULIS["status_usulan"] is pesan_usulan._status_usulan
    assert pesan.PENULIS["konfirmasi_usulan"] is pesan_usulan._konfirmasi_usulan
    assert "ringkasan" in pesan.PENULIS


def test_daftar_ulang_aman_kode_ganda_ditolak():
    pesan_usulan.daftarkan_pesan()  # ready() may run twice: the same function again is fine
    assert pesan.PENULIS["status_usulan"] is pesan_usulan._status_usulan
    with pytest.raises(ValueError, match="status_usulan"):
        pesan.daftarkan_penulis("status_usulan", lambda data, isi: ("s", "i"))
    assert pesan.PENULIS["status_usulan"] is pesan_usulan._status_usulan


def test_kode_tak_dikenal():
    with pytest.raises(KeyError):
        pesan.tulis("tidak_ada", {})
