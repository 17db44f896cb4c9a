"""An action posted a second time (a double click, a second officer) after the first
went through does nothing more and says it was already done."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import SubmissionState
from campaigns.models import Submission, Transition
from campaigns.sheets import answers, workflow

from .sheet import fill, make_sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def submitted_a(submission_a, sheet, head_a):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    return submission_a


def _twice(client, url, data=None):
    first = client.post(url, data or {})
    second = client.post(url, data or {}, follow=True)
    return first, second


def test_submit_twice(client_for, head_a, submission_a, sheet, django_capture_on_commit_callbacks):
    fill(submission_a, sheet, head_a)
    url = reverse("campaigns:submission_submit", args=[submission_a.pk])

    with django_capture_on_commit_callbacks(execute=True):
        _first, second = _twice(client_for(head_a), url)

    assert "already “Submitted”: nothing more was done" in second.text
    assert Transition.objects.filter(to_state=SubmissionState.SUBMITTED).count() == 1
    assert len(mail.outbox) == 1  # the unit's (no officer with an email here)


@pytest.mark.parametrize(
    ("name", "data", "state"),
    [
        ("campaigns:submission_accept", {}, SubmissionState.ACCEPTED),
        ("campaigns:submission_return", {"reason": "Bổ sung"}, SubmissionState.RETURNED),
    ],
)
def test_review_decision_twice(
    client_for, officer, submitted_a, django_capture_on_commit_callbacks, name, data, state
):
    url = reverse(name, args=[submitted_a.pk])

    with django_capture_on_commit_callbacks(execute=True):
        _first, second = _twice(client_for(officer), url, data)

    assert second.status_code == 200
    assert "nothing more was done" in second.text
    assert Transition.objects.filter(to_state=state).count() == 1
    assert len(mail.outbox) == 1


@pytest.fixture
def closed(unit_a, unit_b):
    return make_sheet([unit_a, unit_b], opens=-30, due=-20, closes=-1)


def test_reopen_twice(
    client_for, officer, head_a, unit_a, closed, django_capture_on_commit_callbacks
):
    submission = answers.open_submission(closed.period, unit_a)
    url = reverse("campaigns:submission_reopen", args=[submission.pk])

    with django_capture_on_commit_callbacks(execute=True):
        _first, second = _twice(client_for(officer), url, {"reopen_reason": "Sự cố mạng"})

    assert second.status_code == 200
    assert "already reopened on" in second.text
    assert Transition.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[head_a.email]]


def test_reopen_unit_twice(
    client_for, officer, head_a, unit_a, closed, django_capture_on_commit_callbacks
):
    url = reverse("campaigns:reopen_unit", args=[closed.period.pk, unit_a.pk])

    with django_capture_on_commit_callbacks(execute=True):
        _first, second = _twice(client_for(officer), url, {"reason": "Cho nộp bổ sung"})

    assert second.redirect_chain[-1][0] == reverse("campaigns:urging", args=[closed.period.pk])
    assert "Vụ Pháp chế: This self-assessment was already reopened on" in second.text
    assert Submission.objects.filter(unit=unit_a).count() == 1
    assert Transition.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[head_a.email]]
