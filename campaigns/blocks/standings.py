"""A block's or cluster's members in a period: their sheets' block totals, the
adjustments, the ranking with its stated tie-break, the bands.

The ranking itself is pure (rank() over Standing rows); block_standings() loads
everything in a constant number of queries, whatever the size of the block.

The block total of a sheet counts, criterion by criterion, the block's verified
score where it gave one and the unit's own where not (Submission.block_total keeps
it, campaigns.blocks.scoring writes it); the total ranked adds the adjustments.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.blocks import options
from campaigns.enums import (
    AcclamationState,
    AdjustmentKind,
    CriterionKind,
    Subject,
    SubmissionState,
)
from campaigns.models import (
    Acclamation,
    AdjustmentOverride,
    Answer,
    Criterion,
    Submission,
    UnitTitle,
)
from campaigns.movement import criteria_tree

ZERO = Decimal("0")
MINISTRY_FLAG, GOVERNMENT_FLAG = "CO_BO", "CO_CP"

# Stated on the page and in the documents, in the order it is applied.
TIE_BREAK = gettext_lazy(
    "Units are ranked by their total (block score with the adjustments); equal totals "
    "by fewer penalty points, then more criteria at full marks, then the earlier "
    "on-time submission. Units still equal share the rank."
)


class Progress:
    """Where a member's sheet stands for the block."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    RETURNED = "returned"
    SUBMITTED = "submitted"
    SCORED = "scored"

    labels = {
        NOT_STARTED: gettext_lazy("Not started"),
        DRAFT: gettext_lazy("Draft"),
        RETURNED: gettext_lazy("Returned for revision"),
        SUBMITTED: gettext_lazy("Submitted, to be scored"),
        SCORED: gettext_lazy("Scored by the block"),
    }
    order = (NOT_STARTED, DRAFT, RETURNED, SUBMITTED, SCORED)


def progress_of(state: str | None, block_scored_count: int, leaf_count: int) -> str:
    """Where a sheet in `state` (None: no sheet yet) stands for the block."""
    if state is None:
        return Progress.NOT_STARTED
    if state == SubmissionState.DRAFT:
        return Progress.DRAFT
    if state == SubmissionState.RETURNED:
        return Progress.RETURNED
    complete = leaf_count and block_scored_count >= leaf_count
    return Progress.SCORED if complete else Progress.SUBMITTED


@dataclass
class Adjustment:
    """One adjustment of a sheet's block total: computed from the block rules, or set
    by an override whose reason is shown next to it."""

    kind: str
    automatic: Decimal
    reason: str
    points: Decimal = None
    override: AdjustmentOverride | None = None

    def __post_init__(self):
        if self.points is None:
            self.points = self.automatic

    @property
    def label(self) -> str:
        return str(AdjustmentKind(self.kind).label)

    @property
    def overridden(self) -> bool:
        return self.override is not None


def late_days(submission, due_on: dt.date) -> int:
    """Days after the due date the sheet was sent (0 when on time)."""
    if not submission.is_late or submission.submitted_at is None:
        return 0
    return max((timezone.localdate(submission.submitted_at) - due_on).days, 0)


def automatic_adjustments(
    submission, *, due_on: dt.date, rules, prior_titles: set[str], year: int
) -> list[Adjustment]:
    """The adjustments the movement's block rules give a sent sheet: points off per
    day late (capped), and the bonus for the flag of the year before (the Government
    flag's when the unit had both)."""
    found = []
    days = late_days(submission, due_on)
    if days and rules.late_points_per_day:
        points = min(days * rules.late_points_per_day, rules.late_points_cap)
        found.append(
            Adjustment(
                AdjustmentKind.LATE,
                -points,
                _(
                    "Sent %(days)s day(s) after the due date %(due)s: %(per_day)s point(s) "
                    "a day, at most %(cap)s."
                )
                % {
                    "days": days,
                    "due": due_on.strftime("%d/%m/%Y"),
                    "per_day": _points(rules.late_points_per_day),
                    "cap": _points(rules.late_points_cap),
                },
            )
        )
    if GOVERNMENT_FLAG in prior_titles and rules.government_flag_bonus:
        found.append(
            Adjustment(
                AdjustmentKind.GOVERNMENT_FLAG,
                rules.government_flag_bonus,
                _("Received the Government Emulation Flag for %(year)s.") % {"year": year - 1},
            )
        )
    elif MINISTRY_FLAG in prior_titles and rules.ministry_flag_bonus:
        found.append(
            Adjustment(
                AdjustmentKind.MINISTRY_FLAG,
                rules.ministry_flag_bonus,
                _("Received the Ministry Emulation Flag for %(year)s.") % {"year": year - 1},
            )
        )
    return found


def apply_overrides(
    automatic: list[Adjustment], overrides: dict[str, AdjustmentOverride]
) -> list[Adjustment]:
    """The automatic adjustments with the latest override of each kind applied; an
    override of a kind the rules did not give (a flag the system does not know of)
    adds its own row."""
    by_kind = {a.kind: a for a in automatic}
    for kind, override in overrides.items():
        row = by_kind.get(kind)
        if row is None:
            row = by_kind[kind] = Adjustment(kind, ZERO, "")
        row.points = override.points
        row.override = override
    order = list(AdjustmentKind.values)
    return sorted(by_kind.values(), key=lambda a: order.index(a.kind))


@dataclass
class Standing:
    """A member of the block in the period, ranked or listed last with why."""

    unit: object
    submission: Submission | None
    progress: str
    criteria_count: int = 0
    scored_count: int = 0
    sheet_total: Decimal | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    penalty_points: Decimal = ZERO
    full_marks: int = 0
    rank: int | None = None
    band: str = ""

    @property
    def ranked(self) -> bool:
        return self.progress in (Progress.SUBMITTED, Progress.SCORED)

    @property
    def adjustment_total(self) -> Decimal:
        return sum((a.points for a in self.adjustments), start=ZERO)

    @property
    def total(self) -> Decimal | None:
        if not self.ranked or self.sheet_total is None:
            return None
        return self.sheet_total + self.adjustment_total

    @property
    def on_time(self) -> bool:
        return self.submission is not None and not self.submission.is_late

    @property
    def progress_label(self) -> str:
        return str(Progress.labels[self.progress])

    @property
    def unranked_reason(self) -> str:
        if self.ranked:
            return ""
        if self.progress == Progress.NOT_STARTED:
            return _("Did not start its self-assessment.")
        if self.progress == Progress.RETURNED:
            return _("Returned for revision and not sent again.")
        return _("Did not send its self-assessment.")

    def sort_key(self):
        """The tie-break of TIE_BREAK, as a key sorted ascending."""
        sent = self.submission.submitted_at if self.submission else None
        return (
            -(self.total or ZERO),
            self.penalty_points,
            -self.full_marks,
            not self.on_time,
            sent or dt.datetime.max.replace(tzinfo=dt.UTC),
        )

    def tie_key(self):
        """What must be equal for two units to share a rank: the whole tie-break (two
        units share a rank only when equal on all of it, sent at the same moment)."""
        return self.sort_key()


def rank(standings: list[Standing], bands: list[options.BandRow]) -> list[Standing]:
    """The members in ranking order, unranked ones last (by the block's order of
    units), each ranked one with its rank (1, 2, 2, 4) and band."""
    ranked = sorted((s for s in standings if s.ranked), key=Standing.sort_key)
    previous, position = None, 0
    for index, standing in enumerate(ranked, start=1):
        key = standing.tie_key()
        if key != previous:
            position, previous = index, key
        standing.rank = position
        standing.band = options.band_of(standing.total, bands)
    rest = [s for s in standings if not s.ranked]
    for standing in rest:
        standing.rank, standing.band = None, ""
    return ranked + rest


@dataclass
class BlockTable:
    """A block's or cluster's members in a period, ranked."""

    group: object
    period: object
    rules: object
    bands: list[options.BandRow]
    criteria: list[Criterion]
    standings: list[Standing]
    # Per submission id, per criterion id: (self score, block score, reviewer score).
    scores: dict[int, dict[int, tuple]] = field(default_factory=dict)

    tie_break = TIE_BREAK

    @property
    def leaves(self) -> list[Criterion]:
        return criteria_tree.leaves(self.criteria)

    def progress_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Progress.order, 0)
        for standing in self.standings:
            counts[standing.progress] += 1
        return counts

    @property
    def scoring_progress(self) -> tuple[int, int]:
        """Criteria scored by the block over criteria to score, over the sent sheets."""
        sent = [s for s in self.standings if s.ranked]
        return sum(s.scored_count for s in sent), sum(s.criteria_count for s in sent)


def _points(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _effective(self_score, block_score):
    return self_score if block_score is None else block_score


def prior_flags(unit_ids, year: int) -> dict[int, set[str]]:
    """The flags (codes) each unit received for the year before `year`: what the flag
    bonuses read (one query)."""
    prior: dict[int, set[str]] = {}
    for unit_id, code in UnitTitle.objects.filter(
        unit_id__in=unit_ids,
        year=year - 1,
        title__code__in=(MINISTRY_FLAG, GOVERNMENT_FLAG),
    ).values_list("unit_id", "title__code"):
        prior.setdefault(unit_id, set()).add(code)
    return prior


def acclamation_closed(submission) -> bool:
    """The acclamation of the sheet's block or cluster for its period is closed: its
    scores and adjustments no longer change (one query)."""
    return Acclamation.objects.filter(
        period_id=submission.period_id,
        state=AcclamationState.CLOSED,
        group__year=submission.period.campaign.year,
        group__memberships__unit_id=submission.unit_id,
    ).exists()


def block_standings(group, period, *, scores: bool = False) -> BlockTable:
    """Load and rank the group's members in the period (the period's campaign and the
    group's members are fetched here). With scores=True, the table also carries
    every answer's self, block and reviewer score (for the scoring table)."""
    campaign = period.campaign
    rules = options.rules_for(campaign)
    bands = options.bands_for(campaign.pk)
    memberships = list(
        group.memberships.select_related("unit").order_by("unit__order", "unit__name")
    )
    unit_ids = [m.unit_id for m in memberships]
    criteria = list(
        criteria_tree.ordered(
            Criterion.objects.filter(campaign_id=campaign.pk, subject=Subject.COLLECTIVE)
        )
    )
    leaves = criteria_tree.leaves(criteria)
    submissions = {
        s.unit_id: s for s in Submission.objects.filter(period=period, unit_id__in=unit_ids)
    }
    sent_ids = [s.pk for s in submissions.values() if s.state in SubmissionState.done_states]
    table_scores: dict[int, dict[int, tuple]] = {}
    for submission_id, criterion_id, self_score, block_score, reviewer_score in (
        Answer.objects.filter(submission_id__in=sent_ids)
        .order_by()
        .values_list("submission_id", "criterion_id", "self_score", "block_score", "reviewer_score")
    ):
        table_scores.setdefault(submission_id, {})[criterion_id] = (
            self_score,
            block_score,
            reviewer_score,
        )
    overrides: dict[int, dict[str, AdjustmentOverride]] = {}
    for override in (
        AdjustmentOverride.objects.filter(submission_id__in=sent_ids)
        .select_related("by")
        .order_by("submission_id", "kind", "at", "id")
    ):
        overrides.setdefault(override.submission_id, {})[override.kind] = override
    prior = prior_flags(unit_ids, campaign.year)

    standings = []
    for membership in memberships:
        submission = submissions.get(membership.unit_id)
        standing = Standing(
            unit=membership.unit,
            submission=submission,
            progress=Progress.NOT_STARTED,
            criteria_count=len(leaves),
        )
        if submission is not None:
            # The rules and the pages read submission.period.campaign: no query each.
            submission.unit, submission.period = membership.unit, period
            standing.scored_count = submission.block_scored_count
            standing.progress = progress_of(
                submission.state, submission.block_scored_count, len(leaves)
            )
        if standing.ranked:
            _fill(standing, leaves, table_scores.get(submission.pk, {}))
            automatic = automatic_adjustments(
                submission,
                due_on=period.due_on,
                rules=rules,
                prior_titles=prior.get(membership.unit_id, set()),
                year=campaign.year,
            )
            standing.adjustments = apply_overrides(automatic, overrides.get(submission.pk, {}))
            standing.penalty_points += sum(
                (-a.points for a in standing.adjustments if a.points < 0), start=ZERO
            )
        standings.append(standing)
    return BlockTable(
        group=group,
        period=period,
        rules=rules,
        bands=bands,
        criteria=criteria,
        standings=rank(standings, bands),
        scores=table_scores if scores else {},
    )


def _fill(standing: Standing, leaves: list[Criterion], answers: dict[int, tuple]) -> None:
    """The sheet's block total, penalty points and criteria at full marks."""
    submission = standing.submission
    if submission.block_total is not None:
        standing.sheet_total = submission.block_total
    else:
        standing.sheet_total = submission.self_total
    for criterion in leaves:
        self_score, block_score, _reviewer = answers.get(criterion.pk, (None, None, None))
        score = _effective(self_score, block_score)
        if score is None:
            continue
        if criterion.kind == CriterionKind.PENALTY:
            standing.penalty_points += score
        elif (
            criterion.kind in (CriterionKind.SCORED, CriterionKind.YES_NO)
            and criterion.max_points > 0
            and score >= criterion.max_points
        ):
            standing.full_marks += 1
