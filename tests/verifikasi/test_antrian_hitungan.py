"""The queue opens with the count of the role's whole scope per status (every status, zeros too),
each count linking to that status's list; other areas' proposals are not counted."""

from __future__ import annotations

import re

from django.urls import reverse

from akun.models import Peran
from tests.skenario import buat_usulan
from usulan.models import Status
from verifikasi import transitions as t

POLA = re.compile(r'status=(\w+)"><span class="lencana lencana--\1">[^<]+</span> <strong>(\d+)</strong>')


def _hitungan(teks: str) -> dict[str, int]:
    return {status: int(n) for status, n in POLA.findall(teks)}


def test_hitungan_per_status(client, operator_desa, operator_kecamatan, warga, siklus, desa, alasan, usulan_lain):
    u = [buat_usulan(warga, siklus, desa, judul=f"Usulan {i}") for i in range(5)]
    t.teruskan(usulan_id=u[0].pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=u[1].pk, pelaku=operator_desa, peran=Peran.DESA)
    t.teruskan(usulan_id=u[1].pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
    t.tolak(usulan_id=u[2].pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="x")
    t.kembalikan(usulan_id=u[3].pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="x")

    client.force_login(operator_desa)
    hitungan = _hitungan(client.get(reverse("verifikasi:antrian")).content.decode())
    assert hitungan == {
        **dict.fromkeys(Status.values, 0),
        Status.DIAJUKAN: 1,
        Status.LOLOS_DESA: 1,
        Status.LOLOS_KECAMATAN: 1,
        Status.DITOLAK: 1,
        Status.DIKEMBALIKAN: 1,
    }  # usulan_lain, in another kecamatan, is not the desa's

    client.force_login(operator_kecamatan)
    hitungan = _hitungan(client.get(reverse("verifikasi:antrian")).content.decode())
    assert sum(hitungan.values()) == 5 and hitungan[Status.LOLOS_DESA] == 1
