"""Running one build: claim the Report row, compute, render, store, record.

The claim is a conditional update (status queued → running, with a fresh claim token),
so of two deliveries of the same task only one builds. Every later write is
conditional on that token: a worker that lost its claim (it was presumed dead and the
build was taken over) writes nothing. A running row whose worker died is claimed again
once it is older than STALE_AFTER, the task's hard time limit plus a margin, since no
live build can run that long."""

import datetime as dt
import hashlib
import logging
import secrets
from enum import StrEnum

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import charts, notifications
from .context import build_context, key_figures
from .enums import ReportStatus, ReportStep
from .models import Report, report_upload_to
from .pdf import render_pdf
from .xlsx import render_xlsx

logger = logging.getLogger(__name__)

# Time limits of the build task (seconds): at ten times real size a build takes well
# under a minute (docs/benchmarks.md).
SOFT_TIME_LIMIT = 10 * 60
TIME_LIMIT = 11 * 60
STALE_AFTER = dt.timedelta(seconds=TIME_LIMIT + 60)
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class Outcome(StrEnum):
    BUILT = "built"
    FAILED = "failed"
    BUSY = "busy"  # another worker holds a fresh claim
    FINISHED = "finished"  # already done or failed: a duplicate delivery
    GONE = "gone"
    LOST = "lost"  # the claim was taken over while building


class ClaimLost(Exception):
    pass


def claim(report_id: int, *, now: dt.datetime) -> str | None:
    """Take the build: a queued row, or a running one whose worker must be dead."""
    token = secrets.token_hex(16)
    claimed = (
        Report.objects.filter(pk=report_id)
        .filter(
            Q(status=ReportStatus.QUEUED)
            | Q(status=ReportStatus.RUNNING, started_at__lt=now - STALE_AFTER)
        )
        .update(
            status=ReportStatus.RUNNING,
            claim=token,
            started_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
            progress=1,
            step=ReportStep.FIGURES,
            error="",
            queue_error="",
        )
    )
    return token if claimed else None


def run_build(report_id: int, *, now: dt.datetime | None = None) -> Outcome:
    """Build report_id once. Transient database errors are re-raised (the task retries
    them) after handing the row back to the queue; any other error is stored on the
    row, which ends failed, never running."""
    token = claim(report_id, now=now or timezone.now())
    if token is None:
        return _why_not(report_id)
    try:
        _build(report_id, token)
    except ClaimLost:
        logger.warning("Report %s: claim lost, the build was taken over", report_id)
        return Outcome.LOST
    except TRANSIENT_ERRORS:
        _release(report_id, token)
        raise
    except SoftTimeLimitExceeded:
        _fail(report_id, token, "The build took longer than its time limit and was stopped.")
        return Outcome.FAILED
    except Exception as exc:
        logger.exception("Report %s failed", report_id)
        _fail(report_id, token, f"{type(exc).__name__}: {exc}")
        return Outcome.FAILED
    return Outcome.BUILT


def _why_not(report_id: int) -> Outcome:
    status = Report.objects.filter(pk=report_id).values_list("status", flat=True).first()
    if status is None:
        logger.warning("Report %s is gone; nothing to build", report_id)
        return Outcome.GONE
    if status == ReportStatus.RUNNING:
        return Outcome.BUSY
    return Outcome.FINISHED


def _build(report_id: int, token: str) -> None:
    report = Report.objects.select_related("campaign__organizer", "period").get(pk=report_id)
    context = build_context(report)
    _progress(report_id, token, 30, ReportStep.CHARTS)
    drawn = {"on_time": charts.on_time_chart(context), "contents": charts.content_chart(context)}
    _progress(report_id, token, 40, ReportStep.PDF)
    pdf = render_pdf(report, context, drawn)
    _progress(report_id, token, 80, ReportStep.XLSX)
    xlsx = render_xlsx(context)
    _progress(report_id, token, 95, ReportStep.SAVING)
    _finish(report, token, pdf=pdf, xlsx=xlsx, figures=key_figures(context), drawn=drawn)


def _progress(report_id: int, token: str, percent: int, step: str) -> None:
    if not Report.objects.filter(pk=report_id, claim=token).update(progress=percent, step=step):
        raise ClaimLost


def _finish(report: Report, token: str, *, pdf: bytes, xlsx: bytes, figures, drawn) -> None:
    old = [name for name in (report.pdf.name, report.xlsx.name) if name]
    pdf_name = default_storage.save(report_upload_to(report, "report.pdf"), ContentFile(pdf))
    xlsx_name = default_storage.save(report_upload_to(report, "report.xlsx"), ContentFile(xlsx))
    with transaction.atomic():
        done = Report.objects.filter(pk=report.pk, claim=token, status=ReportStatus.RUNNING).update(
            status=ReportStatus.DONE,
            progress=100,
            step="",
            finished_at=timezone.now(),
            pdf=pdf_name,
            pdf_size=len(pdf),
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            xlsx=xlsx_name,
            xlsx_size=len(xlsx),
            xlsx_sha256=hashlib.sha256(xlsx).hexdigest(),
            figures=figures,
            charts=drawn,
        )
        if done and report.automatic and not old:
            # Only the first build is news; a rebuild after the officer's text or the
            # finalising is their own doing.
            transaction.on_commit(lambda: notifications.report_ready(report.pk))
    if not done:
        _delete(pdf_name, xlsx_name)
        raise ClaimLost
    _delete(*old)


def _fail(report_id: int, token: str, error: str) -> None:
    Report.objects.filter(pk=report_id, claim=token).update(
        status=ReportStatus.FAILED, finished_at=timezone.now(), error=error[:4000], step=""
    )


def _release(report_id: int, token: str) -> None:
    """Give the row back to the queue so that the retry can claim it at once."""
    try:
        Report.objects.filter(pk=report_id, claim=token).update(
            status=ReportStatus.QUEUED, claim="", progress=0, step=""
        )
    except TRANSIENT_ERRORS:
        # The database is still away: the row stays running and is claimed again
        # once stale.
        logger.warning("Report %s could not be released", report_id)


def _delete(*names: str) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the old report file %s", name)
