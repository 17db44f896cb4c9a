from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import DetailView, ListView
from rules.contrib.views import PermissionRequiredMixin

from campaigns.models import Campaign
from campaigns.movement import criteria_tree
from campaigns.views.common import campaigns_for, criteria_by_subject, with_phases
from units.scope import VisibleObjectMixin


class CampaignListView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    permission_required = "campaigns.list_campaigns"
    template_name = "campaigns/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 25

    def get_queryset(self):
        return campaigns_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        for campaign in context["campaigns"]:
            campaign.period_list = with_phases(campaign.periods.all(), today)
        context["today"] = today
        return context


class CampaignDetailView(VisibleObjectMixin, DetailView):
    """The whole movement on one page: document, contents, tasks, periods, criteria."""

    context_object_name = "campaign"

    def get_queryset(self):
        return Campaign.objects.select_related("organizer")

    def get_context_data(self, **kwargs):
        campaign = self.object
        today = timezone.localdate()
        return super().get_context_data(
            today=today,
            contents=list(campaign.contents.order_by("number")),
            tasks=list(campaign.tasks.order_by("number")),
            periods=with_phases(campaign.periods.order_by("opens_on"), today),
            subjects=criteria_by_subject(criteria_tree.ordered(campaign.criteria.all())),
            participant_count=campaign.participants.count(),
            **kwargs,
        )
