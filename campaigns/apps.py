from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Emulation movements")

    def ready(self):
        # Registers the runner of background imports of assessments (units.imports).
        from . import individuals  # noqa: F401
