import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import CampaignStatus, ReminderKind, SubmissionState
from campaigns.models import AnswerChange, Reminder, Submission
from campaigns.sheets import answers, reminders, workflow
from campaigns.tasks import task_send_reminders

from ..factories import (
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    UnitFactory,
)
from .sheet import PDF, answer_for, fill, make_sheet

# Messages are asserted as written in the code (English); see test_*_in_vietnamese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def submitted_a(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a)
    return workflow.submit(submission_a, by=head_a, now=timezone.now())


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("head_a", 403),
        ("head_b", 404),
        ("block_head", 403),
        ("officer", 200),
        ("council", 404),
        ("leader", 200),
    ],
)
def test_review_page_permissions(cast, client_for, submitted_a, submission_b, role, expected):
    response = client_for(cast[role]).get(reverse("campaigns:review", args=[submitted_a.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert "Review: Vụ Pháp chế" in response.text


@pytest.mark.parametrize(
    ("role", "expected_state"),
    [
        ("head_a", SubmissionState.SUBMITTED),
        ("head_b", SubmissionState.SUBMITTED),
        ("block_head", SubmissionState.SUBMITTED),
        ("leader", SubmissionState.SUBMITTED),
        ("officer", SubmissionState.ACCEPTED),
    ],
)
def test_only_officers_accept(cast, client_for, submitted_a, role, expected_state):
    client_for(cast[role]).post(reverse("campaigns:submission_accept", args=[submitted_a.pk]))

    submitted_a.refresh_from_db()
    assert submitted_a.state == expected_state


def test_return_without_reason_keeps_state_and_says_why(client_for, officer, submitted_a):
    response = client_for(officer).post(
        reverse("campaigns:submission_return", args=[submitted_a.pk]), {"reason": " "}
    )

    assert response.status_code == 400
    assert "Give the reason for returning the self-assessment." in response.text
    submitted_a.refresh_from_db()
    assert submitted_a.state == SubmissionState.SUBMITTED


def test_returned_reason_is_shown_to_the_unit(client_for, officer, head_a, submitted_a):
    client_for(officer).post(
        reverse("campaigns:submission_return", args=[submitted_a.pk]),
        {"reason": "Thiếu minh chứng"},
    )

    response = client_for(head_a).get(reverse("campaigns:submission_detail", args=[submitted_a.pk]))

    assert 'data-testid="return-reason"' in response.text
    assert "Thiếu minh chứng" in response.text


def test_reviewer_score_saves_on_its_own(client_for, officer, submitted_a, sheet):
    answer = answer_for(submitted_a, sheet.scored)

    response = client_for(officer).post(
        reverse("campaigns:answer_review", args=[answer.pk]),
        {"version": answer.version, "reviewer_score": "50", "reviewer_comment": "Chưa đủ"},
        **HTMX,
    )

    answer.refresh_from_db()
    assert "Saved" in response.text
    assert (str(answer.reviewer_score), answer.reviewer_comment) == ("50.00", "Chưa đủ")


def test_reviewer_score_over_maximum_is_refused(client_for, officer, submitted_a, sheet):
    answer = answer_for(submitted_a, sheet.scored)

    response = client_for(officer).post(
        reverse("campaigns:answer_review", args=[answer.pk]),
        {"version": answer.version, "reviewer_score": "99", "reviewer_comment": ""},
        **HTMX,
    )

    answer.refresh_from_db()
    assert "The score cannot exceed the maximum of 60 points." in response.text
    assert answer.reviewer_score is None


def test_review_page_shows_the_running_reviewed_total(client_for, officer, submitted_a, sheet):
    answer = answer_for(submitted_a, sheet.scored)
    answers.save_review(
        answer, by=officer, now=timezone.now(), expected_version=answer.version, reviewer_score="50"
    )

    response = client_for(officer).get(reverse("campaigns:review", args=[submitted_a.pk]))

    # 50 given by the reviewer for 1.1, the unit's own 40 and 2 for the others.
    assert re.search(r'<span id="reviewed-total"[^>]*>92</span> / 100', response.text)
    assert "Reviewed total so far" in response.text


def test_saving_a_reviewer_score_asks_for_the_new_reviewed_total(
    client_for, officer, submitted_a, sheet
):
    answer = answer_for(submitted_a, sheet.yes_no)
    client = client_for(officer)

    saved = client.post(
        reverse("campaigns:criterion_review", args=[submitted_a.pk, sheet.yes_no.pk]),
        {"version": answer.version, "reviewer_score": "0", "reviewer_comment": "Chưa đạt"},
        **HTMX,
    )
    total = client.get(reverse("campaigns:review_total", args=[submitted_a.pk]), **HTMX)

    assert saved["HX-Trigger"] == "review-saved"
    # The value only: it goes inside the page's element, which stays in place.
    assert total.text.strip() == "57"


def test_a_refused_reviewer_score_asks_for_no_new_total(client_for, officer, submitted_a, sheet):
    answer = answer_for(submitted_a, sheet.scored)

    response = client_for(officer).post(
        reverse("campaigns:answer_review", args=[answer.pk]),
        {"version": answer.version, "reviewer_score": "99", "reviewer_comment": ""},
        **HTMX,
    )

    assert "HX-Trigger" not in response


def test_an_accepted_review_shows_the_stored_total_not_a_running_one(
    client_for, officer, submitted_a
):
    workflow.accept(submitted_a, by=officer, now=timezone.now())

    response = client_for(officer).get(reverse("campaigns:review", args=[submitted_a.pk]))

    assert "Reviewed total so far" not in response.text
    assert 'id="reviewed-total"' not in response.text
    assert "<dt>Reviewed total</dt><dd>97</dd>" in response.text


@pytest.mark.parametrize("item_count", [1, 100])
def test_review_queue_query_count(
    client_for, officer, sheet, django_assert_num_queries, item_count
):
    units = UnitFactory.create_batch(item_count)
    Submission.objects.bulk_create(
        [Submission(period=sheet.period, unit=unit, state="submitted") for unit in units]
    )
    client = client_for(officer)

    # session, user, state counts (the pages' count too), filter choices (campaigns,
    # periods, groups), the page of submissions with unit and period
    with django_assert_num_queries(7):
        response = client.get(reverse("campaigns:review_queue"))

    assert response.text.count('<th scope="row">') == min(item_count, 50)
    assert response.context["page_obj"].paginator.num_pages == (item_count + 49) // 50


def test_review_queue_pages_count_only_the_state_shown(client_for, officer, sheet):
    units = UnitFactory.create_batch(60)
    Submission.objects.bulk_create(
        [
            Submission(period=sheet.period, unit=unit, state="submitted" if n < 55 else "draft")
            for n, unit in enumerate(units)
        ]
    )
    client = client_for(officer)

    everything = client.get(reverse("campaigns:review_queue"))
    drafts = client.get(reverse("campaigns:review_queue"), {"state": "draft"})
    second = client.get(reverse("campaigns:review_queue"), {"state": "submitted", "page": 2})

    assert everything.context["page_obj"].paginator.num_pages == 2
    assert drafts.context["page_obj"].paginator.num_pages == 1
    assert len(drafts.context["submissions"]) == 5
    assert len(second.context["submissions"]) == 5


def test_review_queue_counts_states_and_filters(client_for, officer, sheet, submitted_a):
    answers.open_submission(sheet.period, UnitFactory())

    response = client_for(officer).get(
        reverse("campaigns:review_queue"), {"state": "submitted", "period": sheet.period.pk}
    )

    counts = response.context["counts"]
    assert [(state, count) for state, _label, count in counts] == [
        ("draft", 1),
        ("submitted", 1),
        ("returned", 0),
        ("accepted", 0),
    ]
    assert [s.pk for s in response.context["submissions"]] == [submitted_a.pk]


def test_review_queue_of_unit_head_shows_only_own_unit(
    client_for, head_a, sheet, submission_a, submission_b
):
    response = client_for(head_a).get(reverse("campaigns:review_queue"))

    assert [s.pk for s in response.context["submissions"]] == [submission_a.pk]
    assert "Cục Viễn thám" not in response.text


def test_a_block_of_2026_lists_its_members_sheets_of_2026_only(
    client_for, block_head, block, unit_a, unit_c
):
    older = answers.open_submission(make_sheet([unit_a, unit_c], year=2024).period, unit_a)
    block_2026 = EmulationGroupFactory(kind=block.kind, year=2026, head_unit=unit_c)
    GroupMembershipFactory(group=block_2026, unit=unit_a)
    newer = answers.open_submission(make_sheet([unit_a, unit_c], year=2026).period, unit_a)

    of_2026 = client_for(block_head).get(
        reverse("campaigns:review_queue"), {"group": block_2026.pk}
    )
    of_2024 = client_for(block_head).get(reverse("campaigns:review_queue"), {"group": block.pk})

    assert [s.pk for s in of_2026.context["submissions"]] == [newer.pk]
    assert [s.pk for s in of_2024.context["submissions"]] == [older.pk]


@pytest.mark.parametrize(
    ("role", "heading", "title"),
    [
        ("officer", "Self-assessments to review", "Review queue"),
        ("block_head", "View self-assessments", "View self-assessments"),
        ("head_a", "View self-assessments", "View self-assessments"),
        ("leader", "View self-assessments", "View self-assessments"),
    ],
)
def test_the_queue_says_review_only_to_reviewers(cast, client_for, role, heading, title):
    response = client_for(cast[role]).get(reverse("campaigns:review_queue"))

    assert re.search(r"<h1>(.*?)</h1>", response.text).group(1) == heading
    assert re.search(r"<title>(.*?) · Thi đua</title>", response.text).group(1) == title


def test_the_queue_title_for_a_block_head_in_vietnamese(client_for, block_head, settings):
    settings.LANGUAGE_CODE = "vi"

    response = client_for(block_head).get(reverse("campaigns:review_queue"))

    assert "<h1>Xem bản tự đánh giá</h1>" in response.text


def test_history_lists_changes_for_officers_only(client_for, officer, head_a, submitted_a):
    url = reverse("campaigns:submission_history", args=[submitted_a.pk])

    officer_response = client_for(officer).get(url)
    head_response = client_for(head_a).get(url)

    assert [c.field for c in officer_response.context["changes"]].count("self_score") == 3
    assert head_response.status_code == 403


def test_urging_lists_missing_units_and_reminds(
    client_for, officer, sheet, unit_a, unit_b, head_a, head_b, submitted_a
):
    client = client_for(officer)

    page = client.get(reverse("campaigns:urging", args=[sheet.period.pk]))
    client.post(reverse("campaigns:remind", args=[sheet.period.pk]), {"unit": [unit_b.pk]})

    assert [u.pk for u in page.context["units"]] == [unit_b.pk]
    assert [m.to for m in mail.outbox][-1:] == [[head_b.email]]
    assert list(Reminder.objects.values_list("unit_id", "kind")) == [
        (unit_b.pk, ReminderKind.MANUAL)
    ]


def test_urging_is_for_officers(client_for, head_a, sheet):
    response = client_for(head_a).get(reverse("campaigns:urging", args=[sheet.period.pk]))

    assert response.status_code == 403


def test_daily_reminders_go_once_per_day_and_unit(unit_a, unit_b, head_a, head_b):
    today = timezone.localdate()
    sheet = make_sheet([unit_a, unit_b], due=3)
    answers.open_submission(sheet.period, unit_a)

    first = task_send_reminders.delay().get()
    second = task_send_reminders.delay().get()

    assert (first, second) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head_a.email, head_b.email])
    assert set(Reminder.objects.values_list("kind", "sent_on")) == {(ReminderKind.DAYS_3, today)}


@pytest.mark.parametrize(
    ("due_in", "kind"),
    [(7, ReminderKind.DAYS_7), (1, ReminderKind.DAYS_1), (-1, ReminderKind.OVERDUE)],
)
def test_reminders_on_the_right_days(unit_a, head_a, due_in, kind):
    sheet = make_sheet([unit_a], opens=-20, due=due_in)

    sent = reminders.send_due_reminders(timezone.localdate())

    assert sent == 1
    assert list(Reminder.objects.values_list("kind", flat=True)) == [kind]
    assert sheet.period.due_on - timezone.localdate() == dt.timedelta(days=due_in)


@pytest.mark.parametrize("due_in", [2, 4, 0])
def test_no_reminder_on_other_days(unit_a, head_a, due_in):
    make_sheet([unit_a], opens=-20, due=due_in)

    assert reminders.send_due_reminders(timezone.localdate()) == 0


def test_submitted_units_get_no_reminder(unit_a, head_a, sheet, submitted_a):
    MembershipFactory(unit=unit_a)

    sent = reminders.send_due_reminders(sheet.period.due_on - dt.timedelta(days=1))

    assert sent == 1  # unit B only
    assert list(Reminder.objects.values_list("unit__code", flat=True)) == ["unit-b"]


def test_remind_with_nothing_ticked_sends_nothing(client_for, officer, sheet, unit_a, head_a):
    response = client_for(officer).post(reverse("campaigns:remind", args=[sheet.period.pk]), {})

    assert response.status_code == 302
    assert mail.outbox == []
    assert Reminder.objects.count() == 0


def test_remind_twice_the_same_day_sends_once(client_for, officer, sheet, unit_a, head_a):
    client = client_for(officer)
    url = reverse("campaigns:remind", args=[sheet.period.pk])

    client.post(url, {"unit": [unit_a.pk]})
    client.post(url, {"unit": [unit_a.pk]})

    assert [m.to for m in mail.outbox] == [[head_a.email]]
    assert Reminder.objects.count() == 1


@pytest.mark.parametrize("bad", ["²", "99999999999999999999999", "abc"])
def test_tampered_ids_get_no_500(client_for, officer, head_a, submitted_a, sheet, bad):
    officer_client = client_for(officer)

    remind = officer_client.post(reverse("campaigns:remind", args=[sheet.period.pk]), {"unit": bad})
    returned = officer_client.post(
        reverse("campaigns:submission_return", args=[submitted_a.pk]),
        {"reason": "Bổ sung", f"comment-{bad}": "x"},
    )
    mine = client_for(head_a).get(
        reverse("campaigns:my_submission", args=[sheet.period.pk]), {"unit": bad}
    )
    groups = client_for(head_a).get(reverse("units:list"), {"year": bad})

    assert (remind.status_code, returned.status_code) == (302, 302)
    assert (mine.status_code, groups.status_code) == (404, 200)


@pytest.mark.parametrize(
    ("dates", "status", "refusal"),
    [
        ({"opens": -30, "due": -20, "closes": -1}, CampaignStatus.LAUNCHED, "The period closed on"),
        ({"opens": 2, "due": 10, "closes": 20}, CampaignStatus.LAUNCHED, "opens on"),
        ({}, CampaignStatus.DRAFT, "The movement is not running"),
        ({}, CampaignStatus.CLOSED, "The movement is not running"),
    ],
)
def test_no_reminders_when_units_cannot_submit(
    client_for, officer, unit_a, head_a, dates, status, refusal
):
    sheet = make_sheet([unit_a], status=status, **dates)
    client = client_for(officer)

    page = client.get(reverse("campaigns:urging", args=[sheet.period.pk]))
    response = client.post(
        reverse("campaigns:remind", args=[sheet.period.pk]), {"unit": [unit_a.pk]}, follow=True
    )

    assert refusal in page.context["cannot_remind"]
    assert "Remind the selected units now" not in page.text
    assert refusal in response.text
    assert mail.outbox == []
    assert Reminder.objects.count() == 0


def test_no_overdue_reminder_once_the_period_closed(unit_a, head_a):
    make_sheet([unit_a], opens=-20, due=-1, closes=-1)

    assert reminders.send_due_reminders(timezone.localdate()) == 0
    assert mail.outbox == []


def test_no_daily_reminder_for_a_draft_movement(unit_a, head_a):
    make_sheet([unit_a], due=3, status=CampaignStatus.DRAFT)

    assert reminders.send_due_reminders(timezone.localdate()) == 0


def test_reviewer_score_without_version_is_said_in_the_row(client_for, officer, submitted_a, sheet):
    answer = answer_for(submitted_a, sheet.scored)

    response = client_for(officer).post(
        reverse("campaigns:answer_review", args=[answer.pk]), {"reviewer_score": "50"}, **HTMX
    )

    assert response.status_code == 200
    assert "The form is missing its version" in response.text
    answer.refresh_from_db()
    assert answer.reviewer_score is None


@pytest.fixture
def closed_sheet(unit_a, unit_b):
    return make_sheet([unit_a, unit_b], opens=-30, due=-20, closes=-1)


def test_officer_reopens_a_unit_that_never_started_after_the_close(
    client_for, officer, head_a, unit_a, closed_sheet, django_capture_on_commit_callbacks
):
    client = client_for(officer)
    page = client.get(reverse("campaigns:urging", args=[closed_sheet.period.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, unit_a.pk]),
            {"reason": "Đơn vị bị sự cố mạng, cho nộp bổ sung"},
        )

    assert reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, unit_a.pk]) in page.text
    submission = Submission.objects.get(unit=unit_a, period=closed_sheet.period)
    assert response.url == reverse("campaigns:review", args=[submission.pk])
    assert submission.state == SubmissionState.DRAFT
    assert submission.reopened_at is not None
    assert submission.is_editable(timezone.localdate())
    assert list(submission.transitions.values_list("to_state", "reason")) == [
        ("draft", "Đơn vị bị sự cố mạng, cho nộp bổ sung")
    ]
    assert [m.to for m in mail.outbox] == [[head_a.email]]
    assert "Đơn vị bị sự cố mạng" in mail.outbox[0].body
    # Its sheet shows every criterion to fill; the unit's saves make the answers.
    assert not submission.answers.exists()
    sheet_page = client_for(head_a).get(
        reverse("campaigns:submission_detail", args=[submission.pk])
    )
    assert sheet_page.text.count('<form class="answer-form"') == 3


def test_urging_page_offers_no_second_reopening_to_a_reopened_unit(
    client_for, officer, unit_a, unit_b, closed_sheet
):
    reopen_a = reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, unit_a.pk])
    reopen_b = reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, unit_b.pk])
    client = client_for(officer)
    client.post(reopen_a, {"reason": "Cho nộp bổ sung"})

    page = client.get(reverse("campaigns:urging", args=[closed_sheet.period.pk]))

    assert reopen_a not in page.text
    assert reopen_b in page.text
    assert page.text.count('data-testid="reopened"') == 1
    assert "the unit can edit and submit" in page.text


def test_reopening_a_missing_unit_needs_a_reason_and_creates_nothing_without(
    client_for, officer, unit_a, closed_sheet
):
    response = client_for(officer).post(
        reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, unit_a.pk]),
        {"reason": "   "},
    )

    assert response.status_code == 400
    assert "Give the reason for reopening the self-assessment." in response.text
    assert not Submission.objects.filter(unit=unit_a).exists()


def test_reopening_a_missing_unit_while_the_period_is_open_is_refused(
    client_for, officer, unit_a, sheet
):
    response = client_for(officer).post(
        reverse("campaigns:reopen_unit", args=[sheet.period.pk, unit_a.pk]),
        {"reason": "Cho nộp"},
    )

    assert response.status_code == 400
    assert "The period is still open" in response.text
    assert not Submission.objects.filter(unit=unit_a).exists()


def test_reopening_a_unit_outside_the_movement_is_refused(client_for, officer, closed_sheet):
    outsider = UnitFactory(name="Sở ngoài phong trào")

    response = client_for(officer).post(
        reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, outsider.pk]),
        {"reason": "Cho nộp"},
    )

    assert response.status_code == 400
    assert "does not take part in the movement" in response.text
    assert not Submission.objects.filter(unit=outsider).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("head_a", 403),
        ("head_b", 403),
        ("block_head", 403),
        ("officer", 302),
        ("council", 403),
        ("leader", 403),
    ],
)
def test_only_officers_reopen_a_missing_unit(
    cast, client_for, unit_a, closed_sheet, role, expected
):
    response = client_for(cast[role]).post(
        reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, unit_a.pk]),
        {"reason": "Cho nộp"},
    )

    assert response.status_code == expected
    assert Submission.objects.filter(unit=unit_a).exists() is (role == "officer")


def test_reopen_refused_after_the_close_keeps_the_typed_reason(
    client_for, officer, unit_a, closed_sheet, monkeypatch
):
    def refuse(*args, **kwargs):
        raise workflow.WorkflowError("Refused for the test.")

    monkeypatch.setattr(workflow, "reopen", refuse)

    response = client_for(officer).post(
        reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, unit_a.pk]),
        {"reason": "Đơn vị xin nộp muộn"},
    )

    assert response.status_code == 400
    assert 'value="Đơn vị xin nộp muộn" aria-invalid="true"' in response.text
    assert "Refused for the test." in response.text
    assert not Submission.objects.filter(unit=unit_a).exists()


def test_history_shows_scores_as_the_sheet_and_files_added_and_removed(
    client_for, officer, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)
    answers.save_answer(
        answer, by=head_a, now=timezone.now(), expected_version=answer.version, self_score="14"
    )
    evidence = answers.attach_evidence(
        answer, SimpleUploadedFile("ke-hoach.pdf", PDF), by=head_a, now=timezone.now()
    )
    answers.remove_evidence(evidence, by=head_a, now=timezone.now())
    url = reverse("campaigns:submission_history", args=[submission_a.pk])

    response = client_for(officer).get(url)
    files = client_for(officer).get(url, {"field": "evidence"})

    rows = [
        [
            re.sub(r"\s+", " ", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", response.text, re.S)[1:]
    ]
    assert [row[2:] for row in rows] == [
        ["1.1", "Evidence", "ke-hoach.pdf", "—"],
        ["1.1", "Evidence", "—", "ke-hoach.pdf"],
        ["1.1", "Self score", "—", "14"],
    ]
    assert [(c.field, c.old_value, c.new_value) for c in files.context["changes"]] == [
        ("evidence", "ke-hoach.pdf", ""),
        ("evidence", "", "ke-hoach.pdf"),
    ]


def test_history_ignores_an_unknown_filter(client_for, officer, submitted_a):
    url = reverse("campaigns:submission_history", args=[submitted_a.pk])

    response = client_for(officer).get(url, {"field": "<script>", "page": "x"})

    assert response.status_code == 200
    everything = AnswerChange.objects.filter(answer__submission=submitted_a).count()
    assert len(response.context["changes"]) == everything > 0
