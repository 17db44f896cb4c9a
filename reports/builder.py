"""Running one build: claim the Report row, compute, render, store, record.

Each time a build is queued it gets a new attempt token (Report.task_id, also the
Celery task id), and only a delivery carrying the current one may claim it: a late
duplicate of an older attempt (the broker's redelivery after its visibility timeout)
does nothing. The claim is a conditional update (status queued → running, with a
fresh claim token), so of two deliveries of the same attempt only one builds. Every
later write is conditional on that claim token: a worker that lost its claim (it was
presumed dead and the build was queued again) writes nothing.

While it runs, the build stamps heartbeat_at at each step and, from a small thread,
every models.HEARTBEAT_EVERY: a build with no stamp for models.STALLED_AFTER has lost
its worker (Report.objects.stalled), and the every-minute tick queues it again."""

import datetime as dt
import hashlib
import logging
import secrets
import threading
from enum import StrEnum

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import F
from django.utils import timezone

from units import links

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
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class Outcome(StrEnum):
    BUILT = "built"
    FAILED = "failed"
    BUSY = "busy"  # another worker holds a live claim
    FINISHED = "finished"  # already done or failed: a duplicate delivery
    SUPERSEDED = "superseded"  # the build was queued again since: an older attempt
    GONE = "gone"
    LOST = "lost"  # the claim was taken over while building


class ClaimLost(Exception):
    pass


def claim(report_id: int, attempt: str, *, now: dt.datetime) -> str | None:
    """Take the build for its current attempt: a queued row, or a running one whose
    worker stopped beating (this delivery is its message coming back)."""
    token = secrets.token_hex(16)
    claimed = (
        Report.objects.claimable(now)
        .filter(pk=report_id, task_id=attempt)
        .exclude(task_id="")
        .update(
            status=ReportStatus.RUNNING,
            claim=token,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            attempts=F("attempts") + 1,
            progress=1,
            step=ReportStep.FIGURES,
            error="",
            queue_error="",
        )
    )
    return token if claimed else None


def run_build(
    report_id: int,
    attempt: str,
    *,
    now: dt.datetime | None = None,
    heartbeat_every: dt.timedelta | None = None,
) -> Outcome:
    """Build report_id once, if attempt is still its current one. Transient database
    errors are re-raised (the task retries them) after handing the row back to the
    queue; any other error is stored on the row, which ends failed, never running.

    A worker's build passes heartbeat_every (models.HEARTBEAT_EVERY) for the heartbeat
    thread; an in-process build (eager Celery, a script) has no worker of its own to
    lose and runs none. The steps stamp the heartbeat either way."""
    token = claim(report_id, attempt, now=now or timezone.now())
    if token is None:
        return _why_not(report_id, attempt)
    heartbeat = Heartbeat(report_id, token, heartbeat_every) if heartbeat_every else None
    if heartbeat:
        heartbeat.start()
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
    finally:
        if heartbeat:
            heartbeat.stop()
    return Outcome.BUILT


class Heartbeat(threading.Thread):
    """Stamps heartbeat_at every `every` while the build's own thread renders (a PDF
    step may take longer than models.STALLED_AFTER at scale). It has its own database
    connection, closed when it stops; it stops by itself once the claim is lost."""

    def __init__(self, report_id: int, token: str, every: dt.timedelta):
        super().__init__(name=f"report-{report_id}-heartbeat", daemon=True)
        self.report_id, self.token, self.every = report_id, token, every
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(self.every.total_seconds()):
                try:
                    if not beat(self.report_id, self.token):
                        return
                except Exception:  # noqa: BLE001 — a missed beat never stops the build
                    logger.warning("Report %s: heartbeat missed", self.report_id, exc_info=True)
                    connections.close_all()  # reconnect at the next beat
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=10)


def beat(report_id: int, token: str) -> bool:
    """Stamp the heartbeat of the build held by token; False once the claim is lost."""
    return bool(
        Report.objects.filter(pk=report_id, claim=token, status=ReportStatus.RUNNING).update(
            heartbeat_at=timezone.now()
        )
    )


def _why_not(report_id: int, attempt: str) -> Outcome:
    row = Report.objects.filter(pk=report_id).values_list("status", "task_id").first()
    if row is None:
        logger.warning("Report %s is gone; nothing to build", report_id)
        return Outcome.GONE
    status, current = row
    if current != attempt:
        logger.info("Report %s: attempt %s was replaced by %s", report_id, attempt, current)
        return Outcome.SUPERSEDED
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
    updated = Report.objects.filter(pk=report_id, claim=token).update(
        progress=percent, step=step, heartbeat_at=timezone.now()
    )
    if not updated:
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
            base_url = links.current_base_url()
            transaction.on_commit(lambda: notifications.report_ready(report.pk, base_url=base_url))
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
            status=ReportStatus.QUEUED, claim="", progress=0, step="", queued_at=timezone.now()
        )
    except TRANSIENT_ERRORS:
        # The database is still away: the row stays running, stops beating and is
        # claimed again by the retry (or queued again by the tick) once stalled.
        logger.warning("Report %s could not be released", report_id)


def _delete(*names: str) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete the old report file %s", name)
