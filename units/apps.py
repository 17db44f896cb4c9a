from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Organization")


class LoginAttemptsConfig(AxesAppConfig):
    """django-axes under a Vietnamese name in the admin (its own is the bare label)."""

    verbose_name = _("Login attempts")
