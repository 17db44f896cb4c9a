"""A real Celery worker builds a report end to end through Redis, and recovers a
build whose worker was killed or that was asked for while the broker was down (run
by .ci/run against PostgreSQL and Redis; `make test` deselects the celery_worker
marker)."""

import datetime as dt
import signal
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import Content
from reports import services
from reports.enums import ReportStatus
from reports.models import STALLED_AFTER, Report
from reports.tasks import task_requeue_stalled
from tests.worker import broker_down

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


def _wait_for(report, done, timeout: float = 40) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if done(report):
            return report
        time.sleep(0.1)
    pytest.fail(f"Report {report.pk} still {report.status} {report.progress}% after {timeout} s")


def _stored_files(report) -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(report.campaign_id)
    return sorted(path.suffix for path in folder.iterdir()) if folder.exists() else []


def test_a_build_whose_worker_is_killed_is_queued_again_by_the_tick_and_built_once(
    celery_workers, officer
):
    movement = make_movement(5)
    first_worker = celery_workers()
    # Hold the build at its first query (the movement's contents) so the worker is
    # killed while the build runs, whatever the machine's speed.
    db = connection.settings_dict
    blocker = psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    blocker.execute(f'LOCK TABLE "{Content._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
    try:
        report = services.request_report(
            movement.campaign, movement.period, movement.period.kind, by=officer
        )
        first_attempt = report.task_id
        _wait_for(report, lambda r: r.status == ReportStatus.RUNNING)

        first_worker.send_signal(signal.SIGKILL)
        first_worker.wait(timeout=10)
    finally:
        blocker.rollback()
        blocker.close()

    # Two minutes pass without a heartbeat (the rows are moved back in time).
    silent = timezone.now() - STALLED_AFTER - dt.timedelta(seconds=5)
    Report.objects.filter(pk=report.pk).update(started_at=silent, heartbeat_at=silent)
    celery_workers()

    requeued = task_requeue_stalled.delay().get(timeout=30)
    report = _wait_for(report, lambda r: not r.is_active)

    assert requeued == 1
    assert (report.status, report.error, report.progress) == (ReportStatus.DONE, "", 100)
    assert report.attempts == 2  # the killed worker's claim, then the new worker's
    assert report.task_id != first_attempt
    assert read(report.pdf)[:5] == b"%PDF-"
    assert _stored_files(report) == [".pdf", ".xlsx"]  # built once: one file of each
    assert task_requeue_stalled.delay().get(timeout=30) == 0


def test_a_build_queued_while_the_broker_was_down_starts_at_the_next_tick(
    celery_worker_process, officer
):
    movement = make_movement(5)

    with broker_down():
        report = services.request_report(
            movement.campaign, movement.period, movement.period.kind, by=officer
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED
    assert report.queue_error.startswith("OperationalError:")
    time.sleep(2)
    report.refresh_from_db()
    assert (report.status, report.attempts) == (ReportStatus.QUEUED, 0)  # nothing took it

    started = time.monotonic()
    requeued = task_requeue_stalled.delay().get(timeout=30)
    report = _wait_for(report, lambda r: not r.is_active)

    assert requeued == 1
    assert (report.status, report.queue_error, report.attempts) == (ReportStatus.DONE, "", 1)
    assert time.monotonic() - started < 40
    assert _stored_files(report) == [".pdf", ".xlsx"]
