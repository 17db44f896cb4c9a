import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import Subject, SubmissionState
from campaigns.models import AnswerChange, Evidence
from campaigns.sheets import answers, workflow

from ..factories import CriterionFactory
from .sheet import PDF, answer_for, fill

# Messages are asserted as written in the code (English); see test_*_in_vietnamese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post_answer(client, answer, **data):
    payload = {"version": answer.version, **data}
    return client.post(reverse("campaigns:answer_save", args=[answer.pk]), payload, **HTMX)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("head_a", 200),
        ("head_b", 404),
        ("block_head", 200),
        ("officer", 200),
        ("council", 404),
        ("leader", 200),
    ],
)
def test_submission_page_permissions(cast, client_for, submission_a, submission_b, role, expected):
    response = client_for(cast[role]).get(
        reverse("campaigns:submission_detail", args=[submission_a.pk])
    )

    assert response.status_code == expected
    if expected == 200:
        assert "Vụ Pháp chế" in response.text
        assert "Cục Viễn thám" not in response.text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 401),  # htmx: no login page swapped into the row
        ("head_a", 200),
        ("head_b", 404),
        ("block_head", 403),
        ("officer", 403),
        ("council", 404),
        ("leader", 403),
    ],
)
def test_answer_save_permissions(cast, client_for, submission_a, sheet, role, expected):
    answer = answer_for(submission_a, sheet.scored)

    response = _post_answer(client_for(cast[role]), answer, self_score="30")

    assert response.status_code == expected
    answer.refresh_from_db()
    assert answer.self_score == (Decimal("30") if expected == 200 else None)


def test_answer_save_updates_the_running_total(client_for, head_a, submission_a, sheet):
    answer = answer_for(submission_a, sheet.scored)
    client = client_for(head_a)

    response = _post_answer(client, answer, self_score="45,5", narrative="Xong")
    total = client.get(reverse("campaigns:submission_total", args=[submission_a.pk]), **HTMX)

    assert response["HX-Trigger"] == "answer-saved"
    assert total.text.startswith("45.5<")
    answer.refresh_from_db()
    assert (answer.self_score, answer.narrative, answer.version) == (Decimal("45.50"), "Xong", 2)


def test_the_running_total_brings_the_answered_counter_along(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)
    client = client_for(head_a)

    _post_answer(client, answer, self_score="45")
    total = client.get(reverse("campaigns:submission_total", args=[submission_a.pk]), **HTMX)

    # The value first, for inside the page's element (which stays in place).
    assert total.text.startswith("45<span")
    # Swapped out of band, in place of the counter beside the submit button.
    assert re.search(
        r'<span class="muted" id="answered-counter" data-testid="answered-counter" '
        r'hx-swap-oob="true">1 of 3 criteria answered</span>',
        total.text,
    )


def test_the_unit_total_before_the_first_save_counts_nothing_answered(
    client_for, head_a, sheet, unit_a
):
    response = client_for(head_a).get(
        reverse("campaigns:unit_total", args=[sheet.period.pk, unit_a.pk]), **HTMX
    )

    assert re.search(r'id="answered-counter"[^>]*>0 of 3 criteria answered<', response.text)


def test_answer_over_maximum_is_refused_with_message(client_for, head_a, submission_a, sheet):
    answer = answer_for(submission_a, sheet.scored)

    response = _post_answer(client_for(head_a), answer, self_score="61", narrative="Giữ nguyên")

    assert "The score cannot exceed the maximum of 60 points." in response.text
    answer.refresh_from_db()
    assert (answer.self_score, answer.narrative, answer.version) == (None, "", 1)


def test_stale_answer_is_refused_and_typed_text_shown_back_without_js(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)
    answers.save_answer(
        answer, by=head_a, expected_version=1, narrative="Bản của người khác", now=timezone.now()
    )
    client = client_for(head_a)

    response = client.post(
        reverse("campaigns:answer_save", args=[answer.pk]),
        {"version": 1, "self_score": "20", "narrative": "Văn bản tôi vừa gõ"},
    )

    assert response.status_code == 400
    assert "Văn bản tôi vừa gõ" in response.text
    assert "after you opened it" in response.text
    answer.refresh_from_db()
    assert (answer.narrative, answer.self_score) == ("Bản của người khác", None)


def test_stale_answer_with_htmx_offers_the_stored_text(client_for, head_a, submission_a, sheet):
    answer = answer_for(submission_a, sheet.scored)
    answers.save_answer(
        answer, by=head_a, expected_version=1, narrative="Bản của người khác", now=timezone.now()
    )

    response = _post_answer(client_for(head_a), answer, narrative="Của tôi")

    assert 'data-testid="stale"' in response.text
    assert "Bản của người khác" in response.text
    assert '"force_version": "2"' in response.text


def test_answer_changes_are_kept(client_for, head_a, submission_a, sheet):
    answer = answer_for(submission_a, sheet.scored)
    client = client_for(head_a)
    _post_answer(client, answer, self_score="10")
    answer.refresh_from_db()

    _post_answer(client, answer, self_score="12")

    assert list(
        AnswerChange.objects.filter(answer=answer)
        .order_by("id")
        .values_list("field", "old_value", "new_value", "changed_by__username")
    ) == [("self_score", "", "10.00", "head_a"), ("self_score", "10.00", "12.00", "head_a")]


def test_evidence_upload_keeps_size_and_checksum(client_for, head_a, submission_a, sheet):
    answer = answer_for(submission_a, sheet.scored)

    response = client_for(head_a).post(
        reverse("campaigns:evidence_upload", args=[answer.pk]),
        {"file": SimpleUploadedFile("ke-hoach.pdf", PDF)},
        **HTMX,
    )

    evidence = Evidence.objects.get(answer=answer)
    assert "ke-hoach.pdf" in response.text
    assert (evidence.original_name, evidence.size, evidence.content_type) == (
        "ke-hoach.pdf",
        len(PDF),
        "application/pdf",
    )
    assert "ke-hoach" not in evidence.file.name


def test_evidence_of_wrong_type_is_refused_with_reason(client_for, head_a, submission_a, sheet):
    answer = answer_for(submission_a, sheet.scored)

    response = client_for(head_a).post(
        reverse("campaigns:evidence_upload", args=[answer.pk]),
        {"file": SimpleUploadedFile("virus.pdf", b"MZ" + b"\x00" * 300)},
        **HTMX,
    )

    assert "is not an accepted type" in response.text
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("head_a", 200),
        ("head_b", 404),
        ("block_head", 200),
        ("officer", 200),
        ("council", 404),
        ("leader", 200),
    ],
)
def test_evidence_download_permissions(
    cast, client_for, submission_a, sheet, head_a, role, expected
):
    evidence = answers.attach_evidence(
        answer_for(submission_a, sheet.scored),
        SimpleUploadedFile("kh.pdf", PDF),
        by=head_a,
        now=timezone.now(),
    )

    response = client_for(cast[role]).get(
        reverse("campaigns:evidence_download", args=[evidence.pk])
    )

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="kh.pdf"'


def test_submit_incomplete_lists_missing_criteria(client_for, head_a, submission_a, sheet):
    response = client_for(head_a).post(
        reverse("campaigns:submission_submit", args=[submission_a.pk]), follow=True
    )

    sheet_url = reverse("campaigns:submission_detail", args=[submission_a.pk])
    assert response.redirect_chain == [(f"{sheet_url}?incomplete=1", 302)]
    assert 'data-testid="missing"' in response.text
    assert "1.1</a> – not answered" in response.text
    assert "The self-assessment is incomplete: 2 item(s) missing." in response.text
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.DRAFT


def test_reloading_the_refused_submit_shows_what_is_missing_and_posts_nothing(
    client_for, head_a, submission_a, sheet
):
    client = client_for(head_a)
    url = reverse("campaigns:submission_detail", args=[submission_a.pk]) + "?incomplete=1"
    fill(submission_a, sheet, head_a, evidence=False)

    response = client.get(url)

    assert response.status_code == 200
    assert re.findall(r'<a href="#criterion-\d+">([\d.]+)</a> – ([^<]+)</li>', response.text) == [
        ("1.1", "evidence required but none attached")
    ]
    submission_a.refresh_from_db()
    assert (submission_a.state, submission_a.transitions.count()) == (SubmissionState.DRAFT, 0)


def test_the_missing_list_is_not_shown_on_a_submitted_sheet(
    client_for, head_a, submission_a, sheet
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    url = reverse("campaigns:submission_detail", args=[submission_a.pk]) + "?incomplete=1"

    response = client_for(head_a).get(url)

    assert 'data-testid="missing"' not in response.text


def test_accepted_submission_is_locked(client_for, head_a, officer, submission_a, sheet):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    workflow.accept(submission_a, by=officer, now=timezone.now())
    answer = answer_for(submission_a, sheet.scored)

    response = _post_answer(client_for(head_a), answer, self_score="1")

    assert "has been accepted and is locked" in response.text
    answer.refresh_from_db()
    assert answer.self_score == Decimal("55.00")


def test_my_submission_opens_the_units_sheet(client_for, head_a, sheet, unit_a):
    response = client_for(head_a).get(reverse("campaigns:my_submission", args=[sheet.period.pk]))

    # Every criterion to fill, and nothing made until the unit saves something.
    assert response.status_code == 200
    assert response.text.count('<form class="answer-form"') == 3
    assert not unit_a.submissions.exists()


def test_my_submission_for_a_campaign_the_unit_is_not_in_is_404(client_for, head_b, unit_a):
    from .sheet import make_sheet

    other = make_sheet([unit_a])

    response = client_for(head_b).get(reverse("campaigns:my_submission", args=[other.period.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("item_count", [3, 80])
def test_submission_page_query_count(
    client_for, head_a, sheet, unit_a, django_assert_num_queries, item_count
):
    for number in range(item_count - 3):
        CriterionFactory(
            campaign=sheet.period.campaign,
            subject=Subject.COLLECTIVE,
            parent=sheet.section,
            code=f"1.{number + 3}",
            order=10 + number,
        )
    submission = answers.open_submission(sheet.period, unit_a)
    fill(submission, sheet, head_a)
    client = client_for(head_a)

    # session, user, submission, memberships (rules cache), criteria, answers,
    # evidence, transitions: the same for 3 and 80 criteria
    with django_assert_num_queries(8):
        response = client.get(reverse("campaigns:submission_detail", args=[submission.pk]))

    assert response.text.count('class="card answer') == item_count


def test_refusals_are_in_vietnamese_by_default(settings, client, head_a, submission_a, sheet):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(head_a)
    answer = answer_for(submission_a, sheet.scored)

    refused = client.post(
        reverse("campaigns:answer_save", args=[answer.pk]),
        {"version": answer.version, "self_score": "61"},
        **HTMX,
    )
    incomplete = client.post(
        reverse("campaigns:submission_submit", args=[submission_a.pk]), follow=True
    )

    assert "Điểm không được vượt quá mức tối đa 60 điểm." in refused.text
    assert "Bản tự đánh giá chưa đầy đủ: còn thiếu 2 mục." in incomplete.text
    assert "1.1</a> – chưa chấm điểm" in incomplete.text


def test_my_submission_for_a_closed_period_opens_nothing(client_for, head_a, unit_a, unit_b):
    from .sheet import make_sheet

    closed = make_sheet([unit_a, unit_b], opens=-30, due=-20, closes=-1)

    response = client_for(head_a).get(
        reverse("campaigns:my_submission", args=[closed.period.pk]), follow=True
    )

    assert response.redirect_chain[0][0] == reverse(
        "campaigns:detail", args=[closed.period.campaign_id]
    )
    assert "Vụ Pháp chế made no self-assessment for this period" in response.text
    assert not unit_a.submissions.exists()


def test_my_submission_of_a_closed_period_shows_the_one_made(client_for, head_a, unit_a):
    from .sheet import make_sheet

    closed = make_sheet([unit_a], opens=-30, due=-20, closes=-1)
    made = answers.open_submission(closed.period, unit_a)

    response = client_for(head_a).get(reverse("campaigns:my_submission", args=[closed.period.pk]))

    assert response.url == reverse("campaigns:submission_detail", args=[made.pk])


def _add_criterion(sheet, text: str, **fields):
    """A collective criterion added to the movement's table after units opened it
    (under section 1 as 1.3 unless told otherwise)."""
    fields = {"parent": sheet.section, "code": "1.3", "order": 3, **fields}
    return CriterionFactory(
        campaign=sheet.period.campaign, subject=Subject.COLLECTIVE, text=text, **fields
    )


def _accepted(submission, sheet, head, officer):
    fill(submission, sheet, head)
    workflow.submit(submission, by=head, now=timezone.now())
    workflow.accept(submission, by=officer, now=timezone.now())
    submission.refresh_from_db()
    return submission


def test_criterion_added_after_opening_can_be_answered_and_is_required(
    client_for, head_a, submission_a, sheet
):
    fill(submission_a, sheet, head_a)
    added = _add_criterion(sheet, "Tiêu chí bổ sung giữa năm")
    client = client_for(head_a)

    page = client.get(reverse("campaigns:submission_detail", args=[submission_a.pk]))
    refused = client.post(
        reverse("campaigns:submission_submit", args=[submission_a.pk]), follow=True
    )

    assert "Tiêu chí bổ sung giữa năm" in page.text
    assert "1.3</a> – not answered" in refused.text
    assert not submission_a.answers.filter(criterion=added).exists()  # looking made none
    url = reverse(
        "campaigns:criterion_answer_save", args=[sheet.period.pk, submission_a.unit_id, added.pk]
    )
    saved = client.post(
        url,
        {"version": "1", "self_score": "0"},
        **HTMX,
    )
    assert "Saved" in saved.text
    client.post(reverse("campaigns:submission_submit", args=[submission_a.pk]))
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.SUBMITTED


def test_criterion_added_after_acceptance_is_not_part_of_the_locked_sheet(
    client_for, head_a, officer, submission_a, sheet
):
    _accepted(submission_a, sheet, head_a, officer)
    before = submission_a.answers.count()
    _add_criterion(sheet, "Tiêu chí bổ sung sau khi duyệt")

    page = client_for(head_a).get(reverse("campaigns:submission_detail", args=[submission_a.pk]))
    review = client_for(officer).get(reverse("campaigns:review", args=[submission_a.pk]))

    assert page.status_code == review.status_code == 200
    assert "Tiêu chí bổ sung sau khi duyệt" not in page.text + review.text
    assert submission_a.answers.count() == before


def test_accepted_sheet_keeps_its_tree_and_maximum_when_the_table_grows(
    head_a, officer, submission_a, sheet
):
    from campaigns.sheets.queries import load_sheet

    _accepted(submission_a, sheet, head_a, officer)
    before = load_sheet(submission_a)
    section = _add_criterion(sheet, "Mục mới", parent=None, code="3", order=5, max_points=20)
    _add_criterion(sheet, "Tiêu chí mới", parent=section, code="3.1", order=6, max_points=20)
    # a child under a leaf the unit answered
    _add_criterion(sheet, "Ý nhỏ", parent=sheet.scored, code="1.1.1", order=7, max_points=10)

    after = load_sheet(submission_a)

    assert after.maximum == before.maximum
    assert [(row.criterion.code, row.answer is not None) for row in after.rows] == [
        (row.criterion.code, row.answer is not None) for row in before.rows
    ]
    scored = next(row for row in after.rows if row.criterion.code == "1.1")
    assert scored.answer.self_score == Decimal("55.00")
    assert submission_a.answers.count() == 3  # no answer row made for the new ones


def test_missing_version_is_said_in_the_row_and_saves_nothing(
    client_for, head_a, submission_a, sheet
):
    answer = answer_for(submission_a, sheet.scored)
    url = reverse("campaigns:answer_save", args=[answer.pk])
    client = client_for(head_a)

    htmx = client.post(url, {"self_score": "30", "narrative": "Đã làm"}, **HTMX)
    plain = client.post(url, {"version": "x", "self_score": "30", "narrative": "Đã làm"})

    assert htmx.status_code == 200
    assert f'id="status-{answer.criterion_id}"' in htmx.text
    assert "The form is missing its version" in htmx.text
    assert plain.status_code == 400
    assert "Đã làm</textarea>" in plain.text  # what was typed is shown back
    answer.refresh_from_db()
    assert (answer.self_score, answer.narrative) == (None, "")


@pytest.mark.parametrize(
    ("name", "content_type", "download_as"),
    [
        ("bien-ban.doc", "application/msword", "bien-ban.doc"),
        ("diem.xls", "application/vnd.ms-excel", "diem.xls"),
        ("anh-chup.pdf", "image/jpeg", "anh-chup.pdf.jpg"),  # a photo named .pdf
        ("so-do.pdf", "image/png", "so-do.pdf.png"),  # a PNG named .pdf
    ],
)
def test_real_office_files_and_photos_upload_and_download(
    client_for, head_a, submission_a, sheet, name, content_type, download_as
):
    from ..hostile_files import png
    from .test_evidence import FILES, _jpeg

    images = {"image/jpeg": _jpeg, "image/png": png}
    content = images[content_type]() if content_type in images else (FILES / name).read_bytes()
    answer = answer_for(submission_a, sheet.scored)
    client = client_for(head_a)

    client.post(
        reverse("campaigns:evidence_upload", args=[answer.pk]),
        {"file": SimpleUploadedFile(name, content)},
        **HTMX,
    )
    evidence = Evidence.objects.get(answer=answer)
    response = client.get(reverse("campaigns:evidence_download", args=[evidence.pk]))

    assert (evidence.original_name, evidence.content_type) == (name, content_type)
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{download_as}"'


def test_the_timeline_tells_a_reopening_from_a_return(
    client_for, head_a, officer, submission_a, sheet
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    workflow.accept(submission_a, by=officer, now=timezone.now())
    workflow.reopen(submission_a, by=officer, reason="Sửa điểm", now=timezone.now())

    response = client_for(head_a).get(
        reverse("campaigns:submission_detail", args=[submission_a.pk])
    )

    steps = [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(
            r'<span class="timeline__what">(.*?)</span>', response.text, flags=re.S
        )
    ]
    assert steps == ["Submitted", "Accepted", "Reopened"]
    reason = re.search(r'data-testid="return-reason">(.*?)</div>', response.text, flags=re.S)
    assert "Reopened:" in reason.group(1)
    assert "Returned for revision:" not in reason.group(1)


def test_the_unit_withdraws_its_sheet_from_the_page(client_for, head_a, submission_a, sheet):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    client = client_for(head_a)
    url = reverse("campaigns:submission_detail", args=[submission_a.pk])

    page = client.get(url)
    response = client.post(
        reverse("campaigns:submission_withdraw", args=[submission_a.pk]), follow=True
    )

    assert 'data-testid="withdraw"' in page.text
    assert response.redirect_chain == [(url, 302)]
    assert "Your self-assessment was withdrawn: edit it and submit it again." in response.text
    assert 'data-testid="withdraw"' not in response.text
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.DRAFT


def test_no_withdraw_button_once_the_review_started(
    client_for, head_a, officer, submission_a, sheet
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    answer = answer_for(submission_a, sheet.scored)
    answers.save_review(
        answer, by=officer, now=timezone.now(), expected_version=answer.version, reviewer_score="50"
    )

    page = client_for(head_a).get(reverse("campaigns:submission_detail", args=[submission_a.pk]))
    refused = client_for(head_a).post(
        reverse("campaigns:submission_withdraw", args=[submission_a.pk]), follow=True
    )

    assert 'data-testid="withdraw"' not in page.text
    assert "The Department has started reviewing this self-assessment" in refused.text
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.SUBMITTED
