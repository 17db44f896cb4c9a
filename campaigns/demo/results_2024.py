"""The 2024 results of the demo: every period of the 2024 movement answered by most
units (some late, a few missing, a few still in draft or returned), reviewed by the
Department of Organization and Personnel, and the year-end individual assessments,
so the reports and the review queue have figures to show.

Written once, when the period has no self-assessment yet, with a fixed seed. These
are past records (a submit needs evidence files the demo has not), so they are
stored as they stand through campaigns.sheets.workflow.record_past, the one bulk path: the
states and the Transition rows follow the workflow's table."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from campaigns.enums import (
    CriterionKind,
    PerformanceGrade,
    Subject,
    SubmissionState,
    TransitionAction,
)
from campaigns.models import (
    Answer,
    Campaign,
    Criterion,
    IndividualAssessment,
    Period,
    Submission,
    Title,
)
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring, workflow
from units.enums import Role
from units.models import Membership, Person, User

SEED = 2024
# (state, weight): most units accepted, some waiting, a few returned or missing.
STATES = [
    (SubmissionState.ACCEPTED, 80),
    (SubmissionState.SUBMITTED, 8),
    (SubmissionState.RETURNED, 3),
    (SubmissionState.DRAFT, 3),
    (None, 6),
]
GRADES = [
    (PerformanceGrade.EXCELLENT, 18),
    (PerformanceGrade.GOOD, 62),
    (PerformanceGrade.COMPLETED, 17),
    (PerformanceGrade.NOT_COMPLETED, 3),
]


def load_results(campaign: Campaign) -> dict[str, int]:
    """Answer the campaign's periods that have no self-assessment yet; returns counts."""
    counts = {"submissions": 0, "answers": 0, "individual_assessments": 0}
    criteria = list(
        criteria_tree.ordered(
            Criterion.objects.filter(campaign=campaign, subject=Subject.COLLECTIVE)
        )
    )
    leaves = criteria_tree.leaves(criteria)
    officer = User.objects.filter(is_emulation_officer=True).order_by("username").first()
    units = list(campaign.participants.order_by("order", "code"))
    heads = _unit_heads(units)
    for period in campaign.periods.order_by("opens_on"):
        if period.submissions.exists():
            continue
        rng = random.Random(f"{SEED}-{period.kind}")
        made = _submissions(period, units, leaves, criteria, heads, officer, rng)
        counts["submissions"] += made[0]
        counts["answers"] += made[1]
        if period.kind == "year_end":
            counts["individual_assessments"] += _individuals(period, units, rng)
    return counts


def _unit_heads(units) -> dict[int, User]:
    memberships = Membership.objects.filter(unit__in=units, role=Role.HEAD).select_related("user")
    return {m.unit_id: m.user for m in memberships}


def _scores(leaves, rng: random.Random) -> dict[int, Decimal]:
    scores = {}
    for criterion in leaves:
        top = int(criterion.max_points)
        if criterion.kind == CriterionKind.YES_NO:
            scores[criterion.pk] = criterion.max_points if rng.random() < 0.92 else Decimal(0)
        elif criterion.kind == CriterionKind.PENALTY:
            scores[criterion.pk] = Decimal(rng.choice([0, 0, 0, 0, 1]))
        elif criterion.kind == CriterionKind.BONUS:
            scores[criterion.pk] = Decimal(rng.choice([0, 0, 1, 2]))
        else:
            scores[criterion.pk] = Decimal(max(0, top - rng.choice([0, 0, 0, 1, 1, 2])))
    return scores


def _at(day: dt.date, hours: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9))) + dt.timedelta(hours=hours)


def _submissions(period: Period, units, leaves, criteria, heads, officer, rng):
    states, weights = zip(*STATES, strict=True)
    sheets, scores = [], []
    for unit in units:
        state = rng.choices(states, weights)[0]
        if state is None:
            continue
        own = _scores(leaves, rng)
        reviewed = {pk: (s - 1 if s >= 1 and rng.random() < 0.1 else s) for pk, s in own.items()}
        late = state != SubmissionState.DRAFT and rng.random() < 0.12
        submitted_at = (
            None
            if state == SubmissionState.DRAFT
            else _at(period.due_on, 30 if late else -rng.randint(24, 400))
        )
        accepted = state == SubmissionState.ACCEPTED
        submission = Submission(
            period=period,
            unit=unit,
            is_late=late,
            self_total=scoring.total(criteria, own),
            reviewer_total=scoring.total(criteria, reviewed) if accepted else None,
        )
        sheets.append((submission, _steps(state, submitted_at, heads.get(unit.pk), officer)))
        scores.append((own, reviewed if accepted else {}))
    submissions = workflow.record_past(sheets)
    answers = [
        Answer(
            submission=submission,
            criterion_id=pk,
            self_score=score,
            narrative="Đơn vị đã triển khai đầy đủ theo kế hoạch.",
            reviewer_score=reviewed.get(pk),
        )
        for submission, (own, reviewed) in zip(submissions, scores, strict=True)
        for pk, score in own.items()
    ]
    Answer.objects.bulk_create(answers)
    return len(submissions), len(answers)


def _steps(state, submitted_at, head, officer) -> list[workflow.PastStep]:
    """The steps that led to `state`: sent by the unit's head, then returned three
    days later or accepted five days later by the emulation officer."""
    if state == SubmissionState.DRAFT:
        return []
    steps = [workflow.PastStep(TransitionAction.SUBMITTED, at=submitted_at, by=head)]
    if state == SubmissionState.RETURNED:
        steps.append(
            workflow.PastStep(
                TransitionAction.RETURNED,
                at=submitted_at + dt.timedelta(days=3),
                by=officer,
                reason="Đề nghị bổ sung minh chứng cho các tiêu chí bắt buộc.",
            )
        )
    if state == SubmissionState.ACCEPTED:
        steps.append(
            workflow.PastStep(
                TransitionAction.ACCEPTED, at=submitted_at + dt.timedelta(days=5), by=officer
            )
        )
    return steps


def _individuals(period: Period, units, rng: random.Random) -> int:
    grades, weights = zip(*GRADES, strict=True)
    titles = {t.code: t for t in Title.objects.filter(code__in=["LDTT", "CSTDCS"])}
    rows = []
    for person in Person.objects.filter(unit__in=units, active=True).order_by("employee_code"):
        grade = rng.choices(grades, weights)[0]
        title = None
        if grade == PerformanceGrade.EXCELLENT:
            title = titles.get("CSTDCS") if rng.random() < 0.6 else titles.get("LDTT")
        elif grade == PerformanceGrade.GOOD:
            title = titles.get("LDTT")
        rows.append(
            IndividualAssessment(
                period=period,
                person=person,
                grade=grade,
                proposed_title=title,
                months_worked=12,
            )
        )
    IndividualAssessment.objects.bulk_create(rows)
    return len(rows)
