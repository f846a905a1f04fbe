"""Haversine distance between a photo's GPS and the proposal's pin."""

from __future__ import annotations

import math

import pytest

from usulan.foto import jarak_meter

R = 6371008.8


def test_titik_sama_jaraknya_nol():
    assert jarak_meter(-7.2575, 112.7521, -7.2575, 112.7521) == 0


def test_satu_derajat_di_khatulistiwa():
    satu_derajat = R * math.pi / 180  # 111 195.08 m
    assert jarak_meter(0, 112, 0, 113) == pytest.approx(satu_derajat, rel=1e-12)
    assert jarak_meter(-1, 112, 0, 112) == pytest.approx(satu_derajat, rel=1e-12)


def test_simetris_dan_melintasi_khatulistiwa():
    # Karimun (north of the equator) to Surabaya (south): the sign of the latitude matters.
    karimun, surabaya = (1.0478, 103.3796), (-7.2575, 112.7521)
    maju = jarak_meter(*karimun, *surabaya)
    assert maju == pytest.approx(jarak_meter(*surabaya, *karimun), rel=1e-12)
    assert 1_390_000 < maju < 1_400_000
    tanpa_tanda = jarak_meter(1.0478, 103.3796, 7.2575, 112.7521)
    assert abs(maju - tanpa_tanda) > 100_000


def test_jarak_pendek_untuk_bendera_200_m():
    # 0.0018 degrees of latitude is about 200 m: the size of the "far from the pin" flag.
    assert jarak_meter(-7.2575, 112.7521, -7.2557, 112.7521) == pytest.approx(200.15, abs=0.01)


def test_titik_berseberangan_setengah_keliling():
    assert jarak_meter(-7.2575, 112.7521, 7.2575, -67.2479) == pytest.approx(math.pi * R, rel=1e-9)
