"""Hostile files through every upload field: the evidence upload, the admin imports of
units, people and criteria, and a unit's import of its people's assessments.

Expected: refused with a message, nothing saved (no row, no stored file), never a 500,
and an accepted file stored under a name never derived from the one uploaded. The
zip bomb, the PDF with JavaScript and the PNG named .pdf are issue 9 item 9; the ten
million blank rows item 6."""

import contextlib
import io
import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import Criterion, Evidence, IndividualAssessment
from campaigns.sheets import answers
from tests.campaigns.sheet import answer_for, fill
from units.models import Person, Unit

from . import hostile

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
# An import of a few rows answers at once; ten million blank rows must not take longer
# (issue 9 item 6 asks under 2 s; the guard stops a runaway import in the test run).
IMPORT_SECONDS = 2
RUNAWAY_SECONDS = 4


@contextlib.contextmanager
def runaway_guard(seconds: int):
    """Raise TimeoutError in this thread after `seconds`: a test of a hostile file
    fails instead of hanging the run."""

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def draft(sheet, unit_a, head_a):
    submission = answers.open_submission(sheet.period, unit_a)
    fill(submission, sheet, head_a, evidence=False)
    return answer_for(submission, sheet.scored)


@pytest.fixture
def head_client(client, head_a):
    client.force_login(head_a)
    return client


def upload(client, answer, name, content):
    return client.post(
        reverse("campaigns:evidence_upload", args=[answer.pk]),
        {"file": SimpleUploadedFile(name, content)},
        **HTMX,
    )


# ---------------------------------------------------------------------------
# Evidence


def test_a_plain_document_is_accepted_under_a_name_of_its_own(head_client, draft):
    """The control: the checks refuse what is hostile, not every Office file."""
    name, content = hostile.docx()

    response = upload(head_client, draft, "bien-ban-rieng-cua-don-vi.docx", content)

    assert response.status_code == 200
    assert response.context["evidence_error"] == ""
    evidence = Evidence.objects.get(answer=draft)
    assert "bien-ban-rieng" not in evidence.file.name
    assert evidence.original_name == "bien-ban-rieng-cua-don-vi.docx"


@pytest.mark.parametrize("kind", hostile.EVIDENCE)
def test_hostile_evidence_is_refused_with_a_message(head_client, draft, kind):
    name, content = hostile.EVIDENCE[kind]()
    files = stored_files()

    with runaway_guard(RUNAWAY_SECONDS):
        response = upload(head_client, draft, name, content)

    assert response.status_code == 200
    assert response.context["evidence_error"], "refused without a reason"
    assert response.context["evidence_error"] in response.text  # shown beside the row
    assert not Evidence.objects.filter(answer=draft).exists()
    assert stored_files() == files


def test_a_png_named_pdf_is_refused_or_kept_as_a_png(head_client, draft):
    name, content = hostile.png_named_pdf()

    response = upload(head_client, draft, name, content)

    assert response.status_code == 200
    evidence = Evidence.objects.filter(answer=draft).first()
    if evidence is None:
        assert response.context["evidence_error"]
        return
    # Kept: as what it is, like a photo named .pdf (it downloads as .pdf.png).
    assert evidence.content_type == "image/png"
    download = head_client.get(reverse("campaigns:evidence_download", args=[evidence.pk]))
    b"".join(download.streaming_content)
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].rstrip('"').endswith(".png")


def test_a_path_in_the_file_name_never_reaches_the_disk(head_client, draft):
    name, content = hostile.traversal_pdf()

    response = upload(head_client, draft, name, content)

    assert response.status_code == 200
    evidence = Evidence.objects.filter(answer=draft).first()
    if evidence is None:
        assert response.context["evidence_error"]
        return
    stored = evidence.file.name
    assert ".." not in stored
    assert "passwd" not in stored
    assert "etc" not in stored.split("/")
    path = Path(evidence.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    download = head_client.get(reverse("campaigns:evidence_download", args=[evidence.pk]))
    b"".join(download.streaming_content)
    disposition = download["Content-Disposition"]
    assert "/" not in disposition.split("filename", 1)[1]
    assert not os.path.exists("/etc/passwd.pdf")


# ---------------------------------------------------------------------------
# Imports


def _rows() -> tuple:
    return (
        Unit.objects.count(),
        Person.objects.count(),
        Criterion.objects.count(),
        IndividualAssessment.objects.count(),
    )


@pytest.fixture
def admin_client_signed_in(client, admin_user):
    client.force_login(admin_user)
    return client


IMPORT_PAGES = {
    "admin-units": ("admin:units_unit_import", "admin:units_unit_export"),
    "admin-people": ("admin:units_person_import", "admin:units_person_export"),
    "admin-criteria": ("admin:campaigns_criterion_import", "admin:campaigns_criterion_export"),
}


def header_of(export: bytes) -> list[str]:
    """The header row of an export: the columns the import reads."""
    sheet = load_workbook(io.BytesIO(export), read_only=True).worksheets[0]
    return [str(value) for value in next(sheet.iter_rows(values_only=True)) if value]


@pytest.mark.parametrize("page", IMPORT_PAGES)
@pytest.mark.parametrize("kind", hostile.IMPORTS)
def test_hostile_workbook_is_refused_by_the_admin_imports(
    admin_client_signed_in, sheet, page, kind
):
    import_page, export_page = IMPORT_PAGES[page]
    header = header_of(admin_client_signed_in.get(reverse(export_page)).content)
    name, content = hostile.IMPORTS[kind](header)
    before = _rows()

    started = time.monotonic()
    with runaway_guard(RUNAWAY_SECONDS):
        response = admin_client_signed_in.post(
            reverse(import_page), {"file": SimpleUploadedFile(name, content)}
        )
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert response.context["form"].errors or not response.context["result"].ok
    assert _rows() == before
    assert elapsed < IMPORT_SECONDS, f"{elapsed:.1f} s"


@pytest.mark.parametrize("kind", hostile.IMPORTS)
def test_hostile_workbook_is_refused_by_the_assessments_import(head_client, sheet, unit_a, kind):
    export = reverse("campaigns:individuals_export", args=[sheet.period.pk, unit_a.pk])
    name, content = hostile.IMPORTS[kind](header_of(head_client.get(export).content))
    before = _rows()
    url = reverse("campaigns:individuals_import", args=[sheet.period.pk, unit_a.pk])

    started = time.monotonic()
    with runaway_guard(RUNAWAY_SECONDS):
        response = head_client.post(url, {"file": SimpleUploadedFile(name, content)})
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    result = response.context["result"]
    assert response.context["form"].errors or (result is not None and not result.ok)
    assert _rows() == before
    assert elapsed < IMPORT_SECONDS, f"{elapsed:.1f} s"
