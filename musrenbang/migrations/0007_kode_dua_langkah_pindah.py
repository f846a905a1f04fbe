"""KodePendaftaranDuaLangkah moved to akun: its table was renamed there (akun 0001); here it only
leaves musrenbang's state, nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("akun", "0001_penugasan_dan_kode_dua_langkah_pindah"),
        ("musrenbang", "0006_kode_pendaftaran_perangkat"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="KodePendaftaranDuaLangkah")],
        ),
    ]
