"""The tracking page shows the proposer (and everyone) the public status only: while Bappeda's
decision is an unpublished draft, the page — badge, history, the proposer's buttons — is exactly
what it was before the draft, whatever the draft says."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from akun.models import Peran
from tests.skenario import usulan_pada
from usulan.models import Status
from verifikasi import transitions as t

RAHASIA = "ALASAN-DRAF-BAPPEDA"


def _halaman(client, usulan) -> str:
    teks = client.get(reverse("usulan:lacak", args=[usulan.kode_lacak])).content.decode()
    # Only the proposal itself: the messages and the CSRF token differ from request to request.
    isi = re.search(r'<article class="usulan-publik">.*</article>', teks, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", isi)


def _putuskan(usulan, bappeda, opd, alasan, hasil: str) -> None:
    if hasil == "diterima":
        t.putuskan(
            usulan_id=usulan.pk,
            pelaku=bappeda,
            peran=Peran.BAPPEDA,
            hasil="diterima",
            alasan=RAHASIA,
            perangkat_daerah=opd,
            biaya=Decimal("1000000"),
        )
    else:
        t.putuskan(
            usulan_id=usulan.pk,
            pelaku=bappeda,
            peran=Peran.BAPPEDA,
            hasil="ditolak",
            alasan=RAHASIA,
            alasan_kode=alasan,
        )


@pytest.mark.parametrize("hasil", ["diterima", "ditolak"])
@pytest.mark.parametrize("siapa", ["warga", "orang_luar"])
def test_draf_tidak_terlihat_di_halaman_lacak(
    client, request, siapa, hasil, usulan, operator_desa, operator_kecamatan, bappeda, opd, alasan
):
    usulan_pada(
        Status.LOLOS_KECAMATAN, usulan=usulan, operator_desa=operator_desa, operator_kecamatan=operator_kecamatan
    )
    client.force_login(request.getfixturevalue(siapa))
    sebelum = _halaman(client, usulan)
    _putuskan(usulan, bappeda, opd, alasan, hasil)
    sesudah = _halaman(client, usulan)
    assert sesudah == sebelum
    assert RAHASIA not in sesudah and "lencana--lolos_kecamatan" in sesudah
    assert "lencana--diterima" not in sesudah and "lencana--ditolak" not in sesudah
    assert ("Tarik usulan" in sesudah) == (siapa == "warga")


def test_setelah_terbit_tombol_tarik_hilang(
    client, warga, usulan, operator_desa, operator_kecamatan, bappeda, opd, alasan
):
    usulan_pada(
        Status.LOLOS_KECAMATAN, usulan=usulan, operator_desa=operator_desa, operator_kecamatan=operator_kecamatan
    )
    _putuskan(usulan, bappeda, opd, alasan, "diterima")
    t.terbitkan(usulan_id=usulan.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    client.force_login(warga)
    teks = _halaman(client, usulan)
    assert "lencana--diterima" in teks and RAHASIA in teks  # published now, reason and all
    assert "Tarik usulan" not in teks
