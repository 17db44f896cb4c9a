"""The individual assessments' import runs as a job when the file is large
(units.imports; the machinery is tested in tests/units/test_import_jobs.py)."""

import pytest
from django.urls import reverse

from campaigns.models import IndividualAssessment
from tests.spreadsheets.handmade import row_xml, sheet_xml, workbook
from units import imports
from units.enums import ImportStatus
from units.models import ImportJob

pytestmark = pytest.mark.django_db


def test_a_large_assessments_import_runs_as_a_job(
    people_a, unit_year, unit_a, head_a, en_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "SYNC_ROWS", 1)
    header = ["Employee code", "Notes"]
    rows = row_xml(1, header) + "".join(
        row_xml(n + 2, [person.employee_code, f"=1+{n}"]) for n, person in enumerate(people_a)
    )
    en_client.force_login(head_a)
    url = reverse("campaigns:individuals_import", args=[unit_year.period.pk, unit_a.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = en_client.post(url, {"file": workbook(sheet_xml(rows))})

    job = ImportJob.objects.get()
    assert response["Location"] == reverse("units:import_job", args=[job.pk])
    assert (job.status, job.created, job.created_by) == (ImportStatus.DONE, 3, head_a)
    assert job.back_url == reverse("campaigns:individuals", args=[unit_year.period.pk, unit_a.pk])
    notes = IndividualAssessment.objects.order_by("person__employee_code").values_list(
        "notes", flat=True
    )
    assert list(notes) == ["=1+0", "=1+1", "=1+2"]


def test_a_job_of_someone_who_may_no_longer_edit_is_refused(
    people_a, unit_year, unit_a, head_a, head_b, monkeypatch
):
    monkeypatch.setattr(imports, "SYNC_ROWS", 0)
    rows = row_xml(1, ["Employee code", "Notes"]) + row_xml(2, [people_a[0].employee_code, "x"])
    job = imports.start_import(
        workbook(sheet_xml(rows)),
        kind="campaigns.assessments",
        params={"period": unit_year.period.pk, "unit": unit_a.pk},
        by=head_b,
        title="T",
    ).job

    imports.run_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.problem == "You may no longer change the assessments of this unit."
    assert IndividualAssessment.objects.count() == 0
