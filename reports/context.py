"""The figures of a report, computed from the data: a pure builder.

build_context(report) runs a fixed handful of aggregate queries, whatever the number
of units, and returns a ReportContext of plain values that the PDF, the XLSX, the
charts and the report page all read. It writes nothing.

Definitions the report states:
- participating units: the movement's active participants;
- on time / late: units whose self-assessment is submitted or accepted, by its late
  flag; missing: every other participating unit (no self-assessment, draft or
  returned), the same list as the reminders (campaigns.sheets.reminders.missing_units);
- a unit's score: its reviewed total once accepted, else its self-assessed total;
  ranks are competition ranks (campaigns.sheets.scoring.rank) within each block and cluster
  of the movement's year, among units that submitted;
- outstanding units: first in their block or cluster with an accepted self-assessment;
- results by content: per content, the average over the units that submitted of their
  self score, and over accepted units of their reviewed score (the reviewer's score
  where given, else the unit's, as campaigns.sheets.workflow.accept totals it), each summed
  with campaigns.sheets.scoring.total. Bonus rows count apart (BONUS), whatever their
  content: a content's points stay within its maximum, which leaves bonus out.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from campaigns.enums import CriterionKind, Subject, SubmissionState
from campaigns.models import Answer, Content, Criterion, IndividualAssessment, Submission
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring
from units.models import GroupMembership, Unit

from .enums import ReportKind
from .wording import GRADE_ORDER, grade_label

ONE_PLACE = Decimal("0.1")
# Bonus points are counted apart from their content, so that a content's points never
# pass its maximum (which, like the total's, leaves bonus points out).
BONUS = "bonus"
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ContentResult:
    key: int | str | None  # the Content's id; None outside any content; BONUS
    number: int | None
    title: str
    max_points: Decimal
    self_average: Decimal | None
    reviewed_average: Decimal | None

    @property
    def is_bonus(self) -> bool:
        return self.key == BONUS

    @property
    def short_label(self) -> str:
        """The heading of its column in the score tables."""
        if self.is_bonus:
            return "Điểm thưởng"
        return f"ND {self.number}" if self.number else "ND khác"


@dataclass
class UnitResult:
    unit_id: int
    code: str
    name: str
    state: str | None  # the SubmissionState, None without a self-assessment
    is_late: bool
    submitted_at: dt.datetime | None
    self_total: Decimal | None
    reviewed_total: Decimal | None
    # The block's or cluster's total of the sheet (campaigns.blocks), None where it
    # did not score it.
    block_total: Decimal | None = None
    by_content: dict[int | str | None, tuple[Decimal | None, Decimal | None]] = field(
        default_factory=dict
    )
    # by_content in the order of ReportContext.content_results, for the tables
    score_cells: list[tuple[Decimal | None, Decimal | None]] = field(default_factory=list)
    block: str = ""
    block_rank: int | None = None
    cluster: str = ""
    cluster_rank: int | None = None
    outstanding: bool = False

    @property
    def has_submitted(self) -> bool:
        return self.state in SubmissionState.done_states

    @property
    def is_accepted(self) -> bool:
        return self.state == SubmissionState.ACCEPTED

    @property
    def score(self) -> Decimal | None:
        """What ranks the unit: the reviewed total once accepted, else its own."""
        if not self.has_submitted:
            return None
        return scoring.reviewed_score(self.self_total, self.reviewed_total)


@dataclass(frozen=True)
class RankedUnit:
    rank: int | None
    unit: UnitResult


@dataclass(frozen=True)
class GroupResult:
    code: str
    name: str
    kind: str
    head_unit: str
    members: list[RankedUnit]
    on_time: int
    late: int
    missing: int

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def leaders(self) -> list[RankedUnit]:
        return [m for m in self.members if m.rank == 1]

    @property
    def on_time_rate(self) -> Decimal:
        return percent(self.on_time, self.size)


@dataclass(frozen=True)
class Count_:
    label: str
    count: int


@dataclass(frozen=True)
class UnitIndividuals:
    unit_id: int
    name: str
    assessed: int
    by_grade: dict[str, int]
    by_title: dict[str, int]


@dataclass
class ReportContext:
    kind: str
    year: int
    campaign_name: str
    theme: str
    organizer: str
    document_number: str
    document_date: dt.date | None
    launched_by: str
    description: str
    period_opens_on: dt.date
    period_due_on: dt.date
    period_closes_on: dt.date
    contents: list[tuple[int, str]]
    units: list[UnitResult]
    content_results: list[ContentResult]
    groups: list[GroupResult]
    max_total: Decimal
    grades: list[Count_] = field(default_factory=list)
    titles: list[Count_] = field(default_factory=list)
    individuals: list[UnitIndividuals] = field(default_factory=list)
    generated_at: dt.datetime | None = None

    @property
    def is_year_end(self) -> bool:
        return self.kind == ReportKind.YEAR_END

    @property
    def participants(self) -> int:
        return len(self.units)

    @property
    def on_time(self) -> int:
        return sum(1 for u in self.units if u.has_submitted and not u.is_late)

    @property
    def late(self) -> int:
        return sum(1 for u in self.units if u.has_submitted and u.is_late)

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def accepted(self) -> int:
        return sum(1 for u in self.units if u.is_accepted)

    @property
    def missing_units(self) -> list[UnitResult]:
        return [u for u in self.units if not u.has_submitted]

    @property
    def missing(self) -> int:
        return len(self.missing_units)

    @property
    def on_time_rate(self) -> Decimal:
        return percent(self.on_time, self.participants)

    @property
    def late_rate(self) -> Decimal:
        return percent(self.late, self.participants)

    @property
    def missing_rate(self) -> Decimal:
        return percent(self.missing, self.participants)

    @property
    def self_average(self) -> Decimal | None:
        return average(u.self_total for u in self.units if u.has_submitted)

    @property
    def reviewed_average(self) -> Decimal | None:
        return average(u.reviewed_total for u in self.units if u.reviewed_total is not None)

    @property
    def outstanding_units(self) -> list[UnitResult]:
        return [u for u in self.units if u.outstanding]

    @property
    def ungrouped_units(self) -> list[UnitResult]:
        return [u for u in self.units if not (u.block or u.cluster)]

    @property
    def annex_columns(self) -> int:
        """Columns of the score table: number, unit, state, one per content, the
        totals, the block's total and the rank."""
        return 6 + len(self.content_results)

    @property
    def as_of(self) -> dt.date:
        """The day the missing list holds at: the period's close once it is past, else
        the day of the build."""
        return min(timezone.localdate(self.generated_at), self.period_closes_on)

    @property
    def assessed(self) -> int:
        return sum(c.count for c in self.grades)

    @property
    def proposed(self) -> int:
        return sum(c.count for c in self.titles)


def percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / whole).quantize(ONE_PLACE)


def average(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (sum(values, start=Decimal(0)) / len(values)).quantize(TWO_PLACES)


def build_context(report, *, now: dt.datetime | None = None) -> "ReportContext":
    """The figures of report's period (report.campaign and report.period loaded).
    Eight queries for a year-end report, five for a six-monthly one, for any number
    of units."""
    campaign, period = report.campaign, report.period
    contents = list(Content.objects.filter(campaign=campaign).values_list("id", "number", "title"))
    criteria = list(
        Criterion.objects.filter(campaign=campaign, subject=Subject.COLLECTIVE).only(
            "id", "parent_id", "content_id", "kind", "max_points"
        )
    )
    units = _units(campaign, period)
    _add_content_scores(units, period, criteria)
    context = ReportContext(
        kind=report.kind,
        year=campaign.year,
        campaign_name=campaign.name,
        theme=campaign.theme,
        organizer=campaign.organizer.name,
        document_number=campaign.document_number,
        document_date=campaign.document_date,
        launched_by=campaign.launched_by,
        description=campaign.description,
        period_opens_on=period.opens_on,
        period_due_on=period.due_on,
        period_closes_on=period.closes_on,
        contents=[(number, title) for _pk, number, title in contents],
        units=list(units.values()),
        content_results=_content_results(contents, criteria, units),
        groups=_groups(campaign, units),
        max_total=scoring.maximum(criteria),
        generated_at=now or timezone.now(),
    )
    if report.kind == ReportKind.YEAR_END:
        _add_individuals(context, campaign, period, units)
    return context


def _participants(campaign):
    return Unit.objects.filter(campaigns=campaign, active=True)


def _units(campaign, period) -> dict[int, UnitResult]:
    units = {
        pk: UnitResult(
            unit_id=pk,
            code=code,
            name=name,
            state=None,
            is_late=False,
            submitted_at=None,
            self_total=None,
            reviewed_total=None,
        )
        for pk, code, name in _participants(campaign)
        .order_by("order", "name")
        .values_list("id", "code", "name")
    }
    submissions = Submission.objects.filter(
        period=period, unit__in=_participants(campaign).values("pk")
    ).values_list(
        "unit_id",
        "state",
        "is_late",
        "submitted_at",
        "self_total",
        "reviewer_total",
        "block_total",
    )
    for (
        unit_id,
        state,
        is_late,
        submitted_at,
        self_total,
        reviewer_total,
        block_total,
    ) in submissions:
        unit = units[unit_id]
        unit.state, unit.is_late, unit.submitted_at = state, is_late, submitted_at
        if state in SubmissionState.done_states:
            unit.self_total = self_total
            unit.block_total = block_total
            unit.reviewed_total = reviewer_total if state == SubmissionState.ACCEPTED else None
    return units


def _add_content_scores(units: dict[int, UnitResult], period, criteria) -> None:
    """Each submitted unit's self and reviewed points per content (None = no content,
    BONUS = the bonus rows of every content)."""
    self_scores: dict[int, dict] = defaultdict(dict)
    reviewed_scores: dict[int, dict] = defaultdict(dict)
    answers = Answer.objects.filter(
        submission__period=period,
        submission__state__in=SubmissionState.done_states,
        criterion__subject=Subject.COLLECTIVE,
    ).values_list("submission__unit_id", "criterion_id", "self_score", "reviewer_score")
    for unit_id, criterion_id, self_score, reviewer_score in answers.iterator(chunk_size=5000):
        self_scores[unit_id][criterion_id] = self_score
        reviewed_scores[unit_id][criterion_id] = scoring.reviewed_score(self_score, reviewer_score)
    by_content = _leaves_by_content(criteria)
    for unit in units.values():
        if not unit.has_submitted:
            continue
        for content_id, content_criteria in by_content.items():
            own = scoring.total(content_criteria, self_scores[unit.unit_id])
            reviewed = (
                scoring.total(content_criteria, reviewed_scores[unit.unit_id])
                if unit.is_accepted
                else None
            )
            unit.by_content[content_id] = (own, reviewed)


def _leaves_by_content(criteria) -> dict[int | str | None, list]:
    """The answered criteria of each content, the bonus rows of every content apart
    (BONUS). Leaves are found among all criteria first: a section may belong to no
    content while its rows do."""
    by_content = defaultdict(list)
    for criterion in criteria_tree.leaves(criteria):
        key = BONUS if criterion.kind == CriterionKind.BONUS else criterion.content_id
        by_content[key].append(criterion)
    return by_content


def _max_points(key, criteria) -> Decimal:
    if key == BONUS:
        return sum((c.max_points for c in criteria), start=Decimal(0))
    return scoring.maximum(criteria)


def _content_results(contents, criteria, units) -> list[ContentResult]:
    by_content = _leaves_by_content(criteria)
    rows = [(pk, number, title) for pk, number, title in contents]
    if by_content.get(None):
        rows.append((None, None, "Tiêu chí khác (không gắn nội dung thi đua)"))
    if by_content.get(BONUS):
        rows.append((BONUS, None, "Điểm thưởng (tính riêng, ngoài điểm tối đa)"))
    for unit in units.values():
        unit.score_cells = [unit.by_content.get(pk, (None, None)) for pk, _n, _t in rows]
    return [
        ContentResult(
            key=pk,
            number=number,
            title=title,
            max_points=_max_points(pk, by_content.get(pk, [])),
            self_average=average(u.by_content.get(pk, (None, None))[0] for u in units.values()),
            reviewed_average=average(u.by_content.get(pk, (None, None))[1] for u in units.values()),
        )
        for pk, number, title in rows
    ]


def _groups(campaign, units: dict[int, UnitResult]) -> list[GroupResult]:
    """Rank the participating members of each block and cluster of the year."""
    members = defaultdict(list)
    info = {}
    rows = (
        GroupMembership.objects.filter(
            year=campaign.year, unit__in=_participants(campaign).values("pk")
        )
        .order_by("group__kind", "group__order", "group__code")
        .values_list(
            "group_id",
            "group__code",
            "group__name",
            "group__kind",
            "group__head_unit__name",
            "unit_id",
        )
    )
    for group_id, code, name, kind, head, unit_id in rows:
        info[group_id] = (code, name, kind, head or "")
        members[group_id].append(units[unit_id])
    return [_rank_group(*info[group_id], members[group_id]) for group_id in info]


def _rank_group(code, name, kind, head, members: list[UnitResult]) -> GroupResult:
    ranks = scoring.rank({u.unit_id: u.score for u in members if u.score is not None})
    for unit in members:
        rank = ranks.get(unit.unit_id)
        if kind == "block":
            unit.block, unit.block_rank = name, rank
        else:
            unit.cluster, unit.cluster_rank = name, rank
        if rank == 1 and unit.is_accepted:
            unit.outstanding = True
    ranked = sorted(members, key=lambda u: (ranks.get(u.unit_id) or len(members) + 1, u.name))
    return GroupResult(
        code=code,
        name=name,
        kind=kind,
        head_unit=head,
        members=[RankedUnit(ranks.get(u.unit_id), u) for u in ranked],
        on_time=sum(1 for u in members if u.has_submitted and not u.is_late),
        late=sum(1 for u in members if u.has_submitted and u.is_late),
        missing=sum(1 for u in members if not u.has_submitted),
    )


def _add_individuals(
    context: ReportContext, campaign, period, units: dict[int, UnitResult]
) -> None:
    """Year end: assessments by grade and proposed titles by title, overall and per unit."""
    assessments = IndividualAssessment.objects.filter(
        period=period, person__unit__in=_participants(campaign).values("pk")
    )
    grades = assessments.values_list("person__unit_id", "grade").annotate(n=Count("id"))
    titles = (
        assessments.exclude(proposed_title=None)
        .values_list("person__unit_id", "proposed_title__order", "proposed_title__name_vi")
        .annotate(n=Count("id"))
    )
    per_unit = defaultdict(lambda: {"grades": defaultdict(int), "titles": defaultdict(int)})
    grade_totals: dict[str, int] = defaultdict(int)
    title_totals: dict[tuple, int] = defaultdict(int)
    for unit_id, grade, n in grades:
        per_unit[unit_id]["grades"][grade] += n
        grade_totals[grade] += n
    for unit_id, order, name, n in titles:
        per_unit[unit_id]["titles"][name] += n
        title_totals[(order, name)] += n
    context.grades = [
        Count_(grade_label(g), grade_totals[g]) for g in GRADE_ORDER if g in grade_totals
    ]
    context.titles = [Count_(name, n) for (_o, name), n in sorted(title_totals.items())]
    context.individuals = [
        UnitIndividuals(
            unit_id=unit.unit_id,
            name=unit.name,
            assessed=sum(per_unit[unit.unit_id]["grades"].values()),
            by_grade=dict(per_unit[unit.unit_id]["grades"]),
            by_title=dict(per_unit[unit.unit_id]["titles"]),
        )
        for unit in units.values()
        if unit.unit_id in per_unit
    ]


def key_figures(context: ReportContext) -> dict:
    """The few numbers kept on the Report row (JSON) for its page and the narrative."""
    figures = {
        "participants": context.participants,
        "on_time": context.on_time,
        "late": context.late,
        "missing": context.missing,
        "accepted": context.accepted,
        "on_time_rate": str(context.on_time_rate),
        "self_average": _str(context.self_average),
        "reviewed_average": _str(context.reviewed_average),
        "max_total": _str(context.max_total),
        "outstanding": [u.name for u in context.outstanding_units],
        "groups": len(context.groups),
    }
    if context.is_year_end:
        figures["assessed"] = context.assessed
        figures["grades"] = [[c.label, c.count] for c in context.grades]
        figures["titles"] = [[c.label, c.count] for c in context.titles]
    return figures


def _str(value) -> str | None:
    return None if value is None else str(value)
