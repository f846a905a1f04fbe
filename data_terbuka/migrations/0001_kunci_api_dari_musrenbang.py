# The Open311 API keys move from musrenbang to data_terbuka with their rows: the model's state is
# created here and deleted from musrenbang (musrenbang 0007), while the database keeps the table and
# only renames it, so no key is lost and none has to be issued again.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def pindahkan_jenis_konten(apps, schema_editor):
    """Keep the admin permissions granted on the keys: their content type follows the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="data_terbuka", model="kunciapi").exists():
        ContentType.objects.filter(app_label="musrenbang", model="kunciapi").update(app_label="data_terbuka")


def kembalikan_jenis_konten(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="musrenbang", model="kunciapi").exists():
        ContentType.objects.filter(app_label="data_terbuka", model="kunciapi").update(app_label="musrenbang")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        # The table exists from musrenbang 0004; 0006 is musrenbang's last migration before the move.
        ("musrenbang", "0006_kode_pendaftaran_perangkat"),
        # usulan 0004 reads the keys under the old table name: it must run before the rename.
        ("usulan", "0004_usulan_dicatat_atas_nama"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="KunciAPI",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("nama", models.CharField(help_text="Aplikasi atau mitra pemegang kunci.", max_length=100, verbose_name="nama")),
                        ("awalan", models.CharField(help_text="Awal kunci, untuk mengenali kunci.", max_length=16, verbose_name="awalan")),
                        ("hash_kunci", models.CharField(editable=False, max_length=64, unique=True, verbose_name="SHA-256 kunci")),
                        ("aktif", models.BooleanField(default=True, verbose_name="aktif")),
                        ("dibuat", models.DateTimeField(auto_now_add=True, verbose_name="dibuat")),
                        ("terakhir_dipakai", models.DateTimeField(blank=True, null=True, verbose_name="terakhir dipakai")),
                        ("pengguna", models.ForeignKey(help_text="Usulan yang dikirim dengan kunci ini tercatat atas nama akun ini.", on_delete=django.db.models.deletion.PROTECT, related_name="kunci_api", to=settings.AUTH_USER_MODEL, verbose_name="akun pengirim")),
                    ],
                    options={
                        "verbose_name": "kunci API",
                        "verbose_name_plural": "kunci API",
                        "ordering": ["nama"],
                    },
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE musrenbang_kunciapi RENAME TO data_terbuka_kunciapi",
                    reverse_sql="ALTER TABLE data_terbuka_kunciapi RENAME TO musrenbang_kunciapi",
                ),
            ],
        ),
        migrations.RunPython(pindahkan_jenis_konten, kembalikan_jenis_konten),
    ]
