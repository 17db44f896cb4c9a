"""Reusable loading of a self-assessment with everything its pages show, in a
constant number of queries whatever the number of criteria. Loading writes nothing."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q

from campaigns.enums import CampaignStatus, Subject, SubmissionState
from campaigns.models import (
    Answer,
    AnswerChange,
    Campaign,
    Criterion,
    Evidence,
    Period,
    Submission,
    Transition,
)
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring
from units.models import GroupMembership, Unit


@dataclass
class SheetRow:
    """A line of the self-assessment: a section heading or a criterion with its answer."""

    criterion: Criterion
    depth: int
    answer: Answer | None = None

    @property
    def is_section(self) -> bool:
        return self.answer is None


@dataclass
class Sheet:
    submission: Submission
    rows: list[SheetRow] = field(default_factory=list)
    maximum: Decimal = Decimal("0")
    transitions: list[Transition] = field(default_factory=list)

    @property
    def answers(self) -> list[Answer]:
        return [row.answer for row in self.rows if row.answer is not None]

    @property
    def answered_count(self) -> int:
        return sum(1 for a in self.answers if a.self_score is not None)

    @property
    def counter(self) -> "AnsweredCounter":
        return AnsweredCounter(answered=self.answered_count, criteria=len(self.answers))


@dataclass(frozen=True)
class AnsweredCounter:
    """The sheet's "answered X of N criteria": criteria are its leaves, answered ones
    have a self score."""

    answered: int
    criteria: int


def answered_counter(submission: Submission) -> AnsweredCounter:
    """The counter of a self-assessment being filled in, without loading the sheet
    (what the running total refreshes after each save): two queries, one before the
    unit's first save. Counts as Sheet.counter does for a sheet still editable."""
    criteria = Criterion.objects.filter(
        campaign_id=submission.period.campaign_id, subject=Subject.COLLECTIVE
    ).only("id", "parent_id")
    leaves = [c.pk for c in criteria_tree.leaves(criteria)]
    answered = 0
    if submission.pk:
        answered = Answer.objects.filter(
            submission=submission, criterion_id__in=leaves, self_score__isnull=False
        ).count()
    return AnsweredCounter(answered=answered, criteria=len(leaves))


def submission_queryset():
    """Self-assessments with what each of their pages shows: period, campaign, unit.
    Views fetch one in the user's scope with units.scope.get_visible_or_404."""
    return Submission.objects.select_related("period__campaign", "unit")


def load_sheet(submission: Submission) -> Sheet:
    """The criteria tree of the campaign's collective subject with each leaf's answer
    and evidence, plus the timeline. Four queries; one (the criteria) for a
    self-assessment not made yet, an unsaved Submission."""
    criteria = list(
        criteria_tree.ordered(
            Criterion.objects.filter(
                campaign_id=submission.period.campaign_id, subject=Subject.COLLECTIVE
            ).select_related("content")
        )
    )
    answers = (
        _answers_by_criterion(Answer.objects.filter(submission=submission)) if submission.pk else {}
    )
    if submission.state == SubmissionState.ACCEPTED:
        # An accepted self-assessment is locked: it shows what it was accepted with.
        # A criterion added to the table since is not part of it, nor is a section
        # left empty by that, and a leaf answered then stays a leaf.
        criteria = criteria_tree.with_ancestors(criteria, answers)
    rows = []
    for tree_row in criteria_tree.rows(criteria):
        criterion, answer = tree_row.criterion, None
        if not tree_row.is_section:
            # A criterion the unit has not saved yet (never opened, or added to the
            # table since) shows an empty answer, made by its first save: a page
            # that is only looked at writes nothing.
            answer = answers.get(criterion.pk) or Answer(criterion=criterion)
            answer.criterion = criterion
            answer.submission = submission
        rows.append(SheetRow(criterion=criterion, depth=tree_row.depth, answer=answer))
    transitions = (
        list(
            Transition.objects.filter(submission=submission)
            .select_related("by")
            .order_by("at", "id")
        )
        if submission.pk
        else []
    )
    return Sheet(
        submission=submission,
        rows=rows,
        maximum=scoring.maximum(criteria),
        transitions=transitions,
    )


def _answers_by_criterion(queryset) -> dict[int, Answer]:
    return {
        a.criterion_id: a
        for a in queryset.select_related("updated_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id"))
        )
    }


def answer_queryset():
    """Answers with their criterion and self-assessment (as submission_queryset() loads it)."""
    return Answer.objects.select_related(
        "criterion", "submission__period__campaign", "submission__unit", "updated_by"
    )


def evidence_queryset():
    """Evidence files with their answer's criterion and self-assessment."""
    return Evidence.objects.select_related(
        "answer__criterion", "answer__submission__period__campaign", "answer__submission__unit"
    )


def review_queue(user, *, campaign=None, period=None, state=None, group=None, late=None):
    """Submissions the user may see, filtered, with unit and period loaded."""
    queryset = Submission.objects.visible_to(user).select_related("unit", "period__campaign")
    if campaign:
        queryset = queryset.filter(period__campaign=campaign)
    if period:
        queryset = queryset.filter(period=period)
    if state:
        queryset = queryset.filter(state=state)
    if group:
        # A block or cluster is one year's: its members' sheets of that year only.
        queryset = queryset.filter(
            unit__in=GroupMembership.objects.filter(group=group).values("unit_id"),
            period__campaign__year=group.year,
        )
    if late is not None:
        queryset = queryset.filter(is_late=late)
    return queryset.order_by("-period__due_on", "unit__order", "unit__name")


def state_counts(queryset) -> dict[str, int]:
    """How many submissions of a queryset are in each state (one query)."""
    counts = queryset.order_by().aggregate(
        **{state: Count("pk", filter=Q(state=state)) for state in SubmissionState.values}
    )
    return {state: counts[state] or 0 for state in SubmissionState.values}


@dataclass(frozen=True)
class SheetProgress:
    """Where a unit's self-assessment of a period stands, as its home page shows it:
    the submission (None before the unit's first save), how many criteria are
    answered, how many answered ones still lack the evidence they require, and
    whether anything at all still stops the submit."""

    unit: Unit
    period: Period
    submission: Submission | None
    answered: int
    criteria: int
    evidence_missing: int
    complete: bool

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else SubmissionState.DRAFT

    @property
    def in_progress(self) -> bool:
        """Still the unit's to fill in (draft, returned, or not started)."""
        return self.state in SubmissionState.editable_states


def sheet_progress(units: list[Unit], periods: list[Period]) -> list[SheetProgress]:
    """The progress of each unit's self-assessment in each period of a campaign it
    takes part in, periods first, in the order given. Four queries, whatever the
    number of units, periods and criteria: participation, criteria, submissions and
    their answers."""
    campaign_ids = {p.campaign_id for p in periods}
    unit_ids = [u.pk for u in units]
    if not unit_ids or not campaign_ids:
        return []
    taking_part = set(
        Campaign.participants.through.objects.filter(
            unit_id__in=unit_ids, campaign_id__in=campaign_ids
        ).values_list("campaign_id", "unit_id")
    )
    criteria: dict[int, list[Criterion]] = {pk: [] for pk in campaign_ids}
    for criterion in criteria_tree.ordered(
        Criterion.objects.filter(campaign_id__in=campaign_ids, subject=Subject.COLLECTIVE)
    ):
        criteria[criterion.campaign_id].append(criterion)
    submissions = {
        (s.period_id, s.unit_id): s
        for s in Submission.objects.filter(period__in=[p.pk for p in periods], unit__in=unit_ids)
    }
    scores, evidence = defaultdict(dict), defaultdict(dict)
    answers = (
        Answer.objects.filter(submission__in=[s.pk for s in submissions.values()])
        .annotate(n_evidence=Count("evidence"))
        .values_list("submission_id", "criterion_id", "self_score", "n_evidence")
    )
    for submission_id, criterion_id, score, n_evidence in answers:
        scores[submission_id][criterion_id] = score
        evidence[submission_id][criterion_id] = n_evidence
    progress = []
    for period in periods:
        leaves = criteria_tree.leaves(criteria[period.campaign_id])
        for unit in units:
            if (period.campaign_id, unit.pk) in taking_part:
                submission = submissions.get((period.pk, unit.pk))
                key = submission.pk if submission else None
                progress.append(
                    _progress(unit, period, submission, leaves, scores[key], evidence[key])
                )
    return progress


def _progress(unit, period, submission, leaves, scores, evidence) -> SheetProgress:
    missing = scoring.missing_for_submit(leaves, scores, evidence)
    return SheetProgress(
        unit=unit,
        period=period,
        submission=submission,
        answered=sum(1 for c in leaves if scores.get(c.pk) is not None),
        criteria=len(leaves),
        # An answered criterion still missing is missing its evidence.
        evidence_missing=sum(1 for m in missing if scores.get(m.criterion.pk) is not None),
        complete=not missing,
    )


def answer_history(submission: Submission, *, kind: str = ""):
    """Every change of every answer of the submission, newest first, with its
    criterion and author loaded; only those of one kind (an AnswerField) if given."""
    changes = AnswerChange.objects.filter(answer__submission=submission)
    if kind:
        changes = changes.filter(field=kind)
    return changes.select_related("answer__criterion", "changed_by").order_by("-changed_at", "-id")


def current_movement_year(today: dt.date) -> int | None:
    """The year of the running movement as of `today`: the latest launched one not
    after today's year (a 2025 movement still reviewing in January 2026 is current
    until 2026's is launched); None when no movement is launched."""
    return Campaign.objects.filter(status=CampaignStatus.LAUNCHED, year__lte=today.year).aggregate(
        year=Max("year")
    )["year"]
