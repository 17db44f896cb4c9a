from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    """The two reports of a movement: one per period kind (campaigns.PeriodKind)."""

    SIX_MONTHLY = "six_monthly", _("Six-monthly review")
    YEAR_END = "year_end", _("Year-end review")


class ReportStatus(models.TextChoices):
    """queued → running → done | failed. Only reports.services and reports.builder
    write it, always through a conditional update."""

    QUEUED = "queued", pgettext_lazy("report status", "Queued")
    RUNNING = "running", pgettext_lazy("report status", "Running")
    DONE = "done", pgettext_lazy("report status", "Done")
    FAILED = "failed", pgettext_lazy("report status", "Failed")

    active_states = nonmember(("queued", "running"))


class ReportStep(models.TextChoices):
    """What a running build is doing, shown under its progress bar."""

    WAITING = "", _("Waiting for a worker")
    FIGURES = "figures", _("Computing the figures")
    CHARTS = "charts", _("Drawing the charts")
    PDF = "pdf", _("Rendering the PDF")
    XLSX = "xlsx", _("Writing the XLSX")
    SAVING = "saving", _("Saving the files")
