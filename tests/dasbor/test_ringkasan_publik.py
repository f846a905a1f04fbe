"""The public summary: a whitelist of published figures only, shown on the home page."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from akun.models import Peran
from dasbor.statistik import KUNCI_RINGKASAN_PUBLIK, ringkasan_publik
from verifikasi import transitions as t


def test_kunci_tepat_dan_angka_yang_terbit(skenario):
    r = ringkasan_publik(skenario.siklus)
    assert (
        tuple(r)
        == KUNCI_RINGKASAN_PUBLIK
        == (
            "siklus",
            "tahun",
            "jumlah_usulan",
            "per_status",
            "diterima",
            "ditolak",
            "angka_penerimaan",
            "pagu_diterima",
            "alasan_teratas",
            "per_kecamatan",
        )
    )
    assert {tuple(s) for s in r["per_status"]} == {("status", "label", "jumlah", "persen")}
    assert {tuple(a) for a in r["alasan_teratas"]} == {("kode", "nama", "jumlah")}
    assert {tuple(k) for k in r["per_kecamatan"]} == {("kode", "nama", "jumlah", "diterima")}
    assert (r["siklus"], r["tahun"], r["jumlah_usulan"]) == (str(skenario.siklus), skenario.siklus.tahun, 6)
    # u2's rejection by Bappeda is a draft: the public still sees it as passed by the kecamatan.
    assert [(s["status"], s["jumlah"], s["persen"]) for s in r["per_status"]] == [
        ("diajukan", 1, 16.7),
        ("lolos_desa", 1, 16.7),
        ("lolos_kecamatan", 1, 16.7),
        ("diterima", 1, 16.7),
        ("ditolak", 2, 33.3),
    ]
    assert (r["diterima"], r["ditolak"], r["angka_penerimaan"]) == (1, 2, 33.3)
    assert r["pagu_diterima"] == Decimal("90000000")
    assert r["alasan_teratas"] == [{"kode": "lokasi-tidak-jelas", "nama": "Lokasi tidak jelas", "jumlah": 2}]
    per_kode = {k["kode"]: k for k in r["per_kecamatan"]}
    assert len(per_kode) == 14
    assert per_kode["21.02.01"] == {"kode": "21.02.01", "nama": "Moro", "jumlah": 4, "diterima": 1}


def test_penerimaan_belum_terbit_tidak_mengubah_angka_publik(skenario, operator_kecamatan_tebing, bappeda, opd):
    u5 = skenario.u5
    t.teruskan(usulan_id=u5.pk, pelaku=operator_kecamatan_tebing, peran=Peran.KECAMATAN)
    sebelum = ringkasan_publik(skenario.siklus)
    _terima_sebagai_draf(u5, bappeda, opd)
    assert ringkasan_publik(skenario.siklus) == sebelum
    t.terbitkan(usulan_id=u5.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    sesudah = ringkasan_publik(skenario.siklus)
    assert (sesudah["diterima"], sesudah["angka_penerimaan"]) == (2, 50.0)
    assert sesudah["pagu_diterima"] == Decimal("115000000")
    assert {k["kode"]: k["diterima"] for k in sesudah["per_kecamatan"]}["21.02.05"] == 1


def test_tanpa_siklus():
    assert ringkasan_publik(None) is None


def _terima_sebagai_draf(usulan, bappeda, opd) -> None:
    """Bappeda accepts (a draft until published)."""
    t.putuskan(
        usulan_id=usulan.pk,
        pelaku=bappeda,
        peran=Peran.BAPPEDA,
        hasil="diterima",
        alasan="Jalan poros desa",
        perangkat_daerah=opd,
        biaya=Decimal("25000000"),
    )


def test_beranda_menampilkan_ringkasan_tanpa_angka_internal(client, skenario, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        teks = client.get(reverse("beranda")).content.decode()
    assert f"Ringkasan {skenario.siklus}" in teks
    assert "Lokasi tidak jelas" in teks
    assert "Tidak sesuai prioritas pembangunan" not in teks  # the unpublished rejection reason
    assert "Rp 90.000.000" in teks
    assert "33,3 %" in teks
    assert 'aria-label="Ditolak: 2 (33.3 %)"' in teks
    assert '<link rel="stylesheet" href="/static/dasbor/dasbor.css">' in teks


def test_beranda_tanpa_siklus(client, karimun):
    jawab = client.get(reverse("beranda"))
    assert jawab.status_code == 200
    assert "ringkasan-publik" not in jawab.content.decode()


def test_ringkasan_tersimpan_tepat_setelah_setiap_perubahan(
    skenario, operator_kecamatan_tebing, bappeda, opd, django_assert_num_queries
):
    """The kept summary (home and map pages) costs one query while nothing changed, and is never
    stale: a publication (a history row) makes the next call compute it again; labels per language."""
    from django.core.cache import cache
    from django.utils import translation

    from dasbor.statistik import ringkasan_publik_tersimpan

    cache.clear()
    with django_assert_num_queries(2):
        pertama = ringkasan_publik_tersimpan(skenario.siklus)
    assert pertama == ringkasan_publik(skenario.siklus)
    with django_assert_num_queries(1):
        assert ringkasan_publik_tersimpan(skenario.siklus) == pertama

    u5 = skenario.u5
    t.teruskan(usulan_id=u5.pk, pelaku=operator_kecamatan_tebing, peran=Peran.KECAMATAN)
    diteruskan = ringkasan_publik_tersimpan(skenario.siklus)  # a public step: computed again
    assert diteruskan == ringkasan_publik(skenario.siklus) != pertama
    _terima_sebagai_draf(u5, bappeda, opd)
    assert ringkasan_publik_tersimpan(skenario.siklus) == diteruskan  # a draft changes nothing public
    t.terbitkan(usulan_id=u5.pk, pelaku=bappeda, peran=Peran.BAPPEDA)
    sesudah = ringkasan_publik_tersimpan(skenario.siklus)
    assert sesudah == ringkasan_publik(skenario.siklus) != diteruskan
    assert sesudah["diterima"] == pertama["diterima"] + 1

    with translation.override("en"):
        inggris = ringkasan_publik_tersimpan(skenario.siklus)
    assert "Accepted" in {b["label"] for b in inggris["per_status"]}
    assert "Diterima" in {b["label"] for b in ringkasan_publik_tersimpan(skenario.siklus)["per_status"]}
