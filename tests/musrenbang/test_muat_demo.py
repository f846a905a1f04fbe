"""The demo data: complete, repeatable without duplicates, and never outside DEBUG."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from akun.models import KodePendaftaranDuaLangkah, Penugasan, Peran
from musrenbang.models import JadwalTahapan, KamusUsulan, PerangkatDaerah, Siklus, Tahapan
from musrenbang.selectors import siklus_aktif
from verifikasi.management.commands.muat_demo import KATA_SANDI_DEMO


def _jumlah() -> dict[str, int]:
    return {
        m.__name__: m.objects.count()
        for m in (get_user_model(), Penugasan, Siklus, JadwalTahapan, PerangkatDaerah, KamusUsulan)
    }


def test_demo_ditolak_tanpa_debug(karimun, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="hanya berjalan saat DEBUG=true"):
        call_command("muat_demo", stdout=io.StringIO())
    assert get_user_model().objects.count() == 0


def test_demo_lengkap_dan_bisa_diulang(karimun, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("muat_demo", stdout=out)
    pertama = _jumlah()
    call_command("muat_demo", stdout=io.StringIO())
    assert _jumlah() == pertama
    assert pertama["Pengguna"] == 6 and pertama["Penugasan"] == 5 and pertama["KamusUsulan"] == 7

    siklus = siklus_aktif()
    assert siklus is not None and siklus.kabkota.kode == "21.02"
    assert all(siklus.terbuka(t) for t in Tahapan)
    assert set(Penugasan.objects.values_list("peran", flat=True)) == set(Peran.values)
    assert KATA_SANDI_DEMO in out.getvalue()
    for username in ("warga", "operator_desa", "operator_kecamatan", "petugas_opd", "bappeda", "admin"):
        assert username in out.getvalue()
        assert authenticate(username=username, password=KATA_SANDI_DEMO) is not None
    # Residents sign in with their phone number or e-mail address as well.
    assert authenticate(username="0812-0000-0001", password=KATA_SANDI_DEMO).username == "warga"
    assert authenticate(username="WARGA@demo.musrenbang.test", password=KATA_SANDI_DEMO).username == "warga"
    assert authenticate(username="warga", password="salah") is None


def test_make_run_dua_kali_dari_basis_data_kosong_tidak_menggandakan(db, settings):
    """`make run` = migrate + muat_demo; from an empty database the first run imports Karimun too."""
    from musrenbang.models import AlasanKode, Bidang, Tingkat, Wilayah

    for tingkat in reversed(Tingkat.values):
        Wilayah.objects.filter(tingkat=tingkat).delete()
    settings.DEBUG = True

    def semua() -> dict[str, int]:
        lain = {m.__name__: m.objects.count() for m in (Wilayah, Bidang, AlasanKode)}
        return {**_jumlah(), **lain}

    hasil = []
    for _ in range(2):
        call_command("migrate", "--noinput", verbosity=0)
        out = io.StringIO()
        call_command("muat_demo", stdout=out)
        hasil.append((semua(), out.getvalue()))
    (pertama, keluaran_pertama), (kedua, keluaran_kedua) = hasil
    assert pertama == kedua
    assert pertama["Wilayah"] == 1 + 1 + 14 + 71 and pertama["Siklus"] == 1
    assert "Desa/kelurahan: 71 (baru 71" in keluaran_pertama
    assert "Impor wilayah" not in keluaran_kedua  # the areas are there: not imported again
    assert Siklus.objects.filter(aktif=True).count() == 1


def test_demo_memberi_kode_pendaftaran_dua_langkah(karimun, settings):
    # Bappeda and admin must enrol an app, which needs an administrator's code: the demo prints one each.
    settings.DEBUG = True
    settings.DUA_FAKTOR_WAJIB = True
    out = io.StringIO()
    call_command("muat_demo", stdout=out)
    baris = [b for b in out.getvalue().splitlines() if "kode pendaftaran dua langkah" in b]
    assert [b.split()[4].rstrip(":") for b in baris] == ["admin", "bappeda"]
    assert KodePendaftaranDuaLangkah.objects.filter(dipakai_pada__isnull=True).count() == 2
