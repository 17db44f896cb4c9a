"""Small tasks of the units app. task_count_units is the smoke test of a real worker:
it proves the worker reads the same database the web process writes."""

import logging

from celery import shared_task

from .models import Unit

logger = logging.getLogger(__name__)


@shared_task(name="units.count_units")
def task_count_units() -> int:
    return Unit.objects.count()


@shared_task(
    name="units.run_import",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=10 * 60,
    time_limit=15 * 60,
)
def task_run_import(*, job_id: int) -> str:
    """Run one import job (units.imports): every row saved, or none."""
    from .imports import run_job

    outcome = run_job(job_id)
    logger.info("Import job %s: %s", job_id, outcome)
    return outcome
