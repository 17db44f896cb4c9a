import pytest
import rules

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign, Period, Submission
from units.enums import Role
from units.models import User

from ..factories import CampaignFactory, MembershipFactory

pytestmark = pytest.mark.django_db

MINISTRY_FLAGS = [
    {"is_superuser": True},
    {"is_emulation_officer": True},
    {"is_leadership": True},
    {"is_council_member": True},
]


@pytest.mark.parametrize("flags", MINISTRY_FLAGS)
@pytest.mark.parametrize("status", CampaignStatus.values)
def test_ministry_roles_and_council_see_every_campaign_once_launched(flags, status):
    user = User(username="someone", **flags)
    drafts = flags.get("is_superuser") or flags.get("is_emulation_officer")
    expected = status != CampaignStatus.DRAFT or bool(drafts)

    assert (
        rules.has_perm("campaigns.view_campaign", user, Campaign(pk=1, status=status)) is expected
    )


def test_user_without_role_sees_no_campaign():
    user = User(username="someone")

    assert user.has_perm("campaigns.view_campaign", Campaign(pk=1)) is False


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (CampaignStatus.DRAFT, False),
        (CampaignStatus.LAUNCHED, True),
        (CampaignStatus.CLOSED, True),
    ],
)
def test_unit_head_sees_launched_campaigns_of_their_unit(head_a, unit_a, status, expected):
    campaign = CampaignFactory(status=status)
    campaign.participants.add(unit_a)

    assert head_a.has_perm("campaigns.view_campaign", campaign) is expected


def test_unit_head_does_not_see_campaign_their_unit_is_not_in(head_a, unit_b):
    campaign = CampaignFactory()
    campaign.participants.add(unit_b)

    assert head_a.has_perm("campaigns.view_campaign", campaign) is False


def _submission(unit, year=2024):
    return Submission(unit=unit, period=Period(campaign=Campaign(year=year)))


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"is_superuser": True}, True),
        ({"is_emulation_officer": True}, True),
        ({"is_leadership": True}, True),
        ({"is_council_member": True}, False),
        ({}, False),
    ],
)
def test_view_submission_for_ministry_roles(flags, expected, unit_a):
    user = User(username="someone", **flags)

    assert user.has_perm("campaigns.view_submission", _submission(unit_a)) is expected


@pytest.mark.parametrize(
    ("who", "unit", "year", "expected"),
    [
        ("head_a", "unit_a", 2024, True),
        ("head_a", "unit_b", 2024, False),
        ("head_b", "unit_a", 2024, False),
        ("block_head", "unit_a", 2024, True),
        ("block_head", "unit_a", 2025, False),
        ("block_head", "unit_b", 2024, False),
    ],
)
def test_view_submission_for_unit_roles(cast, request, who, unit, year, expected):
    submission = _submission(request.getfixturevalue(unit), year)

    assert cast[who].has_perm("campaigns.view_submission", submission) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.HEAD, True), (Role.DEPUTY, True), (Role.OFFICER, True), (Role.MEMBER, False)],
)
@pytest.mark.parametrize("perm", ["campaigns.change_submission", "campaigns.submit_submission"])
def test_managers_of_the_unit_change_and_submit(unit_a, role, perm, expected):
    user = MembershipFactory(unit=unit_a, role=role).user

    assert user.has_perm(perm, _submission(unit_a)) is expected


@pytest.mark.parametrize("perm", ["campaigns.change_submission", "campaigns.submit_submission"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("head_a", True),
        ("head_b", False),
        ("block_head", False),
        ("officer", False),
        ("council", False),
        ("leader", False),
    ],
)
def test_only_the_unit_changes_and_submits(cast, unit_a, perm, who, expected):
    assert cast[who].has_perm(perm, _submission(unit_a)) is expected


@pytest.mark.parametrize("perm", ["campaigns.review_submission", "campaigns.reopen_submission"])
@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"is_superuser": True}, True),
        ({"is_emulation_officer": True}, True),
        ({"is_leadership": True}, False),
        ({"is_council_member": True}, False),
        ({}, False),
    ],
)
def test_review_and_reopen_are_for_emulation_officers(flags, perm, expected):
    user = User(username="someone", **flags)

    assert user.has_perm(perm, Submission(state="submitted")) is expected


@pytest.mark.parametrize("perm", ["campaigns.review_submission", "campaigns.reopen_submission"])
def test_unit_head_cannot_review_own_submission(head_a, unit_a, perm):
    assert head_a.has_perm(perm, _submission(unit_a)) is False


# The role questions asked by lists, querysets and templates (no object).

ROLE_FLAGS = {
    "admin": {"is_superuser": True},
    "officer": {"is_emulation_officer": True},
    "leader": {"is_leadership": True},
    "council": {"is_council_member": True},
    "none": {},
}


@pytest.mark.parametrize(
    ("perm", "holders"),
    [
        ("campaigns.view_every_campaign", {"admin", "officer", "leader", "council"}),
        ("campaigns.view_draft_campaigns", {"admin", "officer"}),
        ("campaigns.view_every_submission", {"admin", "officer", "leader"}),
        ("campaigns.view_review", {"admin", "officer", "leader"}),
        ("campaigns.review_submission", {"admin", "officer"}),
        ("campaigns.reopen_submission", {"admin", "officer"}),
        ("campaigns.list_registrations", {"admin", "officer", "leader"}),
    ],
)
def test_ministry_role_questions(perm, holders):
    answers = {
        role: rules.has_perm(perm, User(username=role, **flags))
        for role, flags in ROLE_FLAGS.items()
    }

    assert {role for role, allowed in answers.items() if allowed} == holders


@pytest.mark.parametrize(
    "perm",
    [
        "campaigns.view_every_campaign",
        "campaigns.view_draft_campaigns",
        "campaigns.view_every_submission",
        "campaigns.view_review",
        "campaigns.review_submission",
    ],
)
def test_a_unit_or_block_head_holds_no_ministry_wide_permission(cast, perm):
    assert rules.has_perm(perm, cast["head_a"]) is False
    assert rules.has_perm(perm, cast["block_head"]) is False
