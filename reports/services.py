"""What views, the daily task and the admin call to ask for, annotate and finalise
reports. Each writes in one transaction and hands the build to Celery only after the
commit. The builds themselves run in reports.builder."""

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign, Period

from .builder import STALE_AFTER
from .enums import ReportStatus
from .models import Report

logger = logging.getLogger(__name__)

# A queued build that no worker took within this time is handed to the queue again.
REQUEUE_AFTER = dt.timedelta(minutes=30)
BROKER_ERRORS = (BrokerError, OSError)


class ReportError(Exception):
    """A request refused for a reason the user can act on; str() is the message and
    field, when set, the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


# How far ahead of today a document may be dated (signing is often planned a few days on).
LATEST_DATE_AHEAD = dt.timedelta(days=31)


def request_report(campaign: Campaign, period: Period, kind: str, *, by) -> Report:
    """Record a new build of period's report and queue it after the commit.

    by is the officer asking, or None for the daily schedule (then at most one per
    period: a second automatic request raises IntegrityError). When the task queue
    cannot be reached the Report stays queued with queue_error set; the daily task
    queues it again."""
    if period.campaign_id != campaign.pk:
        raise ReportError(_("This period belongs to another movement."))
    if kind != period.kind:
        raise ReportError(_("The kind of report does not match the period."))
    with transaction.atomic():
        report = Report.objects.create(
            campaign=campaign,
            period=period,
            kind=kind,
            requested_by=by,
            automatic=by is None,
            task_id=str(uuid.uuid4()),
        )
        _enqueue_on_commit(report)
    report.refresh_from_db()
    return report


def save_narrative(
    report: Report, *, strengths: str, limitations: str, next_tasks: str, by
) -> Report:
    """Store the officer's assessment and next-period tasks, and render the build
    again with them. Refused once the report is final or while it is being built."""
    now = timezone.now()
    with transaction.atomic():
        changed = _editable(report).update(
            strengths=strengths.strip(),
            limitations=limitations.strip(),
            next_tasks=next_tasks.strip(),
            narrative_updated_at=now,
            **_requeue_fields(now),
        )
        if not changed:
            raise ReportError(
                _("This report is being built or is final; its text can no longer change.")
            )
        report.refresh_from_db()
        _enqueue_on_commit(report)
    report.refresh_from_db()
    return report


def finalise(report: Report, *, number: str, issued_on: dt.date, signer_name: str, by) -> Report:
    """Give the report its official number and date and render it a last time; from
    then on it never changes (a new build is a new Report)."""
    number = number.strip()
    if not (report.strengths and report.limitations and report.next_tasks):
        raise ReportError(
            _("Write the assessment and the tasks for the next period before finalising.")
        )
    earliest = report.period.opens_on
    latest = timezone.localdate() + LATEST_DATE_AHEAD
    if not earliest <= issued_on <= latest:
        raise ReportError(
            _("The document date must be between %(earliest)s and %(latest)s.")
            % {"earliest": f"{earliest:%d/%m/%Y}", "latest": f"{latest:%d/%m/%Y}"},
            field="issued_on",
        )
    clash = Report.objects.filter(
        number=number, issued_on__year=issued_on.year, finalised_at__isnull=False
    ).exclude(pk=report.pk)
    if clash.exists():
        raise ReportError(
            _("Number %(number)s is already used by another report of %(year)s.")
            % {"number": number, "year": issued_on.year},
            field="number",
        )
    now = timezone.now()
    with transaction.atomic():
        changed = (
            _editable(report)
            .filter(status=ReportStatus.DONE)
            .update(
                number=number,
                issued_on=issued_on,
                signer_name=signer_name.strip(),
                finalised_at=now,
                finalised_by=by,
                **_requeue_fields(now),
            )
        )
        if not changed:
            raise ReportError(_("Only a finished report that is not final can be finalised."))
        report.refresh_from_db()
        _enqueue_on_commit(report)
    report.refresh_from_db()
    return report


def retry_report(report: Report, *, by) -> Report:
    """Build a failed report again (the same record, the same inputs), or queue again
    one that is stuck (Report.is_stuck): a duplicate delivery is harmless, the first
    worker to claim the build does it."""
    from .models import STUCK_IN_QUEUE_AFTER

    now = timezone.now()
    stuck = (
        Q(status=ReportStatus.QUEUED, queued_at__lt=now - STUCK_IN_QUEUE_AFTER)
        | (Q(status=ReportStatus.QUEUED) & ~Q(queue_error=""))
        | Q(status=ReportStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    )
    with transaction.atomic():
        changed = Report.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
            error="", **_requeue_fields(now)
        ) or Report.objects.filter(stuck, pk=report.pk).update(
            queued_at=now, task_id=str(uuid.uuid4()), queue_error=""
        )
        if not changed:
            raise ReportError(
                _("Only a failed build, or one waiting too long, can be started again.")
            )
        report.refresh_from_db()
        _enqueue_on_commit(report)
    report.refresh_from_db()
    return report


def build_due_reports(*, today: dt.date, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily tick: request the report of every period whose due date has passed
    and that has none yet, and queue again the builds that waited too long (the queue
    was down, or their worker died)."""
    now = now or timezone.now()
    created = 0
    periods = (
        Period.objects.filter(
            due_on__lt=today,
            campaign__status__in=[CampaignStatus.LAUNCHED, CampaignStatus.CLOSED],
        )
        .exclude(reports__isnull=False)
        .select_related("campaign")
        .order_by("due_on", "pk")
    )
    for period in periods:
        try:
            request_report(period.campaign, period, period.kind, by=None)
        except IntegrityError:
            continue  # another tick got there first
        created += 1
    return {"created": created, "requeued": requeue_stale(now=now)}


def requeue_stale(*, now: dt.datetime) -> int:
    """Queue again the builds queued for longer than REQUEUE_AFTER and the running ones
    whose worker must have died (the build claims those again)."""
    stale = Report.objects.filter(
        Q(status=ReportStatus.QUEUED, queued_at__lt=now - REQUEUE_AFTER)
        | Q(status=ReportStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    ).only("pk", "status")
    count = 0
    for report in stale:
        task_id = str(uuid.uuid4())
        Report.objects.filter(pk=report.pk, status=report.status).update(
            queued_at=now, task_id=task_id, queue_error=""
        )
        enqueue(report.pk, task_id)
        count += 1
    return count


def enqueue(report_id: int, task_id: str) -> bool:
    """Hand the build to Celery. A broker that cannot be reached is recorded on the
    row (it stays queued, or running when a dead worker's build was being queued
    again) instead of failing the request."""
    from .tasks import task_build_report

    try:
        task_build_report.apply_async(kwargs={"report_id": report_id}, task_id=task_id)
    except BROKER_ERRORS as exc:
        logger.warning("Report %s could not be queued: %s", report_id, exc)
        Report.objects.filter(pk=report_id, status__in=ReportStatus.active_states).update(
            queue_error=f"{type(exc).__name__}: {exc}"[:1000]
        )
        return False
    return True


def _enqueue_on_commit(report: Report) -> None:
    report_id, task_id = report.pk, report.task_id
    transaction.on_commit(lambda: enqueue(report_id, task_id))


def _editable(report: Report):
    return Report.objects.filter(
        pk=report.pk,
        finalised_at__isnull=True,
        status__in=[ReportStatus.DONE, ReportStatus.FAILED],
    )


def _requeue_fields(now: dt.datetime) -> dict:
    return {
        "status": ReportStatus.QUEUED,
        "progress": 0,
        "step": "",
        "queued_at": now,
        "task_id": str(uuid.uuid4()),
        "queue_error": "",
    }
