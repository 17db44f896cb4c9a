"""The current year's movement of the demo: the 2024 movement copied to this year
and launched, so that the demo has a period open for self-assessment today (the
year-end review opens mid-November). Created once; later runs leave it alone."""

import datetime as dt

from django.utils import timezone

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign
from campaigns.movement import lifecycle
from campaigns.movement.copying import copied_name, copy_campaign


def load_current_year(source: Campaign, *, today: dt.date) -> int:
    """Copy the source movement to today's year (the caller's day) unless it is
    already there, launched that day; returns how many campaigns were created (0 or 1)."""
    year = today.year
    if year <= source.year:
        return 0
    name = copied_name(source.name, source.year, year)
    if Campaign.objects.filter(organizer_id=source.organizer_id, year=year, name=name).exists():
        return 0
    result = copy_campaign(source, year=year, by=None)
    launched_at = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    lifecycle.bring_to(result.campaign, CampaignStatus.LAUNCHED, now=launched_at)
    return 1
