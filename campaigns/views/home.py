from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.views.generic import TemplateView

from campaigns.blocks.standings import Progress, progress_of
from campaigns.enums import PeriodKind, Subject, SubmissionState
from campaigns.models import Criterion, Submission
from campaigns.movement import criteria_tree
from campaigns.sheets.queries import sheet_progress
from campaigns.views.common import PeriodPhase, campaigns_for, with_phases
from units.models import EmulationGroup, GroupMembership, Membership
from units.rules import block_scored_units, is_leadership


class HomeView(LoginRequiredMixin, TemplateView):
    """What waits for the signed-in user: their units, the campaigns they see with
    the phase of each period as of today, and the blocks or clusters they head."""

    template_name = "home.html"
    campaign_limit = 20

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        campaigns = list(campaigns_for(user)[: self.campaign_limit])
        for campaign in campaigns:
            campaign.period_list = with_phases(campaign.periods.all(), today)
        memberships = list(Membership.objects.filter(user=user).select_related("unit", "user"))
        _attach_unit_sheets(campaigns, memberships)
        managed = {m.unit_id for m in memberships if m.manages_unit}
        groups = _managed_groups(managed)
        return super().get_context_data(
            today=today,
            campaigns=campaigns,
            memberships=memberships,
            headed_groups=[g for g in groups if g.head_unit_id in managed],
            block_years=_block_years(user, groups, campaigns),
            is_leadership=is_leadership(user),
            manages_a_unit=any(m.manages_unit for m in memberships),
            **kwargs,
        )


def _managed_groups(managed: set[int]) -> list[EmulationGroup]:
    """The blocks and clusters whose head or deputy unit the user manages, with their
    members (one query, and one more when there are any)."""
    if not managed:
        return []
    members = GroupMembership.objects.select_related("unit").order_by("unit__order", "unit__name")
    return list(
        EmulationGroup.objects.filter(Q(head_unit_id__in=managed) | Q(deputy_unit_id__in=managed))
        .select_related("head_unit", "deputy_unit")
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("-year", "kind", "order", "code")
    )


def _attach_unit_sheets(campaigns, memberships: list[Membership]) -> None:
    """On each campaign, .unit_sheets: where the self-assessment of each of the user's
    units stands in each of its periods already open (a constant number of queries)."""
    units = list({m.unit_id: m.unit for m in memberships}.values())
    periods = [p for c in campaigns for p in c.period_list if p.phase != PeriodPhase.UPCOMING]
    progress = sheet_progress(units, periods) if units else []
    for campaign in campaigns:
        campaign.unit_sheets = [p for p in progress if p.period.campaign_id == campaign.pk]


def _block_years(user, groups: list[EmulationGroup], campaigns) -> list[dict]:
    """For a user managing a block's head or deputy unit: each such block's year-end
    period already open, with the number of sent sheets the user still has to
    score for the block (a constant number of queries)."""
    periods = [
        p
        for c in campaigns
        for p in c.period_list
        if p.kind == PeriodKind.YEAR_END and p.phase != PeriodPhase.UPCOMING
    ]
    years = {p.campaign.year for p in periods}
    groups = [g for g in groups if g.year in years]
    if not groups:
        return []
    scored_by_user = block_scored_units(user)
    members = {
        group.pk: [
            m.unit_id for m in group.memberships.all() if (m.unit_id, m.year) in scored_by_user
        ]
        for group in groups
    }
    leaf_counts = _leaf_counts({p.campaign_id for p in periods})
    sheets = {
        (period_id, unit_id): (state, count)
        for period_id, unit_id, state, count in Submission.objects.filter(
            period__in=periods,
            unit_id__in={u for units in members.values() for u in units},
            state__in=SubmissionState.done_states,
        ).values_list("period_id", "unit_id", "state", "block_scored_count")
    }
    found = []
    for group in groups:
        for period in periods:
            if period.campaign.year != group.year:
                continue
            to_score = sum(
                1
                for unit_id in members.get(group.pk, [])
                if (period.pk, unit_id) in sheets
                and progress_of(*sheets[period.pk, unit_id], leaf_counts[period.campaign_id])
                == Progress.SUBMITTED
            )
            found.append({"group": group, "period": period, "to_score": to_score})
    return found


def _leaf_counts(campaign_ids: set[int]) -> dict[int, int]:
    by_campaign: dict[int, list] = {campaign_id: [] for campaign_id in campaign_ids}
    for criterion in Criterion.objects.filter(
        campaign_id__in=campaign_ids, subject=Subject.COLLECTIVE
    ):
        by_campaign[criterion.campaign_id].append(criterion)
    return {
        campaign_id: len(criteria_tree.leaves(criteria))
        for campaign_id, criteria in by_campaign.items()
    }
