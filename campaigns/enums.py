from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignKind(models.TextChoices):
    ANNUAL = "annual", _("Annual (regular)")
    THEMATIC = "thematic", _("Thematic")
    SHORT_TERM = "short_term", _("Short-term")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign status", "Draft")
    LAUNCHED = "launched", pgettext_lazy("campaign status", "Launched")
    CLOSED = "closed", pgettext_lazy("campaign status", "Closed")


class Subject(models.TextChoices):
    """Whom a criterion assesses."""

    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")
    LEADER = "leader", _("Unit leader")


class CriterionKind(models.TextChoices):
    SCORED = "scored", _("Scored")
    YES_NO = "yes_no", _("Yes / no")
    BONUS = "bonus", _("Bonus")
    PENALTY = "penalty", _("Penalty")


class PeriodKind(models.TextChoices):
    SIX_MONTHLY = "six_monthly", _("Six-monthly review")
    YEAR_END = "year_end", _("Year-end review")


class TitleSubject(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class TitleCategory(models.TextChoices):
    EMULATION_TITLE = "title", _("Emulation title")
    COMMENDATION = "commendation", _("Form of commendation")


class TitleLevel(models.TextChoices):
    STATE = "state", _("State")
    MINISTRY = "ministry", _("Ministry / province")
    GRASSROOTS = "grassroots", _("Grassroots (unit)")
