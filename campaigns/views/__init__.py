"""Campaign pages. The self-assessment views will sit beside campaign.py."""

from campaigns.views.campaign import CampaignDetailView, CampaignListView
from campaigns.views.home import HomeView

__all__ = ["CampaignDetailView", "CampaignListView", "HomeView"]
