from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Emulation movements")

    def ready(self):
        # Registers the runner of background imports of assessments (units.imports).
        # The organisation's pages open on the year of the running movement.
        from campaigns.individuals import assessments  # noqa: F401
        from campaigns.sheets.queries import current_movement_year
        from units import current_year

        current_year.provided_by(current_movement_year)
