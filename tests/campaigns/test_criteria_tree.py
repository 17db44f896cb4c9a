"""The criteria tree: order, depth, leaves, levels and cycles in one module."""

import pytest

from campaigns.enums import Subject
from campaigns.models import Campaign, Criterion, Submission
from campaigns.movement import criteria_tree
from campaigns.sheets.queries import load_sheet

from ..factories import CampaignFactory, CriterionFactory, PeriodFactory, UnitFactory


def _criterion(pk, parent_id=None):
    return Criterion(pk=pk, code=str(pk), text=f"C{pk}", parent_id=parent_id)


def test_leaves_leave_out_sections():
    section = _criterion(1)
    children = [_criterion(2, parent_id=1), _criterion(3, parent_id=1)]

    assert criteria_tree.leaves([section, *children]) == children


def test_rows_walk_the_tree_in_pre_order_with_depth():
    # Given in sibling order but not in tree order: 1, 2, then 1's children.
    criteria = [
        _criterion(1),
        _criterion(2),
        _criterion(11, parent_id=1),
        _criterion(111, parent_id=11),
        _criterion(12, parent_id=1),
    ]

    rows = criteria_tree.rows(criteria)

    assert [(row.criterion.pk, row.depth, row.is_section) for row in rows] == [
        (1, 0, True),
        (11, 1, True),
        (111, 2, False),
        (12, 1, False),
        (2, 0, False),
    ]


def test_rows_treat_a_criterion_whose_section_is_missing_as_a_root():
    rows = criteria_tree.rows([_criterion(11, parent_id=1), _criterion(2)])

    assert [(row.criterion.pk, row.depth) for row in rows] == [(11, 0), (2, 0)]


def test_depths_count_the_sections_above_not_the_dots_of_the_code():
    parents = {"a": None, "b": "a", "c": "b", "d": "outside", "e": "c"}

    assert criteria_tree.depths(parents) == {"a": 0, "b": 1, "c": 2, "d": 0, "e": 3}


def test_levels_put_each_parent_before_its_children():
    parents = {"e": "c", "c": "b", "a": None, "b": "a", "f": "a"}

    assert criteria_tree.levels(parents) == [["a"], ["b", "f"], ["c"], ["e"]]


def test_cycle_finds_the_keys_on_a_cycle_only():
    parents = {"a": "b", "b": "a", "c": "a", "d": "d", "e": None}

    assert criteria_tree.cycle(parents) == {"a", "b", "d"}


def test_with_ancestors_keeps_the_sections_above_in_the_given_order():
    criteria = [
        _criterion(1),
        _criterion(11, parent_id=1),
        _criterion(12, parent_id=1),
        _criterion(2),
    ]

    kept = criteria_tree.with_ancestors(criteria, [12])

    assert [c.pk for c in kept] == [1, 12]


@pytest.mark.django_db
def test_sheet_follows_the_tree_when_orders_are_numbered_per_section():
    # Orders restart in each section (as the admin's move buttons leave them): a flat
    # sort by order would put "2" between "1.1" and "1.2".
    campaign = CampaignFactory()
    one = CriterionFactory(campaign=campaign, code="1", order=1)
    CriterionFactory(campaign=campaign, code="2", order=2)
    CriterionFactory(campaign=campaign, code="1.1", parent=one, order=1)
    CriterionFactory(campaign=campaign, code="1.2", parent=one, order=3)
    submission = Submission(period=PeriodFactory(campaign=campaign), unit=UnitFactory())

    sheet = load_sheet(submission)

    assert [(row.criterion.code, row.depth) for row in sheet.rows] == [
        ("1", 0),
        ("1.1", 1),
        ("1.2", 1),
        ("2", 0),
    ]


@pytest.mark.django_db
def test_copy_criteria_keeps_the_tree_and_its_order():
    source, target = CampaignFactory(), CampaignFactory()
    one = CriterionFactory(campaign=source, code="1", order=1)
    one_one = CriterionFactory(campaign=source, code="1.1", parent=one, order=1)
    CriterionFactory(campaign=source, code="1.1.1", parent=one_one, order=1)
    CriterionFactory(campaign=source, code="1", subject=Subject.LEADER, order=1)

    copied = criteria_tree.copy_criteria(source, to=target, contents={})

    made = Criterion.objects.filter(campaign=target).select_related("parent")
    assert copied == 4
    assert {(c.subject, c.code, c.parent.code if c.parent else None) for c in made} == {
        (Subject.COLLECTIVE, "1", None),
        (Subject.COLLECTIVE, "1.1", "1"),
        (Subject.COLLECTIVE, "1.1.1", "1.1"),
        (Subject.LEADER, "1", None),
    }
    assert Campaign.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("up", "expected"), [(True, ["b", "a", "c"]), (False, ["a", "c", "b"])])
def test_move_swaps_with_the_sibling_in_sibling_order(up, expected):
    campaign = CampaignFactory()
    CriterionFactory(campaign=campaign, code="a", order=0)
    b = CriterionFactory(campaign=campaign, code="b", order=0)
    CriterionFactory(campaign=campaign, code="c", order=0)

    moved = criteria_tree.move(b, up=up)

    codes = criteria_tree.ordered(Criterion.objects.filter(campaign=campaign))
    assert (moved, [c.code for c in codes]) == (True, expected)
