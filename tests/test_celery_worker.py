"""A real Celery worker process executes a task sent through Redis (run by .ci/run
against PostgreSQL and Redis; `make test` deselects the celery_worker marker)."""

import pytest

from emulation.celery import app
from units.tasks import task_count_units

from .factories import UnitFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_runs_task_sent_through_redis(celery_worker_process):
    UnitFactory.create_batch(3)

    result = task_count_units.apply_async()

    assert result.get(timeout=60) == 3
    assert app.conf.task_always_eager is False
