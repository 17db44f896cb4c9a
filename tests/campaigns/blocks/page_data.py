"""The year-end of a block for the block page's and the adjustments' tests.

Another block (headed by unit B, with a sent sheet of its own member) is created
first, so a leak would show. The block of tests/conftest.py (head unit C, members A
and C) gets a deputy unit D and a fourth member E; A sends on time, E late."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from campaigns.enums import PeriodKind, SubmissionState
from campaigns.models import Answer, Submission
from units.enums import GroupKind, Role
from units.rules import forget_cached_roles

from ...factories import (
    CampaignFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PeriodFactory,
    UnitFactory,
)


def send(period, unit, scores, *, day=18, state=SubmissionState.SUBMITTED, scored=0):
    """A sheet of `unit` sent on `day` of December 2024 with these self scores."""
    at = timezone.make_aware(dt.datetime(2024, 12, day, 9))
    submission = Submission.objects.create(
        period=period,
        unit=unit,
        state=state,
        submitted_at=at if state in SubmissionState.done_states else None,
        is_late=at.date() > period.due_on and state in SubmissionState.done_states,
        self_total=sum(scores.values(), start=D(0)),
        block_scored_count=scored,
    )
    for criterion, score in scores.items():
        Answer.objects.create(submission=submission, criterion=criterion, self_score=score)
    return submission


class Year:
    """What the tests read: the period, the criteria, the units and sheets, the users."""


@pytest.fixture(name="year")
def year_fixture(db, ministry, unit_a, unit_b, unit_c, block, block_head, head_a, head_b):
    y = Year()
    y.campaign = CampaignFactory(year=2024)
    y.period = PeriodFactory(
        campaign=y.campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
        closes_on=dt.date(2025, 1, 10),
    )
    y.c1 = CriterionFactory(campaign=y.campaign, max_points=D(60))
    y.c2 = CriterionFactory(campaign=y.campaign, max_points=D(40))
    # The other block first: its member's sheet is what must not leak.
    y.unit_f = UnitFactory(parent=ministry, name="Cục Khác", short_name="CK")
    y.other = EmulationGroupFactory(
        kind=GroupKind.BLOCK, year=2024, head_unit=unit_b, name="Khối khác"
    )
    GroupMembershipFactory(group=y.other, unit=unit_b)
    GroupMembershipFactory(group=y.other, unit=y.unit_f)
    y.other_sheet = send(y.period, y.unit_f, {y.c1: D(30), y.c2: D(30)})

    y.unit_d = UnitFactory(parent=ministry, name="Trung tâm Dữ liệu", short_name="TTDL")
    y.unit_e = UnitFactory(parent=ministry, name="Viện Môi trường", short_name="VMT")
    block.deputy_unit = y.unit_d
    block.name = "Khối các Vụ"
    block.save()
    GroupMembershipFactory(group=block, unit=y.unit_d)
    GroupMembershipFactory(group=block, unit=y.unit_e)
    y.block = block
    y.campaign.participants.add(unit_a, unit_b, unit_c, y.unit_d, y.unit_e, y.unit_f)
    y.deputy = MembershipFactory(unit=y.unit_d, role=Role.DEPUTY, user__username="deputy").user
    y.block_head, y.head_a, y.head_b = block_head, head_a, head_b
    for user in (block_head, head_a, head_b):
        forget_cached_roles(user)
    y.unit_a, y.unit_b, y.unit_c = unit_a, unit_b, unit_c
    # A: 90 on time. E: 92, 3 days late (−3) = 89. C (the head unit): 80 on time.
    # D: a draft.
    y.sheet_a = send(y.period, unit_a, {y.c1: D(50), y.c2: D(40)}, day=18)
    y.sheet_e = send(y.period, y.unit_e, {y.c1: D(52), y.c2: D(40)}, day=23)
    y.sheet_c = send(y.period, unit_c, {y.c1: D(40), y.c2: D(40)}, day=19, scored=2)
    y.sheet_d = send(y.period, y.unit_d, {y.c1: D(10)}, state=SubmissionState.DRAFT)
    return y
