from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DasborConfig(AppConfig):
    name = "dasbor"
    verbose_name = _("Dasbor Bappeda")

    def ready(self) -> None:
        # The home page and the map page show the round's public summary, computed here with the
        # dashboard's figures; they sit below this app, so they reach it through the registry.
        from dasbor import statistik
        from musrenbang import ringkasan

        ringkasan.daftarkan(statistik.ringkasan_publik_tersimpan)
