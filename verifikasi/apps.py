from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerifikasiConfig(AppConfig):
    name = "verifikasi"
    verbose_name = _("Verifikasi")

    def ready(self) -> None:
        # A new submission's messages are queued inside its own transaction (usulan.kabar): usulan
        # cannot import this app, so it calls what is registered here.
        from usulan.kabar import dengarkan_pengajuan
        from verifikasi.services import pengajuan_kabari

        dengarkan_pengajuan(pengajuan_kabari)
        # The same for the password-reset e-mail asked on musrenbang's form (musrenbang.kabar).
        from musrenbang.kabar import dengarkan_reset_kata_sandi
        from verifikasi.notifikasi import antrekan_reset_kata_sandi

        dengarkan_reset_kata_sandi(antrekan_reset_kata_sandi)
