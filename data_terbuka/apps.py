from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataTerbukaConfig(AppConfig):
    name = "data_terbuka"
    verbose_name = _("Data terbuka dan Open311")
