# KunciAPI now belongs to data_terbuka (its 0001 renamed the table and took the rows along): only the
# model's state leaves musrenbang here, nothing in the database changes.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("musrenbang", "0007_kode_dua_langkah_pindah"),
        ("data_terbuka", "0001_kunci_api_dari_musrenbang"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="KunciAPI")],
            database_operations=[],
        ),
    ]
