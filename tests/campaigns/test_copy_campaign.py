import datetime as dt
from decimal import Decimal

import pytest

from campaigns.enums import CampaignStatus, PeriodKind, Subject
from campaigns.models import Campaign, Criterion
from campaigns.movement.copying import CopyRefused, copy_campaign, plan_copy, shift_date
from units.enums import GroupKind
from units.models import EmulationGroup, GroupMembership

from ..factories import (
    CampaignFactory,
    ContentFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    PeriodFactory,
    TaskFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(ministry, unit_a, unit_b):
    campaign = CampaignFactory(
        name="Phong trào thi đua năm 2024",
        organizer=ministry,
        year=2024,
        starts_on=dt.date(2024, 2, 29),
        ends_on=dt.date(2024, 12, 31),
        document_number="123/QĐ-BTNMT",
        document_date=dt.date(2024, 1, 15),
    )
    campaign.participants.set([unit_a, unit_b])
    return campaign


@pytest.fixture
def tree(campaign):
    """Content 1 and 2; criteria 1 > 1.1 > 1.1.1 and 2 (collective), 1 (individual)."""
    first = ContentFactory(campaign=campaign, number=1, title="Nội dung 1")
    second = ContentFactory(campaign=campaign, number=2, title="Nội dung 2")
    section = CriterionFactory(campaign=campaign, code="1", content=first, order=1)
    child = CriterionFactory(campaign=campaign, code="1.1", parent=section, order=1)
    CriterionFactory(
        campaign=campaign, code="1.1.1", parent=child, content=second, max_points=Decimal("2.5")
    )
    CriterionFactory(campaign=campaign, code="2", order=2)
    CriterionFactory(campaign=campaign, code="1", subject=Subject.INDIVIDUAL)
    return campaign


def test_copy_campaign_copies_the_campaign_as_a_draft_of_the_new_year(campaign, admin_user):
    result = copy_campaign(campaign, year=2025, by=admin_user)

    copy = result.campaign
    assert (copy.name, copy.year, copy.status, copy.theme, copy.organizer) == (
        "Phong trào thi đua năm 2025",
        2025,
        CampaignStatus.DRAFT,
        campaign.theme,
        campaign.organizer,
    )
    # 29 February 2024 has no twin in 2025.
    assert (copy.starts_on, copy.ends_on) == (dt.date(2025, 2, 28), dt.date(2025, 12, 31))
    assert (copy.document_number, copy.document_date) == ("", None)
    assert set(copy.participants.all()) == set(campaign.participants.all())
    assert result.participants == 2


def test_copy_campaign_copies_contents_tasks_and_the_criteria_tree(tree, admin_user):
    TaskFactory(campaign=tree, number=1, title="Nhiệm vụ 1")

    result = copy_campaign(tree, year=2025, by=admin_user)

    copy = result.campaign
    assert (result.contents, result.tasks, result.criteria) == (2, 1, 5)
    assert list(copy.contents.values_list("number", "title")) == [
        (1, "Nội dung 1"),
        (2, "Nội dung 2"),
    ]
    assert list(copy.tasks.values_list("number", "title")) == [(1, "Nhiệm vụ 1")]
    copied = Criterion.objects.filter(campaign=copy).order_by("subject", "code")
    assert [
        (
            c.subject,
            c.code,
            c.parent.code if c.parent else None,
            c.parent.campaign_id if c.parent else None,
            c.content.number if c.content else None,
            c.content.campaign_id if c.content else None,
        )
        for c in copied.select_related("parent", "content")
    ] == [
        (Subject.COLLECTIVE, "1", None, None, 1, copy.pk),
        (Subject.COLLECTIVE, "1.1", "1", copy.pk, None, None),
        (Subject.COLLECTIVE, "1.1.1", "1.1", copy.pk, 2, copy.pk),
        (Subject.COLLECTIVE, "2", None, None, None, None),
        (Subject.INDIVIDUAL, "1", None, None, None, None),
    ]
    assert copied.get(code="1.1.1").max_points == Decimal("2.50")
    assert Criterion.objects.filter(campaign=tree).count() == 5


def test_copy_campaign_shifts_the_periods_a_year(campaign, admin_user):
    PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.SIX_MONTHLY,
        opens_on=dt.date(2024, 6, 1),
        due_on=dt.date(2024, 6, 30),
        closes_on=dt.date(2024, 7, 15),
    )
    PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=dt.date(2024, 2, 29),
        due_on=dt.date(2024, 11, 30),
        closes_on=dt.date(2024, 12, 15),
    )

    result = copy_campaign(campaign, year=2025, by=admin_user)

    periods = result.campaign.periods.order_by("kind").values_list(
        "kind", "opens_on", "due_on", "closes_on"
    )
    assert list(periods) == [
        (PeriodKind.SIX_MONTHLY, dt.date(2025, 6, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 15)),
        (PeriodKind.YEAR_END, dt.date(2025, 2, 28), dt.date(2025, 11, 30), dt.date(2025, 12, 15)),
    ]
    assert result.periods == 2


def test_copy_campaign_copies_the_blocks_and_clusters_of_the_year(
    campaign, admin_user, unit_a, unit_b, unit_c
):
    block = EmulationGroupFactory(
        kind=GroupKind.BLOCK,
        year=2024,
        code="K1",
        name="Khối 1 năm 2024",
        head_unit=unit_a,
        deputy_unit=unit_b,
        order=3,
    )
    GroupMembershipFactory(group=block, unit=unit_a)
    GroupMembershipFactory(group=block, unit=unit_b)
    cluster = EmulationGroupFactory(kind=GroupKind.CLUSTER, year=2024, code="C1", head_unit=unit_c)
    GroupMembershipFactory(group=cluster, unit=unit_c)
    EmulationGroupFactory(year=2023, code="OLD")

    result = copy_campaign(campaign, year=2025, by=admin_user)

    groups = EmulationGroup.objects.filter(year=2025).order_by("code")
    assert [(g.code, g.kind, g.name, g.head_unit, g.deputy_unit, g.order) for g in groups] == [
        ("C1", GroupKind.CLUSTER, cluster.name, unit_c, None, cluster.order),
        ("K1", GroupKind.BLOCK, "Khối 1 năm 2025", unit_a, unit_b, 3),
    ]
    members = GroupMembership.objects.filter(year=2025).values_list("group__code", "unit", "kind")
    assert sorted(members) == [
        ("C1", unit_c.pk, GroupKind.CLUSTER),
        ("K1", unit_a.pk, GroupKind.BLOCK),
        ("K1", unit_b.pk, GroupKind.BLOCK),
    ]
    assert (result.groups, result.group_members, result.groups_skipped) == (2, 3, [])


def test_copy_campaign_skips_groups_already_in_the_target_year(
    campaign, admin_user, unit_a, unit_b
):
    old = EmulationGroupFactory(year=2024, code="K1", name="Khối 1")
    GroupMembershipFactory(group=old, unit=unit_a)
    other = EmulationGroupFactory(year=2024, code="K2")
    GroupMembershipFactory(group=other, unit=unit_b)
    existing = EmulationGroupFactory(year=2025, code="K1", name="Khối 1 đã lập")
    taken = EmulationGroupFactory(year=2025, code="K9")
    GroupMembershipFactory(group=taken, unit=unit_b)

    result = copy_campaign(campaign, year=2025, by=admin_user)

    assert (result.groups, result.groups_skipped, result.members_skipped) == (1, ["K1"], 1)
    assert EmulationGroup.objects.get(year=2025, code="K1") == existing
    assert list(EmulationGroup.objects.get(year=2025, code="K2").members.all()) == []


def test_copy_campaign_refuses_a_duplicate_and_saves_nothing(
    campaign, admin_user, ministry, english
):
    CampaignFactory(name="Phong trào thi đua năm 2025", year=2025, organizer=ministry)
    EmulationGroupFactory(year=2024, code="K1")
    before = (Campaign.objects.count(), EmulationGroup.objects.count())

    with pytest.raises(CopyRefused) as excinfo:
        copy_campaign(campaign, year=2025, by=admin_user)

    assert str(excinfo.value) == (
        f"{ministry} already has the movement “Phong trào thi đua năm 2025” in 2025; "
        "nothing was copied."
    )
    assert (Campaign.objects.count(), EmulationGroup.objects.count()) == before


def test_copy_campaign_allows_the_same_name_for_another_organizer(campaign, admin_user):
    CampaignFactory(name="Phong trào thi đua năm 2025", year=2025, organizer=UnitFactory())

    result = copy_campaign(campaign, year=2025, by=admin_user)

    assert result.campaign.name == "Phong trào thi đua năm 2025"


def test_plan_copy_counts_what_would_be_copied(tree):
    PeriodFactory(campaign=tree)
    EmulationGroupFactory(year=2024, code="K1")
    EmulationGroupFactory(year=2024, code="K2")
    EmulationGroupFactory(year=2025, code="K2")

    plan = plan_copy(tree, year=2025)

    assert (plan.name, plan.participants, plan.contents, plan.tasks) == (
        "Phong trào thi đua năm 2025",
        2,
        2,
        0,
    )
    assert (plan.criteria, plan.periods, plan.groups, plan.groups_existing) == (
        5,
        1,
        ["K1"],
        ["K2"],
    )


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (dt.date(2024, 2, 29), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 29)),
        (dt.date(2024, 3, 1), 1, dt.date(2025, 3, 1)),
        (None, 1, None),
    ],
)
def test_shift_date_moves_by_years_and_keeps_february_valid(day, years, expected):
    assert shift_date(day, years) == expected


def test_copy_campaign_replaces_the_year_in_the_name_and_theme_only_as_a_number(ministry):
    campaign = CampaignFactory(
        name="Kế hoạch 12024: thi đua 2024",
        theme="Về đích năm 2024, chào mừng 20241 ngày",
        organizer=ministry,
        year=2024,
    )

    copy = copy_campaign(campaign, year=2025, by=None).campaign

    assert (copy.name, copy.theme) == (
        "Kế hoạch 12024: thi đua 2025",
        "Về đích năm 2025, chào mừng 20241 ngày",
    )
