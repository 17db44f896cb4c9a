"""The data migrations, run on rows as the earlier schema left them."""

import importlib

import pytest
from django.apps import apps

from campaigns.models import Transition

from .sheet import answers

pytestmark = pytest.mark.django_db


def test_transition_actions_are_filled_from_their_states(sheet, unit_a):
    migration = importlib.import_module("campaigns.migrations.0005_transition_action")
    submission = answers.open_submission(sheet.period, unit_a)
    steps = [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "returned"),
        ("returned", "returned"),
        ("draft", "draft"),
    ]
    Transition.objects.bulk_create(
        Transition(submission=submission, from_state=a, to_state=b, action="") for a, b in steps
    )

    migration.fill_actions(apps, None)

    assert list(submission.transitions.order_by("id").values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "accepted",
        "reopened",
        "reopened",
        "reopened",
    ]
