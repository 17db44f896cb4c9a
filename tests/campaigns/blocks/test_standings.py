"""The block's ranking: totals with adjustments, the stated tie-break, bands, and the
members that did not send listed last with why."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from campaigns.blocks.options import DEFAULT_BANDS
from campaigns.blocks.standings import Progress, block_standings
from campaigns.enums import CriterionKind, PeriodKind, SubmissionState
from campaigns.models import Answer, Submission, Title, UnitTitle
from tests.factories import (
    CampaignFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    PeriodFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db
GOOD = DEFAULT_BANDS[1][0]


def sent(period, unit, scores, *, day=28, state=SubmissionState.SUBMITTED):
    at = timezone.make_aware(dt.datetime(2024, 12, day, 10))
    submission = Submission.objects.create(
        period=period,
        unit=unit,
        state=state,
        submitted_at=at,
        is_late=at.date() > period.due_on,
        self_total=sum(scores.values(), start=D(0)),
    )
    for criterion, score in scores.items():
        Answer.objects.create(submission=submission, criterion=criterion, self_score=score)
    return submission


@pytest.fixture
def setup(db):
    campaign = CampaignFactory(year=2024)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
        closes_on=dt.date(2025, 1, 10),
    )
    c1 = CriterionFactory(campaign=campaign, max_points=D(60))
    c2 = CriterionFactory(campaign=campaign, max_points=D(40))
    group = EmulationGroupFactory(year=2024)
    units = [UnitFactory(order=i) for i in range(5)]
    for unit in units:
        GroupMembershipFactory(group=group, unit=unit)
    return period, group, units, c1, c2


@pytest.mark.usefixtures("english")  # asserts the reason as written in the code
def test_ranks_by_total_with_adjustments_and_lists_non_senders_last(setup):
    period, group, units, c1, c2 = setup
    # units[0]: 90, on time. units[1]: 95 but 3 days late → −3 = 92.
    sent(period, units[0], {c1: D(50), c2: D(40)}, day=15)
    sent(period, units[1], {c1: D(55), c2: D(40)}, day=23)
    # units[2]: 80 + Ministry flag of 2023 (+10) = 90, same as units[0], which sent a day earlier.
    sent(period, units[2], {c1: D(40), c2: D(40)}, day=16)
    UnitTitle.objects.create(unit=units[2], year=2023, title=Title.objects.get(code="CO_BO"))
    Submission.objects.create(period=period, unit=units[3], state=SubmissionState.DRAFT)

    table = block_standings(group, period)

    order = [(s.unit, s.rank, s.total) for s in table.standings]
    assert order == [
        (units[1], 1, D(92)),
        (units[0], 2, D(90)),
        (units[2], 3, D(90)),
        (units[3], None, None),
        (units[4], None, None),
    ]
    late = table.standings[0].adjustments
    assert [(a.kind, a.points) for a in late] == [("late", D(-3))]
    assert "3 day(s)" in late[0].reason
    assert table.standings[0].penalty_points == D(3)
    assert table.standings[1].full_marks == 1
    assert table.standings[2].full_marks == 1
    assert [s.band for s in table.standings] == [str(GOOD), str(GOOD), str(GOOD), "", ""]
    assert table.standings[3].progress == Progress.DRAFT
    assert table.standings[4].progress == Progress.NOT_STARTED
    assert table.standings[4].unranked_reason


def test_earlier_on_time_submission_breaks_an_exact_tie(setup):
    period, group, units, c1, c2 = setup
    sent(period, units[0], {c1: D(50), c2: D(30)}, day=18)
    sent(period, units[1], {c1: D(50), c2: D(30)}, day=10)
    table = block_standings(group, period)
    assert [(s.unit, s.rank) for s in table.standings[:2]] == [(units[1], 1), (units[0], 2)]


def test_the_block_score_replaces_the_self_score_and_penalties_count(setup):
    period, group, units, c1, c2 = setup
    penalty = CriterionFactory(
        campaign=period.campaign, kind=CriterionKind.PENALTY, max_points=D(5)
    )
    submission = sent(period, units[0], {c1: D(60), c2: D(40)}, day=10)
    Answer.objects.create(submission=submission, criterion=penalty, self_score=D(2))
    submission.block_total = D(88)
    submission.save()
    table = block_standings(group, period)
    first = table.standings[0]
    assert first.total == D(88)
    assert first.penalty_points == D(2)
    assert first.full_marks == 2


def test_query_count_does_not_grow_with_the_block(setup, django_assert_max_num_queries):
    period, group, units, c1, c2 = setup
    for unit in units:
        sent(period, unit, {c1: D(50), c2: D(30)})
    with django_assert_max_num_queries(10):
        table = block_standings(group, period)
    assert len(table.standings) == 5
