"""The block agreeing with the unit on every criterion it has not scored: one click
instead of thirty, each criterion still in the history."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campaigns.blocks.scoring import confirm_remaining
from campaigns.enums import AnswerField
from campaigns.models import AnswerChange, Submission

from .test_block_scoring import NOW, answer, score
from .test_block_scoring import world as world  # noqa: F401, PLC0414 — the fixture

pytestmark = pytest.mark.django_db


def test_confirm_scores_what_the_block_left_with_the_units_own(world, block_head):
    sheet, submission = world["sheet"], world["a"]
    score(submission, sheet.scored, block_head, "45")

    count = confirm_remaining(submission, by=block_head, now=NOW)

    assert count == 2
    assert answer(submission, sheet.scored).block_score == D(45)
    assert answer(submission, sheet.yes_no).block_score == D(40)
    assert answer(submission, sheet.bonus).block_score == D(2)
    submission.refresh_from_db()
    assert submission.block_total == D(87)
    assert submission.block_scored_count == 3
    changes = AnswerChange.objects.filter(
        answer__submission=submission, field=AnswerField.BLOCK_SCORE
    ).order_by("id")
    assert [(c.old_value, c.new_value, c.changed_by) for c in changes][1:] == [
        ("", "40.00", block_head),
        ("", "2.00", block_head),
    ]
    assert confirm_remaining(submission, by=block_head, now=NOW) == 0


def test_confirm_is_the_blocks_act_not_the_departments(world, officer, head_a):
    submission = world["a"]
    for user in (officer, head_a):
        with pytest.raises(PermissionDenied):
            confirm_remaining(submission, by=user, now=NOW)
    assert Submission.objects.get(pk=submission.pk).block_scored_count == 0


def test_the_page_button_confirms_and_says_how_many(world, client_for, block_head):
    submission = world["a"]
    client = client_for(block_head)
    page = client.get(reverse("campaigns:block_scoring", args=[submission.pk]))
    assert 'data-testid="confirm-remaining"' in page.content.decode()

    response = client.post(reverse("campaigns:block_confirm", args=[submission.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "campaigns:block_scoring", args=[submission.pk]
    )
    assert Submission.objects.get(pk=submission.pk).block_scored_count == 3
    assert "3" in " ".join(str(m) for m in response.context["messages"])


def test_another_blocks_head_cannot_confirm(world, client_for):
    response = client_for(world["other_head"]).post(
        reverse("campaigns:block_confirm", args=[world["a"].pk])
    )
    assert response.status_code == 404
    assert Submission.objects.get(pk=world["a"].pk).block_scored_count == 0
