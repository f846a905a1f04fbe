"""The Open311 API keys move from musrenbang to data_terbuka with their rows: a database filled before
the move migrates forward and every key still works, with its account and admin permissions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from data_terbuka.models import KunciAPI

pytestmark = pytest.mark.django_db(transaction=True)

# The last nodes before the move: musrenbang still holds KunciAPI, data_terbuka has no migration.
SEBELUM = [("musrenbang", "0006_kode_pendaftaran_perangkat"), ("data_terbuka", None)]
KUNCI = "mus_kunci_uji_migrasi_yang_panjang"


def _ke_terbaru() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def sebelum_pindah():
    """The database as it was before the move (every other app at its newest), the historical models
    of that state; put back to the newest migrations afterwards, also when the test fails."""
    executor = MigrationExecutor(connection)
    executor.migrate(SEBELUM)
    simpul = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in ("musrenbang", "data_terbuka")]
    yield executor.loader.project_state([*simpul, SEBELUM[0]]).apps
    _ke_terbaru()


def test_kunci_api_pindah_bersama_barisnya(sebelum_pindah):
    lama = sebelum_pindah
    assert "musrenbang_kunciapi" in connection.introspection.table_names()
    Pengguna = lama.get_model("musrenbang", "Pengguna")
    KunciLama = lama.get_model("musrenbang", "KunciAPI")
    JenisKonten = lama.get_model("contenttypes", "ContentType")
    mitra = Pengguna.objects.create(username="mitra_migrasi", email="mitra@contoh.id")
    baris = KunciLama.objects.create(
        nama="Aplikasi Lapor", awalan=KUNCI[:12], hash_kunci=KunciAPI.hash(KUNCI), pengguna_id=mitra.pk, aktif=False
    )
    jenis, _dibuat = JenisKonten.objects.get_or_create(app_label="musrenbang", model="kunciapi")

    _ke_terbaru()

    kunci = KunciAPI.objects.select_related("pengguna").get(hash_kunci=KunciAPI.hash(KUNCI))
    assert (kunci.pk, kunci.nama, kunci.awalan, kunci.aktif) == (baris.pk, "Aplikasi Lapor", KUNCI[:12], False)
    assert kunci.pengguna.username == "mitra_migrasi"
    tabel = connection.introspection.table_names()
    assert "data_terbuka_kunciapi" in tabel and "musrenbang_kunciapi" not in tabel
    # Permissions granted on the keys hang on this content type: it follows the model.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    assert ContentType.objects.get(pk=jenis.pk).app_label == "data_terbuka"
    # A new key gets the next id, after the rows that came along.
    baru = KunciAPI.objects.create(
        nama="Baru", awalan="mus_baru", hash_kunci=KunciAPI.hash("baru"), pengguna=kunci.pengguna
    )
    assert baru.pk > kunci.pk
