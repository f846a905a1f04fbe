"""The queue sorts by rank (the kecamatan's, then the desa's; unranked last) or by date, oldest or
newest first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from akun.models import Peran
from tests.skenario import buat_usulan
from verifikasi import transitions as t


@pytest.fixture
def tiga(warga, siklus, desa, operator_desa):
    """Submitted in the order a, b, c; the desa ranked b first, a second, c not at all."""
    a, b, c = (buat_usulan(warga, siklus, desa, judul=f"Usulan {n}") for n in "abc")
    for u, rank in ((a, 2), (b, 1), (c, None)):
        t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=rank)
    return {"a": a, "b": b, "c": c}


def _urutan(client, tiga, **saring) -> list[str]:
    teks = client.get(reverse("verifikasi:antrian"), saring).content.decode()
    return sorted(tiga, key=lambda nama: teks.index(tiga[nama].kode_lacak))


@pytest.mark.parametrize(
    ("urut", "harapan"),
    [({}, ["b", "a", "c"]), ({"urut": "peringkat"}, ["b", "a", "c"]), ({"urut": "tanggal"}, ["a", "b", "c"])],
)
def test_urutan_antrian_kecamatan(client, operator_kecamatan, tiga, urut, harapan):
    client.force_login(operator_kecamatan)
    assert _urutan(client, tiga, **urut) == harapan


def test_terbaru_dulu(client, operator_kecamatan, tiga):
    client.force_login(operator_kecamatan)
    assert _urutan(client, tiga, urut="-tanggal") == ["c", "b", "a"]


def test_peringkat_kecamatan_mendahului_peringkat_desa(client, bappeda, operator_kecamatan, tiga):
    # The kecamatan reverses the desa's order; Bappeda's queue follows the kecamatan.
    for nama, rank in (("c", 1), ("a", 2), ("b", 3)):
        t.teruskan(usulan_id=tiga[nama].pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, peringkat=rank)
    client.force_login(bappeda)
    assert _urutan(client, tiga) == ["c", "a", "b"]
    assert _urutan(client, tiga, urut="tanggal") == ["a", "b", "c"]
