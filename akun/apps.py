from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AkunConfig(AppConfig):
    """Accounts: sign-in and sign-up, two-step sign-in, officials' sessions and role assignments.
    Above the reference data (musrenbang), below the outbox (kabar) and everything else."""

    name = "akun"
    verbose_name = _("Akun dan peran")
