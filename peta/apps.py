from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetaConfig(AppConfig):
    name = "peta"
    verbose_name = _("Peta publik")
