"""Looking writes nothing: opening a period's self-assessment, a sheet or its review
creates no row until the unit saves something; the first save (a score, a
narrative, a file) makes the self-assessment and the answer."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import Subject, SubmissionState
from campaigns.models import Answer, AnswerChange, Evidence, Submission, Transition
from campaigns.sheets import answers, workflow

from ..factories import CriterionFactory
from .sheet import PDF, fill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HTTP_HX_REQUEST": "true"}
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if WRITE.match(q["sql"])]


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Submission, Answer, Transition, AnswerChange))


def _get_writing_nothing(client, url, **extra):
    before = _counts()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    assert _writes(queries.captured_queries) == []
    assert _counts() == before
    return response


def _save_url(sheet, unit, criterion):
    return reverse("campaigns:criterion_answer_save", args=[sheet.period.pk, unit.pk, criterion.pk])


def test_opening_the_units_self_assessment_makes_nothing(client_for, head_a, sheet, unit_a):
    client = client_for(head_a)
    url = reverse("campaigns:my_submission", args=[sheet.period.pk])

    page = _get_writing_nothing(client, url)
    total = _get_writing_nothing(
        client, reverse("campaigns:unit_total", args=[sheet.period.pk, unit_a.pk]), **HTMX
    )

    # The whole sheet, every criterion empty, posting by period, unit and criterion.
    assert page.text.count('<form class="answer-form"') == 3
    for criterion in (sheet.scored, sheet.yes_no, sheet.bonus):
        assert f'id="score-{criterion.pk}"' in page.text
        assert f'action="{_save_url(sheet, unit_a, criterion)}"' in page.text
    assert 'name="version" id="version-' in page.text
    assert reverse("campaigns:unit_submit", args=[sheet.period.pk, unit_a.pk]) in page.text
    assert total.text.startswith("0<")
    assert not Submission.objects.exists()


def test_the_first_save_makes_the_self_assessment_and_the_next_saves_follow(
    client_for, head_a, sheet, unit_a
):
    client = client_for(head_a)
    url = _save_url(sheet, unit_a, sheet.scored)

    first = client.post(url, {"version": "1", "self_score": "55", "narrative": "Đã làm"}, **HTMX)

    submission = Submission.objects.get(period=sheet.period, unit=unit_a)
    answer = submission.answers.get()
    assert "Saved" in first.text
    assert answer.criterion == sheet.scored
    assert answer.self_score == Decimal("55")
    assert submission.self_total == Decimal("55")
    # The row's new version for the next save, addressed by the criterion.
    assert f'id="version-{sheet.scored.pk}" value="{answer.version}" hx-swap-oob' in first.text
    second = client.post(url, {"version": answer.version, "self_score": "58"}, **HTMX)
    stale = client.post(url, {"version": "1", "self_score": "40"}, **HTMX)

    assert "Saved" in second.text
    assert "after you opened it" in stale.text
    answer.refresh_from_db()
    assert answer.self_score == Decimal("58")
    assert Submission.objects.count() == Answer.objects.count() == 1
    # From now on the page is the submission's, and opening it still writes nothing.
    mine = client.get(reverse("campaigns:my_submission", args=[sheet.period.pk]))
    assert mine.url == reverse("campaigns:submission_detail", args=[submission.pk])
    _get_writing_nothing(client, mine.url)


def test_a_first_file_makes_the_self_assessment_too(client_for, head_a, sheet, unit_a):
    client = client_for(head_a)
    url = reverse(
        "campaigns:criterion_evidence_upload", args=[sheet.period.pk, unit_a.pk, sheet.scored.pk]
    )

    response = client.post(url, {"file": SimpleUploadedFile("kh.pdf", PDF)}, **HTMX)

    evidence = Evidence.objects.get()
    assert evidence.answer.submission.unit == unit_a
    assert evidence.answer.criterion == sheet.scored
    assert "kh.pdf" in response.text
    assert f'id="evidence-{sheet.scored.pk}"' in response.text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),
        ("head_a", 200),
        ("head_b", 404),
        ("block_head", 403),
        ("officer", 403),
        ("council", 404),
        ("leader", 403),
    ],
)
def test_first_save_permissions(cast, client_for, sheet, unit_a, role, expected):
    response = client_for(cast[role]).post(
        _save_url(sheet, unit_a, sheet.scored), {"version": "1", "self_score": "30"}, **HTMX
    )

    assert response.status_code == expected
    assert Submission.objects.filter(unit=unit_a).exists() == (expected == 200)


def test_a_refused_first_save_leaves_nothing_behind(client_for, head_a, sheet, unit_a):
    client = client_for(head_a)

    over = client.post(
        _save_url(sheet, unit_a, sheet.scored), {"version": "1", "self_score": "61"}, **HTMX
    )
    section = client.post(
        _save_url(sheet, unit_a, sheet.section), {"version": "1", "self_score": "1"}, **HTMX
    )

    assert "must not exceed" in over.text or "maximum" in over.text
    assert "not part of this self-assessment" in section.text
    assert not Submission.objects.exists()
    assert not Answer.objects.exists()


def test_a_criterion_of_another_movement_is_404(client_for, head_a, sheet, unit_a):
    from .sheet import make_sheet

    other = make_sheet([unit_a])

    response = client_for(head_a).post(
        _save_url(sheet, unit_a, other.scored), {"version": "1", "self_score": "1"}, **HTMX
    )

    assert response.status_code == 404
    assert not Submission.objects.exists()


def test_submit_before_any_save_lists_everything_missing(client_for, head_a, sheet, unit_a):
    response = client_for(head_a).post(
        reverse("campaigns:unit_submit", args=[sheet.period.pk, unit_a.pk]), follow=True
    )

    page = reverse("campaigns:my_submission", args=[sheet.period.pk])
    assert response.redirect_chain == [(f"{page}?unit={unit_a.pk}&incomplete=1", 302)]
    assert "1.1</a> – not answered" in response.text
    assert not Submission.objects.exists()


def test_submit_by_unit_and_period_after_filling(client_for, head_a, sheet, unit_a):
    submission = answers.open_submission(sheet.period, unit_a)
    fill(submission, sheet, head_a)

    response = client_for(head_a).post(
        reverse("campaigns:unit_submit", args=[sheet.period.pk, unit_a.pk])
    )

    submission.refresh_from_db()
    assert response.url == reverse("campaigns:submission_detail", args=[submission.pk])
    assert submission.state == SubmissionState.SUBMITTED


def _added(sheet, text="Tiêu chí bổ sung"):
    return CriterionFactory(
        campaign=sheet.period.campaign,
        subject=Subject.COLLECTIVE,
        parent=sheet.section,
        code="1.3",
        order=3,
        text=text,
    )


@pytest.mark.parametrize("role", ["head_a", "officer", "block_head"])
def test_a_sheet_with_a_criterion_added_since_writes_nothing(
    cast, client_for, head_a, submission_a, sheet, role
):
    fill(submission_a, sheet, head_a)
    added = _added(sheet)

    page = _get_writing_nothing(
        client_for(cast[role]), reverse("campaigns:submission_detail", args=[submission_a.pk])
    )

    assert "Tiêu chí bổ sung" in page.text
    assert f'id="answer-{added.pk}"' in page.text
    assert not submission_a.answers.filter(criterion=added).exists()


def test_the_review_page_writes_nothing_and_scores_a_criterion_added_since(
    client_for, head_a, officer, submission_a, sheet
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    added = _added(sheet)
    client = client_for(officer)

    page = _get_writing_nothing(client, reverse("campaigns:review", args=[submission_a.pk]))
    _get_writing_nothing(client, reverse("campaigns:review_queue"))
    _get_writing_nothing(client, reverse("campaigns:submission_history", args=[submission_a.pk]))
    url = reverse("campaigns:criterion_review", args=[submission_a.pk, added.pk])
    saved = client.post(url, {"version": "1", "reviewer_score": "0"}, **HTMX)

    assert f'action="{url}"' in page.text
    assert "Saved" in saved.text
    assert submission_a.answers.get(criterion=added).reviewer_score == 0


def test_the_urging_page_writes_nothing(client_for, officer, sheet):
    _get_writing_nothing(client_for(officer), reverse("campaigns:urging", args=[sheet.period.pk]))


def test_a_save_after_submit_is_refused_and_the_typed_text_shown(
    client_for, head_a, submission_a, sheet
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    client = client_for(head_a)
    answer = submission_a.answers.get(criterion=sheet.scored)
    data = {"version": answer.version, "self_score": "59", "narrative": "Sửa sau khi gửi"}

    htmx = client.post(_save_url(sheet, submission_a.unit, sheet.scored), data, **HTMX)
    plain = client.post(reverse("campaigns:answer_save", args=[answer.pk]), data)

    assert "has been submitted and waits for review" in htmx.text
    assert plain.status_code == 400
    assert "has been submitted and waits for review" in plain.text
    assert "Sửa sau khi gửi" in htmx.text
    assert "59" in htmx.text
    assert "Sửa sau khi gửi" in plain.text
    answer.refresh_from_db()
    assert answer.self_score == Decimal("55")
