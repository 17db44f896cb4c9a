import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns import answers, workflow
from campaigns.enums import SubmissionState
from campaigns.models import Period, Submission, Transition

from .sheet import PDF, answer_for, fill

# Messages are asserted as written in the code (English); see test_*_in_vietnamese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _steps(submission):
    return list(
        Transition.objects.filter(submission=submission)
        .order_by("at", "id")
        .values_list("from_state", "to_state", "by__username", "reason")
    )


def test_submit_refuses_incomplete_and_lists_what_is_missing(submission_a, sheet, head_a):
    with pytest.raises(workflow.IncompleteSubmission) as excinfo:
        workflow.submit(submission_a, by=head_a, now=timezone.now())

    assert [(m.criterion.code, m.reason) for m in excinfo.value.missing] == [
        ("1.1", "not answered"),
        ("1.2", "not answered"),
    ]
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.DRAFT
    assert _steps(submission_a) == []


def test_submit_refuses_missing_evidence(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a, evidence=False)

    with pytest.raises(workflow.IncompleteSubmission) as excinfo:
        workflow.submit(submission_a, by=head_a, now=timezone.now())

    assert [(m.criterion.code, m.reason) for m in excinfo.value.missing] == [
        ("1.1", "evidence required but none attached")
    ]


def test_submit_records_transition_total_and_emails(
    submission_a, sheet, head_a, officer, django_capture_on_commit_callbacks
):
    fill(submission_a, sheet, head_a)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(submission_a, by=head_a, now=timezone.now())

    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.SUBMITTED
    assert submission_a.self_total == Decimal("97.00")
    assert submission_a.is_late is False
    assert _steps(submission_a) == [("draft", "submitted", "head_a", "")]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head_a.email, officer.email])


def test_submit_after_due_date_is_marked_late(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a)
    after_due = timezone.now() + dt.timedelta(days=6)

    workflow.submit(submission_a, by=head_a, now=after_due)

    submission_a.refresh_from_db()
    assert submission_a.is_late is True


def test_submit_by_head_of_another_unit_is_refused(submission_a, sheet, head_a, head_b):
    fill(submission_a, sheet, head_a)

    with pytest.raises(PermissionDenied):
        workflow.submit(submission_a, by=head_b, now=timezone.now())

    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.DRAFT


def test_return_requires_reason(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())

    with pytest.raises(workflow.WorkflowError) as excinfo:
        workflow.return_for_revision(submission_a, by=officer, reason="  ", now=timezone.now())

    assert str(excinfo.value) == "Give the reason for returning the self-assessment."
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.SUBMITTED


def test_return_with_reason_and_comment_reaches_the_unit(
    submission_a, sheet, head_a, officer, django_capture_on_commit_callbacks
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_for_revision(
            submission_a,
            by=officer,
            reason="Thiếu minh chứng kế hoạch",
            comments={sheet.scored.pk: "Bổ sung quyết định phê duyệt"},
            now=timezone.now(),
        )

    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.RETURNED
    assert answer_for(submission_a, sheet.scored).reviewer_comment == "Bổ sung quyết định phê duyệt"
    assert [m.to for m in mail.outbox] == [[head_a.email]]
    assert "Thiếu minh chứng kế hoạch" in mail.outbox[0].body


def test_a_comment_on_a_criterion_the_unit_left_without_an_answer_is_kept(
    sheet, unit_a, head_a, officer
):
    for criterion, score in ((sheet.scored, "55"), (sheet.yes_no, "40")):
        answers.save_answer_for(
            sheet.period,
            unit_a,
            criterion,
            by=head_a,
            expected_version=1,
            self_score=score,
            now=timezone.now(),
        )
    submission = Submission.objects.get(unit=unit_a)
    answers.attach_evidence_for(
        sheet.period,
        unit_a,
        sheet.scored,
        SimpleUploadedFile("kh.pdf", PDF),
        by=head_a,
        now=timezone.now(),
    )
    workflow.submit(submission, by=head_a, now=timezone.now())
    assert not submission.answers.filter(criterion=sheet.bonus).exists()  # not claimed

    workflow.return_for_revision(
        submission,
        by=officer,
        reason="Xem lại điểm thưởng",
        comments={sheet.bonus.pk: "Có bằng khen, đề nghị kê khai", sheet.section.pk: "x"},
        now=timezone.now(),
    )

    assert answer_for(submission, sheet.bonus).reviewer_comment == "Có bằng khen, đề nghị kê khai"
    assert not submission.answers.filter(criterion=sheet.section).exists()  # a section: none


def test_unit_cannot_review_its_own_submission(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())

    with pytest.raises(PermissionDenied):
        workflow.accept(submission_a, by=head_a, now=timezone.now())


def test_full_loop_writes_four_steps(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    workflow.return_for_revision(submission_a, by=officer, reason="Bổ sung", now=timezone.now())
    workflow.submit(submission_a, by=head_a, now=timezone.now())

    workflow.accept(submission_a, by=officer, now=timezone.now())

    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.ACCEPTED
    assert submission_a.reviewer_total == Decimal("97.00")
    assert _steps(submission_a) == [
        ("draft", "submitted", "head_a", ""),
        ("submitted", "returned", "officer", "Bổ sung"),
        ("returned", "submitted", "head_a", ""),
        ("submitted", "accepted", "officer", ""),
    ]


def test_accepted_submission_cannot_be_returned(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    workflow.accept(submission_a, by=officer, now=timezone.now())

    with pytest.raises(workflow.WorkflowError):
        workflow.return_for_revision(submission_a, by=officer, reason="Sai", now=timezone.now())


def test_reopen_after_close_needs_officer_and_reason(submission_a, sheet, head_a, officer):
    after_close = timezone.now() + dt.timedelta(days=25)

    with pytest.raises(PermissionDenied):
        workflow.reopen(submission_a, by=head_a, reason="Xin gia hạn", now=after_close)
    with pytest.raises(workflow.WorkflowError):
        workflow.reopen(submission_a, by=officer, reason="", now=after_close)
    workflow.reopen(submission_a, by=officer, reason="Gia hạn 3 ngày", now=after_close)

    submission_a.refresh_from_db()
    assert submission_a.reopened_at == after_close
    assert submission_a.is_editable(after_close.date()) is True
    assert _steps(submission_a) == [("draft", "draft", "officer", "Gia hạn 3 ngày")]


def test_reopen_while_open_is_refused_unless_accepted(submission_a, sheet, officer):
    with pytest.raises(workflow.WorkflowError):
        workflow.reopen(submission_a, by=officer, reason="Vì sao", now=timezone.now())


@pytest.mark.parametrize(
    ("state", "day", "expected"),
    [
        ("draft", dt.date(2024, 7, 15), False),
        ("submitted", dt.date(2024, 7, 15), False),
        ("returned", dt.date(2024, 7, 15), False),
        ("accepted", dt.date(2024, 7, 15), True),
        ("draft", dt.date(2024, 7, 16), True),
        ("submitted", dt.date(2024, 7, 16), True),
        ("accepted", dt.date(2024, 7, 16), True),
    ],
)
def test_can_reopen_after_the_close_or_once_accepted(state, day, expected):
    """The rule reopen() applies and the review page's button shows (one function)."""
    submission = Submission(state=state, period=Period(closes_on=dt.date(2024, 7, 15)))

    assert workflow.can_reopen(submission, today=day) is expected


def test_closed_period_blocks_submit(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a)
    after_close = timezone.now() + dt.timedelta(days=25)

    with pytest.raises(workflow.WorkflowError) as excinfo:
        workflow.submit(submission_a, by=head_a, now=after_close)

    assert "ask the emulation officers to reopen it" in str(excinfo.value)


def test_return_after_close_reopens_for_the_unit(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    after_close = timezone.now() + dt.timedelta(days=25)

    workflow.return_for_revision(
        submission_a, by=officer, reason="Thiếu minh chứng", now=after_close
    )

    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.RETURNED
    assert submission_a.reopened_at == after_close
    assert submission_a.is_editable(after_close.date()) is True
    workflow.submit(submission_a, by=head_a, now=after_close + dt.timedelta(hours=1))
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.SUBMITTED


def test_return_on_the_last_day_stays_editable_after_midnight(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    closes_on = submission_a.period.closes_on
    last_evening = timezone.make_aware(dt.datetime.combine(closes_on, dt.time(22, 30)))
    next_morning = last_evening + dt.timedelta(hours=10)

    workflow.return_for_revision(
        submission_a, by=officer, reason="Bổ sung minh chứng", now=last_evening
    )

    submission_a.refresh_from_db()
    assert submission_a.reopened_at == last_evening
    assert submission_a.is_editable(timezone.localdate(next_morning)) is True
    workflow.submit(submission_a, by=head_a, now=next_morning)
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.SUBMITTED


def test_return_while_open_does_not_mark_reopened(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())

    workflow.return_for_revision(submission_a, by=officer, reason="Bổ sung", now=timezone.now())

    submission_a.refresh_from_db()
    assert submission_a.reopened_at is None


@pytest.mark.parametrize(
    ("first_in", "again_in", "late"),
    [
        (0, 10, False),  # on time, returned, revised after the due date: still on time
        (6, 8, True),  # first sent late: stays late
    ],
)
def test_lateness_is_the_first_submissions(
    submission_a, sheet, head_a, officer, first_in, again_in, late
):
    fill(submission_a, sheet, head_a)
    now = timezone.now()
    workflow.submit(submission_a, by=head_a, now=now + dt.timedelta(days=first_in))
    workflow.return_for_revision(submission_a, by=officer, reason="Bổ sung", now=timezone.now())

    workflow.submit(submission_a, by=head_a, now=now + dt.timedelta(days=again_in))

    submission_a.refresh_from_db()
    assert submission_a.is_late is late
    assert submission_a.submitted_at == now + dt.timedelta(days=again_in)
