import datetime as dt
import secrets

import rules
from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ReportKind, ReportStatus, ReportStep

# A running build stamps Report.heartbeat_at at each step and every HEARTBEAT_EVERY
# in between (reports.builder). With no stamp for STALLED_AFTER (eight missed beats)
# its worker is taken to be dead: the build is shown as stalled, may be queued again
# at once by hand, and the every-minute tick (reports.services.requeue_stalled)
# queues it again, so it is back in the queue within three minutes of the worker's end.
HEARTBEAT_EVERY = dt.timedelta(seconds=15)
STALLED_AFTER = dt.timedelta(minutes=2)
# A queued build no worker took within this time lost its message (a broker
# restarted without persistence) or waits behind a long queue: it is queued again. A
# build takes seconds (docs/benchmarks.md).
NOT_TAKEN_AFTER = dt.timedelta(minutes=5)


def _silent(now: dt.datetime) -> Q:
    """Running builds whose worker stopped beating for STALLED_AFTER (rows older than
    the heartbeat have only started_at)."""
    cut = now - STALLED_AFTER
    return Q(status=ReportStatus.RUNNING) & (
        Q(heartbeat_at__lt=cut) | Q(heartbeat_at__isnull=True, started_at__lt=cut)
    )


def _stalled(now: dt.datetime) -> Q:
    """The stale-build rule, stated once: an active build that should be queued again,
    because the task queue could not be reached (queue_error), no worker took it within
    NOT_TAKEN_AFTER (its message was lost), or its worker stopped beating (_silent)."""
    return (
        Q(status=ReportStatus.QUEUED, queued_at__lt=now - NOT_TAKEN_AFTER)
        | (Q(status__in=ReportStatus.active_states) & ~Q(queue_error=""))
        | _silent(now)
    )


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those who may read the ministry's reports (reports.rules: officers,
        leadership, administrators) see them all; nobody else sees that they exist."""
        if user.is_authenticated and rules.has_perm("reports.view_report", user):
            return self.all()
        return self.none()

    def stalled(self, now: dt.datetime):
        """The builds the every-minute tick queues again, and the officer may at once."""
        return self.filter(_stalled(now))

    def silent(self, now: dt.datetime):
        """The running builds whose worker is taken to be dead."""
        return self.filter(_silent(now))

    def claimable(self, now: dt.datetime):
        """What a delivery may take: a queued build, or a running one whose worker is
        dead (this delivery is its message coming back)."""
        return self.filter(Q(status=ReportStatus.QUEUED) | _silent(now))

    def with_stalled(self, now: dt.datetime):
        """Each build with is_stalled (the same rule as stalled()), for the pages."""
        return self.annotate(
            is_stalled=Case(When(_stalled(now), then=Value(True)), default=Value(False))
        )


def report_upload_to(instance, filename: str) -> str:
    # Served only through the permission-checked download view; the name is not guessable.
    extension = filename.rsplit(".", 1)[-1]
    return f"reports/{instance.campaign_id}/{secrets.token_urlsafe(18)}.{extension}"


class Report(models.Model):
    """One build of a period's report: the job record (status, progress, timings,
    error, Celery task id) and its result (PDF and XLSX with size and SHA-256).

    The status changes only through reports.services and reports.builder, each with a
    conditional update, so two deliveries of the same task never build twice. The
    narrative sections and the official number are the officer's; editing the
    narrative or finalising re-renders this build from the current data. Once a
    finalised build is done it never changes again: a new build is a new Report."""

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("movement"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    period = models.ForeignKey(
        "campaigns.Period",
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(
        _("current step"), max_length=16, choices=ReportStep.choices, blank=True, default=""
    )

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the daily schedule requested it."),
    )
    automatic = models.BooleanField(_("requested by the schedule"), default=False, editable=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_("Stamped by the running build every few seconds."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    task_id = models.CharField(
        _("Celery task id"),
        max_length=64,
        blank=True,
        help_text=_(
            "The current attempt, new each time the build is queued: a delivery of an "
            "older one does nothing."
        ),
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"),
        default=0,
        help_text=_("Workers that took this build since it was last asked for."),
    )
    claim = models.CharField(_("claim token"), max_length=32, blank=True, editable=False)
    queue_error = models.TextField(
        _("queue error"),
        blank=True,
        help_text=_("Why the build could not be handed to the task queue; it is queued again."),
    )
    error = models.TextField(_("error"), blank=True)

    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, max_length=200, blank=True)
    pdf_size = models.PositiveBigIntegerField(_("PDF size (bytes)"), null=True, blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=report_upload_to, max_length=200, blank=True)
    xlsx_size = models.PositiveBigIntegerField(_("XLSX size (bytes)"), null=True, blank=True)
    xlsx_sha256 = models.CharField(_("XLSX SHA-256"), max_length=64, blank=True)
    figures = models.JSONField(
        _("key figures"), default=dict, blank=True, help_text=_("Written by the build.")
    )
    charts = models.JSONField(
        _("charts (SVG)"), default=dict, blank=True, help_text=_("Written by the build.")
    )

    strengths = models.TextField(_("strengths"), blank=True)
    limitations = models.TextField(_("limitations and causes"), blank=True)
    next_tasks = models.TextField(_("tasks for the next period"), blank=True)
    narrative_updated_at = models.DateTimeField(_("narrative updated at"), null=True, blank=True)

    number = models.CharField(_("document number"), max_length=20, blank=True)
    issued_on = models.DateField(_("document date"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_max_100"),
            models.CheckConstraint(
                condition=Q(finalised_at__isnull=True)
                | (~Q(number="") & Q(issued_on__isnull=False)),
                name="report_final_has_number_and_date",
            ),
            # The daily schedule builds a period's report once, however often it runs.
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(automatic=True),
                name="report_one_automatic_per_period",
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"], name="report_status_queued")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.campaign} (#{self.pk})"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    @property
    def is_active(self) -> bool:
        return self.status in ReportStatus.active_states
