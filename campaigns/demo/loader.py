"""load_demo(): the whole demo in one transaction, idempotent by natural keys."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from campaigns.data.titles import load_titles
from campaigns.enums import Subject
from campaigns.models import Campaign, Title
from units.enums import GroupKind, UnitKind
from units.models import EmulationGroup, Person, Unit, User

from . import accounts, blocks, current_year, movement_2024, organization, people, results_2024


@transaction.atomic
def load_demo(*, today: dt.date) -> dict[str, int]:
    """Create or update the demo ministry and its 2024 movement; `today` (the
    command's date) says which year is the current one.

    Loads, in order: the title catalogue (as migration campaigns/0002 does, for a
    database migrated before it existed), the units, the 2024 blocks and clusters, the
    staff, the 2024 campaign with its contents, tasks, criteria and periods, its copy
    for the current year (launched, so a period is open to try the self-assessment),
    the demo accounts, and the 2024 results (self-assessments, reviews, individual
    assessments) so that reports and the review queue have figures, the 2024 year-end
    of every block and cluster (scores, ranking, the vote and its minutes) and this
    year's blocks and clusters with a few sheets to score. Rows are matched
    by natural key (unit code, group year and code, employee code, username, ...); a
    row that exists is updated only where it differs from the demo data, and
    passwords are set only when an account is created, so a second run creates
    nothing and changes nothing.

    Returns how many rows of each kind were created.
    """
    counts = {"titles": load_titles(Title)}
    units, counts["units"] = organization.load_units()
    _, counts["groups"], counts["group_memberships"] = organization.load_groups(units)
    participants = [units[code] for code in organization.participant_codes()]
    ministry = units[organization.MINISTRY_CODE]
    staff, counts["people"] = people.load_people([ministry, *participants])
    campaign, movement_counts = movement_2024.load_movement(ministry, participants)
    counts.update(movement_counts)
    counts["rotated_groups"] = blocks.rotate_to(today.year)
    counts["current_year_campaigns"] = current_year.load_current_year(campaign, today=today)
    counts["users"], counts["memberships"] = accounts.load_accounts(units, participants, staff)
    counts.update(results_2024.load_results(campaign))
    counts.update(blocks.load_blocks(campaign))
    current = (
        Campaign.objects.filter(organizer=ministry, year=today.year).exclude(pk=campaign.pk).first()
    )
    counts["current_year_sheets"] = (
        blocks.load_current_sheets(current, today=today) if current else 0
    )
    return counts


@dataclass(frozen=True)
class DemoSummary:
    units: int
    provincial_departments: int
    blocks: int
    clusters: int
    people: int
    criteria: dict[str, int]
    accounts: int


def demo_summary() -> DemoSummary:
    """How many demo rows the database holds now (whoever created them)."""
    codes = [row["code"] for row in organization.unit_rows()]
    groups = EmulationGroup.objects.filter(
        year=organization.YEAR,
        code__in=[organization.group_code(g) for g in organization.BLOCKS + organization.CLUSTERS],
    )
    campaign = Campaign.objects.filter(
        organizer__code=organization.MINISTRY_CODE,
        year=movement_2024.CAMPAIGN["year"],
        name=movement_2024.CAMPAIGN["name"],
    ).first()
    criteria = {
        subject: campaign.criteria.filter(subject=subject).count() if campaign else 0
        for subject in Subject.values
    }
    return DemoSummary(
        units=Unit.objects.filter(code__in=codes).count(),
        provincial_departments=Unit.objects.filter(
            code__in=codes, kind=UnitKind.PROVINCIAL_DEPARTMENT
        ).count(),
        blocks=groups.filter(kind=GroupKind.BLOCK).count(),
        clusters=groups.filter(kind=GroupKind.CLUSTER).count(),
        people=Person.objects.filter(employee_code__startswith=people.EMPLOYEE_CODE_PREFIX).count(),
        criteria=criteria,
        accounts=User.objects.filter(email__endswith=f"@{accounts.EMAIL_DOMAIN}").count(),
    )
