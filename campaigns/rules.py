"""Who may see and do what in a campaign: django-rules predicates and permissions.

The unit-level facts (memberships, units managed, blocks headed) come from
units.rules, which caches them on the user object, so checking every row of a
list costs no query per row.
"""

import rules

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign
from units.enums import Role
from units.rules import (
    block_scored_units,
    has_ministry_wide_view,
    headed_group_members,
    is_admin,
    is_council_member,
    is_emulation_officer,
    managed_unit_ids,
    member_unit_ids,
    unit_roles,
)

_CAMPAIGNS_CACHE = "_rules_participating_campaigns"


def participating_campaign_ids(user) -> set[int]:
    """Campaigns in which one of the user's units takes part (one query, cached)."""
    units = member_unit_ids(user)
    if not units:
        return set()
    cached = getattr(user, _CAMPAIGNS_CACHE, None)
    if cached is None:
        cached = set(
            Campaign.participants.through.objects.filter(unit_id__in=units).values_list(
                "campaign_id", flat=True
            )
        )
        setattr(user, _CAMPAIGNS_CACHE, cached)
    return cached


@rules.predicate
def is_public_campaign(user, campaign) -> bool:
    """Launched or closed: a draft is seen only by the officers who prepare it."""
    return campaign is not None and campaign.status in (
        CampaignStatus.LAUNCHED,
        CampaignStatus.CLOSED,
    )


@rules.predicate
def unit_participates(user, campaign) -> bool:
    return campaign is not None and campaign.pk in participating_campaign_ids(user)


@rules.predicate
def is_member_of_submission_unit(user, submission) -> bool:
    return submission is not None and submission.unit_id in member_unit_ids(user)


@rules.predicate
def manages_submission_unit(user, submission) -> bool:
    return submission is not None and submission.unit_id in managed_unit_ids(user)


@rules.predicate
def heads_group_of_submission_unit(user, submission) -> bool:
    """The user manages the head unit of the block or cluster the submission's unit
    belongs to in the campaign's year."""
    if submission is None:
        return False
    year = submission.period.campaign.year
    return (submission.unit_id, year) in headed_group_members(user)


@rules.predicate
def scores_submission_for_block(user, submission) -> bool:
    """The user scores the sheet for its block or cluster (units.rules.block_scored_units:
    the head unit's managers a member's, the deputy unit's managers the head unit's)."""
    if submission is None:
        return False
    return (submission.unit_id, submission.period.campaign.year) in block_scored_units(user)


# Who sees which movements. Campaign.objects.visible_to(user) is the same rule as a
# filter: it asks these permissions, then narrows to the user's units if need be.
views_every_campaign = has_ministry_wide_view | is_council_member
# A draft is the Department's work in progress: leadership and the council see a
# movement once it is launched.
views_draft_campaigns = is_admin | is_emulation_officer

rules.add_perm("campaigns.list_campaigns", rules.is_authenticated & rules.is_active)
# Every launched or closed movement, with the number of its participating units.
rules.add_perm("campaigns.view_every_campaign", views_every_campaign)
rules.add_perm("campaigns.view_draft_campaigns", views_draft_campaigns)
rules.add_perm(
    "campaigns.view_campaign",
    views_draft_campaigns | (is_public_campaign & (views_every_campaign | unit_participates)),
)

# Self-assessments. Submission.objects.visible_to(user) asks view_every_submission,
# else keeps the user's units', their block's members' and, for the managers of a
# block's deputy unit, the head unit's sheet they score.
rules.add_perm("campaigns.view_every_submission", has_ministry_wide_view)
views_submission = (
    has_ministry_wide_view
    | is_member_of_submission_unit
    | heads_group_of_submission_unit
    | scores_submission_for_block
)
rules.add_perm("campaigns.view_submission", views_submission)


# An answer and an evidence file are seen by whoever sees their self-assessment.
@rules.predicate
def views_submission_of_answer(user, answer) -> bool:
    return answer is not None and views_submission.test(user, answer.submission)


@rules.predicate
def views_submission_of_evidence(user, evidence) -> bool:
    return evidence is not None and views_submission.test(user, evidence.answer.submission)


rules.add_perm("campaigns.view_answer", views_submission_of_answer)
rules.add_perm("campaigns.view_evidence", views_submission_of_evidence)
rules.add_perm("campaigns.change_submission", manages_submission_unit)
rules.add_perm("campaigns.submit_submission", manages_submission_unit)
rules.add_perm("campaigns.withdraw_submission", manages_submission_unit)
# The review page, read-only for leadership; scoring, returning, accepting, reopening,
# the history of the answers and the urging of late units are the reviewers'.
rules.add_perm("campaigns.view_review", has_ministry_wide_view)
rules.add_perm("campaigns.review_submission", is_emulation_officer | is_admin)
rules.add_perm("campaigns.reopen_submission", is_emulation_officer | is_admin)
# Launching, closing and reopening a movement (campaigns.movement.lifecycle).
rules.add_perm("campaigns.change_campaign_status", is_emulation_officer | is_admin)


# A unit's year in a campaign: its registration, and its people's year-end
# assessments. The permission object has .unit_id and .campaign (a Registration,
# saved or not, or an individuals.UnitPeriod, which also has .period).


@rules.predicate
def manages_unit_of(user, scope) -> bool:
    return scope is not None and scope.unit_id in managed_unit_ids(user)


@rules.predicate
def is_member_of_unit_of(user, scope) -> bool:
    return scope is not None and scope.unit_id in member_unit_ids(user)


@rules.predicate
def heads_group_of_unit_of(user, scope) -> bool:
    """The user manages the head unit of the unit's block or cluster in the
    campaign's year."""
    return scope is not None and (scope.unit_id, scope.campaign.year) in headed_group_members(user)


@rules.predicate
def campaign_of_is_public(user, scope) -> bool:
    return scope is not None and is_public_campaign(user, scope.campaign)


@rules.predicate
def campaign_of_is_launched(user, scope) -> bool:
    """Registrations are taken while the movement runs: launched, not yet closed."""
    return scope is not None and scope.campaign.status == CampaignStatus.LAUNCHED


@rules.predicate
def period_of_is_open(user, scope) -> bool:
    """The period is open on the scope's day (individuals.UnitPeriod.today, given by
    the caller): the rules never read the clock."""
    return scope is not None and scope.period.is_open(scope.today)


rules.add_perm(
    "campaigns.view_registration",
    has_ministry_wide_view
    | (campaign_of_is_public & (is_member_of_unit_of | heads_group_of_unit_of)),
)
rules.add_perm(
    "campaigns.change_registration",
    manages_unit_of & campaign_of_is_launched,
)
rules.add_perm("campaigns.list_registrations", has_ministry_wide_view)
# Grades and discipline are personal: the unit's managers, the ministry and the head
# of the block or cluster see them, not every member of the unit.
rules.add_perm(
    "campaigns.view_individual_assessments",
    has_ministry_wide_view | (campaign_of_is_public & (manages_unit_of | heads_group_of_unit_of)),
)
rules.add_perm(
    "campaigns.change_individual_assessments",
    manages_unit_of & campaign_of_is_launched & period_of_is_open,
)


# Blocks and clusters (campaigns.blocks). A sheet is scored for its block by the
# managers of the block's head unit, the head unit's own sheet by the deputy unit's
# (units.rules.block_scored_units); the Department sees every block's scores and may
# change one, with a reason. The permission object of the block-wide ones is the
# EmulationGroup.


@rules.predicate
def manages_head_unit_of(user, group) -> bool:
    return group is not None and group.head_unit_id in managed_unit_ids(user)


@rules.predicate
def manages_deputy_unit_of(user, group) -> bool:
    return group is not None and group.deputy_unit_id in managed_unit_ids(user)


@rules.predicate
def heads_member_unit_of(user, group) -> bool:
    """The user is the head (thủ trưởng) of one of the group's member units: the one
    who casts that unit's ballot."""
    if group is None:
        return False
    headed = [unit_id for unit_id, role in unit_roles(user).items() if role == Role.HEAD]
    return bool(headed) and group.memberships.filter(unit_id__in=headed).exists()


@rules.predicate
def is_member_of_group(user, group) -> bool:
    units = member_unit_ids(user)
    return (
        group is not None and bool(units) and group.memberships.filter(unit_id__in=units).exists()
    )


rules.add_perm("campaigns.score_in_block", scores_submission_for_block)
rules.add_perm("campaigns.change_block_score", is_emulation_officer | is_admin)
# A sheet's block scoring page: whoever scores it or may change its scores, the
# ministry-wide roles and the block's head unit (its own sheet, read-only).
rules.add_perm(
    "campaigns.view_block_scoring",
    has_ministry_wide_view | heads_group_of_submission_unit | scores_submission_for_block,
)
# A block's standings (scores, adjustments, ranking) and its documents.
rules.add_perm(
    "campaigns.view_block",
    has_ministry_wide_view | is_council_member | manages_head_unit_of | manages_deputy_unit_of,
)
# Opening and closing the acclamation, the minutes' fields.
rules.add_perm("campaigns.manage_block", manages_head_unit_of)
# An adjustment of one sheet: whoever scores it for the block (the permission object
# is the Submission), or the Department.
rules.add_perm(
    "campaigns.override_adjustment", scores_submission_for_block | is_emulation_officer | is_admin
)
rules.add_perm("campaigns.vote_in_block", heads_member_unit_of)
# The acclamation's page: who voted, and the counts once it is closed.
rules.add_perm(
    "campaigns.view_acclamation",
    has_ministry_wide_view
    | is_council_member
    | manages_head_unit_of
    | manages_deputy_unit_of
    | is_member_of_group,
)
