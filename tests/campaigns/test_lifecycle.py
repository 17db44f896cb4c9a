"""The movement's own life: draft → launched → closed, and reopened, through
campaigns.movement.lifecycle only, each change recorded with who and when."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign, CampaignTransition
from campaigns.movement import lifecycle
from campaigns.sheets import workflow

from ..factories import CampaignFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOW = dt.datetime(2024, 1, 26, 9, tzinfo=dt.UTC)


def _steps(campaign):
    return list(
        CampaignTransition.objects.filter(campaign=campaign)
        .order_by("at", "id")
        .values_list("from_status", "to_status", "by__username", "at")
    )


@pytest.fixture
def draft():
    return CampaignFactory(status=CampaignStatus.DRAFT)


def test_the_life_of_a_movement_is_recorded_step_by_step(draft, officer):
    later = NOW + dt.timedelta(days=340)

    lifecycle.launch(draft, by=officer, now=NOW)
    lifecycle.close(draft, by=officer, now=later)
    lifecycle.reopen(draft, by=officer, now=later + dt.timedelta(days=1))

    draft.refresh_from_db()
    assert draft.status == CampaignStatus.LAUNCHED
    assert _steps(draft) == [
        ("draft", "launched", "officer", NOW),
        ("launched", "closed", "officer", later),
        ("closed", "launched", "officer", later + dt.timedelta(days=1)),
    ]


@pytest.mark.parametrize(
    ("status", "change", "message"),
    [
        ("closed", lifecycle.launch, "A movement that is “Closed” cannot become “Launched”."),
        ("draft", lifecycle.close, "A movement that is “Draft” cannot become “Closed”."),
        ("draft", lifecycle.reopen, "A movement that is “Draft” cannot become “Launched”."),
        ("launched", lifecycle.reopen, "already “Launched”: nothing more was done."),
    ],
)
def test_a_change_off_the_table_is_refused_and_changes_nothing(officer, status, change, message):
    campaign = CampaignFactory(status=status)
    before = _steps(campaign)

    with pytest.raises(workflow.WorkflowError) as refusal:
        change(campaign, by=officer, now=NOW)

    assert message in str(refusal.value)
    campaign.refresh_from_db()
    assert (campaign.status, _steps(campaign)) == (status, before)


def test_launching_twice_is_already_done(draft, officer):
    lifecycle.launch(draft, by=officer, now=NOW)

    with pytest.raises(workflow.AlreadyDone):
        lifecycle.launch(draft, by=officer, now=NOW)

    assert len(_steps(draft)) == 1


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("head_a", False),
        ("block_head", False),
        ("council", False),
        ("leader", False),
        ("officer", True),
        ("admin_user", True),
    ],
)
def test_only_the_emulation_officers_and_admins_change_a_status(
    request, draft, role, allowed, unit_a
):
    draft.participants.add(unit_a)
    user = request.getfixturevalue(role)

    if allowed:
        lifecycle.launch(draft, by=user, now=NOW)
    else:
        with pytest.raises(PermissionDenied):
            lifecycle.launch(draft, by=user, now=NOW)

    draft.refresh_from_db()
    assert draft.status == (CampaignStatus.LAUNCHED if allowed else CampaignStatus.DRAFT)
    assert len(_steps(draft)) == int(allowed)


def test_the_loaders_path_walks_the_table_edges(draft):
    lifecycle.bring_to(draft, CampaignStatus.CLOSED, now=NOW)

    assert [(a, b) for a, b, _who, _at in _steps(draft)] == [
        ("draft", "launched"),
        ("launched", "closed"),
    ]
    assert Campaign.objects.get(pk=draft.pk).status == CampaignStatus.CLOSED


def test_the_factory_makes_its_status_through_the_lifecycle():
    campaign = CampaignFactory()

    assert [(a, b) for a, b, _who, _at in _steps(campaign)] == [("draft", "launched")]


@pytest.fixture
def admin_en(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_admin_changes_statuses_through_the_lifecycle(admin_en, admin_user, draft):
    closed = CampaignFactory(name="Đã kết thúc", status=CampaignStatus.CLOSED)

    response = admin_en.post(
        reverse("admin:campaigns_campaign_changelist"),
        {"action": "launch", "_selected_action": [draft.pk, closed.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    closed.refresh_from_db()
    assert (draft.status, closed.status) == (CampaignStatus.LAUNCHED, CampaignStatus.CLOSED)
    assert [(a, b, who) for a, b, who, _at in _steps(draft)] == [("draft", "launched", "admin")]
    assert [str(m) for m in response.context["messages"]] == [
        "Đã kết thúc: A movement that is “Closed” cannot become “Launched”.",
        f"Launched: {draft.name}.",
    ]


def test_the_admin_form_shows_the_status_read_only(admin_en, draft):
    url = reverse("admin:campaigns_campaign_change", args=[draft.pk])

    page = admin_en.get(url)

    assert "status" not in page.context["adminform"].form.fields
    assert "status" in page.context["adminform"].readonly_fields
