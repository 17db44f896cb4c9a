"""What the campaign pages share: the campaigns a user sees, the phase of a period
as of a day, and the criteria tree of a campaign built from one query."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import pgettext_lazy

from campaigns.enums import CriterionKind, Subject
from campaigns.models import Campaign, Criterion, Period
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring


class PeriodPhase(models.TextChoices):
    UPCOMING = "upcoming", pgettext_lazy("period phase", "Upcoming")
    OPEN = "open", pgettext_lazy("period phase", "Open")
    CLOSED = "closed", pgettext_lazy("period phase", "Closed")


def period_phase(period: Period, today: dt.date) -> PeriodPhase:
    if today < period.opens_on:
        return PeriodPhase.UPCOMING
    if period.is_open(today):
        return PeriodPhase.OPEN
    return PeriodPhase.CLOSED


def with_phases(periods: Iterable[Period], today: dt.date) -> list[Period]:
    """The periods, each with .phase and .past_due (open, but after the due date)."""
    periods = list(periods)
    for period in periods:
        period.phase = period_phase(period, today)
        period.past_due = period.phase == PeriodPhase.OPEN and today > period.due_on
    return periods


def campaigns_for(user):
    """The campaigns the user may see, newest first, with their periods and the number
    of participating units (a subquery: a join would count only the user's units)."""
    participants = (
        Campaign.participants.through.objects.filter(campaign_id=OuterRef("pk"))
        .values("campaign_id")
        .annotate(n=Count("unit_id"))
        .values("n")
    )
    return (
        Campaign.objects.visible_to(user)
        .select_related("organizer")
        .annotate(participant_count=Coalesce(Subquery(participants), 0))
        .prefetch_related("periods")
        .order_by("-year", "name", "pk")
    )


@dataclass
class SubjectCriteria:
    subject: Subject
    rows: list[criteria_tree.TreeRow] = field(default_factory=list)
    maximum: Decimal = Decimal("0")
    bonus: Decimal = Decimal("0")
    penalty: Decimal = Decimal("0")

    @property
    def label(self) -> str:
        return self.subject.label


def criteria_by_subject(criteria: Iterable[Criterion]) -> list[SubjectCriteria]:
    """One entry per subject (collective, individual, unit leader), its criteria in
    tree order with their depth, and the totals of its leaves: scored and yes/no
    points, bonus and penalty apart. Criteria arrive in display order."""
    rows = criteria_tree.rows(criteria)
    result = []
    for subject in Subject:
        section = SubjectCriteria(subject=subject)
        section.rows = [row for row in rows if row.criterion.subject == subject]
        leaves = [row.criterion for row in section.rows if not row.is_section]
        section.maximum = scoring.maximum(leaves)
        section.bonus = _points(leaves, CriterionKind.BONUS)
        section.penalty = _points(leaves, CriterionKind.PENALTY)
        result.append(section)
    return result


def _points(leaves: list[Criterion], kind: str) -> Decimal:
    return sum((c.max_points for c in leaves if c.kind == kind), start=Decimal("0"))


def parse_id(text: str) -> int | None:
    """A database id typed in a form or URL, or None: ASCII digits that fit a bigint."""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)
