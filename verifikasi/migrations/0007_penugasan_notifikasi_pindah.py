"""Penugasan moved to akun, Notifikasi to kabar: their tables were renamed there (akun 0001,
kabar 0001); here they only leave verifikasi's state, nothing in the database changes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("akun", "0001_penugasan_dan_kode_dua_langkah_pindah"),
        ("kabar", "0001_notifikasi_pindah"),
        ("verifikasi", "0006_pesan_sebagai_data_tanpa_penanda"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Notifikasi"),
                migrations.DeleteModel(name="Penugasan"),
            ],
        ),
    ]
