from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KabarConfig(AppConfig):
    """The notification outbox: its table, the worker and the senders. Above the accounts (it sends
    to them), below the apps that queue into it (usulan, verifikasi)."""

    name = "kabar"
    verbose_name = _("Kotak keluar")

    def ready(self) -> None:
        # The password-reset form lives in akun, below this app, so it calls the hook registered
        # here (akun.kabar_reset) rather than importing the outbox.
        from akun.kabar_reset import dengarkan_reset_kata_sandi
        from kabar.notifikasi import antrekan_reset_kata_sandi

        dengarkan_reset_kata_sandi(antrekan_reset_kata_sandi)
        # The worker's hourly housekeeping (kabar.pembersihan): the outbox's own rows, then the
        # rate-limit counters (musrenbang infrastructure, with no worker of its own).
        from kabar.notifikasi import hapus_yang_lama
        from kabar.pembersihan import daftarkan_pembersih
        from musrenbang import batas_laju

        daftarkan_pembersih("notifikasi", hapus_yang_lama)
        daftarkan_pembersih("batas_laju", batas_laju.hapus_kedaluwarsa)
