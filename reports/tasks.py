"""Celery tasks of the reports: thin, keyword-only ids, the work is in builder and
services."""

import logging

from celery import shared_task
from django.utils import timezone

from units import links

from . import builder, services
from .models import HEARTBEAT_EVERY

logger = logging.getLogger(__name__)


# acks_late and reject_on_worker_lost (also the project's defaults, see settings): a
# message is acknowledged only once its build ended, and a worker process that dies
# hands it back; the copy that comes back, like any duplicate, builds nothing twice
# (the attempt token and the claim), and a worker killed outright is made up for by
# the every-minute tick.
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
def task_build_report(
    self, *, report_id: int, attempt: str | None = None, base_url: str | None = None
) -> str:
    """Build one report if attempt is still its current one (messages sent before
    the attempt was a keyword carry it as their task id). A delivery that finds the
    build running does nothing: if that worker died, the tick queues it again.
    base_url is the address of the request that queued it, for the links of its
    email (units.links), when THIDUA_SITE_URL is not set."""
    with links.using_base_url(base_url):
        outcome = builder.run_build(
            report_id,
            attempt or self.request.id,
            heartbeat_every=None if self.request.is_eager else HEARTBEAT_EVERY,
        )
    logger.info("Report %s: %s", report_id, outcome)
    return str(outcome)


@shared_task(name="reports.daily")
def task_daily_reports() -> dict:
    """Daily tick: build the reports of periods that just passed their due date and
    queue again the builds that waited too long."""
    result = services.build_due_reports(today=timezone.localdate())
    logger.info("Daily reports: %s", result)
    return result


@shared_task(name="reports.requeue_stalled")
def task_requeue_stalled() -> int:
    """Every-minute tick: queue again the builds that could not be queued, that no
    worker took, or whose worker stopped beating (services.requeue_stalled)."""
    count = services.requeue_stalled()
    if count:
        logger.info("Queued again %d stalled report build(s)", count)
    return count
