"""Hostile text through every free-text field, put in through the real view (POST,
valid form) and read back in every page, export, PDF and email that shows it.

- Markup and template syntax are stored as typed, shown escaped in pages, printed
  literally in the PDF and the emails, never evaluated.
- Text starting with = + - @ is written to every XLSX as text, not as a formula, and
  comes back equal to what was typed.
- A NUL byte or a text over the limit is refused with a message (200 or 400, never a
  500) and nothing is saved; bidi overrides and zero-width controls are stripped
  (issue 9 item 4).
"""

import io
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns.models import Answer, IndividualAssessment, Registration, Transition
from campaigns.sheets import answers, workflow
from reports.enums import ReportKind, ReportStatus
from reports.models import Report
from tests.campaigns.sheet import answer_for, fill
from tests.factories import PersonFactory
from units.models import Person, Unit

from .payloads import (
    ESCAPED_SCRIPT,
    FORMULAS,
    IMG,
    INVISIBLE,
    LONG,
    MARKUP,
    NUL,
    RLO,
    SCRIPT,
    TEMPLATE,
    TEMPLATE_TAG,
    VISIBLE,
    ZWJ,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class Loop:
    """Unit A's year: its self-assessment (answered, with evidence), a person, the
    period's report; clients for unit A's head, an officer and the administrator."""

    sheet: object
    unit_a: object
    person: object
    head: object
    officer: object
    admin: object
    submission: object

    def answer(self):
        return answer_for(self.submission, self.sheet.scored)


@pytest.fixture
def loop(sheet, unit_a, head_a, officer, admin_user, client):
    submission = answers.open_submission(sheet.period, unit_a)
    fill(submission, sheet, head_a)
    person = PersonFactory(unit=unit_a, full_name="Nguyễn An", employee_code="A001")

    def signed_in(user):
        from django.test import Client

        c = Client()
        c.force_login(user)
        return c

    return Loop(
        sheet=sheet,
        unit_a=unit_a,
        person=person,
        head=signed_in(head_a),
        officer=signed_in(officer),
        admin=signed_in(admin_user),
        submission=submission,
    )


def _submitted(loop, by):
    workflow.submit(loop.submission, by=by, now=timezone.now())
    loop.submission.refresh_from_db()


# ---------------------------------------------------------------------------
# Each field: how the text goes in, where it is read back, which pages show it.


def put_narrative(loop, text, users):
    answer = loop.answer()
    response = loop.head.post(
        reverse("campaigns:answer_save", args=[answer.pk]),
        {"version": answer.version, "narrative": text},
        **HTMX,
    )
    return response, lambda: Answer.objects.get(pk=answer.pk).narrative


def put_reviewer_comment(loop, text, users):
    _submitted(loop, users["head_a"])
    answer = loop.answer()
    response = loop.officer.post(
        reverse("campaigns:answer_review", args=[answer.pk]),
        {"version": answer.version, "reviewer_score": "", "reviewer_comment": text},
        **HTMX,
    )
    return response, lambda: Answer.objects.get(pk=answer.pk).reviewer_comment


def put_return_reason(loop, text, users):
    _submitted(loop, users["head_a"])
    response = loop.officer.post(
        reverse("campaigns:submission_return", args=[loop.submission.pk]), {"reason": text}
    )
    return response, lambda: "".join(
        Transition.objects.filter(submission=loop.submission).values_list("reason", flat=True)
    )


def put_criterion_comment(loop, text, users):
    _submitted(loop, users["head_a"])
    response = loop.officer.post(
        reverse("campaigns:submission_return", args=[loop.submission.pk]),
        {"reason": "Bổ sung minh chứng", f"comment-{loop.sheet.scored.pk}": text},
    )
    return response, lambda: loop.answer().reviewer_comment


def put_reopen_reason(loop, text, users):
    _submitted(loop, users["head_a"])
    workflow.accept(loop.submission, by=users["officer"], now=timezone.now())
    response = loop.officer.post(
        reverse("campaigns:submission_reopen", args=[loop.submission.pk]), {"reopen_reason": text}
    )
    return response, lambda: "".join(
        Transition.objects.filter(submission=loop.submission).values_list("reason", flat=True)
    )


def put_commitments(loop, text, users):
    campaign = loop.sheet.period.campaign
    response = loop.head.post(
        reverse("campaigns:registration", args=[campaign.pk, loop.unit_a.pk]),
        {"commitments": text, "target_title": ""},
    )
    return response, lambda: "".join(
        Registration.objects.filter(campaign=campaign).values_list("commitments", flat=True)
    )


def _row(person, **values):
    data = {
        "version": 0,
        "grade": "",
        "initiatives": "",
        "initiative_level": "",
        "initiative_decision": "",
        "discipline_level": "",
        "discipline_from": "",
        "discipline_to": "",
        "months_worked": 12,
        "notes": "",
        "proposed_title": "",
        **values,
    }
    return {f"p{person.pk}-{key}": value for key, value in data.items()}


def put_assessment_notes(loop, text, users):
    period = loop.sheet.period
    response = loop.head.post(
        reverse("campaigns:individual_row", args=[period.pk, loop.unit_a.pk, loop.person.pk]),
        _row(loop.person, notes=text, initiatives=text),
        **HTMX,
    )
    return response, lambda: "".join(
        IndividualAssessment.objects.filter(person=loop.person).values_list("notes", flat=True)
    )


def _report(loop):
    period = loop.sheet.period
    report = Report.objects.create(
        campaign=period.campaign,
        period=period,
        kind=ReportKind(period.kind),
        status=ReportStatus.DONE,
        progress=100,
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    report.save()
    return report


def put_report_narrative(loop, text, users):
    report = _report(loop)
    response = loop.officer.post(
        reverse("reports:narrative", args=[report.pk]),
        {"strengths": text, "limitations": text, "next_tasks": text},
    )
    return response, lambda: Report.objects.get(pk=report.pk).strengths


FIELDS = {
    "narrative": put_narrative,
    "reviewer_comment": put_reviewer_comment,
    "return_reason": put_return_reason,
    "criterion_comment": put_criterion_comment,
    "reopen_reason": put_reopen_reason,
    "commitments": put_commitments,
    "assessment_notes": put_assessment_notes,
    "report_narrative": put_report_narrative,
}


def pages(loop, field) -> list:
    """(client, url) of every page that shows the field's text."""
    submission, period = loop.submission, loop.sheet.period
    campaign = period.campaign
    sheet = [
        (loop.head, reverse("campaigns:submission_detail", args=[submission.pk])),
        (loop.officer, reverse("campaigns:review", args=[submission.pk])),
        (loop.officer, reverse("campaigns:submission_history", args=[submission.pk])),
    ]
    return {
        "narrative": sheet,
        "reviewer_comment": sheet,
        "return_reason": sheet,
        "criterion_comment": sheet,
        "reopen_reason": sheet,
        "commitments": [
            (loop.head, reverse("campaigns:registration", args=[campaign.pk, loop.unit_a.pk])),
            (loop.officer, reverse("campaigns:registration_list", args=[campaign.pk])),
        ],
        "assessment_notes": [
            (loop.head, reverse("campaigns:individuals", args=[period.pk, loop.unit_a.pk])),
            (
                loop.head,
                reverse(
                    "campaigns:individual_row", args=[period.pk, loop.unit_a.pk, loop.person.pk]
                ),
            ),
        ],
        "report_narrative": [
            (loop.officer, reverse("reports:detail", args=[r.pk])) for r in Report.objects.all()
        ],
    }[field]


@pytest.fixture
def users(head_a, officer):
    return {"head_a": head_a, "officer": officer}


def _saved_ok(response):
    assert response.status_code in (200, 302), response.status_code


# ---------------------------------------------------------------------------
# Markup and template syntax: kept as typed, shown escaped, never evaluated.


@pytest.mark.parametrize("field", FIELDS)
def test_markup_is_kept_and_shown_escaped(loop, users, field, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response, saved = FIELDS[field](loop, MARKUP, users)

    _saved_ok(response)
    assert MARKUP in saved()
    shown = 0
    for client, url in pages(loop, field):
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        assert SCRIPT not in text, url
        assert IMG not in text, url
        shown += ESCAPED_SCRIPT in text
        assert "{% debug %}" not in text or TEMPLATE_TAG in text  # literal if shown
    assert shown, f"no page shows the {field}"


@pytest.mark.parametrize("field", ["return_reason", "reopen_reason"])
def test_emails_carry_the_text_literally(loop, users, field, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response, _saved = FIELDS[field](loop, MARKUP, users)

    _saved_ok(response)
    bodies = [m.body for m in mail.outbox if MARKUP in m.body]
    assert bodies, [m.subject for m in mail.outbox]
    for message in mail.outbox:
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                assert SCRIPT not in content


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_report_pdf_prints_the_narrative_literally(loop, users, django_capture_on_commit_callbacks):
    text = f"{SCRIPT} {TEMPLATE} {TEMPLATE_TAG}"
    with django_capture_on_commit_callbacks(execute=True):
        response, _saved = put_report_narrative(loop, text, users)

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE, report.error
    with report.pdf.open("rb") as handle:
        printed = " ".join(_pdf_text(handle.read()).split())
    assert SCRIPT in printed
    assert TEMPLATE in printed
    assert TEMPLATE_TAG in printed


def test_final_report_pdf_prints_the_signer_literally(
    loop, users, django_capture_on_commit_callbacks
):
    """The signer's name, typed when finalising, is printed as typed in the official PDF."""
    signer = f"{IMG} {TEMPLATE}"
    with django_capture_on_commit_callbacks(execute=True):
        put_report_narrative(loop, "Hoàn thành kế hoạch", users)
    report = Report.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = loop.officer.post(
            reverse("reports:finalise", args=[report.pk]),
            {
                "number": "125",
                "issued_on": f"{timezone.localdate():%d/%m/%Y}",
                "signer_name": signer,
            },
        )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.is_final) == (ReportStatus.DONE, True), report.error
    with report.pdf.open("rb") as handle:
        printed = " ".join(_pdf_text(handle.read()).split())
    assert signer in printed


# ---------------------------------------------------------------------------
# Formulas: every XLSX the product writes stores typed text as text (item 5).


def _cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_text_cells(content: bytes, typed: list[str]):
    cells = list(_cells(content))
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    values = {c.value for c in cells}
    for text in typed:
        assert text in values, f"{text!r} not written as typed"


def test_registrations_export_writes_formulas_as_text(loop, users, unit_b):
    campaign = loop.sheet.period.campaign
    for unit, text in zip([loop.unit_a, unit_b], FORMULAS[:2], strict=True):
        Registration.objects.create(campaign=campaign, unit=unit, commitments=text)
    response = loop.officer.get(reverse("campaigns:registrations_export", args=[campaign.pk]))

    assert response.status_code == 200
    _assert_text_cells(response.content, FORMULAS[:2])


def test_commitments_typed_as_a_formula_come_back_as_text(loop, users):
    response, saved = put_commitments(loop, FORMULAS[0], users)
    _saved_ok(response)
    assert saved() == FORMULAS[0]
    campaign = loop.sheet.period.campaign

    export = loop.officer.get(reverse("campaigns:registrations_export", args=[campaign.pk]))

    _assert_text_cells(export.content, [FORMULAS[0]])


def test_individuals_export_writes_formulas_as_text(loop, users):
    """Formulas, and markup too: every cell holds the text as typed."""
    period = loop.sheet.period
    typed = [*FORMULAS, MARKUP]
    for text in typed:
        person = PersonFactory(unit=loop.unit_a)
        response = loop.head.post(
            reverse("campaigns:individual_row", args=[period.pk, loop.unit_a.pk, person.pk]),
            _row(person, notes=text, initiatives=text, initiative_decision=text),
            **HTMX,
        )
        assert response.status_code == 200
    notes = IndividualAssessment.objects.values_list("notes", flat=True)
    assert sorted(notes) == sorted(typed)

    export = loop.head.get(
        reverse("campaigns:individuals_export", args=[period.pk, loop.unit_a.pk])
    )

    assert export.status_code == 200
    _assert_text_cells(export.content, typed)


def test_admin_exports_write_formulas_as_text(loop, unit_a):
    Unit.objects.filter(pk=unit_a.pk).update(name=FORMULAS[0], short_name=FORMULAS[3])
    Person.objects.filter(pk=loop.person.pk).update(full_name=FORMULAS[1], position=FORMULAS[2])

    for model, typed in (("unit", [FORMULAS[0], FORMULAS[3]]), ("person", FORMULAS[1:3])):
        export = loop.admin.get(reverse(f"admin:units_{model}_export"))
        assert export.status_code == 200
        _assert_text_cells(export.content, typed)


def test_report_xlsx_writes_unit_names_as_text(loop, users, django_capture_on_commit_callbacks):
    Unit.objects.filter(pk=loop.unit_a.pk).update(name=FORMULAS[0])
    with django_capture_on_commit_callbacks(execute=True):
        response, _saved = put_report_narrative(loop, FORMULAS[1], users)

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE, report.error
    with report.xlsx.open("rb") as handle:
        _assert_text_cells(handle.read(), [FORMULAS[0]])


def test_admin_import_keeps_names_that_look_like_formulas(loop, unit_a):
    """Exported, then imported back: every text field as it was (item 5's round trip)."""
    Unit.objects.filter(pk=unit_a.pk).update(name=FORMULAS[0], short_name=FORMULAS[3])
    export = loop.admin.get(reverse("admin:units_unit_export"))
    upload = ContentFile(export.content, name="units.xlsx")

    Unit.objects.filter(pk=unit_a.pk).update(name="Tên cũ", short_name="")
    response = loop.admin.post(reverse("admin:units_unit_import"), {"file": upload})

    assert response.status_code == 302  # imported: back to the list
    unit_a.refresh_from_db()
    assert (unit_a.name, unit_a.short_name) == (FORMULAS[0], FORMULAS[3])


# ---------------------------------------------------------------------------
# Text refused or cleaned (item 4)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("text", [NUL, LONG], ids=["nul", "25000-chars"])
def test_nul_and_overlong_text_is_refused_with_a_message(loop, users, field, text):
    response, saved = FIELDS[field](loop, text, users)

    assert response.status_code in (200, 400), response.status_code
    assert text not in saved()
    assert "\x00" not in saved()


@pytest.mark.parametrize("field", FIELDS)
def test_bidi_and_zero_width_controls_are_stripped(loop, users, field):
    response, saved = FIELDS[field](loop, INVISIBLE, users)

    assert response.status_code in (200, 302, 400)
    value = saved()
    assert RLO not in value
    assert ZWJ not in value
    if response.status_code != 400:
        assert VISIBLE in value


def _reimported(loop, model: str, old: str, new: str):
    """Export the admin's sheet of `model`, replace the cell holding `old` by `new`,
    and import it back through the admin's import page."""
    export = loop.admin.get(reverse(f"admin:units_{model}_export"))
    workbook = load_workbook(io.BytesIO(export.content))
    cells = [c for row in workbook.active.iter_rows() for c in row if c.value == old]
    assert len(cells) == 1, f"{old!r} in {len(cells)} cells"
    cells[0].value = new
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = ContentFile(buffer.getvalue(), name=f"{model}.xlsx")
    return loop.admin.post(reverse(f"admin:units_{model}_import"), {"file": upload})


def _assert_escaped(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    text = page.content.decode()
    assert SCRIPT not in text, url
    assert IMG not in text, url
    assert ESCAPED_SCRIPT in text, url


def test_unit_names_imported_by_the_admin_are_shown_escaped(loop, unit_a, head_a):
    response = _reimported(loop, "unit", unit_a.name, MARKUP)

    assert response.status_code == 302  # imported
    assert Unit.objects.get(pk=unit_a.pk).name == MARKUP
    campaign = loop.sheet.period.campaign
    for client, url in [
        (loop.head, reverse("home")),
        (loop.head, reverse("units:detail", args=[unit_a.pk])),
        (loop.head, reverse("campaigns:submission_detail", args=[loop.submission.pk])),
        (loop.officer, reverse("campaigns:review_queue")),
        (loop.officer, reverse("campaigns:urging", args=[loop.sheet.period.pk])),
        (loop.officer, reverse("campaigns:registration_list", args=[campaign.pk])),
        (loop.admin, reverse("admin:units_unit_changelist")),
    ]:
        _assert_escaped(client, url)


def test_person_names_imported_by_the_admin_are_shown_escaped(loop, unit_a):
    response = _reimported(loop, "person", loop.person.full_name, MARKUP)

    assert response.status_code == 302  # imported
    assert Person.objects.get(pk=loop.person.pk).full_name == MARKUP
    period = loop.sheet.period
    for client, url in [
        (loop.head, reverse("units:detail", args=[unit_a.pk])),
        (loop.head, reverse("campaigns:individuals", args=[period.pk, unit_a.pk])),
        (
            loop.head,
            reverse("campaigns:registration", args=[period.campaign.pk, unit_a.pk]),
        ),
        (loop.admin, reverse("admin:units_person_changelist")),
    ]:
        _assert_escaped(client, url)


def test_a_unit_name_cannot_add_headers_to_the_emails(
    loop, unit_a, django_capture_on_commit_callbacks
):
    """A name imported with a line break and a header after it stays in the subject
    and the body as text: no Bcc, no second header, the recipients unchanged."""
    hostile_name = f"Vụ Pháp chế\r\nBcc: evil@example.com\n{SCRIPT}"
    response = _reimported(loop, "unit", unit_a.name, hostile_name)
    assert response.status_code == 302  # imported (a name may hold a line break)
    assert "Bcc: evil@example.com" in Unit.objects.get(pk=unit_a.pk).name
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        submitted = loop.head.post(
            reverse("campaigns:submission_submit", args=[loop.submission.pk])
        )

    assert submitted.status_code == 302
    assert mail.outbox, "no email for the submission"
    for message in mail.outbox:
        assert "\n" not in message.subject
        assert "\r" not in message.subject
        assert not message.bcc
        assert all("evil@example.com" not in to for to in message.to)
        raw = message.message().as_bytes()
        headers = raw.split(b"\n\n", 1)[0]
        assert b"\nBcc:" not in headers
