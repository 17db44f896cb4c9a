"""A real Celery worker runs a large import through Redis, reading the upload from
media storage (run by .ci/run against PostgreSQL and Redis; `make test` deselects
the celery_worker marker)."""

import time

import pytest
from django.db import transaction

from tests.spreadsheets.handmade import row_xml, sheet_xml, workbook
from units.enums import ImportStatus
from units.imports import SYNC_ROWS, start_import
from units.models import ImportJob, Unit

from ..factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

HEADER = ["Code", "Name", "Kind", "Parent unit code"]


def _wait(job: ImportJob, timeout: float = 90) -> list[int]:
    """The progress values seen while waiting for the job to end."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append(job.progress)
        if not job.is_active:
            break
        time.sleep(0.2)
    return seen


def test_worker_imports_a_large_file_and_reports_progress(celery_worker_process):
    UnitFactory(code="bo", name="Bộ")
    admin = UserFactory(is_staff=True, is_superuser=True)
    count = SYNC_ROWS * 3
    rows = row_xml(1, HEADER) + "".join(
        row_xml(n + 2, [f"u{n}", f"Đơn vị {n}", "centre", "bo"]) for n in range(count)
    )

    with transaction.atomic():
        job = start_import(
            workbook(sheet_xml(rows)),
            kind="admin",
            params={"model": "units.unit"},
            by=admin,
            title="Units",
        ).job
    seen = _wait(job)

    assert (job.status, job.problem, job.errors, job.created) == (ImportStatus.DONE, "", [], count)
    assert Unit.objects.filter(parent__code="bo").count() == count
    assert job.started_at is not None
    assert job.finished_at >= job.started_at
    assert seen == sorted(seen)
    assert seen[-1] == 100


def test_worker_refuses_a_job_with_one_bad_row_and_saves_nothing(celery_worker_process):
    UnitFactory(code="bo", name="Bộ")
    admin = UserFactory(is_staff=True, is_superuser=True)
    count = SYNC_ROWS + 10
    rows = row_xml(1, HEADER) + "".join(
        row_xml(n + 2, [f"u{n}", f"Đơn vị {n}", "centre", "bo" if n != 700 else "nowhere"])
        for n in range(count)
    )

    with transaction.atomic():
        job = start_import(
            workbook(sheet_xml(rows)),
            kind="admin",
            params={"model": "units.unit"},
            by=admin,
            title="Units",
        ).job
    _wait(job)

    assert (job.status, job.error_count) == (ImportStatus.FAILED, 1)
    assert job.errors[0]["row"] == 702
    assert Unit.objects.count() == 1
