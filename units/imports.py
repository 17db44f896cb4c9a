"""Imports in the request or as a job: a small file is imported at once; a large one
(more than SYNC_ROWS rows) is stored in media storage and imported by a Celery worker
as an ImportJob whose page shows its progress.

What an import does is a *runner*, registered by name, so that a worker finds it
from the job: "admin" imports the sheet of a model admin (units, people, criteria);
campaigns registers the individual assessments. A runner gets the job's parameters,
the user who sent the file, the file and a progress callback, and returns the
ImportResult of spreadsheets.specs: every row saved, or none and every bad row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from spreadsheets.specs import (
    MAX_COLUMNS,
    MAX_ROWS,
    FileProblem,
    ImportResult,
    Progress,
    import_workbook,
    measure_workbook,
)

from .enums import ImportStatus
from .models import ImportJob

logger = logging.getLogger(__name__)

# Files of more rows than this are imported by a worker. On a developer machine 2,000
# new rows import in about 0.3 s; 20,000 (the limit) take seconds, more when they
# update saved rows one by one or the server is busy: too long to hold a request.
SYNC_ROWS = 2_000
# The bad rows a job keeps to show (the count of all of them is kept too).
KEPT_ERRORS = 1_000

Runner = Callable[[dict, object, object, Progress | None], ImportResult]
RUNNERS: dict[str, Runner] = {}


def runner(kind: str):
    """Register the function that runs imports of this kind."""

    def register(function: Runner) -> Runner:
        RUNNERS[kind] = function
        return function

    return register


@runner("admin")
def _admin_sheet(params: dict, by, file, progress: Progress | None) -> ImportResult:
    """The sheet of a model admin (SpreadsheetAdmin.sheet), imported."""
    model = apps.get_model(params["model"])
    return import_workbook(file, admin.site.get_model_admin(model).sheet, progress)


def limits() -> dict[str, int]:
    """What an import page says about the size of a file."""
    return {"max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS, "sync_rows": SYNC_ROWS}


@dataclass
class Started:
    """An import begun: its result when it ran in the request, or its job."""

    result: ImportResult | None = None
    job: ImportJob | None = None


def start_import(
    file,
    *,
    kind: str,
    params: dict,
    by,
    title: str,
    back_url: str = "",
    now: Callable[[object], ImportResult] | None = None,
) -> Started:
    """Import the file now when it is small, or queue a job for it. A file refused
    before any row is read (not an .xlsx, too large, too many rows) is answered at
    once, whatever its size, and queues nothing. `now`, when given, imports a small
    file in the request with what the view already loaded (the runner of `kind`
    otherwise), to the same effect as the runner."""
    try:
        rows = measure_workbook(file)
    except FileProblem as problem:
        return Started(result=ImportResult(problem=str(problem)))
    if rows <= SYNC_ROWS + 1:  # the header row, then the data
        result = now(file) if now else RUNNERS[kind](params, by, file, None)
        return Started(result=result)
    file.seek(0)
    job = ImportJob(
        kind=kind,
        params=params,
        title=title[:255],
        back_url=back_url,
        language=translation.get_language() or "vi",
        file_name=(getattr(file, "name", "") or "")[:255],
        rows=max(rows - 1, 0),
        created_by=by,
    )
    job.file.save("import.xlsx", File(file), save=False)
    job.save()
    transaction.on_commit(lambda: _enqueue(job.pk))
    return Started(job=job)


def _enqueue(job_id: int) -> None:
    from .tasks import task_run_import

    try:
        task_run_import.delay(job_id=job_id)
    except (BrokerError, OSError) as exc:
        logger.warning("Import job %s could not be queued: %s", job_id, exc)
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            problem=_(
                "The import could not be started: the task queue is unavailable. "
                "Nothing was saved; send the file again later."
            ),
        )


def run_job(job_id: int) -> str:
    """Run a queued job once (a second delivery finds it claimed and does nothing),
    in the language of the user who sent it, and record what came out."""
    now = timezone.now()
    # A job still "running" past the task's time limit lost its worker; the broker's
    # redelivery runs it again.
    claimed = (
        ImportJob.objects.claimable(now)
        .filter(pk=job_id)
        .update(status=ImportStatus.RUNNING, started_at=now, progress=0)
    )
    if not claimed:
        return "taken"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language):
        try:
            with job.file.open("rb") as file:
                result = RUNNERS[job.kind](job.params, job.created_by, file, _progress(job))
        except Exception:
            logger.exception("Import job %s failed", job_id)
            result = ImportResult(
                problem=_("The import stopped on an unexpected error. Nothing was saved.")
            )
        _finish(job, result)
    return str(job.status)


def _progress(job: ImportJob) -> Progress:
    shown = [0]

    def report(percent: int) -> None:
        # A write every 5 % at most: the page polls every two seconds.
        percent = min(int(percent), 99)
        if percent >= shown[0] + 5:
            shown[0] = percent
            ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
                progress=percent
            )

    return report


def _finish(job: ImportJob, result: ImportResult) -> None:
    errors = [
        {"row": error.row, "column": error.column, "message": error.message}
        for error in result.errors[:KEPT_ERRORS]
    ]
    outcome = {"status": ImportStatus.FAILED}
    if result.ok:
        outcome = {"status": ImportStatus.DONE, "progress": 100}
    ImportJob.objects.filter(pk=job.pk).update(
        **outcome,
        finished_at=timezone.now(),
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        problem=result.problem,
        errors=errors,
        error_count=len(result.errors),
        file="",
    )
    # The rows are saved or refused: the file is no longer needed.
    job.file.delete(save=False)
    job.refresh_from_db()
