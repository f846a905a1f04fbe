"""The outbox (Notifikasi) moves from verifikasi to this app with its rows.

The table is renamed, not copied (ids, the rows' links, the partial index, the constraint and the
application role's grants stay); verifikasi 0007 drops the model from its state without touching
the database. The content type is relabelled so permissions given to groups still apply.

The link to a proposal stays a foreign key to "usulan.Usulan", so this migration depends on usulan's
even though kabar sits below usulan in code (no Python import goes up; the nullable link only needs
the table to exist). No triggers or guards exist on this table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LAMA, BARU = "verifikasi_notifikasi", "kabar_notifikasi"


def _ganti_nama(lama: str, baru: str) -> list[str]:
    return [
        f'ALTER TABLE "{lama}" RENAME TO "{baru}"',
        f'ALTER SEQUENCE IF EXISTS "{lama}_id_seq" RENAME TO "{baru}_id_seq"',
    ]


def _label_ulang(apps, asal: str, tujuan: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=tujuan, model="notifikasi").exists():
        ContentType.objects.filter(app_label=asal, model="notifikasi").update(app_label=tujuan)


def maju(apps, schema_editor) -> None:
    _label_ulang(apps, "verifikasi", "kabar")


def mundur(apps, schema_editor) -> None:
    _label_ulang(apps, "kabar", "verifikasi")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("akun", "0001_penugasan_dan_kode_dua_langkah_pindah"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("usulan", "0007_unggahan_foto_dan_kunci_idempoten"),
        ("verifikasi", "0006_pesan_sebagai_data_tanpa_penanda"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(sql=_ganti_nama(LAMA, BARU), reverse_sql=_ganti_nama(BARU, LAMA)),
            ],
            state_operations=[
                migrations.CreateModel(
                    name='Notifikasi',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('saluran', models.CharField(choices=[('email', 'E-mail'), ('sms', 'SMS'), ('whatsapp', 'WhatsApp')], max_length=10, verbose_name='saluran')),
                        ('alamat', models.CharField(max_length=254, verbose_name='alamat tujuan')),
                        ('subjek', models.CharField(max_length=200, verbose_name='subjek')),
                        ('isi', models.TextField(verbose_name='isi')),
                        ('kode_pesan', models.CharField(blank=True, db_default='', default='', max_length=40, verbose_name='kode pesan')),
                        ('data_pesan', models.JSONField(blank=True, null=True, verbose_name='data pesan')),
                        ('kunci_ringkasan', models.CharField(blank=True, max_length=100, null=True, unique=True, verbose_name='kunci ringkasan')),
                        ('status', models.CharField(choices=[('antre', 'Menunggu'), ('terkirim', 'Terkirim'), ('gagal', 'Gagal permanen')], default='antre', max_length=10, verbose_name='status')),
                        ('kirim_setelah', models.DateTimeField(verbose_name='kirim setelah')),
                        ('percobaan', models.PositiveSmallIntegerField(default=0, verbose_name='percobaan')),
                        ('galat_terakhir', models.TextField(blank=True, verbose_name='galat terakhir')),
                        ('dibuat', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('terkirim_pada', models.DateTimeField(blank=True, null=True, verbose_name='terkirim pada')),
                        ('penerima', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifikasi', to=settings.AUTH_USER_MODEL, verbose_name='penerima')),
                        ('usulan', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='usulan.usulan', verbose_name='usulan')),
                    ],
                    options={
                        'verbose_name': 'notifikasi',
                        'verbose_name_plural': 'notifikasi',
                        'ordering': ['kirim_setelah', 'pk'],
                        'indexes': [models.Index(condition=models.Q(('status', 'antre')), fields=['kirim_setelah'], name='notifikasi_antre_siap')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('penerima__isnull', False), ('kunci_ringkasan__isnull', True), _connector='OR'), name='notifikasi_ringkasan_punya_penerima')],
                    },
                ),
            ],
        ),
        migrations.RunPython(maju, mundur),
    ]
