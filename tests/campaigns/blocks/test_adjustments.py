"""Overriding an automatic adjustment of a sent sheet: the row written, the totals and
ranks after it, and everything refused with a message and nothing written."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campaigns.blocks.adjustments import clear_override, override_adjustment, parse_points
from campaigns.blocks.standings import block_standings
from campaigns.enums import AcclamationState, AdjustmentKind, PeriodKind
from campaigns.models import Acclamation, AdjustmentOverride, Title, UnitTitle
from tests.factories import PeriodFactory

from .page_data import send, year_fixture  # noqa: F401 — the fixture "year"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NOW = timezone.make_aware(dt.datetime(2024, 12, 28, 15))
LATE = AdjustmentKind.LATE


def _ranks(y):
    table = block_standings(y.block, y.period)
    return [(s.unit, s.rank, s.total) for s in table.standings]


def test_an_override_is_a_row_with_the_automatic_points_and_changes_the_ranking(year):
    y = year
    assert _ranks(y)[:3] == [(y.unit_a, 1, D(90)), (y.unit_e, 2, D(89)), (y.unit_c, 3, D(80))]

    row = override_adjustment(
        y.sheet_e, LATE, points="-0,5", reason="Mất điện ngày hạn nộp", by=y.block_head, now=NOW
    )

    stored = AdjustmentOverride.objects.get()
    assert (stored.pk, stored.submission, stored.kind) == (row.pk, y.sheet_e, LATE)
    assert (stored.points, stored.automatic_points) == (D("-0.5"), D(-3))
    assert (stored.reason, stored.by, stored.at) == ("Mất điện ngày hạn nộp", y.block_head, NOW)
    assert _ranks(y)[:3] == [(y.unit_e, 1, D("91.5")), (y.unit_a, 2, D(90)), (y.unit_c, 3, D(80))]
    late = block_standings(y.block, y.period).standings[0].adjustments[0]
    assert (late.points, late.automatic, late.override.reason) == (
        D("-0.5"),
        D(-3),
        "Mất điện ngày hạn nộp",
    )


def test_the_latest_override_counts_and_going_back_to_automatic_is_one_more_row(year):
    y = year
    override_adjustment(y.sheet_e, LATE, points="0", reason="Lý do 1", by=y.block_head, now=NOW)
    later = NOW + dt.timedelta(hours=1)
    clear_override(y.sheet_e, LATE, reason="Nhập nhầm", by=y.block_head, now=later)

    rows = list(AdjustmentOverride.objects.order_by("at").values_list("points", "reason"))
    assert rows == [(D(0), "Lý do 1"), (D(-3), "Nhập nhầm")]
    assert _ranks(y)[1] == (y.unit_e, 2, D(89))


def test_a_bonus_the_rules_did_not_give_can_be_added(year):
    y = year
    override_adjustment(
        y.sheet_a,
        AdjustmentKind.MINISTRY_FLAG,
        points="10",
        reason="Cờ của Bộ năm 2023, quyết định chưa nhập vào hệ thống",
        by=y.block_head,
        now=NOW,
    )
    assert AdjustmentOverride.objects.get().automatic_points == D(0)
    assert _ranks(y)[0] == (y.unit_a, 1, D(100))


def test_the_automatic_points_are_the_rules_of_now(year):
    y = year
    UnitTitle.objects.create(unit=y.unit_a, year=2023, title=Title.objects.get(code="CO_BO"))
    override_adjustment(
        y.sheet_a,
        AdjustmentKind.MINISTRY_FLAG,
        points="5",
        reason="Chỉ được nửa",
        by=y.block_head,
        now=NOW,
    )
    assert AdjustmentOverride.objects.get().automatic_points == D(10)


@pytest.mark.parametrize(
    ("kind", "points", "message"),
    [
        (LATE, "", "Type the points (e.g. -2 or 10)."),
        (LATE, "abc", "“abc” is not a number."),
        (LATE, "NaN", "“NaN” is not a number."),
        (LATE, "-100,5", "An adjustment is at most 100 points either way."),
        (LATE, "-1,234", "Use at most two decimals."),
        (LATE, "2", "Points off for lateness are 0 or negative (e.g. -3)."),
        (AdjustmentKind.MINISTRY_FLAG, "-1", "A flag bonus is 0 or positive (e.g. 10)."),
    ],
)
def test_points_not_allowed_are_refused_with_what_is_allowed(year, kind, points, message):
    y = year
    with pytest.raises(ValidationError) as refused:
        override_adjustment(y.sheet_e, kind, points=points, reason="r", by=y.block_head, now=NOW)
    assert refused.value.messages == [message]
    assert not AdjustmentOverride.objects.exists()


def test_points_are_read_with_a_comma_or_a_dot():
    assert [parse_points(t) for t in ("-2,5", "-2.5", " 10 ", "+3", "1 0")] == [
        D("-2.5"),
        D("-2.5"),
        D(10),
        D(3),
        D(10),
    ]


def test_the_reason_is_required(year):
    y = year
    with pytest.raises(ValidationError) as refused:
        override_adjustment(y.sheet_e, LATE, points="-1", reason="  ", by=y.block_head, now=NOW)
    assert refused.value.messages == [
        "Give the reason for changing the adjustment: it is shown next to the points."
    ]
    assert not AdjustmentOverride.objects.exists()


def test_a_draft_of_a_member_is_refused_for_the_block_head(year):
    y = year
    with pytest.raises(ValidationError) as refused:
        override_adjustment(y.sheet_d, LATE, points="-1", reason="r", by=y.block_head, now=NOW)
    assert refused.value.messages == ["Only a sent self-assessment has adjustments to change."]
    assert not AdjustmentOverride.objects.exists()


def test_nothing_changes_once_the_acclamation_is_closed(year):
    y = year
    Acclamation.objects.create(
        group=y.block,
        period=y.period,
        state=AcclamationState.CLOSED,
        voter_count=4,
        opened_at=NOW,
        closed_at=NOW,
    )
    with pytest.raises(ValidationError) as refused:
        override_adjustment(y.sheet_e, LATE, points="-1", reason="r", by=y.block_head, now=NOW)
    assert refused.value.messages == [
        "The block's acclamation is closed: its ranking can no longer change."
    ]
    assert not AdjustmentOverride.objects.exists()


def test_an_open_acclamation_or_another_blocks_closed_one_does_not_stop_it(year):
    y = year
    Acclamation.objects.create(group=y.block, period=y.period, voter_count=4, opened_at=NOW)
    Acclamation.objects.create(
        group=y.other, period=y.period, state=AcclamationState.CLOSED, voter_count=2, opened_at=NOW
    )
    override_adjustment(y.sheet_e, LATE, points="-1", reason="r", by=y.block_head, now=NOW)
    assert AdjustmentOverride.objects.count() == 1


def test_a_period_the_blocks_do_not_score_is_refused(year):
    y = year
    six = PeriodFactory(campaign=y.campaign, kind=PeriodKind.SIX_MONTHLY)
    sheet = send(six, y.unit_a, {y.c1: D(10)}, day=1)
    with pytest.raises(ValidationError) as refused:
        override_adjustment(sheet, LATE, points="-1", reason="r", by=y.block_head, now=NOW)
    assert refused.value.messages == ["Blocks and clusters do not score this period."]


@pytest.mark.parametrize("who", ["head_a", "head_b", "deputy"])
def test_who_does_not_score_the_sheet_is_refused(year, who):
    y = year
    with pytest.raises(PermissionDenied):
        override_adjustment(y.sheet_e, LATE, points="-1", reason="r", by=getattr(y, who), now=NOW)
    assert not AdjustmentOverride.objects.exists()


def test_the_deputy_unit_adjusts_the_head_units_sheet_and_the_department_any(year, officer):
    y = year
    override_adjustment(y.sheet_c, LATE, points="-1", reason="Phó khối", by=y.deputy, now=NOW)
    override_adjustment(y.other_sheet, LATE, points="-2", reason="Vụ TĐKT", by=officer, now=NOW)
    assert set(AdjustmentOverride.objects.values_list("submission", "by")) == {
        (y.sheet_c.pk, y.deputy.pk),
        (y.other_sheet.pk, officer.pk),
    }
    with pytest.raises(PermissionDenied):
        override_adjustment(y.sheet_c, LATE, points="-1", reason="r", by=y.block_head, now=NOW)
