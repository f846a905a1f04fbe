"""Verifiers' flags on photos: GPS far from the pin (200 m, configurable), taken more than 12 months
before submission (configurable) or in the future, and the same photo on another proposal."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from usulan.services import usulan_buat

# One degree of latitude is ~110.6 km near the equator: these offsets put the photo north of the pin.
M_PER_DERAJAT = 110_600


def _usulan_satu_foto(warga, siklus, isi_usulan, foto):
    return usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto]).foto.get()


@pytest.mark.parametrize(("meter", "bendera"), [(150, False), (250, True)])
def test_jarak_gps_foto_dari_pin_200_m(warga, siklus, isi_usulan, foto_moro, titik_moro, meter, bendera):
    foto = foto_moro(f"j{meter}", lat=titik_moro.y + meter / M_PER_DERAJAT)
    f = _usulan_satu_foto(warga, siklus, isi_usulan, foto)
    assert f.jarak_dari_pin_m == pytest.approx(meter, rel=0.02)
    assert f.bendera_jauh is bendera


def test_batas_jarak_bisa_diatur(warga, siklus, isi_usulan, foto_moro, titik_moro, settings):
    settings.FOTO_JARAK_GPS_MAKS_M = 100
    f = _usulan_satu_foto(warga, siklus, isi_usulan, foto_moro("dekat", lat=titik_moro.y + 150 / M_PER_DERAJAT))
    assert f.bendera_jauh
    settings.FOTO_JARAK_GPS_MAKS_M = 1000
    f = _usulan_satu_foto(warga, siklus, isi_usulan, foto_moro("jauh", lat=titik_moro.y + 800 / M_PER_DERAJAT))
    assert not f.bendera_jauh


def test_foto_tanpa_gps_tidak_diberi_bendera_jarak(warga, siklus, isi_usulan, foto_moro):
    f = _usulan_satu_foto(warga, siklus, isi_usulan, foto_moro("tanpa-gps", lat=None, lon=None))
    assert f.jarak_dari_pin_m is None and not f.bendera_jauh and f.lokasi_exif is None


def _lokal(hari: float) -> datetime.datetime:
    """A naive local time `hari` days from now, as a phone writes DateTimeOriginal."""
    return timezone.localtime().replace(tzinfo=None, microsecond=0) + datetime.timedelta(days=hari)


@pytest.mark.parametrize(("hari", "lama"), [(-335, False), (-400, True)], ids=["11-bulan", "13-bulan"])
def test_foto_lebih_dari_12_bulan(warga, siklus, isi_usulan, foto_moro, hari, lama):
    f = _usulan_satu_foto(warga, siklus, isi_usulan, foto_moro(f"u{hari}", diambil=_lokal(hari)))
    assert f.bendera_lama is lama and not f.bendera_masa_depan
    assert f.bendera == (["Foto diambil lebih dari 12 bulan sebelum pengajuan."] if lama else [])


def test_batas_umur_bisa_diatur(warga, siklus, isi_usulan, foto_moro, settings):
    settings.FOTO_UMUR_MAKS_HARI = 30
    f = _usulan_satu_foto(warga, siklus, isi_usulan, foto_moro("60-hari", diambil=_lokal(-60)))
    assert f.bendera_lama
    assert f.bendera == ["Foto diambil lebih dari 30 hari sebelum pengajuan."]  # the limit applied, not "12 bulan"


@pytest.mark.parametrize(("hari", "depan"), [(0.5, False), (3, True)], ids=["jam-salah", "tiga-hari"])
def test_foto_dari_masa_depan(warga, siklus, isi_usulan, foto_moro, hari, depan):
    # A day of slack: a clock set to WITA/WIT or a few hours off is not suspicious.
    f = _usulan_satu_foto(warga, siklus, isi_usulan, foto_moro(f"d{hari}", diambil=_lokal(hari)))
    assert f.bendera_masa_depan is depan and not f.bendera_lama


def test_foto_sama_di_usulan_lain_menunjuk_usulan_pertama(warga, orang_luar, siklus, isi_usulan, foto_moro):
    pertama = usulan_buat(pengguna=warga, siklus=siklus, isi=isi_usulan(), foto=[foto_moro("sama")])
    kedua = usulan_buat(
        pengguna=orang_luar, siklus=siklus, isi=isi_usulan(judul="Lain"), foto=[foto_moro("sama"), foto_moro("beda")]
    )
    sama, beda = kedua.foto.order_by("urutan")
    assert sama.sha256 == pertama.foto.get().sha256
    assert sama.duplikat_dari == pertama and beda.duplikat_dari is None
