"""The dashboard runs the same number of queries for 3 proposals as for 30."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from akun.models import Peran
from musrenbang.models import AlasanKode, JadwalTahapan, Tahapan
from tests.dasbor.bantu import buat
from verifikasi import transitions as t
from verifikasi.models import Pagu

BATAS_KUERI = 20  # 17 measured (session, user, roles, area, rounds + calendar, the figures), plus a margin


def _isi(jumlah, *, warga, siklus, desa, operator_desa, operator_kecamatan, bappeda, opd, alasan, kamus, awal=0):
    """`jumlah` proposals spread over every stage: waiting, passed on, rejected, decided."""
    for i in range(awal, awal + jumlah):
        u = buat(warga, siklus, desa, f"Usulan {i}", kamus=kamus, volume=str(i + 1))
        langkah = i % 5
        if langkah == 1:
            t.tolak(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="x")
        if langkah >= 2:
            t.teruskan(usulan_id=u.pk, pelaku=operator_desa, peran=Peran.DESA)
        if langkah >= 3:
            t.teruskan(usulan_id=u.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN)
        if langkah == 4:
            t.putuskan(
                usulan_id=u.pk,
                pelaku=bappeda,
                peran=Peran.BAPPEDA,
                hasil="diterima",
                alasan="Ok",
                perangkat_daerah=opd,
                biaya=Decimal(1000),
            )


def test_kueri_tetap_3_dan_30_usulan(
    client,
    django_assert_max_num_queries,
    siklus,
    desa,
    warga,
    operator_desa,
    operator_kecamatan,
    bappeda,
    opd,
    kamus,
):
    alasan = AlasanKode.objects.get(kode="lokasi-tidak-jelas")
    Pagu.objects.create(siklus=siklus, wilayah=desa, jumlah=Decimal("5000000"))
    args = {
        "warga": warga,
        "siklus": siklus,
        "desa": desa,
        "operator_desa": operator_desa,
        "operator_kecamatan": operator_kecamatan,
        "bappeda": bappeda,
        "opd": opd,
        "alasan": alasan,
        "kamus": kamus,
    }
    _isi(3, **args)
    # Close every window afterwards, so the overdue list has rows to show.
    JadwalTahapan.objects.filter(siklus=siklus, tahapan__in=[Tahapan.DESA, Tahapan.KECAMATAN]).update(
        mulai=timezone.now() - datetime.timedelta(days=20), selesai=timezone.now() - datetime.timedelta(hours=1)
    )
    client.force_login(bappeda)
    url = reverse("dasbor:dasbor")
    client.get(url)  # the first request after sign-in also caches the official's security state
    with django_assert_max_num_queries(BATAS_KUERI) as tiga:
        jawab = client.get(url)
    assert jawab.context["ringkasan"]["jumlah"] == 3
    with django_assert_max_num_queries(BATAS_KUERI):
        client.get(url, {"warna": "penerimaan"})
    JadwalTahapan.objects.filter(siklus=siklus).update(
        mulai=timezone.now() - datetime.timedelta(days=10), selesai=timezone.now() + datetime.timedelta(days=10)
    )
    _isi(27, awal=3, **args)
    JadwalTahapan.objects.filter(siklus=siklus, tahapan__in=[Tahapan.DESA, Tahapan.KECAMATAN]).update(
        mulai=timezone.now() - datetime.timedelta(days=20), selesai=timezone.now() - datetime.timedelta(hours=1)
    )
    with django_assert_max_num_queries(BATAS_KUERI) as tiga_puluh:
        jawab = client.get(url)
    assert jawab.context["ringkasan"]["jumlah"] == 30
    assert len(list(jawab.context["usulan_terlambat"])) == 12  # 6 diajukan + 6 lolos_desa waiting
    assert len(tiga_puluh.captured_queries) == len(tiga.captured_queries)
