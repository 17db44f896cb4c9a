"""A large import runs as a job (units.imports): the request stores the file and
queues it, a worker imports it (in-process here, eager Celery; a real worker in
test_import_worker.py) and the job's page shows its progress and outcome. Every row
is saved, or none and every bad row is listed; only the sender sees the job."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from tests.spreadsheets.handmade import row_xml, sheet_xml, workbook
from units import imports
from units.enums import ImportStatus
from units.imports import SYNC_ROWS, run_job, start_import
from units.models import STALLED_AFTER, ImportJob, Unit

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Name", "Kind"]


@pytest.fixture(autouse=True)
def _english(english):
    return english


def unit_rows(count: int, *, bad: tuple[int, ...] = ()):
    """A sheet of `count` units; the rows numbered in `bad` have an unknown kind."""
    rows = row_xml(1, HEADER) + "".join(
        row_xml(n + 2, [f"u{n}", f"Unit {n}", "nowhere" if n + 2 in bad else "centre"])
        for n in range(count)
    )
    return workbook(sheet_xml(rows))


def _admin_import(client, file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("admin:units_unit_import"), {"file": file})


def test_a_file_over_the_threshold_is_imported_by_a_job(
    client, admin_user, ministry, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)

    response = _admin_import(client, unit_rows(SYNC_ROWS + 1), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("units:import_job", args=[job.pk])
    assert (job.status, job.progress, job.rows, job.created) == (
        ImportStatus.DONE,
        100,
        SYNC_ROWS + 1,
        SYNC_ROWS + 1,
    )
    assert (job.created_by, job.kind, job.params) == (admin_user, "admin", {"model": "units.unit"})
    assert Unit.objects.count() == SYNC_ROWS + 2
    assert job.file.name == ""  # the stored upload is deleted once imported
    assert default_storage.listdir("imports")[1] == []
    page = client.get(reverse("units:import_job", args=[job.pk]))
    assert f"Import finished: {SYNC_ROWS + 1} created, 0 updated, 0 unchanged." in page.text
    assert "hx-trigger" not in page.text  # finished: the page no longer polls


def test_a_small_file_is_still_imported_in_the_request(client, admin_user, ministry):
    client.force_login(admin_user)

    response = client.post(reverse("admin:units_unit_import"), {"file": unit_rows(3)})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:units_unit_changelist")
    assert (ImportJob.objects.count(), Unit.objects.count()) == (0, 4)


def test_a_job_with_bad_rows_saves_nothing_and_lists_every_bad_row(
    client, admin_user, ministry, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "SYNC_ROWS", 2)
    client.force_login(admin_user)

    _admin_import(client, unit_rows(5, bad=(3, 6)), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert (job.status, job.error_count) == (ImportStatus.FAILED, 2)
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "Kind"), (6, "Kind")]
    assert list(Unit.objects.values_list("code", flat=True)) == ["bo"]
    page = client.get(reverse("units:import_job", args=[job.pk]))
    assert "Nothing was saved: 2 problems in the file" in page.text
    assert "&#x27;nowhere&#x27; is not one of the choices" in page.text


def test_a_file_refused_before_reading_queues_nothing(client, admin_user, ministry):
    client.force_login(admin_user)
    file = workbook(sheet_xml(row_xml(1, HEADER), dimension="A1:C10000000"))

    response = client.post(reverse("admin:units_unit_import"), {"file": file})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The sheet has more than 20000 rows (empty rows count too)."]
    }
    assert ImportJob.objects.count() == 0


def test_progress_is_written_while_the_job_runs_and_shown_on_its_page(
    client, admin_user, monkeypatch
):
    seen = []

    def probe(params, by, file, progress):
        progress(10)
        progress(12)  # under 5 % more: not written
        progress(45)
        seen.append(ImportJob.objects.values_list("status", "progress").get())
        return imports.ImportResult(created=1)

    monkeypatch.setitem(imports.RUNNERS, "test.probe", probe)
    monkeypatch.setattr(imports, "SYNC_ROWS", 0)
    started = start_import(unit_rows(2), kind="test.probe", params={}, by=admin_user, title="T")
    job = started.job
    client.force_login(admin_user)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, progress=40)

    status = client.get(reverse("units:import_job_status", args=[job.pk]))

    assert 'value="40"' in status.text
    assert "40% done" in status.text
    assert f'hx-get="{reverse("units:import_job_status", args=[job.pk])}"' in status.text
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED, progress=0)
    assert run_job(job.pk) == ImportStatus.DONE
    assert seen == [(ImportStatus.RUNNING, 45)]
    assert ImportJob.objects.get().progress == 100


def test_a_second_delivery_of_the_job_does_nothing(admin_user, monkeypatch):
    calls = []
    monkeypatch.setitem(
        imports.RUNNERS, "test.count", lambda *args: calls.append(1) or imports.ImportResult()
    )
    monkeypatch.setattr(imports, "SYNC_ROWS", 0)
    job = start_import(unit_rows(1), kind="test.count", params={}, by=admin_user, title="T").job

    assert run_job(job.pk) == ImportStatus.DONE
    assert run_job(job.pk) == "taken"
    assert calls == [1]


def test_a_job_that_cannot_be_queued_says_so(
    admin_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "SYNC_ROWS", 0)

    def down(**kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr("units.tasks.task_run_import.delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        start_import(unit_rows(1), kind="admin", params={}, by=admin_user, title="T")

    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.problem.startswith("The import could not be started: the task queue")


def test_an_unexpected_error_fails_the_job_with_a_message(admin_user, monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setitem(imports.RUNNERS, "test.broken", broken)
    monkeypatch.setattr(imports, "SYNC_ROWS", 0)
    job = start_import(unit_rows(1), kind="test.broken", params={}, by=admin_user, title="T").job

    run_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.problem) == (
        ImportStatus.FAILED,
        "The import stopped on an unexpected error. Nothing was saved.",
    )


def _job(by, **fields) -> ImportJob:
    return ImportJob.objects.create(
        **{"kind": "admin", "title": "Import units", "created_by": by, **fields}
    )


def test_another_users_job_does_not_exist_for_them(client, admin_user):
    job = _job(UserFactory(), status=ImportStatus.FAILED, problem="Secret problem")
    client.force_login(admin_user)  # even an administrator sees only their own jobs

    for name in ("units:import_job", "units:import_job_status"):
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 404
        assert "Secret problem" not in response.text


def test_the_job_page_needs_a_login(client, admin_user):
    job = _job(admin_user)

    response = client.get(reverse("units:import_job", args=[job.pk]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("count", [1, 3])
def test_job_pages_queries_do_not_grow_with_errors(
    client, admin_user, django_assert_num_queries, count
):
    errors = [{"row": n + 2, "column": "Kind", "message": "bad"} for n in range(count)]
    job = _job(admin_user, status=ImportStatus.FAILED, errors=errors, error_count=count)
    client.force_login(admin_user)

    # the session, the user, the job
    for name in ("units:import_job", "units:import_job_status"):
        with django_assert_num_queries(3):
            response = client.get(reverse(name, args=[job.pk]))
        assert response.text.count("<td>bad</td>") == count


def test_errors_past_the_kept_ones_are_counted(client, admin_user, monkeypatch):
    monkeypatch.setattr(imports, "KEPT_ERRORS", 2)
    monkeypatch.setattr(imports, "SYNC_ROWS", 0)
    job = start_import(
        unit_rows(5, bad=(2, 3, 4, 5)),
        kind="admin",
        params={"model": "units.unit"},
        by=admin_user,
        title="T",
    ).job
    run_job(job.pk)
    client.force_login(admin_user)

    page = client.get(reverse("units:import_job", args=[job.pk]))

    job.refresh_from_db()
    assert (job.error_count, len(job.errors)) == (4, 2)
    assert "And 2 more problems: correct these first." in page.text


def test_a_job_whose_worker_died_is_said_so_and_run_again_on_redelivery(
    client, admin_user, monkeypatch
):
    calls = []
    monkeypatch.setitem(
        imports.RUNNERS, "test.count", lambda *args: calls.append(1) or imports.ImportResult()
    )
    started = timezone.now() - STALLED_AFTER - dt.timedelta(seconds=1)
    job = _job(
        admin_user,
        kind="test.count",
        status=ImportStatus.RUNNING,
        started_at=started,
        file=unit_rows(1),
    )
    young = _job(admin_user, kind="test.count", status=ImportStatus.RUNNING)
    ImportJob.objects.filter(pk=young.pk).update(started_at=timezone.now())
    client.force_login(admin_user)

    page = client.get(reverse("units:import_job", args=[job.pk]))
    assert "its worker has probably stopped" in page.text
    assert (
        "its worker has probably stopped"
        not in client.get(reverse("units:import_job", args=[young.pk])).text
    )

    assert run_job(young.pk) == "taken"  # still running somewhere: not run twice
    assert run_job(job.pk) == ImportStatus.DONE
    assert calls == [1]
