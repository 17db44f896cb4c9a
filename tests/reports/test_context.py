from decimal import Decimal

import pytest

from campaigns.enums import PerformanceGrade
from reports.context import build_context
from reports.models import Report

from . import expected
from .conftest import add_block_totals, add_bonus, make_movement, report_for

pytestmark = pytest.mark.django_db


def _context(movement):
    report = Report.objects.select_related("campaign__organizer", "period").get(
        pk=report_for(movement).pk
    )
    return build_context(report)


def test_participation_counts_match_the_data(movement):
    want = expected.counts(movement)

    c = _context(movement)

    assert (c.participants, c.on_time, c.late, c.missing, c.accepted) == (
        want["participants"],
        want["on_time"],
        want["late"],
        want["missing"],
        want["accepted"],
    )
    assert (c.on_time_rate, c.late_rate, c.missing_rate) == (
        want["on_time_rate"],
        want["late_rate"],
        want["missing_rate"],
    )


def test_missing_units_are_those_without_a_submitted_self_assessment(movement):
    c = _context(movement)

    assert [u.name for u in c.missing_units] == [
        u.unit.name for u in movement.units if not u.submitted
    ]


def test_results_by_content_average_self_and_reviewed_points(movement):
    c = _context(movement)

    assert [(r.number, r.self_average, r.reviewed_average) for r in c.content_results] == (
        expected.by_content(movement)
    )
    assert [r.max_points for r in c.content_results] == [Decimal("20.00")] * 3


def test_each_unit_total_is_its_stored_total(movement):
    c = _context(movement)

    assert {u.name: (u.self_total, u.reviewed_total) for u in c.units} == {
        u.unit.name: (
            expected.self_points(u, movement.criteria) if u.submitted else None,
            expected.reviewed_points(u, movement.criteria) if expected.accepted(u) else None,
        )
        for u in movement.units
    }


@pytest.mark.parametrize("group_index", [0, 1, 2])
def test_ranking_within_each_block_and_cluster(movement, group_index):
    group = [*movement.blocks, *movement.clusters][group_index]

    c = _context(movement)

    result = next(g for g in c.groups if g.name == group.name)
    assert {m.unit.name: m.rank for m in result.members if m.rank} == expected.ranks(
        movement, group
    )
    assert result.size == sum(1 for u in movement.units if group in (u.block, u.cluster))


def test_outstanding_units_lead_their_group_with_an_accepted_assessment(db):
    movement = make_movement(21)

    c = _context(movement)

    assert sorted(u.name for u in c.outstanding_units) == expected.outstanding(movement)
    assert expected.outstanding(movement) != []


def test_year_end_counts_individuals_by_grade_and_title(movement):
    grades = expected.grades(movement)

    c = _context(movement)

    assert [(g.label, g.count) for g in c.grades] == [
        (label, grades[grade])
        for grade, label in [
            (PerformanceGrade.EXCELLENT, "Hoàn thành xuất sắc nhiệm vụ"),
            (PerformanceGrade.GOOD, "Hoàn thành tốt nhiệm vụ"),
            (PerformanceGrade.COMPLETED, "Hoàn thành nhiệm vụ"),
        ]
    ]
    assert {t.label: t.count for t in c.titles} == dict(expected.titles(movement))
    assert c.assessed == sum(grades.values())


def test_six_monthly_context_has_no_individuals(six_monthly):
    c = _context(six_monthly)

    assert (c.is_year_end, c.grades, c.titles, c.individuals) == (False, [], [], [])


@pytest.mark.parametrize("n_units", [3, 30])
def test_build_context_query_count_does_not_grow_with_units(db, n_units, django_assert_num_queries):
    movement = make_movement(n_units)
    report = Report.objects.select_related("campaign__organizer", "period").get(
        pk=report_for(movement).pk
    )

    # contents, criteria, units, submissions, answers, block/cluster members,
    # individual assessments by grade, proposed titles
    with django_assert_num_queries(8):
        c = build_context(report)

    assert c.participants == n_units


def test_bonus_points_count_apart_so_no_content_passes_its_maximum(movement):
    add_bonus(movement, self_points="5", reviewed_points="3")

    c = _context(movement)

    *contents, bonus = c.content_results
    assert [r.number for r in contents] == [1, 2, 3]
    assert (bonus.short_label, bonus.max_points) == ("Điểm thưởng", Decimal("5"))
    # With the bonus in it, content 1 would pass its maximum (19 + 5 > 20).
    assert max(u.score_cells[0][0] for u in c.units if u.has_submitted) == Decimal("19.00")
    for unit in c.units:
        for (own, reviewed), result in zip(unit.score_cells, c.content_results, strict=True):
            assert own is None or own <= result.max_points
            assert reviewed is None or reviewed <= result.max_points
    submitted = [u for u in c.units if u.has_submitted]
    assert {u.score_cells[-1] for u in submitted if u.is_accepted} == {
        (Decimal("5.00"), Decimal("3.00"))
    }
    assert {u.score_cells[-1] for u in submitted if not u.is_accepted} == {(Decimal("5.00"), None)}
    assert (bonus.self_average, bonus.reviewed_average) == (Decimal("5.00"), Decimal("3.00"))


def test_each_unit_carries_its_block_total_empty_where_the_block_did_not_score(movement):
    shown = add_block_totals(movement)

    c = _context(movement)

    assert {u.name: u.block_total for u in c.units} == shown
    assert {total for total in shown.values() if total is not None} != set()
    assert None in shown.values()
