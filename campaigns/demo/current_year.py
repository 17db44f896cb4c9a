"""The current year's movement of the demo: the 2024 movement copied to this year
and launched, so that the demo has a period open for self-assessment today (the
year-end review opens mid-November). Created once; later runs leave it alone."""

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign
from campaigns.services import copied_name, copy_campaign


def load_current_year(source: Campaign, *, year: int) -> int:
    """Copy the source movement to `year` (the caller's current year) unless it is
    already there; returns how many campaigns were created (0 or 1)."""
    if year <= source.year:
        return 0
    name = copied_name(source.name, source.year, year)
    if Campaign.objects.filter(organizer_id=source.organizer_id, year=year, name=name).exists():
        return 0
    result = copy_campaign(source, year=year, by=None)
    Campaign.objects.filter(pk=result.campaign.pk).update(status=CampaignStatus.LAUNCHED)
    return 1
