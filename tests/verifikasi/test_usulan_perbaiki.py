"""Revising a returned proposal (verifikasi.services.usulan_perbaiki) owns its photo files: a revision
that fails, also after its new photos were written, leaves no new file and no row; a photo the
proposer removed loses its files only once the revision is committed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from akun.models import Peran
from musrenbang.models import JadwalTahapan, Tahapan
from tests.fixtures_usulan import berkas_tersimpan
from usulan.models import FotoUsulan, RiwayatStatus, Status
from verifikasi import services
from verifikasi import transitions as t


def _hanya_buka(siklus, *terbuka: str) -> None:
    sekarang = timezone.now()
    for j in JadwalTahapan.objects.filter(siklus=siklus):
        if j.tahapan in terbuka:
            j.mulai, j.selesai = sekarang - datetime.timedelta(days=1), sekarang + datetime.timedelta(days=1)
        else:
            j.mulai, j.selesai = sekarang - datetime.timedelta(days=20), sekarang - datetime.timedelta(days=10)
        j.save()


def _berkas_foto(foto: FotoUsulan) -> set[str]:
    """The names of a photo's three stored files (private original, public web copy, thumbnail)."""
    return {jalur.rsplit("/", 1)[-1] for jalur in (foto.asli, foto.web, foto.thumbnail)}


def _nama(berkas) -> set[str]:
    return {p.name for p in berkas}


def test_perbaikan_ditolak_setelah_foto_baru_ditulis_tidak_meninggalkan_berkas(
    usulan, warga, operator_desa, operator_kecamatan, alasan, siklus, desa_lain, isi_usulan, foto_moro
):
    # Returned by the kecamatan, resubmitted within its window; the revision moves the pin into
    # another desa, whose window is closed: ajukan_ulang refuses only after usulan_perbarui has stored
    # the new photo's files, so they exist on disk for a moment and must be removed again.
    t.teruskan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, peringkat=1)
    t.kembalikan(
        usulan_id=usulan.pk, pelaku=operator_kecamatan, peran=Peran.KECAMATAN, alasan_kode=alasan, catatan="RAB"
    )
    _hanya_buka(siklus, Tahapan.KECAMATAN)
    titik = desa_lain.batas.point_on_surface
    sebelum, riwayat = berkas_tersimpan(), RiwayatStatus.objects.filter(usulan=usulan).count()
    lama = usulan.foto.get()

    with pytest.raises(t.TransisiDitolak, match="desa/kelurahan lain"):
        services.usulan_perbaiki(
            usulan_id=usulan.pk,
            pelaku=warga,
            isi=isi_usulan(lat=titik.y, lon=titik.x, alamat="Alamat baru"),
            foto=[foto_moro("baru")],
            hapus_foto=[lama.pk],
        )

    assert berkas_tersimpan() == sebelum  # no new file, and the photo to be removed kept its files
    assert list(usulan.foto.values_list("pk", flat=True)) == [lama.pk]
    assert FotoUsulan.objects.count() == 1
    assert RiwayatStatus.objects.filter(usulan=usulan).count() == riwayat
    usulan.refresh_from_db()
    assert (usulan.status, usulan.desa_id, usulan.alamat) == (Status.DIKEMBALIKAN, lama.usulan.desa_id, "Jl. Merdeka")


def test_perbaikan_yang_kalah_balapan_tidak_menyimpan_apa_pun(
    usulan, warga, operator_desa, alasan, isi_usulan, foto_moro
):
    # The page was opened while the proposal was returned; another request withdrew it before the post.
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    t.tarik(usulan_id=usulan.pk, pelaku=warga)
    sebelum, riwayat = berkas_tersimpan(), RiwayatStatus.objects.filter(usulan=usulan).count()

    with pytest.raises(t.TransisiDitolak, match="tidak bisa di-ajukan ulang"):
        services.usulan_perbaiki(
            usulan_id=usulan.pk, pelaku=warga, isi=isi_usulan(alamat="Alamat baru"), foto=[foto_moro("baru")]
        )

    assert berkas_tersimpan() == sebelum
    assert usulan.foto.count() == 1
    assert RiwayatStatus.objects.filter(usulan=usulan).count() == riwayat
    usulan.refresh_from_db()
    assert (usulan.status, usulan.alamat) == (Status.DITARIK, "Jl. Merdeka")


def test_foto_yang_dihapus_kehilangan_berkasnya_setelah_komit(
    usulan, warga, operator_desa, alasan, isi_usulan, foto_moro, django_capture_on_commit_callbacks
):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    lama = usulan.foto.get()
    sebelum = _nama(berkas_tersimpan())
    assert _berkas_foto(lama) <= sebelum

    with django_capture_on_commit_callbacks(execute=False) as tertunda:
        hasil = services.usulan_perbaiki(
            usulan_id=usulan.pk, pelaku=warga, isi=isi_usulan(), foto=[foto_moro("baru")], hapus_foto=[lama.pk]
        )
        # Committed rows, but the old files wait for the commit: a rollback would still find them.
        assert _berkas_foto(lama) <= _nama(berkas_tersimpan())
    for callback in tertunda:
        callback()

    baru = hasil.foto.get()
    assert hasil.status == Status.DIAJUKAN and baru.pk != lama.pk and baru.urutan == 1
    assert _nama(berkas_tersimpan()) == (sebelum - _berkas_foto(lama)) | _berkas_foto(baru)


def test_foto_orang_lain_tidak_bisa_dihapus_lewat_perbaikan(
    usulan, usulan_lain, warga, operator_desa, alasan, isi_usulan, foto_moro
):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    milik_lain = usulan_lain.foto.get()
    services.usulan_perbaiki(
        usulan_id=usulan.pk, pelaku=warga, isi=isi_usulan(), foto=[foto_moro("baru")], hapus_foto=[milik_lain.pk]
    )
    assert FotoUsulan.objects.filter(pk=milik_lain.pk).exists()
    assert usulan.foto.count() == 2


def test_menghapus_semua_foto_tanpa_pengganti_ditolak(usulan, warga, operator_desa, alasan, isi_usulan):
    # usulan_perbarui's ValidationError reaches the proposer as the resubmission's refusal, in words.
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    sebelum = berkas_tersimpan()
    with pytest.raises(t.TransisiDitolak, match="minimal satu foto"):
        services.usulan_perbaiki(usulan_id=usulan.pk, pelaku=warga, isi=isi_usulan(), hapus_foto=[usulan.foto.get().pk])
    assert usulan.foto.count() == 1 and berkas_tersimpan() == sebelum
    usulan.refresh_from_db()
    assert usulan.status == Status.DIKEMBALIKAN


def _isian(usulan, **lain) -> dict:
    titik = usulan.lokasi
    return {
        "judul": usulan.judul,
        "permasalahan": usulan.permasalahan,
        "uraian": usulan.uraian,
        "jenis_pengusul": "warga",
        "bidang": usulan.bidang_id,
        "volume": "100",
        "satuan": "meter",
        "alamat": "Jl. Merdeka No. 5",
        "lat": f"{titik.y:.6f}",
        "lon": f"{titik.x:.6f}",
        **lain,
    }


def test_halaman_perbaiki_mengganti_foto(
    client, usulan, warga, operator_desa, alasan, foto_moro, django_capture_on_commit_callbacks
):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto buram")
    lama = usulan.foto.get()
    client.force_login(warga)
    url = reverse("verifikasi:perbaiki", args=[usulan.kode_lacak])
    halaman = client.get(url).content.decode()
    assert f'name="hapus_foto" value="{lama.pk}"' in halaman and lama.url_thumbnail in halaman

    # Removing the only photo without a new one is refused next to the photo field; nothing changes.
    jawab = client.post(url, _isian(usulan, hapus_foto=[lama.pk]))
    assert jawab.status_code == 400
    assert jawab.context["form"].errors["foto"] == ["Lampirkan minimal satu foto lokasi."]
    assert f'value="{lama.pk}" checked' in jawab.content.decode()
    assert usulan.foto.get() == lama

    with django_capture_on_commit_callbacks(execute=True):
        jawab = client.post(url, _isian(usulan, hapus_foto=[lama.pk], foto=[foto_moro("tajam")]))
    assert jawab.status_code == 302
    usulan.refresh_from_db()
    baru = usulan.foto.get()
    assert (usulan.status, usulan.alamat, baru.urutan) == (Status.DIAJUKAN, "Jl. Merdeka No. 5", 1) and baru != lama
    assert not _berkas_foto(lama) & _nama(berkas_tersimpan())


def test_hapus_foto_yang_bukan_miliknya_ditolak_formulir(client, usulan, usulan_lain, warga, operator_desa, alasan):
    t.kembalikan(usulan_id=usulan.pk, pelaku=operator_desa, peran=Peran.DESA, alasan_kode=alasan, catatan="Foto")
    client.force_login(warga)
    url = reverse("verifikasi:perbaiki", args=[usulan.kode_lacak])
    jawab = client.post(url, _isian(usulan, hapus_foto=[usulan_lain.foto.get().pk]))
    assert jawab.status_code == 400
    assert usulan_lain.foto.exists() and usulan.foto.count() == 1
    usulan.refresh_from_db()
    assert usulan.status == Status.DIKEMBALIKAN
