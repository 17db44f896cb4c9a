from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.utils import timezone
from django.views.generic import TemplateView

from campaigns.sheets.queries import sheet_progress
from campaigns.views.common import PeriodPhase, campaigns_for, with_phases
from units.models import EmulationGroup, GroupMembership, Membership
from units.rules import is_leadership


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
        return super().get_context_data(
            today=today,
            campaigns=campaigns,
            memberships=memberships,
            headed_groups=_headed_groups(memberships),
            is_leadership=is_leadership(user),
            manages_a_unit=any(m.manages_unit for m in memberships),
            **kwargs,
        )


def _headed_groups(memberships: list[Membership]) -> list[EmulationGroup]:
    managed = [m.unit_id for m in memberships if m.manages_unit]
    if not managed:
        return []
    members = GroupMembership.objects.select_related("unit").order_by("unit__order", "unit__name")
    return list(
        EmulationGroup.objects.filter(head_unit_id__in=managed)
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
