"""Celery tasks of the reports: thin, keyword-only ids, the work is in builder and
services."""

import logging

from celery import shared_task
from django.utils import timezone

from . import builder, services

logger = logging.getLogger(__name__)


@shared_task(
    name="reports.build_report",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=builder.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=builder.SOFT_TIME_LIMIT,
    time_limit=builder.TIME_LIMIT,
)
def task_build_report(self, *, report_id: int) -> str:
    """Build one report. A delivery that finds the build held by a live-looking claim
    comes back once that claim would be stale, in case its worker died."""
    outcome = builder.run_build(report_id)
    if outcome == builder.Outcome.BUSY and not self.request.is_eager:
        countdown = builder.STALE_AFTER.total_seconds()
        raise self.retry(countdown=countdown, max_retries=self.max_retries + 3)
    logger.info("Report %s: %s", report_id, outcome)
    return str(outcome)


@shared_task(name="reports.daily")
def task_daily_reports() -> dict:
    """Daily tick: build the reports of periods that just passed their due date and
    queue again the builds that waited too long."""
    result = services.build_due_reports(today=timezone.localdate())
    logger.info("Daily reports: %s", result)
    return result
