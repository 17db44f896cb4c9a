"""Hostile text gets a message, never a 500: every free-text field of the
self-assessment, the review, the urging page, the registration and the individual
assessments refuses a NUL character (saving nothing), removes bidirectional and
zero-width controls and says so, and refuses text over its limit (narratives 20,000
characters, comments and reasons 5,000) while taking text exactly at the limit.
Messages are asserted in Vietnamese, the default language."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import SubmissionState
from campaigns.models import (
    Answer,
    AnswerChange,
    IndividualAssessment,
    Registration,
    Submission,
    Transition,
)
from campaigns.sheets import workflow
from units.forms import COMMENT_MAX_LENGTH, NARRATIVE_MAX_LENGTH, FreeTextField
from units.text import without_invisible_controls

from .sheet import answer_for, fill, make_sheet
from .test_individuals import row_data, row_url
from .test_registration import form_data, unit_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NUL_MESSAGE = "Nội dung có chứa ký tự rỗng"
TOO_LONG = "Nội dung quá dài"
REMOVED = "Đã xóa các ký tự điều khiển ẩn"
# A right-to-left override, a zero-width space, a byte-order mark, an isolate, a joiner.
HIDDEN = "\u202e\u200b\ufeff\u2066\u2069\u200d\u2060"


def _save_url(answer) -> str:
    return reverse("campaigns:answer_save", args=[answer.pk])


def _post_answer(client, answer, *, htmx=True, **values):
    data = {"version": answer.version, **values}
    return client.post(_save_url(answer), data, **(HTMX if htmx else {}))


@pytest.fixture
def submitted_a(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a)
    return workflow.submit(submission_a, by=head_a, now=timezone.now())


# ---------------------------------------------------------------------------
# The shared field.


def test_the_field_removes_every_bidi_and_zero_width_control():
    controls = "".join(
        chr(c)
        for c in [
            *range(0x202A, 0x202F),
            *range(0x2066, 0x206A),
            *range(0x200B, 0x2010),
            0xFEFF,
            0x2060,
            0x061C,
        ]
    )
    field = FreeTextField(max_length=100)

    assert field.clean(f"a{controls}b") == "ab"
    assert field.removed_controls is True
    assert field.clean("Đoàn kết nội bộ") == "Đoàn kết nội bộ"
    assert field.removed_controls is False
    assert without_invisible_controls("ti\u00eau chí") == "tiêu chí"


def test_the_field_counts_a_line_break_once_as_the_browser_does():
    field = FreeTextField(max_length=10)

    # Posted as CR LF, the browser counted each line break as one character.
    assert field.clean("abcd\r\nefgh\r\n") == "abcd\nefgh"
    assert field.clean("a\r\nb\r\nc\r\nd\r\ne") == "a\nb\nc\nd\ne"


# ---------------------------------------------------------------------------
# The unit's narrative and score.


def test_nul_in_a_narrative_is_refused_with_a_message_and_saves_nothing(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)
    client = client_for(head_a)

    response = _post_answer(client, answer, self_score="30", narrative="Đã làm\x00 xong")

    assert response.status_code == 200
    assert NUL_MESSAGE in response.text
    assert 'data-save-state="refused"' in response.text
    stored = Answer.objects.get(pk=answer.pk)
    assert (stored.self_score, stored.narrative, stored.version) == (None, "", answer.version)
    assert not AnswerChange.objects.filter(answer=answer).exists()
    submission_a.refresh_from_db()
    assert submission_a.self_total == 0


def test_nul_in_a_narrative_without_javascript_shows_the_page_with_the_text_kept(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)

    response = _post_answer(
        client_for(head_a), answer, htmx=False, self_score="30", narrative="Đã làm\x00 xong"
    )

    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    assert "Đã làm\x00 xong" in response.text
    assert Answer.objects.get(pk=answer.pk).narrative == ""


def test_nul_in_a_score_is_refused_with_a_message(client_for, head_a, submission_a, sheet):
    answer = answer_for(submission_a, sheet.scored)

    response = _post_answer(client_for(head_a), answer, self_score="3\x000")

    assert response.status_code == 200
    assert NUL_MESSAGE in response.text
    assert Answer.objects.get(pk=answer.pk).self_score is None


def test_bidi_controls_are_removed_from_a_narrative_and_the_unit_told(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)

    response = _post_answer(client_for(head_a), answer, narrative=f"Hoàn{HIDDEN} thành")

    assert response.status_code == 200
    assert REMOVED in response.text
    assert "Kết quả thực hiện của đơn vị" in response.text  # the field named
    assert Answer.objects.get(pk=answer.pk).narrative == "Hoàn thành"


def test_a_narrative_over_the_limit_is_refused_and_one_at_the_limit_saved(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)
    client = client_for(head_a)

    response = _post_answer(client, answer, narrative="a" * (NARRATIVE_MAX_LENGTH + 1))

    assert response.status_code == 200
    assert TOO_LONG in response.text
    assert "20.001" in response.text
    assert "20.000" in response.text
    assert Answer.objects.get(pk=answer.pk).narrative == ""

    # Exactly at the limit, counting each posted CR LF as the one character typed.
    at_limit = "a" * (NARRATIVE_MAX_LENGTH - 4) + "\r\nb\r\nc"
    response = _post_answer(client, answer, narrative=at_limit)

    assert "Đã lưu" in response.text
    assert len(Answer.objects.get(pk=answer.pk).narrative) == NARRATIVE_MAX_LENGTH


def test_a_five_megabyte_narrative_is_refused_and_the_sheet_stays_small(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)
    client = client_for(head_a)

    response = _post_answer(client, answer, narrative="x" * (5 * 1024 * 1024))

    assert TOO_LONG in response.text
    assert len(response.content) < 20_000  # the row's status, not the text again
    assert Answer.objects.get(pk=answer.pk).narrative == ""
    page = client.get(reverse("campaigns:submission_detail", args=[submission_a.pk]))
    assert len(page.content) < 200_000


def test_the_sheet_limits_the_narrative_in_the_browser_too(client_for, head_a, submission_a, sheet):
    answer = answer_for(submission_a, sheet.scored)

    page = client_for(head_a).get(reverse("campaigns:submission_detail", args=[submission_a.pk]))

    field = f'id="narrative-{answer.criterion_id}" name="narrative" rows="3" maxlength="20000"'
    assert field in page.text
    assert "data-autosave" in page.text


# ---------------------------------------------------------------------------
# The reviewer's comment, the return reason and comments, the reopen reasons.


def test_nul_in_a_reviewer_comment_is_refused(client_for, officer, submitted_a, sheet):
    answer = answer_for(submitted_a, sheet.scored)

    response = client_for(officer).post(
        reverse("campaigns:answer_review", args=[answer.pk]),
        {"version": answer.version, "reviewer_score": "50", "reviewer_comment": "Thiếu\x00"},
        **HTMX,
    )

    assert response.status_code == 200
    assert NUL_MESSAGE in response.text
    stored = Answer.objects.get(pk=answer.pk)
    assert (stored.reviewer_score, stored.reviewer_comment) == (None, "")
    assert stored.version == answer.version


def test_reviewer_comment_limits_and_controls(client_for, officer, submitted_a, sheet):
    answer = answer_for(submitted_a, sheet.scored)
    client = client_for(officer)
    url = reverse("campaigns:answer_review", args=[answer.pk])

    response = client.post(
        url,
        {"version": answer.version, "reviewer_comment": "x" * (COMMENT_MAX_LENGTH + 1)},
        **HTMX,
    )
    assert TOO_LONG in response.text
    assert Answer.objects.get(pk=answer.pk).reviewer_comment == ""

    response = client.post(
        url, {"version": answer.version, "reviewer_comment": "x" * COMMENT_MAX_LENGTH}, **HTMX
    )
    assert "Đã lưu" in response.text
    stored = Answer.objects.get(pk=answer.pk)
    assert len(stored.reviewer_comment) == COMMENT_MAX_LENGTH

    response = client.post(
        url, {"version": stored.version, "reviewer_comment": f"Thiếu{HIDDEN} minh chứng"}, **HTMX
    )
    assert REMOVED in response.text
    assert Answer.objects.get(pk=answer.pk).reviewer_comment == "Thiếu minh chứng"


@pytest.mark.parametrize(
    "field", ["reason", "comment"], ids=["return reason", "per-criterion comment"]
)
def test_nul_in_a_return_is_refused_and_nothing_changes(
    client_for, officer, submitted_a, sheet, field
):
    answer = answer_for(submitted_a, sheet.scored)
    data = {"reason": "Thiếu minh chứng", f"comment-{sheet.scored.pk}": "Bổ sung quyết định"}
    key = "reason" if field == "reason" else f"comment-{sheet.scored.pk}"
    data[key] += "\x00"

    response = client_for(officer).post(
        reverse("campaigns:submission_return", args=[submitted_a.pk]), data
    )

    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    assert "Thiếu minh chứng" in response.text  # the reason typed, kept
    submitted_a.refresh_from_db()
    assert submitted_a.state == SubmissionState.SUBMITTED
    assert Answer.objects.get(pk=answer.pk).reviewer_comment == ""
    assert not Transition.objects.filter(
        submission=submitted_a, to_state=SubmissionState.RETURNED
    ).exists()


def test_a_return_reason_over_the_limit_is_refused_and_one_at_the_limit_taken(
    client_for, officer, submitted_a, sheet
):
    client = client_for(officer)
    url = reverse("campaigns:submission_return", args=[submitted_a.pk])

    response = client.post(url, {"reason": "x" * (COMMENT_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert TOO_LONG in response.text
    submitted_a.refresh_from_db()
    assert submitted_a.state == SubmissionState.SUBMITTED

    response = client.post(
        url,
        {
            "reason": f"{HIDDEN}" + "x" * COMMENT_MAX_LENGTH,
            f"comment-{sheet.scored.pk}": "y" * COMMENT_MAX_LENGTH,
        },
        follow=True,
    )
    assert REMOVED in response.text
    submitted_a.refresh_from_db()
    assert submitted_a.state == SubmissionState.RETURNED
    transition = Transition.objects.get(submission=submitted_a, to_state=SubmissionState.RETURNED)
    assert transition.reason == "x" * COMMENT_MAX_LENGTH
    assert answer_for(submitted_a, sheet.scored).reviewer_comment == "y" * COMMENT_MAX_LENGTH


def test_a_per_criterion_comment_over_the_limit_is_refused(client_for, officer, submitted_a, sheet):
    response = client_for(officer).post(
        reverse("campaigns:submission_return", args=[submitted_a.pk]),
        {"reason": "Thiếu", f"comment-{sheet.scored.pk}": "y" * (COMMENT_MAX_LENGTH + 1)},
    )

    assert response.status_code == 400
    assert TOO_LONG in response.text
    submitted_a.refresh_from_db()
    assert submitted_a.state == SubmissionState.SUBMITTED


def test_nul_in_a_reopen_reason_is_refused(client_for, officer, submitted_a):
    workflow.accept(submitted_a, by=officer, now=timezone.now())
    client = client_for(officer)
    url = reverse("campaigns:submission_reopen", args=[submitted_a.pk])

    response = client.post(url, {"reopen_reason": "Sửa điểm\x00"})

    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    submitted_a.refresh_from_db()
    assert submitted_a.state == SubmissionState.ACCEPTED

    response = client.post(url, {"reopen_reason": "x" * (COMMENT_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert TOO_LONG in response.text

    client.post(url, {"reopen_reason": f"Sửa{HIDDEN} điểm"})
    submitted_a.refresh_from_db()
    assert submitted_a.state != SubmissionState.ACCEPTED
    assert Transition.objects.filter(submission=submitted_a).last().reason == "Sửa điểm"


@pytest.fixture
def closed_sheet(unit_a, unit_b):
    return make_sheet([unit_a, unit_b], opens=-30, due=-20, closes=-1)


def test_nul_in_the_urging_page_reopen_reason_is_refused_and_creates_nothing(
    client_for, officer, unit_a, closed_sheet
):
    client = client_for(officer)
    url = reverse("campaigns:reopen_unit", args=[closed_sheet.period.pk, unit_a.pk])

    response = client.post(url, {"reason": "Cho nộp bổ sung\x00"})

    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    assert not Submission.objects.filter(period=closed_sheet.period, unit=unit_a).exists()

    response = client.post(url, {"reason": "x" * (COMMENT_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert TOO_LONG in response.text
    assert not Submission.objects.filter(period=closed_sheet.period, unit=unit_a).exists()

    page = client.get(reverse("campaigns:urging", args=[closed_sheet.period.pk]))
    assert 'name="reason" maxlength="5000"' in page.text


def test_the_review_page_limits_its_texts_in_the_browser(client_for, officer, submitted_a, sheet):
    page = client_for(officer).get(reverse("campaigns:review", args=[submitted_a.pk]))

    assert page.text.count('maxlength="5000"') == len(submitted_a.answers.all()) + 1
    assert "data-after-saves" in page.text


# ---------------------------------------------------------------------------
# The registration and the individual assessments.


def test_nul_in_the_commitments_is_refused_and_no_registration_is_made(
    people_a, unit_year, unit_a, head_a, client
):
    client.force_login(head_a)

    response = client.post(
        unit_url(unit_year, unit_a), form_data(unit_year, commitments="Cam kết\x00")
    )

    assert response.status_code == 200
    assert NUL_MESSAGE in response.text
    assert not Registration.objects.exists()


def test_commitments_limit_and_controls(people_a, unit_year, unit_a, head_a, client):
    client.force_login(head_a)
    url = unit_url(unit_year, unit_a)

    response = client.post(url, form_data(unit_year, commitments="x" * (NARRATIVE_MAX_LENGTH + 1)))
    assert TOO_LONG in response.text
    assert not Registration.objects.exists()

    response = client.post(
        url, form_data(unit_year, commitments=f"{HIDDEN}" + "x" * NARRATIVE_MAX_LENGTH), follow=True
    )
    assert REMOVED in response.text
    assert Registration.objects.get().commitments == "x" * NARRATIVE_MAX_LENGTH


@pytest.mark.parametrize("field", ["notes", "initiatives", "initiative_decision"])
def test_nul_in_an_individual_assessment_is_refused_and_saves_nothing(
    people_a, unit_year, head_a, client, field
):
    person = people_a[1]
    client.force_login(head_a)

    response = client.post(
        row_url(unit_year, person), row_data(person, **{field: "Ghi chú\x00"}), **HTMX
    )

    assert response.status_code == 200
    assert NUL_MESSAGE in response.text
    assert IndividualAssessment.objects.count() == 0


def test_individual_notes_limit_and_controls(people_a, unit_year, head_a, client):
    person = people_a[1]
    client.force_login(head_a)
    url = row_url(unit_year, person)

    response = client.post(url, row_data(person, notes="x" * (COMMENT_MAX_LENGTH + 1)), **HTMX)
    assert TOO_LONG in response.text
    assert IndividualAssessment.objects.count() == 0

    response = client.post(
        url, row_data(person, notes=f"{HIDDEN}" + "x" * COMMENT_MAX_LENGTH), **HTMX
    )
    assert REMOVED in response.text
    assert IndividualAssessment.objects.get().notes == "x" * COMMENT_MAX_LENGTH
