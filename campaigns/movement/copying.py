"""Multi-model writes on campaigns that the admin (and later the pages) call."""

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from campaigns.enums import CampaignStatus
from campaigns.models import Campaign, Content, Period, Task
from campaigns.movement import criteria_tree
from units.models import EmulationGroup, GroupMembership, User

logger = logging.getLogger(__name__)


class CopyRefused(Exception):
    """The copy cannot be made; str() is the message for the user."""


@dataclass
class CopyPlan:
    """What copying a campaign to a year would do, for the confirmation page."""

    name: str
    participants: int
    contents: int
    tasks: int
    criteria: int
    periods: int
    groups: list[str] = field(default_factory=list)
    groups_existing: list[str] = field(default_factory=list)


@dataclass
class CopyResult:
    campaign: Campaign
    participants: int = 0
    contents: int = 0
    tasks: int = 0
    criteria: int = 0
    periods: int = 0
    groups: int = 0
    group_members: int = 0
    groups_skipped: list[str] = field(default_factory=list)
    members_skipped: int = 0


def shift_date(day: dt.date | None, years: int) -> dt.date | None:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def copied_name(name: str, source_year: int, year: int) -> str:
    """The text with the source year replaced, where it stands as a number of its own
    (not inside "12024" or a document number such as "20241/QĐ")."""
    return re.sub(rf"(?<!\d){source_year}(?!\d)", str(year), name)


def plan_copy(campaign: Campaign, *, year: int) -> CopyPlan:
    """Count what `copy_campaign(campaign, year=year)` would copy, without writing."""
    counts = Campaign.objects.filter(pk=campaign.pk).aggregate(
        participants=Count("participants", distinct=True),
        contents=Count("contents", distinct=True),
        tasks=Count("tasks", distinct=True),
        criteria=Count("criteria", distinct=True),
        periods=Count("periods", distinct=True),
    )
    source_groups = list(
        EmulationGroup.objects.filter(year=campaign.year).values_list("code", flat=True)
    )
    existing = set(
        EmulationGroup.objects.filter(year=year, code__in=source_groups).values_list(
            "code", flat=True
        )
    )
    return CopyPlan(
        name=copied_name(campaign.name, campaign.year, year),
        groups=[code for code in source_groups if code not in existing],
        groups_existing=[code for code in source_groups if code in existing],
        **counts,
    )


@transaction.atomic
def copy_campaign(campaign: Campaign, *, year: int, by: User | None) -> CopyResult:
    """Copy a campaign and its setup to another year, as a draft.

    Copies the participants, contents, tasks, criteria (the section tree and the
    content links point to the copies), and periods and campaign dates moved by the
    difference in years (29 February becomes 28). The year in the name and the theme
    is replaced. The issuing document number and date are left empty: the new year's movement is
    launched by a new document. The emulation blocks and clusters of the source year
    are copied into the target year with their head, deputy and members, except a
    group whose code already exists in the target year (listed in `groups_skipped`)
    and a member already in another group of the same kind that year.

    Returns the new campaign (`.campaign`) with the counts of what was copied and
    the codes of what was skipped, for the message to the user. Raises CopyRefused,
    saving nothing, when the organizer already has a campaign of that name in that
    year.
    """
    name = copied_name(campaign.name, campaign.year, year)
    duplicate = Campaign.objects.filter(organizer_id=campaign.organizer_id, year=year, name=name)
    if duplicate.exists():
        raise CopyRefused(
            _(
                "{organizer} already has the movement “{name}” in {year}; nothing was copied."
            ).format(organizer=campaign.organizer, name=name, year=year)
        )
    years = year - campaign.year
    copy = _copy_campaign_row(campaign, name=name, year=year, years=years)
    result = CopyResult(campaign=copy)
    participants = list(campaign.participants.values_list("pk", flat=True))
    copy.participants.set(participants)
    result.participants = len(participants)
    contents = _copy_numbered(Content, campaign, copy)
    result.contents = len(contents)
    result.tasks = len(_copy_numbered(Task, campaign, copy))
    result.criteria = criteria_tree.copy_criteria(campaign, to=copy, contents=contents)
    result.periods = _copy_periods(campaign, copy, years)
    _copy_groups(campaign.year, year, result)
    logger.info("Campaign %s copied to %s (%s) by %s", campaign.pk, copy.pk, year, by)
    return result


def _copy_campaign_row(campaign: Campaign, *, name: str, year: int, years: int) -> Campaign:
    return Campaign.objects.create(
        name=name,
        theme=copied_name(campaign.theme, campaign.year, year),
        year=year,
        kind=campaign.kind,
        organizer_id=campaign.organizer_id,
        launched_by=campaign.launched_by,
        description=campaign.description,
        starts_on=shift_date(campaign.starts_on, years),
        ends_on=shift_date(campaign.ends_on, years),
        status=CampaignStatus.DRAFT,
    )


def _copy_numbered(model, source: Campaign, copy: Campaign) -> dict[int, object]:
    """Copy contents or tasks; returns the copies by their source's primary key."""
    originals = list(model.objects.filter(campaign=source).order_by("number"))
    copies = model.objects.bulk_create(
        model(campaign=copy, number=item.number, title=item.title, text=item.text)
        for item in originals
    )
    return {item.pk: new for item, new in zip(originals, copies, strict=True)}


def _copy_periods(source: Campaign, copy: Campaign, years: int) -> int:
    periods = [
        Period(
            campaign=copy,
            kind=period.kind,
            opens_on=shift_date(period.opens_on, years),
            due_on=shift_date(period.due_on, years),
            closes_on=shift_date(period.closes_on, years),
        )
        for period in Period.objects.filter(campaign=source)
    ]
    Period.objects.bulk_create(periods)
    return len(periods)


def _copy_groups(source_year: int, year: int, result: CopyResult) -> None:
    groups = list(EmulationGroup.objects.filter(year=source_year).prefetch_related("memberships"))
    taken_codes = set(
        EmulationGroup.objects.filter(year=year, code__in=[g.code for g in groups]).values_list(
            "code", flat=True
        )
    )
    # A unit sits in one block (and one cluster) a year: keep the places already taken.
    taken_places = set(GroupMembership.objects.filter(year=year).values_list("unit_id", "kind"))
    members = []
    for group in groups:
        if group.code in taken_codes:
            result.groups_skipped.append(group.code)
            continue
        copy = EmulationGroup.objects.create(
            kind=group.kind,
            year=year,
            code=group.code,
            name=copied_name(group.name, source_year, year),
            head_unit_id=group.head_unit_id,
            deputy_unit_id=group.deputy_unit_id,
            order=group.order,
        )
        result.groups += 1
        for member in group.memberships.all():
            if (member.unit_id, group.kind) in taken_places:
                result.members_skipped += 1
                continue
            taken_places.add((member.unit_id, group.kind))
            # bulk_create skips GroupMembership.save, so year and kind are set here.
            members.append(
                GroupMembership(group=copy, unit_id=member.unit_id, year=year, kind=group.kind)
            )
    GroupMembership.objects.bulk_create(members)
    result.group_members = len(members)
