"""Officials' role assignments (from verifikasi) and two-step enrolment codes (from musrenbang)
move to the accounts app with their rows.

The tables are renamed, not copied: ids, foreign keys (and the rows pointing at them), constraints
and the application role's grants stay as they are (PostgreSQL keeps privileges across a rename;
`manage.py migrate` grants again from the catalog anyway). Only the state moves: the old apps'
migrations 0007 drop the models from their state without touching the database. The content types
are relabelled so that permissions already given to groups keep pointing at the same model.

Triggers or guards: none exist on these two tables (the history guards are on usulan's tables).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (old table, new table, model name, old app)
PINDAH = [
    ("verifikasi_penugasan", "akun_penugasan", "penugasan", "verifikasi"),
    ("musrenbang_kodependaftarandualangkah", "akun_kodependaftarandualangkah", "kodependaftarandualangkah", "musrenbang"),
]


def _ganti_nama(dari: int, ke: int) -> list[str]:
    sql = []
    for baris in PINDAH:
        lama, baru = baris[dari], baris[ke]
        sql.append(f'ALTER TABLE "{lama}" RENAME TO "{baru}"')
        sql.append(f'ALTER SEQUENCE IF EXISTS "{lama}_id_seq" RENAME TO "{baru}_id_seq"')
    return sql


def _label_ulang(apps, dari: str | None, ke: str | None) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for _lama, _baru, model, app_lama in PINDAH:
        asal, tujuan = (dari or app_lama), (ke or app_lama)
        if not ContentType.objects.filter(app_label=tujuan, model=model).exists():
            ContentType.objects.filter(app_label=asal, model=model).update(app_label=tujuan)


def maju(apps, schema_editor) -> None:
    _label_ulang(apps, None, "akun")


def mundur(apps, schema_editor) -> None:
    _label_ulang(apps, "akun", None)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("musrenbang", "0006_kode_pendaftaran_perangkat"),
        ("otp_totp", "0003_add_timestamps"),
        ("verifikasi", "0006_pesan_sebagai_data_tanpa_penanda"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(sql=_ganti_nama(0, 1), reverse_sql=_ganti_nama(1, 0)),
            ],
            state_operations=[
                migrations.CreateModel(
                    name='KodePendaftaranDuaLangkah',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('hash_kode', models.CharField(editable=False, max_length=64, unique=True, verbose_name='SHA-256 kode')),
                        ('dibuat', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('berlaku_sampai', models.DateTimeField(verbose_name='berlaku sampai')),
                        ('dipakai_pada', models.DateTimeField(blank=True, null=True, verbose_name='dipakai pada')),
                        ('dibuat_oleh', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='dibuat oleh')),
                        ('pengguna', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='kode_pendaftaran_dua_langkah', to=settings.AUTH_USER_MODEL, verbose_name='pengguna')),
                        ('perangkat', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='kode_pendaftaran', to='otp_totp.totpdevice', verbose_name='perangkat')),
                    ],
                    options={
                        'verbose_name': 'kode pendaftaran dua langkah',
                        'verbose_name_plural': 'kode pendaftaran dua langkah',
                        'ordering': ['-dibuat'],
                    },
                ),
                migrations.CreateModel(
                    name='Penugasan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('peran', models.CharField(choices=[('desa', 'Operator/kepala desa/lurah'), ('kecamatan', 'Kecamatan'), ('opd', 'Perangkat daerah (OPD)'), ('bappeda', 'Bappeda'), ('admin', 'Administrator')], max_length=12, verbose_name='peran')),
                        ('aktif', models.BooleanField(default=True, verbose_name='aktif')),
                        ('dibuat', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('pengguna', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='penugasan', to=settings.AUTH_USER_MODEL, verbose_name='pengguna')),
                        ('perangkat_daerah', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='musrenbang.perangkatdaerah', verbose_name='OPD')),
                        ('wilayah', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='musrenbang.wilayah', verbose_name='wilayah')),
                    ],
                    options={
                        'verbose_name': 'penugasan',
                        'verbose_name_plural': 'penugasan',
                        'constraints': [models.CheckConstraint(condition=models.Q(('peran__in', ['desa', 'kecamatan', 'opd', 'bappeda', 'admin'])), name='penugasan_peran_valid'), models.CheckConstraint(condition=models.Q(models.Q(('peran', 'opd'), ('perangkat_daerah__isnull', False), ('wilayah__isnull', True)), models.Q(models.Q(('peran', 'opd'), _negated=True), ('perangkat_daerah__isnull', True), ('wilayah__isnull', False)), _connector='OR'), name='penugasan_wilayah_atau_opd'), models.UniqueConstraint(fields=('pengguna', 'peran', 'wilayah', 'perangkat_daerah'), name='penugasan_unik', nulls_distinct=False)],
                    },
                ),
            ],
        ),
        migrations.RunPython(maju, mundur),
    ]
