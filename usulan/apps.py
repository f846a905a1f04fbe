from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsulanConfig(AppConfig):
    name = "usulan"
    verbose_name = _("Usulan")

    def ready(self) -> None:
        # The outbox words coded messages again in each recipient's language; the codes about
        # proposals are worded here (kabar.pesan cannot import this app).
        from usulan.pesan import daftarkan_pesan

        daftarkan_pesan()
        # Photo uploads no proposal took, pruned hourly by the outbox worker (kabar.pembersihan).
        from kabar.pembersihan import daftarkan_pembersih
        from usulan.unggahan import unggahan_usang_bersihkan

        daftarkan_pembersih("unggahan", unggahan_usang_bersihkan)
