"""A real Celery worker builds a report end to end through Redis (run by .ci/run
against PostgreSQL and Redis; `make test` deselects the celery_worker marker)."""

import time

import pytest
from django.db import transaction

from reports import services
from reports.enums import ReportStatus
from reports.models import Report

from .conftest import make_movement, read

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_builds_a_report_end_to_end(celery_worker_process):
    movement = make_movement(5)

    with transaction.atomic():
        report = services.request_report(
            movement.campaign, movement.period, movement.period.kind, by=None
        )

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if not report.is_active:
            break
        time.sleep(0.5)
    assert (report.status, report.error, report.progress) == (ReportStatus.DONE, "", 100)
    assert read(report.pdf)[:5] == b"%PDF-"
    assert Report.objects.get().attempts == 1
