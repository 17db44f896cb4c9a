import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.enums import SubmissionState
from campaigns.models import Period, Submission, Transition
from campaigns.sheets import answers, workflow

from .sheet import PDF, answer_for, fill

# Messages are asserted as written in the code (English); see test_*_in_vietnamese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _steps(submission):
    return list(
        Transition.objects.filter(submission=submission)
        .order_by("at", "id")
        .values_list("action", "from_state", "to_state", "by__username", "reason")
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
    assert _steps(submission_a) == [("submitted", "draft", "submitted", "head_a", "")]
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
        ("submitted", "draft", "submitted", "head_a", ""),
        ("returned", "submitted", "returned", "officer", "Bổ sung"),
        ("submitted", "returned", "submitted", "head_a", ""),
        ("accepted", "submitted", "accepted", "officer", ""),
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
    assert _steps(submission_a) == [("reopened", "draft", "draft", "officer", "Gia hạn 3 ngày")]


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


def test_reopening_an_accepted_sheet_is_recorded_as_reopened(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    workflow.accept(submission_a, by=officer, now=timezone.now())

    workflow.reopen(submission_a, by=officer, reason="Sửa điểm 1.1", now=timezone.now())

    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.RETURNED
    assert _steps(submission_a)[-1] == (
        "reopened",
        "accepted",
        "returned",
        "officer",
        "Sửa điểm 1.1",
    )


def test_reopening_a_submitted_sheet_after_close_is_recorded_as_reopened(
    submission_a, sheet, head_a, officer
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    after_close = timezone.now() + dt.timedelta(days=25)

    workflow.reopen(submission_a, by=officer, reason="Cho sửa", now=after_close)

    assert _steps(submission_a)[-1] == ("reopened", "submitted", "returned", "officer", "Cho sửa")


def test_a_step_is_dated_by_the_callers_moment(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a)
    moment = timezone.now() - dt.timedelta(days=2)

    workflow.submit(submission_a, by=head_a, now=moment)

    assert list(submission_a.transitions.values_list("at", flat=True)) == [moment]


def test_every_action_of_the_table_leads_somewhere_from_a_known_state():
    from campaigns.enums import TRANSITIONS, TransitionAction

    edges = {
        (action, source, target)
        for action, moves in TRANSITIONS.items()
        for source, target in moves.items()
    }

    assert set(TRANSITIONS) == set(TransitionAction.values)
    assert edges == {
        ("submitted", "draft", "submitted"),
        ("submitted", "returned", "submitted"),
        ("returned", "submitted", "returned"),
        ("accepted", "submitted", "accepted"),
        ("reopened", "draft", "draft"),
        ("reopened", "submitted", "returned"),
        ("reopened", "returned", "returned"),
        ("reopened", "accepted", "returned"),
        ("withdrawn", "submitted", "draft"),
    }


def test_past_records_take_their_states_along_the_table(sheet, unit_a, unit_b, head_a, officer):
    sent = timezone.now() - dt.timedelta(days=30)
    steps = [
        workflow.PastStep("submitted", at=sent, by=head_a),
        workflow.PastStep("accepted", at=sent + dt.timedelta(days=5), by=officer),
    ]

    (saved,) = workflow.record_past([(Submission(period=sheet.period, unit=unit_a), steps)])

    saved.refresh_from_db()
    assert (saved.state, saved.submitted_at, saved.accepted_at) == (
        SubmissionState.ACCEPTED,
        sent,
        sent + dt.timedelta(days=5),
    )
    assert _steps(saved) == [
        ("submitted", "draft", "submitted", "head_a", ""),
        ("accepted", "submitted", "accepted", "officer", ""),
    ]
    with pytest.raises(ValueError, match="accepted does not start from draft"):
        workflow.record_past(
            [
                (
                    Submission(period=sheet.period, unit=unit_b),
                    [workflow.PastStep("accepted", at=sent)],
                )
            ]
        )
    assert Submission.objects.filter(unit=unit_b).exists() is False


# ---------------------------------------------------------------------------
# The unit withdraws (thu hồi) what it sent, until the review starts.


@pytest.fixture
def sent_a(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a)
    return workflow.submit(submission_a, by=head_a, now=timezone.now())


def _review_once(submission, sheet, officer):
    answer = answer_for(submission, sheet.scored)
    answers.save_review(
        answer, by=officer, now=timezone.now(), expected_version=answer.version, comment="Xem"
    )


def test_withdraw_takes_the_sheet_back_to_draft_and_tells_the_officers(
    sent_a, head_a, officer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.withdraw(sent_a, by=head_a, now=timezone.now())

    sent_a.refresh_from_db()
    assert (sent_a.state, sent_a.submitted_at, sent_a.is_late) == (
        SubmissionState.DRAFT,
        None,
        False,
    )
    assert sent_a.is_editable(timezone.localdate()) is True
    assert _steps(sent_a)[-1] == ("withdrawn", "submitted", "draft", "head_a", "")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [officer.email],
            "[Thi đua] Vụ Pháp chế withdrew its self-assessment (Year-end review – 2024)",
        )
    ]


def test_a_withdrawn_first_submission_is_late_if_sent_again_after_the_due_date(sent_a, head_a):
    workflow.withdraw(sent_a, by=head_a, now=timezone.now())

    workflow.submit(sent_a, by=head_a, now=timezone.now() + dt.timedelta(days=6))

    sent_a.refresh_from_db()
    assert (sent_a.state, sent_a.is_late) == (SubmissionState.SUBMITTED, True)


def test_a_withdrawn_revision_keeps_the_first_submissions_time(sent_a, head_a, officer):
    first = sent_a.submitted_at
    workflow.return_for_revision(sent_a, by=officer, reason="Bổ sung", now=timezone.now())
    workflow.submit(sent_a, by=head_a, now=timezone.now())

    workflow.withdraw(sent_a, by=head_a, now=timezone.now())

    sent_a.refresh_from_db()
    assert sent_a.state == SubmissionState.DRAFT
    assert sent_a.submitted_at > first  # the revision's, kept: lateness stays the first's


def test_withdraw_is_refused_once_the_review_started(sent_a, sheet, head_a, officer):
    _review_once(sent_a, sheet, officer)

    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.withdraw(sent_a, by=head_a, now=timezone.now())

    assert "The Department has started reviewing this self-assessment" in str(refusal.value)
    sent_a.refresh_from_db()
    assert (sent_a.state, sent_a.review_started) == (SubmissionState.SUBMITTED, True)
    assert workflow.can_withdraw(sent_a, head_a, today=timezone.localdate()) is False


def test_a_sheet_sent_again_after_a_return_may_be_withdrawn_until_reviewed_again(
    sent_a, sheet, head_a, officer
):
    _review_once(sent_a, sheet, officer)
    workflow.return_for_revision(sent_a, by=officer, reason="Bổ sung", now=timezone.now())

    workflow.submit(sent_a, by=head_a, now=timezone.now())

    sent_a.refresh_from_db()
    assert (sent_a.review_started_at, sent_a.review_started) == (None, False)
    assert workflow.can_withdraw(sent_a, head_a, today=timezone.localdate()) is True


def test_withdraw_after_the_period_closed_is_refused(sent_a, head_a):
    after_close = timezone.now() + dt.timedelta(days=25)

    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.withdraw(sent_a, by=head_a, now=after_close)

    assert "The period has closed" in str(refusal.value)
    assert workflow.can_withdraw(sent_a, head_a, today=after_close.date()) is False


@pytest.mark.parametrize("role", ["head_b", "officer", "block_head"])
def test_only_the_units_managers_withdraw(request, sent_a, role):
    with pytest.raises(PermissionDenied):
        workflow.withdraw(sent_a, by=request.getfixturevalue(role), now=timezone.now())

    sent_a.refresh_from_db()
    assert sent_a.state == SubmissionState.SUBMITTED


@pytest.mark.parametrize(
    ("state", "error"),
    [("draft", workflow.AlreadyDone), ("accepted", workflow.WorkflowError)],
)
def test_withdraw_needs_a_submitted_sheet(submission_a, sheet, head_a, officer, state, error):
    if state == "accepted":
        fill(submission_a, sheet, head_a)
        workflow.submit(submission_a, by=head_a, now=timezone.now())
        workflow.accept(submission_a, by=officer, now=timezone.now())

    with pytest.raises(workflow.WorkflowError) as refusal:
        workflow.withdraw(submission_a, by=head_a, now=timezone.now())

    assert type(refusal.value) is error
    submission_a.refresh_from_db()
    assert submission_a.state == state
