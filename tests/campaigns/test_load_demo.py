"""The demo ministry that `manage.py load_demo` loads: its units, blocks and
clusters, people, the 2024 movement with its criteria and periods, this year's
copy, the demo accounts and the 2024 results; and that running it again changes
nothing.

The demo is loaded once for the module (`demo`, through the command): inside one
transaction opened for the module and rolled back at its end, as
tests/security/world.py does, while every test runs in its own savepoint
(pytest-django's `db`), so what a test changes (a second run, a deleted row, a
new password) is gone before the next. The command's refusal without DEBUG is
specified in test_load_demo_command.py, on an empty database.
"""

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone, translation

from campaigns.demo import load_demo
from campaigns.enums import CampaignStatus, CriterionKind, PeriodKind, Subject, SubmissionState
from campaigns.models import (
    Campaign,
    Content,
    Criterion,
    IndividualAssessment,
    Period,
    Submission,
    Task,
)
from campaigns.sheets import scoring
from units.enums import GroupKind, Role, UnitKind
from units.models import EmulationGroup, GroupMembership, Membership, Person, Unit

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module through the command, with its output."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def debug_on(demo, settings):
    settings.DEBUG = True
    return settings


@pytest.fixture
def campaign(demo):
    return Campaign.objects.get(organizer__code="btnmt", year=2024)


def snapshot() -> dict:
    """Every value of every table the demo writes, in a comparable form."""
    models = [Unit, Person, EmulationGroup, GroupMembership, Campaign, Content, Task]
    models += [Criterion, Period, Membership, Campaign.participants.through]
    tables = {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}
    tables["users"] = [
        {key: value for key, value in row.items() if key != "last_login"}
        for row in User.objects.order_by("pk").values()
    ]
    return tables


def test_load_demo_creates_the_ministry_and_its_units(demo):
    ministry = Unit.objects.get(code="btnmt")
    direct = Unit.objects.filter(parent=ministry)

    assert (ministry.name, ministry.kind, ministry.parent) == (
        "Bộ Tài nguyên và Môi trường",
        UnitKind.MINISTRY,
        None,
    )
    assert 35 <= direct.count() <= 45
    assert set(direct.filter(kind=UnitKind.DEPARTMENT).values_list("name", flat=True)) == {
        "Vụ Kế hoạch - Tài chính",
        "Vụ Khoa học và Công nghệ",
        "Vụ Hợp tác quốc tế",
        "Vụ Pháp chế",
        "Vụ Tổ chức cán bộ",
    }
    assert list(direct.filter(kind=UnitKind.GENERAL_DEPARTMENT).values_list("code", flat=True)) == [
        "tong-cuc-kttv"
    ]
    assert Unit.objects.filter(parent__code="tong-cuc-kttv").count() == 5


def test_load_demo_creates_63_provincial_departments(demo):
    departments = Unit.objects.filter(kind=UnitKind.PROVINCIAL_DEPARTMENT)

    assert departments.count() == 63
    assert departments.filter(parent__isnull=True).count() == 63
    assert len(set(departments.values_list("province", flat=True))) == 63
    assert departments.get(code="stnmt-long-an").name == "Sở Tài nguyên và Môi trường tỉnh Long An"
    assert departments.get(code="stnmt-ha-noi").name == (
        "Sở Tài nguyên và Môi trường thành phố Hà Nội"
    )


def test_load_demo_creates_seven_blocks_and_nine_clusters(demo):
    groups = EmulationGroup.objects.for_year(2024)

    assert list(groups.filter(kind=GroupKind.BLOCK).values_list("code", flat=True)) == [
        "KHOI-I",
        "KHOI-II",
        "KHOI-III",
        "KHOI-IV",
        "KHOI-V",
        "KHOI-VI",
        "KHOI-VII",
    ]
    assert groups.filter(kind=GroupKind.CLUSTER).count() == 9


def test_load_demo_puts_every_participant_in_exactly_one_group(campaign):
    participants = set(campaign.participants.values_list("pk", flat=True))
    memberships = Counter(GroupMembership.objects.filter(year=2024).values_list("unit", flat=True))

    assert dict(memberships) == dict.fromkeys(participants, 1)


def test_load_demo_clusters_hold_all_provincial_departments(demo):
    in_clusters = GroupMembership.objects.filter(year=2024, kind=GroupKind.CLUSTER)
    in_blocks = GroupMembership.objects.filter(year=2024, kind=GroupKind.BLOCK)

    assert set(in_clusters.values_list("unit__kind", flat=True)) == {UnitKind.PROVINCIAL_DEPARTMENT}
    assert in_clusters.count() == 63
    assert UnitKind.PROVINCIAL_DEPARTMENT not in set(in_blocks.values_list("unit__kind", flat=True))


def test_load_demo_groups_have_distinct_head_and_deputy_among_members(demo):
    groups = EmulationGroup.objects.for_year(2024).prefetch_related("members")

    problems = [
        group.code
        for group in groups
        if group.head_unit is None
        or group.deputy_unit is None
        or group.head_unit == group.deputy_unit
        or not {group.head_unit, group.deputy_unit} <= set(group.members.all())
    ]

    assert problems == []


def test_load_demo_cluster_eight_is_the_mekong_delta_headed_by_long_an(demo):
    cluster = EmulationGroup.objects.get(year=2024, code="CUM-VIII")

    assert cluster.head_unit.code == "stnmt-long-an"
    assert set(cluster.members.values_list("province", flat=True)) == {
        "Long An",
        "Tiền Giang",
        "Vĩnh Long",
        "Đồng Tháp",
        "Bến Tre",
        "Trà Vinh",
    }


def test_load_demo_gives_every_participant_three_to_twelve_people_led_by_a_head(campaign):
    sizes = Counter(Person.objects.filter(unit__in=campaign.participants.all()).values_list("unit"))
    leaders = Counter(
        Person.objects.filter(unit__in=campaign.participants.all(), is_leader=True).values_list(
            "unit"
        )
    )

    assert len(sizes) == campaign.participants.count()
    assert min(sizes.values()) >= 3
    assert max(sizes.values()) <= 12
    assert min(leaders.values()) >= 2
    assert 400 <= Person.objects.count() <= 650
    assert set(Person.objects.values_list("gender", flat=True)) == {"male", "female"}


def test_load_demo_creates_the_2024_campaign(campaign):
    participants = campaign.participants.all()

    assert (campaign.name, campaign.theme, campaign.status, campaign.kind) == (
        "Phong trào thi đua năm 2024",
        "Kỷ cương trách nhiệm, chủ động kịp thời, tăng tốc sáng tạo",
        CampaignStatus.LAUNCHED,
        "annual",
    )
    assert participants.count() == Unit.objects.filter(parent__code="btnmt").count() + 63
    assert participants.filter(kind__in=[UnitKind.MINISTRY, UnitKind.SUB_UNIT]).count() == 0
    assert list(campaign.contents.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert list(campaign.tasks.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("subject", [Subject.COLLECTIVE, Subject.INDIVIDUAL, Subject.LEADER])
def test_load_demo_scored_leaves_sum_to_100(campaign, subject):
    criteria = list(campaign.criteria.filter(subject=subject))

    assert scoring.maximum(criteria) == Decimal("100")


@pytest.mark.parametrize("subject", [Subject.COLLECTIVE, Subject.INDIVIDUAL, Subject.LEADER])
def test_load_demo_criteria_end_with_bonus_and_penalty_sections(campaign, subject):
    sections = campaign.criteria.filter(subject=subject, parent__isnull=True).order_by("order")
    kinds = list(sections.values_list("kind", flat=True))
    extras = campaign.criteria.filter(subject=subject, parent__kind__in=kinds[-2:])

    assert kinds[-2:] == [CriterionKind.BONUS, CriterionKind.PENALTY]
    assert set(kinds[:-2]) == {CriterionKind.SCORED}
    assert set(extras.values_list("parent__kind", "kind")) == {
        (CriterionKind.BONUS, CriterionKind.BONUS),
        (CriterionKind.PENALTY, CriterionKind.PENALTY),
    }
    assert campaign.criteria.filter(subject=subject, kind=CriterionKind.YES_NO).exists()


@pytest.mark.parametrize("subject", [Subject.COLLECTIVE, Subject.INDIVIDUAL, Subject.LEADER])
def test_load_demo_criteria_order_is_pre_order_and_sections_sum_their_leaves(campaign, subject):
    criteria = list(campaign.criteria.filter(subject=subject).order_by("order"))
    sections = [c for c in criteria if c.parent_id is None]

    assert [c.code for c in criteria] == sorted(
        (c.code for c in criteria), key=lambda code: [int(part) for part in code.split(".")]
    )
    assert [s.max_points for s in sections] == [
        sum(c.max_points for c in criteria if c.parent_id == s.pk) for s in sections
    ]


def test_load_demo_links_collective_criteria_to_contents(campaign):
    linked = campaign.criteria.filter(subject=Subject.COLLECTIVE, content__isnull=False)

    assert set(linked.values_list("content__number", flat=True)) == {1, 2, 3, 4, 5, 6}
    assert campaign.criteria.filter(subject=Subject.COLLECTIVE, evidence_required=True).exists()


def test_load_demo_leader_criteria_require_an_outstanding_collective(campaign):
    leader = campaign.criteria.filter(subject=Subject.LEADER)

    assert leader.filter(text__contains="Tập thể lao động xuất sắc").count() == 1
    assert leader.count() == campaign.criteria.filter(subject=Subject.INDIVIDUAL).count() + 3


def test_load_demo_creates_both_periods(campaign):
    periods = list(campaign.periods.values_list("kind", "opens_on", "due_on", "closes_on"))

    assert [(kind, str(o), str(d), str(c)) for kind, o, d, c in periods] == [
        (PeriodKind.SIX_MONTHLY, "2024-06-01", "2024-07-05", "2024-07-20"),
        (PeriodKind.YEAR_END, "2024-11-15", "2024-12-10", "2024-12-31"),
    ]


def test_load_demo_creates_an_account_for_every_role(campaign):
    heads = Membership.objects.filter(role=Role.HEAD)
    flags = User.objects.values_list(
        "username", "is_superuser", "is_emulation_officer", "is_council_member", "is_leadership"
    )

    assert set(flags.filter(username__in=["admin"])) == {("admin", True, False, False, False)}
    assert set(flags.filter(is_emulation_officer=True)) == {
        ("tccb.canbo1", False, True, False, False),
        ("tccb.canbo2", False, True, False, False),
    }
    assert list(flags.filter(is_council_member=True)) == [
        ("hoidong.uyvien", False, False, True, False)
    ]
    assert list(flags.filter(is_leadership=True)) == [
        ("lanhdao.botruong", False, False, False, True)
    ]
    assert set(heads.values_list("unit", flat=True)) == set(
        campaign.participants.values_list("pk", flat=True)
    )
    assert set(
        Membership.objects.exclude(role=Role.HEAD).values_list("user__username", "role")
    ) == {
        ("tccb.canbo1", Role.OFFICER),
        ("tccb.canbo2", Role.OFFICER),
        ("deputy.vu-phap-che", Role.DEPUTY),
        ("officer.cuc-quan-ly-tai-nguyen-nuoc", Role.OFFICER),
        ("officer.stnmt-long-an", Role.OFFICER),
    }


def test_load_demo_links_each_head_account_to_the_unit_head(demo):
    user = User.objects.get(username="head.stnmt-long-an")

    assert (user.person.unit.code, user.person.is_leader, user.person.position) == (
        "stnmt-long-an",
        True,
        "Giám đốc Sở",
    )
    assert user.full_name == user.person.full_name
    assert user.email == "head.stnmt-long-an@demo.thidua.vn"


def test_demo_accounts_doc_names_the_loaded_accounts(demo):
    doc = (Path(__file__).parents[2] / "docs" / "demo-accounts.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|[^|]*\| `([a-z0-9.-]+)` \| ([^|,]+?)(?:,[^|]*)? \|$", doc, re.M)
    usernames = set(
        re.findall(r"`((?:head|deputy|officer|tccb|hoidong|lanhdao)\.[a-z0-9.-]+)`", doc)
    )
    named = {username: name for username, name in rows if name != "the unit's head"}

    assert len(named) == 13
    assert named == dict(
        User.objects.filter(username__in=named).values_list("username", "full_name")
    )
    assert set(User.objects.filter(username__in=usernames).values_list("username", flat=True)) == (
        usernames
    )


def test_load_demo_users_can_log_in_with_the_demo_password(demo, client, settings):
    usernames = [
        "admin",
        "tccb.canbo1",
        "hoidong.uyvien",
        "lanhdao.botruong",
        "head.vu-phap-che",
        "head.stnmt-long-an",
        "officer.stnmt-long-an",
    ]

    results = {
        name: client.login(username=name, password=settings.DEMO_PASSWORD) for name in usernames
    }

    assert results == dict.fromkeys(usernames, True)


def test_load_demo_twice_changes_nothing(debug_on):
    before = snapshot()

    call_command("load_demo", stdout=StringIO())

    assert snapshot() == before


def test_load_demo_second_run_creates_no_rows(demo):
    counts = load_demo(today=timezone.localdate())

    assert set(counts.values()) == {0}


def test_load_demo_keeps_a_changed_password(debug_on):
    user = User.objects.get(username="head.vu-phap-che")
    user.set_password("another-pass-2024")
    user.save()

    call_command("load_demo", stdout=StringIO())

    user.refresh_from_db()
    assert (
        user.check_password("another-pass-2024"),
        user.check_password(debug_on.DEMO_PASSWORD),
    ) == (
        True,
        False,
    )


def test_load_demo_restores_a_deleted_row(demo):
    periods_2024 = Period.objects.filter(campaign__year=2024)
    periods_2024.filter(kind=PeriodKind.YEAR_END).delete()
    before = Counter(periods_2024.values_list("kind", flat=True))

    counts = load_demo(today=timezone.localdate())

    assert (dict(before), counts["periods"], periods_2024.count()) == (
        {PeriodKind.SIX_MONTHLY: 1},
        1,
        2,
    )


def test_load_demo_launches_this_years_movement_with_an_open_period(demo):
    today = timezone.localdate()

    campaign = Campaign.objects.get(year=today.year)

    assert campaign.name == f"Phong trào thi đua năm {today.year}"
    assert campaign.status == CampaignStatus.LAUNCHED
    assert campaign.participants.count() == 101
    assert sorted(campaign.periods.values_list("kind", "opens_on")) == [
        (PeriodKind.SIX_MONTHLY, dt.date(today.year, 6, 1)),
        (PeriodKind.YEAR_END, dt.date(today.year, 11, 15)),
    ]
    assert EmulationGroup.objects.filter(year=today.year).count() == 16


def test_load_demo_prints_a_summary(debug_on):
    out = StringIO()

    with translation.override("en"):
        call_command("load_demo", stdout=out)

    assert out.getvalue().splitlines()[1:] == [
        "Units: 107 (63 provincial departments).",
        "Emulation groups: 7 blocks, 9 clusters.",
        f"People: {Person.objects.count()}.",
        "Criteria: 27 collective, 21 individual, 24 leader.",
        "Accounts: 109.",
        f"Password of every demo account: {debug_on.DEMO_PASSWORD}",
        "Main usernames: admin, tccb.canbo1, tccb.canbo2, hoidong.uyvien, lanhdao.botruong, "
        "head.vu-phap-che, head.stnmt-long-an; every participating unit: head.<unit code>.",
        "The demo data is loaded.",
    ]


def test_load_demo_answers_the_2024_periods(demo):
    submissions = Submission.objects.filter(period__campaign__year=2024)
    accepted = submissions.filter(state=SubmissionState.ACCEPTED).first()
    criteria = list(accepted.period.campaign.criteria.filter(subject=Subject.COLLECTIVE))
    reviewed = {a.criterion_id: a.reviewer_score for a in accepted.answers.all()}

    assert set(submissions.values_list("period__kind", flat=True)) == {
        PeriodKind.SIX_MONTHLY,
        PeriodKind.YEAR_END,
    }
    assert 150 <= submissions.count() < 2 * 101
    assert accepted.reviewer_total == scoring.total(criteria, reviewed)
    assert list(accepted.transitions.values_list("action", "from_state", "to_state")) == [
        ("submitted", "draft", "submitted"),
        ("accepted", "submitted", "accepted"),
    ]
    assert IndividualAssessment.objects.filter(period__campaign__year=2024).count() > 500


def test_the_demo_states_follow_the_workflow_table(demo):
    from campaigns.enums import TRANSITIONS
    from campaigns.models import CampaignTransition, Transition

    steps = set(Transition.objects.values_list("action", "from_state", "to_state").distinct())
    last_steps = {s.pk: s.transitions.order_by("at", "id").last() for s in Submission.objects.all()}

    assert steps <= {(a, f, t) for a, moves in TRANSITIONS.items() for f, t in moves.items()}
    assert all(
        (step.to_state if step else SubmissionState.DRAFT) == Submission.objects.get(pk=pk).state
        for pk, step in last_steps.items()
    )
    assert set(CampaignTransition.objects.values_list("from_status", "to_status")) == {
        ("draft", "launched")
    }


def test_load_demo_runs_the_2024_year_end_of_every_block_and_cluster(campaign):
    from campaigns.blocks.standings import block_standings
    from campaigns.enums import AcclamationState, PeriodKind, ProposalKind
    from campaigns.models import Acclamation, AdjustmentOverride, Ballot, Proposal, Voter

    period = campaign.periods.get(kind=PeriodKind.YEAR_END)
    groups = EmulationGroup.objects.for_year(2024)
    votes = Acclamation.objects.filter(period=period)

    assert votes.filter(state=AcclamationState.CLOSED).count() == groups.count() == 16
    assert (
        Voter.objects.filter(acclamation__period=period).count()
        == Ballot.objects.filter(acclamation__period=period).count()
    )
    flags = Proposal.objects.filter(acclamation__period=period, kind=ProposalKind.MINISTRY_FLAG)
    assert flags.count() == 16
    assert all(v.meeting_date and v.secretary_name for v in votes)
    assert AdjustmentOverride.objects.filter(submission__period=period).exists()
    table = block_standings(groups.get(code="KHOI-I"), period)
    ranked = [s for s in table.standings if s.ranked]
    assert ranked
    assert all(s.progress == "scored" for s in ranked)
    assert flags.get(acclamation__group__code="KHOI-I").unit in {s.unit for s in ranked}


def test_load_demo_rotates_the_groups_and_opens_this_years_scoring(demo):
    from campaigns.models import Period, Submission

    this_year = timezone.localdate().year
    before = EmulationGroup.objects.get(year=this_year - 1, code="KHOI-I")
    now = EmulationGroup.objects.get(year=this_year, code="KHOI-I")
    assert now.head_unit == before.deputy_unit
    sheets = Submission.objects.filter(
        period__campaign__year=this_year, period__kind=PeriodKind.YEAR_END
    )
    year_end = Period.objects.get(campaign__year=this_year, kind=PeriodKind.YEAR_END)
    # Sent only once the year-end period is open (from mid-November).
    expected = 6 if year_end.is_open(timezone.localdate()) else 0
    assert year_end.submissions.count() == expected
    assert set(sheets.values_list("state", flat=True)) <= {SubmissionState.SUBMITTED}
    assert not sheets.filter(block_total__isnull=False).exists()
