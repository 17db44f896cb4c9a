"""Who may see and do what on a unit's self-assessment: every page and action of the
unit's year × every role, with the expected status and what happened to the data.

Unit B's self-assessment (its answers, narrative and evidence) is created before
unit A's, so a page that leaked it would show it. block_head heads the 2024 block
that unit A belongs to, not unit B. Registration and individual assessments have
their own tables in test_registration.py and test_individuals.py; the ones here
complete them.
"""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import SubmissionState
from campaigns.models import Evidence, Reminder, Submission
from campaigns.sheets import answers, workflow

from .sheet import PDF, answer_for, fill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ROLES = ("anonymous", "head_a", "head_b", "block_head", "officer", "council", "leader")
HTMX = {"HTTP_HX_REQUEST": "true"}
SECRET_B = "Số liệu riêng của Cục Viễn thám"


def matrix(**expected):
    """[(role, expected)] for every role, so a role left out is a mistake, not a pass."""
    assert set(expected) == set(ROLES), set(ROLES) ^ set(expected)
    return [(role, expected[role]) for role in ROLES]


@pytest.fixture
def leak_b(sheet, unit_b, head_b):
    """Unit B's submitted self-assessment, with a narrative and a file only B may see."""
    submission = answers.open_submission(sheet.period, unit_b)
    fill(submission, sheet, head_b)
    answer = answer_for(submission, sheet.yes_no)
    answers.save_answer(
        answer, by=head_b, expected_version=answer.version, narrative=SECRET_B, now=timezone.now()
    )
    return workflow.submit(submission, by=head_b, now=timezone.now())


@pytest.fixture
def draft_a(leak_b, sheet, unit_a, head_a):
    submission = answers.open_submission(sheet.period, unit_a)
    fill(submission, sheet, head_a)
    return submission


@pytest.fixture
def submitted_a(draft_a, head_a):
    return workflow.submit(draft_a, by=head_a, now=timezone.now())


@pytest.fixture
def accepted_a(submitted_a, officer):
    return workflow.accept(submitted_a, by=officer, now=timezone.now())


def _state(submission) -> str:
    return Submission.objects.get(pk=submission.pk).state


def _assert_no_leak(response):
    assert SECRET_B not in response.text
    assert "Cục Viễn thám" not in response.text


# ---------------------------------------------------------------------------
# Pages


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=302,
        head_b=302,
        block_head=404,
        officer=404,
        council=404,
        leader=404,
    ),
)
def test_my_submission(cast, client_for, draft_a, leak_b, sheet, role, expected):
    response = client_for(cast[role]).get(
        reverse("campaigns:my_submission", args=[sheet.period.pk])
    )

    assert response.status_code == expected
    own = {"head_a": draft_a, "head_b": leak_b}.get(role)
    if own is not None:  # each head lands on their own unit's, never the other's
        assert response.url == reverse("campaigns:submission_detail", args=[own.pk])
    if role == "anonymous":
        assert response.url.startswith(reverse("login"))
    assert Submission.objects.count() == 2


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=200,
        head_b=404,
        block_head=200,
        officer=200,
        council=404,
        leader=200,
    ),
)
@pytest.mark.parametrize("page", ["submission_detail", "submission_total"])
def test_submission_pages(cast, client_for, submitted_a, page, role, expected):
    response = client_for(cast[role]).get(reverse(f"campaigns:{page}", args=[submitted_a.pk]))

    assert response.status_code == expected
    if expected == 200:
        # the self-assessed total: in the page's running-total element, or the
        # fragment's value that goes inside it
        total = r'id="running-total"[^>]*>97</span>' if page == "submission_detail" else r"^97<"
        assert re.search(total, response.text)
        _assert_no_leak(response)


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=403,
        head_b=404,
        block_head=403,
        officer=200,
        council=404,
        leader=200,
    ),
)
def test_review_page(cast, client_for, submitted_a, role, expected):
    response = client_for(cast[role]).get(reverse("campaigns:review", args=[submitted_a.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert "Review: Vụ Pháp chế" in response.text
        _assert_no_leak(response)


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=403,
        head_b=404,
        block_head=403,
        officer=200,
        council=404,
        leader=403,
    ),
)
def test_history_page(cast, client_for, submitted_a, role, expected):
    response = client_for(cast[role]).get(
        reverse("campaigns:submission_history", args=[submitted_a.pk])
    )

    assert response.status_code == expected
    if expected == 200:
        assert len(response.context["changes"]) == 7  # 3 scores, 3 narratives and a file
        _assert_no_leak(response)


@pytest.mark.parametrize(
    ("role", "expected", "units"),
    [
        ("anonymous", 302, None),
        ("head_a", 200, ["Vụ Pháp chế"]),
        ("head_b", 200, ["Cục Viễn thám"]),
        ("block_head", 200, ["Vụ Pháp chế"]),
        ("officer", 200, ["Cục Viễn thám", "Vụ Pháp chế"]),
        ("council", 200, []),
        ("leader", 200, ["Cục Viễn thám", "Vụ Pháp chế"]),
    ],
)
def test_review_queue(cast, client_for, submitted_a, role, expected, units):
    response = client_for(cast[role]).get(reverse("campaigns:review_queue"))

    assert response.status_code == expected
    if expected == 200:
        assert sorted(s.unit.name for s in response.context["submissions"]) == units
        counts = {state: count for state, _label, count in response.context["counts"]}
        assert counts[SubmissionState.SUBMITTED] == len(units)


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=403,
        head_b=403,
        block_head=403,
        officer=200,
        council=403,
        leader=403,
    ),
)
def test_urging_page(cast, client_for, draft_a, sheet, role, expected):
    response = client_for(cast[role]).get(reverse("campaigns:urging", args=[sheet.period.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert [u.name for u in response.context["units"]] == ["Vụ Pháp chế"]


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=200,
        head_b=404,
        block_head=200,
        officer=200,
        council=404,
        leader=200,
    ),
)
def test_evidence_download(cast, client_for, submitted_a, sheet, role, expected):
    evidence = Evidence.objects.get(answer__submission=submitted_a)

    response = client_for(cast[role]).get(
        reverse("campaigns:evidence_download", args=[evidence.pk])
    )

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF


def test_block_head_sees_nothing_of_a_unit_outside_the_block(client_for, block_head, leak_b):
    client = client_for(block_head)
    evidence = Evidence.objects.get(answer__submission=leak_b)

    pages = [
        reverse("campaigns:submission_detail", args=[leak_b.pk]),
        reverse("campaigns:submission_total", args=[leak_b.pk]),
        reverse("campaigns:review", args=[leak_b.pk]),
        reverse("campaigns:submission_history", args=[leak_b.pk]),
        reverse("campaigns:evidence_download", args=[evidence.pk]),
    ]

    assert [client.get(url).status_code for url in pages] == [404] * len(pages)


# ---------------------------------------------------------------------------
# Actions of the unit


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=302,
        head_b=404,
        block_head=403,
        officer=403,
        council=404,
        leader=403,
    ),
)
def test_submit(cast, client_for, draft_a, role, expected):
    response = client_for(cast[role]).post(
        reverse("campaigns:submission_submit", args=[draft_a.pk])
    )

    assert response.status_code == expected
    assert _state(draft_a) == (
        SubmissionState.SUBMITTED if role == "head_a" else SubmissionState.DRAFT
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=302,
        head_b=404,
        block_head=403,
        officer=403,
        council=404,
        leader=403,
    ),
)
def test_evidence_upload(cast, client_for, draft_a, sheet, role, expected):
    answer = answer_for(draft_a, sheet.yes_no)

    response = client_for(cast[role]).post(
        reverse("campaigns:evidence_upload", args=[answer.pk]),
        {"file": SimpleUploadedFile("bien-ban.pdf", PDF)},
    )

    assert response.status_code == expected
    names = list(Evidence.objects.filter(answer=answer).values_list("original_name", flat=True))
    assert names == (["bien-ban.pdf"] if role == "head_a" else [])


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=302,
        head_b=404,
        block_head=403,
        officer=403,
        council=404,
        leader=403,
    ),
)
def test_evidence_delete(cast, client_for, draft_a, role, expected):
    evidence = Evidence.objects.get(answer__submission=draft_a)

    response = client_for(cast[role]).post(reverse("campaigns:evidence_delete", args=[evidence.pk]))

    assert response.status_code == expected
    assert Evidence.objects.filter(pk=evidence.pk).exists() is (role != "head_a")


# ---------------------------------------------------------------------------
# Actions of the Department of Organization and Personnel


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=401,  # htmx: no login page swapped into the row
        head_a=403,
        head_b=404,
        block_head=403,
        officer=200,
        council=404,
        leader=403,
    ),
)
def test_answer_review(cast, client_for, submitted_a, sheet, role, expected):
    answer = answer_for(submitted_a, sheet.scored)

    response = client_for(cast[role]).post(
        reverse("campaigns:answer_review", args=[answer.pk]),
        {"version": answer.version, "reviewer_score": "50", "reviewer_comment": "Trừ 5 điểm"},
        **HTMX,
    )

    assert response.status_code == expected
    answer.refresh_from_db()
    if role == "officer":
        assert (answer.reviewer_score, answer.reviewer_comment) == (50, "Trừ 5 điểm")
    else:
        assert (answer.reviewer_score, answer.reviewer_comment) == (None, "")


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=401,
        head_a=403,
        head_b=404,
        block_head=403,
        officer=200,  # allowed: the row says the version is missing
        council=404,
        leader=403,
    ),
)
def test_answer_review_without_a_version_is_refused_by_role_first(
    cast, client_for, submitted_a, sheet, role, expected
):
    answer = answer_for(submitted_a, sheet.scored)

    response = client_for(cast[role]).post(
        reverse("campaigns:answer_review", args=[answer.pk]), {"reviewer_score": "50"}, **HTMX
    )

    assert response.status_code == expected
    if role == "officer":
        assert "The form is missing its version" in response.text
    answer.refresh_from_db()
    assert answer.reviewer_score is None


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=403,
        head_b=404,
        block_head=403,
        officer=302,
        council=404,
        leader=403,
    ),
)
def test_return(cast, client_for, submitted_a, role, expected):
    response = client_for(cast[role]).post(
        reverse("campaigns:submission_return", args=[submitted_a.pk]),
        {"reason": "Thiếu minh chứng tiêu chí 1.2"},
    )

    assert response.status_code == expected
    assert _state(submitted_a) == (
        SubmissionState.RETURNED if role == "officer" else SubmissionState.SUBMITTED
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=403,
        head_b=404,
        block_head=403,
        officer=302,
        council=404,
        leader=403,
    ),
)
def test_accept(cast, client_for, submitted_a, role, expected):
    response = client_for(cast[role]).post(
        reverse("campaigns:submission_accept", args=[submitted_a.pk])
    )

    assert response.status_code == expected
    assert _state(submitted_a) == (
        SubmissionState.ACCEPTED if role == "officer" else SubmissionState.SUBMITTED
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=403,
        head_b=404,
        block_head=403,
        officer=302,
        council=404,
        leader=403,
    ),
)
def test_reopen(cast, client_for, accepted_a, role, expected):
    response = client_for(cast[role]).post(
        reverse("campaigns:submission_reopen", args=[accepted_a.pk]),
        {"reopen_reason": "Đơn vị xin điều chỉnh số liệu"},
    )

    assert response.status_code == expected
    assert _state(accepted_a) == (
        SubmissionState.RETURNED if role == "officer" else SubmissionState.ACCEPTED
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    matrix(
        anonymous=302,
        head_a=403,
        head_b=403,
        block_head=403,
        officer=302,
        council=403,
        leader=403,
    ),
)
def test_remind(cast, client_for, draft_a, sheet, unit_a, head_a, role, expected):
    mail.outbox.clear()

    response = client_for(cast[role]).post(
        reverse("campaigns:remind", args=[sheet.period.pk]), {"unit": [unit_a.pk]}
    )

    assert response.status_code == expected
    reminded = list(Reminder.objects.values_list("unit_id", flat=True))
    assert reminded == ([unit_a.pk] if role == "officer" else [])
    assert [m.to for m in mail.outbox] == ([[head_a.email]] if role == "officer" else [])
