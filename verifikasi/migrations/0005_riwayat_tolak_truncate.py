"""Empty: the TRUNCATE guard on the status history that this migration first created now lives with the
table it guards, in usulan 0008_riwayat_tolak_truncate (which also removes the trigger and function
made here from a database that already ran this migration). Kept so the migration graph and the
databases that recorded it stay as they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("usulan", "0002_riwayat_tidak_bisa_diubah"),
        ("verifikasi", "0004_notifikasi_ke_kontak_pengusul"),
    ]
    operations = []
