import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import CampaignStatus, CriterionKind, PeriodKind, Subject
from campaigns.sheets import answers, workflow
from campaigns.views.common import PeriodPhase, period_phase
from units.enums import Role

from ..factories import (
    CampaignFactory,
    ContentFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PeriodFactory,
    TaskFactory,
    UnitFactory,
)

# Messages are asserted as written in the code (English); see test_*_in_vietnamese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def campaign_b(unit_b):
    """Created first: what must not leak to unit A."""
    campaign = CampaignFactory(name="Phong trào riêng của đơn vị B")
    campaign.participants.add(unit_b)
    PeriodFactory(campaign=campaign, kind=PeriodKind.YEAR_END)
    return campaign


@pytest.fixture
def campaign_a(campaign_b, unit_a):
    campaign = CampaignFactory(
        name="Phong trào thi đua năm 2024",
        document_number="123/QĐ-BTNMT",
        document_date=dt.date(2024, 1, 15),
        launched_by="Bộ trưởng",
    )
    campaign.participants.add(unit_a)
    PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.SIX_MONTHLY,
        opens_on=dt.date(2024, 6, 1),
        due_on=dt.date(2024, 6, 30),
        closes_on=dt.date(2024, 7, 15),
    )
    return campaign


@pytest.fixture
def draft_a(unit_a):
    campaign = CampaignFactory(name="Bản nháp", status=CampaignStatus.DRAFT)
    campaign.participants.add(unit_a)
    return campaign


def _names(campaigns):
    return sorted(c.name for c in campaigns)


# Home page, role by role


def test_home_for_unit_head_shows_their_unit_campaigns_and_periods(
    client_for, head_a, unit_a, unit_b, campaign_a, campaign_b, draft_a
):
    response = client_for(head_a).get(reverse("home"))

    assert response.status_code == 200
    assert _names(response.context["campaigns"]) == ["Phong trào thi đua năm 2024"]
    assert [m.unit for m in response.context["memberships"]] == [unit_a]
    assert [
        (p.get_kind_display(), p.due_on, p.phase)
        for p in response.context["campaigns"][0].period_list
    ] == [("Six-monthly review", dt.date(2024, 6, 30), PeriodPhase.CLOSED)]
    html = response.content.decode()
    assert unit_a.name in html
    assert unit_b.name not in html
    assert campaign_b.name not in html
    assert "30/06/2024" in html
    assert response.context["headed_groups"] == []


def test_home_for_officer_shows_every_campaign(client_for, officer, campaign_a, draft_a):
    response = client_for(officer).get(reverse("home"))

    assert _names(response.context["campaigns"]) == [
        "Bản nháp",
        "Phong trào riêng của đơn vị B",
        "Phong trào thi đua năm 2024",
    ]
    assert {c.name: c.participant_count for c in response.context["campaigns"]} == {
        "Bản nháp": 1,
        "Phong trào riêng của đơn vị B": 1,
        "Phong trào thi đua năm 2024": 1,
    }
    assert response.context["memberships"] == []
    assert "Emulation movements" in response.content.decode()


def test_home_for_block_head_shows_the_block_and_its_members(
    client_for, block_head, block, unit_a, unit_c
):
    response = client_for(block_head).get(reverse("home"))

    assert response.context["headed_groups"] == [block]
    assert {m.unit for m in response.context["headed_groups"][0].memberships.all()} == {
        unit_a,
        unit_c,
    }
    html = response.content.decode()
    assert block.name in html
    assert f'href="{reverse("units:detail", kwargs={"pk": unit_a.pk})}"' in html
    queue = f"{reverse('campaigns:review_queue')}?group={block.pk}"
    assert f'href="{queue}" data-testid="group-submissions"' in html


def test_home_for_council_shows_launched_campaigns(client_for, council, campaign_a, draft_a):
    response = client_for(council).get(reverse("home"))

    assert _names(response.context["campaigns"]) == [
        "Phong trào riêng của đơn vị B",
        "Phong trào thi đua năm 2024",
    ]
    assert response.context["memberships"] == []
    assert response.context["headed_groups"] == []


def test_home_for_leadership_shows_the_overview(client_for, leader, campaign_a, draft_a):
    response = client_for(leader).get(reverse("home"))

    assert _names(response.context["campaigns"]) == [
        "Phong trào riêng của đơn vị B",
        "Phong trào thi đua năm 2024",
    ]
    assert "Movements overview" in response.content.decode()
    assert draft_a.name not in response.content.decode()


def test_home_for_admin_links_to_the_admin(client_for, admin_user):
    response = client_for(admin_user).get(reverse("home"))

    assert response.status_code == 200
    assert f'<a class="button" href="{reverse("admin:index")}">' in response.content.decode()


def test_home_for_unit_head_has_no_admin_link(client_for, head_a):
    response = client_for(head_a).get(reverse("home"))

    assert reverse("admin:index") not in response.content.decode()


def test_home_phases_follow_today_in_ho_chi_minh_city(client_for, officer, time_machine):
    campaign = CampaignFactory()
    PeriodFactory(
        campaign=campaign,
        opens_on=dt.date(2024, 6, 1),
        due_on=dt.date(2024, 6, 30),
        closes_on=dt.date(2024, 6, 30),
    )
    # 18:00 UTC on 30 June is 01:00 on 1 July in Hà Nội: the period has closed.
    time_machine.move_to(dt.datetime(2024, 6, 30, 18, 0, tzinfo=dt.UTC), tick=False)

    response = client_for(officer).get(reverse("home"))

    assert response.context["today"] == dt.date(2024, 7, 1)
    assert [p.phase for p in response.context["campaigns"][0].period_list] == [PeriodPhase.CLOSED]


@pytest.mark.parametrize(
    ("today", "phase", "past_due"),
    [
        (dt.date(2024, 5, 31), PeriodPhase.UPCOMING, False),
        (dt.date(2024, 6, 1), PeriodPhase.OPEN, False),
        (dt.date(2024, 6, 30), PeriodPhase.OPEN, False),
        (dt.date(2024, 7, 1), PeriodPhase.OPEN, True),
        (dt.date(2024, 7, 15), PeriodPhase.OPEN, True),
        (dt.date(2024, 7, 16), PeriodPhase.CLOSED, False),
    ],
)
def test_period_phase_as_of_a_day(today, phase, past_due, client_for, officer, time_machine):
    period = PeriodFactory(
        opens_on=dt.date(2024, 6, 1), due_on=dt.date(2024, 6, 30), closes_on=dt.date(2024, 7, 15)
    )
    time_machine.move_to(timezone.make_aware(dt.datetime.combine(today, dt.time(9))), tick=False)

    response = client_for(officer).get(
        reverse("campaigns:detail", kwargs={"pk": period.campaign_id})
    )

    assert period_phase(period, today) == phase
    assert [(p.phase, p.past_due) for p in response.context["periods"]] == [(phase, past_due)]


@pytest.mark.parametrize("item_count", [1, 3])
def test_home_query_count_for_unit_head(
    client_for, head_a, unit_a, item_count, django_assert_num_queries
):
    for _ in range(item_count):
        campaign = CampaignFactory()
        campaign.participants.add(unit_a)
        CriterionFactory(campaign=campaign)
        six_monthly = PeriodFactory(campaign=campaign, kind=PeriodKind.SIX_MONTHLY)
        PeriodFactory(campaign=campaign, kind=PeriodKind.YEAR_END)
        answers.open_submission(six_monthly, unit_a)
    client = client_for(head_a)

    # session, user, campaigns, their periods, user's memberships, the units' sheets
    # (participation, criteria, submissions, answers), groups their units head
    with django_assert_num_queries(10):
        response = client.get(reverse("home"))

    assert len(response.context["campaigns"]) == item_count
    assert [len(c.unit_sheets) for c in response.context["campaigns"]] == [2] * item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_home_query_count_for_officer(client_for, officer, item_count, django_assert_num_queries):
    for _ in range(item_count):
        campaign = CampaignFactory()
        campaign.participants.add(UnitFactory(), UnitFactory())
        PeriodFactory(campaign=campaign, kind=PeriodKind.SIX_MONTHLY)
        PeriodFactory(campaign=campaign, kind=PeriodKind.YEAR_END)
    client = client_for(officer)

    # session, user, campaigns with their participant counts, their periods, user's memberships
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))

    assert [c.participant_count for c in response.context["campaigns"]] == [2] * item_count


@pytest.mark.parametrize("item_count", [1, 3])
def test_home_query_count_for_block_head(client_for, unit_c, item_count, django_assert_num_queries):
    user = MembershipFactory(unit=unit_c, role=Role.HEAD).user
    for index in range(item_count):
        group = EmulationGroupFactory(year=2020 + index, head_unit=unit_c)
        for _ in range(item_count):
            GroupMembershipFactory(group=group, unit=UnitFactory())
    client = client_for(user)

    # session, user, campaigns, user's memberships, groups their units head, members
    with django_assert_num_queries(6):
        response = client.get(reverse("home"))

    assert len(response.context["headed_groups"]) == item_count


# Campaign list


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("anonymous", 302),
        ("head_a", 200),
        ("head_b", 200),
        ("block_head", 200),
        ("officer", 200),
        ("council", 200),
        ("leader", 200),
    ],
)
def test_campaign_list_permissions(cast, client_for, role, expected_status):
    response = client_for(cast[role]).get(reverse("campaigns:list"))

    assert response.status_code == expected_status


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("head_a", ["Phong trào thi đua năm 2024"]),
        ("head_b", ["Phong trào riêng của đơn vị B"]),
        ("block_head", []),
        ("officer", ["Bản nháp", "Phong trào riêng của đơn vị B", "Phong trào thi đua năm 2024"]),
        ("council", ["Phong trào riêng của đơn vị B", "Phong trào thi đua năm 2024"]),
        ("leader", ["Phong trào riêng của đơn vị B", "Phong trào thi đua năm 2024"]),
    ],
)
def test_campaign_list_shows_what_each_role_may_see(
    cast, client_for, campaign_a, draft_a, role, expected
):
    response = client_for(cast[role]).get(reverse("campaigns:list"))

    assert _names(response.context["campaigns"]) == expected


@pytest.mark.parametrize("item_count", [1, 3])
def test_campaign_list_query_count(
    client_for, head_a, unit_a, item_count, django_assert_num_queries
):
    for _ in range(item_count):
        campaign = CampaignFactory()
        campaign.participants.add(unit_a, UnitFactory())
        PeriodFactory(campaign=campaign)
    client = client_for(head_a)

    # session, user, count for the paginator, campaigns, their periods
    with django_assert_num_queries(5):
        response = client.get(reverse("campaigns:list"))

    assert len(response.context["campaigns"]) == item_count


# Campaign page


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("anonymous", 302),
        ("head_a", 200),
        ("head_b", 404),
        ("block_head", 404),
        ("officer", 200),
        ("council", 200),
        ("leader", 200),
    ],
)
def test_campaign_page_permissions(cast, client_for, campaign_a, role, expected_status):
    response = client_for(cast[role]).get(reverse("campaigns:detail", kwargs={"pk": campaign_a.pk}))

    assert response.status_code == expected_status


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("anonymous", 302),
        ("head_a", 404),
        ("head_b", 404),
        ("block_head", 404),
        ("officer", 200),
        ("council", 404),
        ("leader", 404),
        ("admin_user", 200),
    ],
)
def test_draft_campaign_page_permissions(request, client_for, draft_a, role, expected_status):
    user = request.getfixturevalue(role) if role != "anonymous" else None

    response = client_for(user).get(reverse("campaigns:detail", kwargs={"pk": draft_a.pk}))

    assert response.status_code == expected_status


def test_closed_campaign_page_is_open_to_its_units(client_for, head_a, unit_a):
    campaign = CampaignFactory(status=CampaignStatus.CLOSED)
    campaign.participants.add(unit_a)

    response = client_for(head_a).get(reverse("campaigns:detail", kwargs={"pk": campaign.pk}))

    assert response.status_code == 200
    assert response.context["campaign"] == campaign


def test_campaign_page_shows_the_document_contents_tasks_and_periods(
    client_for, head_a, campaign_a
):
    ContentFactory(campaign=campaign_a, number=2, title="Thi đua chuyển đổi số")
    ContentFactory(campaign=campaign_a, number=1, title="Thi đua hoàn thành nhiệm vụ")
    TaskFactory(campaign=campaign_a, number=1, title="Tuyên truyền")

    response = client_for(head_a).get(reverse("campaigns:detail", kwargs={"pk": campaign_a.pk}))

    context = response.context
    assert [(c.number, c.title) for c in context["contents"]] == [
        (1, "Thi đua hoàn thành nhiệm vụ"),
        (2, "Thi đua chuyển đổi số"),
    ]
    assert [(t.number, t.title) for t in context["tasks"]] == [(1, "Tuyên truyền")]
    assert context["participant_count"] == 1
    html = response.content.decode()
    assert "No. 123/QĐ-BTNMT" in html
    assert "dated 15/01/2024" in html
    assert "01/01/2024 – 31/12/2024" in html
    assert ">01/06/2024</td>" in html
    assert ">30/06/2024</td>" in html
    assert ">15/07/2024</td>" in html
    assert '<li value="2">' in html


def test_campaign_page_builds_the_criteria_tree_by_subject(client_for, officer):
    campaign = CampaignFactory()
    section = CriterionFactory(campaign=campaign, code="1", max_points=Decimal("15"), order=1)
    CriterionFactory(campaign=campaign, parent=section, code="1.1", order=2)
    CriterionFactory(
        campaign=campaign,
        parent=section,
        code="1.2",
        kind=CriterionKind.YES_NO,
        max_points=Decimal("5"),
        evidence_required=True,
        guidance="Gửi kèm báo cáo",
        order=3,
    )
    CriterionFactory(campaign=campaign, code="2", max_points=Decimal("20"), order=4)
    CriterionFactory(
        campaign=campaign, code="3", kind=CriterionKind.BONUS, max_points=Decimal("5"), order=5
    )
    CriterionFactory(
        campaign=campaign, code="4", kind=CriterionKind.PENALTY, max_points=Decimal("3"), order=6
    )
    CriterionFactory(
        campaign=campaign, subject=Subject.INDIVIDUAL, code="1", max_points=Decimal("50")
    )

    response = client_for(officer).get(reverse("campaigns:detail", kwargs={"pk": campaign.pk}))

    subjects = response.context["subjects"]
    assert [s.subject for s in subjects] == [Subject.COLLECTIVE, Subject.INDIVIDUAL, Subject.LEADER]
    collective, individual, leader = subjects
    assert [(r.criterion.code, r.depth, r.is_section) for r in collective.rows] == [
        ("1", 0, True),
        ("1.1", 1, False),
        ("1.2", 1, False),
        ("2", 0, False),
        ("3", 0, False),
        ("4", 0, False),
    ]
    assert (collective.maximum, collective.bonus, collective.penalty) == (
        Decimal("35"),
        Decimal("5"),
        Decimal("3"),
    )
    assert [(r.criterion.code, r.depth) for r in individual.rows] == [("1", 0)]
    assert individual.maximum == Decimal("50")
    assert leader.rows == []
    html = response.content.decode()
    assert '<tr class="depth-1">' in html
    assert '<tr class="depth-0 row--section">' in html
    assert "Gửi kèm báo cáo" in html
    assert "Maximum: 35 points" in html


@pytest.mark.parametrize("item_count", [1, 3])
def test_campaign_page_query_count(
    client_for, head_a, unit_a, item_count, django_assert_num_queries
):
    campaign = CampaignFactory()
    campaign.participants.add(unit_a)
    for _ in range(item_count):
        ContentFactory(campaign=campaign)
        TaskFactory(campaign=campaign)
        section = CriterionFactory(campaign=campaign)
        CriterionFactory(campaign=campaign, parent=section, code=f"{section.code}.1")
        CriterionFactory(campaign=campaign, subject=Subject.INDIVIDUAL)
    for kind in list(PeriodKind)[:item_count]:
        PeriodFactory(campaign=campaign, kind=kind)
    client = client_for(head_a)

    # session, user, campaign, user's memberships (rules), campaigns of their units (rules),
    # contents, tasks, periods, criteria, number of participants, units the user manages in
    # the movement (links to their registration and assessments)
    with django_assert_num_queries(11):
        response = client.get(reverse("campaigns:detail", kwargs={"pk": campaign.pk}))

    assert len(response.context["contents"]) == item_count


def test_a_units_home_shows_its_own_sheet_and_what_is_missing(
    client_for, head_a, unit_a, unit_b, time_machine
):
    from .sheet import fill, make_sheet

    time_machine.move_to(dt.datetime(2024, 11, 20, 9, tzinfo=dt.UTC))
    sheet = make_sheet([unit_a, unit_b], year=2024)
    submission_b = answers.open_submission(sheet.period, unit_b)  # what must not show
    fill(submission_b, sheet, MembershipFactory(unit=unit_b).user)
    submission_a = answers.open_submission(sheet.period, unit_a)
    fill(submission_a, sheet, head_a, evidence=False)

    response = client_for(head_a).get(reverse("home"))

    (campaign,) = response.context["campaigns"]
    assert [
        (s.unit, s.state, s.answered, s.criteria, s.evidence_missing, s.complete)
        for s in campaign.unit_sheets
    ] == [(unit_a, "draft", 3, 3, 1, False)]
    text = " ".join(response.content.decode().split())
    assert "3 of 3 criteria answered · 1 answered criterion still needs its evidence" in text
    assert unit_b.name not in text


def test_a_units_home_shows_a_sheet_not_started_and_one_sent(
    client_for, head_a, unit_a, time_machine
):
    from .sheet import fill, make_sheet

    time_machine.move_to(dt.datetime(2024, 11, 20, 9, tzinfo=dt.UTC))
    sheet = make_sheet([unit_a], year=2024)
    client = client_for(head_a)

    before = client.get(reverse("home"))
    submission = answers.open_submission(sheet.period, unit_a)
    fill(submission, sheet, head_a)
    workflow.submit(submission, by=head_a, now=timezone.now())
    after = client.get(reverse("home"))

    assert 'data-testid="unit-sheet-state">Not started' in before.content.decode()
    assert "0 of 3 criteria answered" in before.content.decode()
    (sent,) = after.context["campaigns"][0].unit_sheets
    assert (sent.state, sent.in_progress) == ("submitted", False)
    assert "criteria answered" not in after.content.decode()
