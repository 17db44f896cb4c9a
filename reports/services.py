"""What views, the daily task and the admin call to ask for, annotate and finalise
reports. Each writes in one transaction and hands the build to Celery only after the
commit. The builds themselves run in reports.builder."""

import datetime as dt
import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign, Period
from units import links

from .enums import ReportStatus
from .models import Report

logger = logging.getLogger(__name__)

BROKER_ERRORS = (BrokerError, OSError)
# A build whose worker died this many times in a row (say it runs out of memory) is
# not queued again by the tick but ends failed, for the officer to build again once
# the cause is fixed: a build that kills its worker must not loop for ever.
MAX_ATTEMPTS = 3


class ReportError(Exception):
    """A request refused for a reason the user can act on; str() is the message and
    field, when set, the form field it is about."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class BuildUnderWay(ReportError):
    """The officer's first build of this period is already queued or running (a
    double click, or two officers at once): report is that build."""

    def __init__(self, report: Report):
        super().__init__(
            _("A build of this report is already under way; this page shows its progress.")
        )
        self.report = report


# How far ahead of today a document may be dated (signing is often planned a few days on).
LATEST_DATE_AHEAD = dt.timedelta(days=31)


def request_report(campaign: Campaign, period: Period, kind: str, *, by) -> Report:
    """Record a new build of period's report and queue it after the commit.

    by is the officer asking, or None for the daily schedule (then at most one per
    period: a second automatic request raises IntegrityError). An officer's request
    while an officer's first build of the same period and kind is still queued or
    running raises BuildUnderWay with that build: the period row is locked first, so
    of two requests at once the second waits for the first and finds its build. When
    the task queue cannot be reached the Report stays queued with queue_error set;
    the every-minute tick queues it again (requeue_stalled)."""
    if period.campaign_id != campaign.pk:
        raise ReportError(_("This period belongs to another movement."))
    if kind != period.kind:
        raise ReportError(_("The kind of report does not match the period."))
    with transaction.atomic():
        Period.objects.select_for_update().get(pk=period.pk)
        if by is not None:
            under_way = _under_way(period, kind)
            if under_way is not None:
                raise BuildUnderWay(under_way)
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


def _under_way(period: Period, kind: str) -> Report | None:
    """An officer's build of period that has not produced its files yet (a rebuild of
    an existing report for its text or finalising is not a new request)."""
    return (
        Report.objects.filter(
            period=period,
            kind=kind,
            automatic=False,
            status__in=ReportStatus.active_states,
            finalised_at__isnull=True,
            pdf="",
        )
        .order_by("requested_at", "pk")
        .first()
    )


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
    at once one that is stalled (Report.objects.stalled). Both are conditional updates, so
    a double click, or the click racing the tick, queues it once; the second click is
    told it is already queued again."""
    now = timezone.now()
    with transaction.atomic():
        changed = Report.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
            error="", **_requeue_fields(now)
        )
        if changed:
            report.refresh_from_db()
            _enqueue_on_commit(report)
    if not changed:
        changed = _queue_again(report.pk, report.task_id, now=now, by_hand=True)
    report.refresh_from_db()
    if not changed:
        if report.is_active:
            raise ReportError(
                _("This build is already queued again; this page shows its progress.")
            )
        raise ReportError(_("Only a failed or stalled build can be started again."))
    return report


def build_due_reports(*, today: dt.date, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily tick: request the report of every period whose due date has passed
    and that has none yet (and, like every minute, queue again the stalled builds)."""
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
    return {"created": created, "requeued": requeue_stalled(now=now)}


def requeue_stalled(*, now: dt.datetime | None = None) -> int:
    """The every-minute tick: queue again each stalled build (Report.objects.stalled:
    its enqueue failed, no worker took it, or its worker stopped beating), each once
    however many ticks run at once. A build whose worker died MAX_ATTEMPTS times ends
    failed instead. Returns how many were queued again."""
    now = now or timezone.now()
    count = 0
    candidates = (
        Report.objects.stalled(now).order_by("queued_at", "pk").values_list("pk", "task_id")
    )
    for report_id, attempt in candidates:
        if _give_up(report_id, attempt, now=now):
            continue
        count += _queue_again(report_id, attempt, now=now, by_hand=False)
    return count


def _queue_again(report_id: int, attempt: str, *, now: dt.datetime, by_hand: bool) -> bool:
    """Queue again the stalled build whose current attempt is `attempt`: one
    conditional update gives it a new attempt and hands it back to the queue, so of
    two callers at once (two ticks, a tick and the officer's click) exactly one
    enqueues. A delivery of the old attempt does nothing from then on, and its worker,
    if it was alive after all, loses its claim at its next step."""
    task_id = str(uuid.uuid4())
    fields = {
        "status": ReportStatus.QUEUED,
        "claim": "",
        "progress": 0,
        "step": "",
        "queued_at": now,
        "heartbeat_at": None,
        "task_id": task_id,
        "queue_error": "",
    }
    if by_hand:
        fields["attempts"] = 0  # the officer starts a new series of attempts
    with transaction.atomic():
        changed = Report.objects.stalled(now).filter(pk=report_id, task_id=attempt).update(**fields)
        if changed:
            base_url = links.base_url_for_task()
            transaction.on_commit(lambda: enqueue(report_id, task_id, base_url=base_url))
    if changed:
        logger.info("Report %s queued again (attempt %s replaces %s)", report_id, task_id, attempt)
    return bool(changed)


def _give_up(report_id: int, attempt: str, *, now: dt.datetime) -> bool:
    failed = (
        Report.objects.silent(now)
        .filter(pk=report_id, task_id=attempt, attempts__gte=MAX_ATTEMPTS)
        .update(
            status=ReportStatus.FAILED,
            claim="",
            step="",
            finished_at=now,
            error=(
                f"The build stopped {MAX_ATTEMPTS} times without finishing: its worker died "
                "each time (out of memory?). Build it again once the cause is fixed."
            ),
        )
    )
    if failed:
        logger.error("Report %s: worker died %s times, build failed", report_id, MAX_ATTEMPTS)
    return bool(failed)


def enqueue(report_id: int, task_id: str, *, base_url: str | None = None) -> bool:
    """Hand the build to Celery, task_id being its attempt token, base_url the address
    of the request that asked for it (units.links.base_url_for_task), for its email. A
    broker that cannot be reached is recorded on the row, which stays queued, instead
    of failing the request; the every-minute tick tries again."""
    from .tasks import task_build_report

    kwargs = {"report_id": report_id, "attempt": task_id}
    if base_url:
        kwargs["base_url"] = base_url
    try:
        task_build_report.apply_async(kwargs=kwargs, task_id=task_id)
    except BROKER_ERRORS as exc:
        logger.warning("Report %s could not be queued: %s", report_id, exc)
        Report.objects.filter(
            pk=report_id, task_id=task_id, status__in=ReportStatus.active_states
        ).update(queue_error=f"{type(exc).__name__}: {exc}"[:1000])
        return False
    return True


def _enqueue_on_commit(report: Report) -> None:
    report_id, task_id, base_url = report.pk, report.task_id, links.base_url_for_task()
    transaction.on_commit(lambda: enqueue(report_id, task_id, base_url=base_url))


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
        "attempts": 0,
    }
