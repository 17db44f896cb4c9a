"""Small tasks of the units app. task_count_units is the smoke test of a real worker:
it proves the worker reads the same database the web process writes."""

import logging

from celery import shared_task

from .models import Unit

logger = logging.getLogger(__name__)


@shared_task(name="units.count_units")
def task_count_units() -> int:
    return Unit.objects.count()
