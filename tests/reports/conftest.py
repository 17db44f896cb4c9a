"""Test data of the reports: a movement with contents, criteria, units in blocks and
clusters, self-assessments in every state and, at year end, individual assessments.

make_movement keeps every raw number it wrote in a Movement, so the tests compute the
expected figures on their own, from those numbers, without the code under test."""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns.enums import CriterionKind, PerformanceGrade, PeriodKind, Subject, SubmissionState
from campaigns.models import Answer, IndividualAssessment, Submission, Title
from reports.enums import ReportKind
from reports.models import Report
from tests.factories import (
    CampaignFactory,
    ContentFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    PeriodFactory,
    PersonFactory,
    UnitFactory,
)
from units.enums import GroupKind, UnitKind

GRADE_CYCLE = [
    PerformanceGrade.EXCELLENT,
    PerformanceGrade.GOOD,
    PerformanceGrade.GOOD,
    PerformanceGrade.COMPLETED,
]


@dataclass
class UnitData:
    unit: object
    state: str | None
    is_late: bool
    self_scores: dict  # criterion pk → Decimal
    reviewer_scores: dict  # criterion pk → Decimal or None
    block: object = None
    cluster: object = None
    grades: list = field(default_factory=list)
    titles: list = field(default_factory=list)

    @property
    def submitted(self) -> bool:
        return self.state in (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED)


@dataclass
class Movement:
    campaign: object
    period: object
    contents: list
    criteria: list  # (criterion, content) of the collective leaves
    units: list[UnitData]
    blocks: list
    clusters: list


def _state(i: int) -> tuple[str | None, bool]:
    """Unit i: 0 → nothing, 1 → draft, 2 → submitted late, 3 → returned, else accepted
    (on time), repeating every 7 units (5 and 6 accepted, 4 submitted on time)."""
    return {
        0: (None, False),
        1: (SubmissionState.DRAFT, False),
        2: (SubmissionState.SUBMITTED, True),
        3: (SubmissionState.RETURNED, False),
        4: (SubmissionState.SUBMITTED, False),
        5: (SubmissionState.ACCEPTED, False),
        6: (SubmissionState.ACCEPTED, True),
    }[i % 7]


def _self_score(i: int, j: int, criterion, state) -> Decimal:
    """Accepted units score high, so that some lead their block or cluster."""
    if criterion.kind == CriterionKind.PENALTY:
        return Decimal(i % 3)
    if state == SubmissionState.ACCEPTED:
        return Decimal(10 - (i + j) % 2)
    return Decimal((i * 3 + j * 5) % 11)


def make_movement(n_units: int = 10, *, kind: str = PeriodKind.YEAR_END) -> Movement:
    ministry = UnitFactory(name="Bộ Tài nguyên và Môi trường", kind=UnitKind.MINISTRY)
    campaign = CampaignFactory(
        organizer=ministry,
        name="Phong trào thi đua năm 2024",
        theme="Kỷ cương trách nhiệm, chủ động kịp thời, tăng tốc sáng tạo",
        document_number="1234/QĐ-BTNMT",
        document_date=dt.date(2024, 3, 1),
        launched_by="Bộ trưởng Bộ Tài nguyên và Môi trường",
    )
    period = PeriodFactory(
        campaign=campaign,
        kind=kind,
        opens_on=dt.date(2024, 11, 1),
        due_on=dt.date(2024, 11, 30),
        closes_on=dt.date(2024, 12, 15),
    )
    contents = [
        ContentFactory(campaign=campaign, number=n, title=title)
        for n, title in enumerate(
            ["Chuyển đổi số", "Cải cách hành chính", "Đoàn kết, kỷ cương"], start=1
        )
    ]
    # A section outside any content heading rows that belong to contents: only the
    # rows (leaves) count.
    section = CriterionFactory(campaign=campaign, code="A", max_points=Decimal("20"))
    criteria = []
    code = 0
    for content in contents:
        for _ in range(2):
            code += 1
            criterion = CriterionFactory(
                campaign=campaign,
                content=content,
                code=f"A.{code}",
                parent=section if content.number == 1 else None,
            )
            criteria.append((criterion, content))
    penalty = CriterionFactory(
        campaign=campaign,
        content=contents[2],
        code="9",
        kind=CriterionKind.PENALTY,
        max_points=Decimal("5"),
    )
    criteria.append((penalty, contents[2]))
    # An individual criterion: never part of a unit's score.
    CriterionFactory(campaign=campaign, subject=Subject.INDIVIDUAL, code="CN1")
    blocks = [
        EmulationGroupFactory(kind=GroupKind.BLOCK, year=2024, name=f"Khối {n}") for n in (1, 2)
    ]
    clusters = [EmulationGroupFactory(kind=GroupKind.CLUSTER, year=2024, name="Cụm Miền Bắc")]
    titles = {t.code: t for t in Title.objects.filter(code__in=["LDTT", "CSTDCS"])}
    units = []
    for i in range(n_units):
        unit = UnitFactory(parent=ministry, name=f"Cục Thi đua số {i + 1:02d}")
        state, is_late = _state(i)
        self_scores = {c.pk: _self_score(i, j, c, state) for j, (c, _) in enumerate(criteria)}
        reviewer_scores = {
            c.pk: (None if j % 3 == 0 else max(self_scores[c.pk] - 1, Decimal(0)))
            for j, (c, _content) in enumerate(criteria)
        }
        data = UnitData(unit, state, is_late, self_scores, reviewer_scores)
        data.block = blocks[i % 2]
        GroupMembershipFactory(group=data.block, unit=unit)
        if i % 3 == 0:
            data.cluster = clusters[0]
            GroupMembershipFactory(group=data.cluster, unit=unit)
        units.append(data)
    campaign.participants.set([u.unit for u in units])
    # An inactive participant and a unit outside the movement: neither counts.
    campaign.participants.add(UnitFactory(parent=ministry, active=False))
    UnitFactory(parent=ministry)
    _write_submissions(period, criteria, units)
    if kind == PeriodKind.YEAR_END:
        _write_individuals(period, units, titles)
    return Movement(campaign, period, contents, criteria, units, blocks, clusters)


def signed(criterion, score):
    if score is None:
        return Decimal(0)
    return -score if criterion.kind == CriterionKind.PENALTY else score


def _write_submissions(period, criteria, units) -> None:
    submitted_at = timezone.make_aware(dt.datetime(2024, 11, 20, 9, 30))
    for data in units:
        if data.state is None:
            continue
        own = sum((signed(c, data.self_scores[c.pk]) for c, _ in criteria), Decimal(0))
        reviewed = sum(
            (
                signed(
                    c,
                    data.reviewer_scores[c.pk]
                    if data.reviewer_scores[c.pk] is not None
                    else data.self_scores[c.pk],
                )
                for c, _ in criteria
            ),
            Decimal(0),
        )
        submission = Submission.objects.create(
            period=period,
            unit=data.unit,
            state=data.state,
            is_late=data.is_late,
            self_total=own,
            reviewer_total=reviewed if data.state == SubmissionState.ACCEPTED else None,
            submitted_at=submitted_at if data.state != SubmissionState.DRAFT else None,
        )
        Answer.objects.bulk_create(
            Answer(
                submission=submission,
                criterion=c,
                self_score=data.self_scores[c.pk],
                reviewer_score=(
                    data.reviewer_scores[c.pk] if data.state == SubmissionState.ACCEPTED else None
                ),
            )
            for c, _ in criteria
        )


def _write_individuals(period, units, titles) -> None:
    for i, data in enumerate(units):
        for k in range(i % 4):
            grade = GRADE_CYCLE[(i + k) % 4]
            title = {
                PerformanceGrade.EXCELLENT: titles.get("CSTDCS"),
                PerformanceGrade.GOOD: titles.get("LDTT"),
            }.get(grade)
            person = PersonFactory(unit=data.unit)
            IndividualAssessment.objects.create(
                period=period, person=person, grade=grade, proposed_title=title
            )
            data.grades.append(grade)
            if title:
                data.titles.append(title.name_vi)


@pytest.fixture
def movement(db):
    return make_movement(10)


@pytest.fixture
def six_monthly(db):
    return make_movement(8, kind=PeriodKind.SIX_MONTHLY)


def report_for(movement: Movement, **fields) -> Report:
    """A build of movement's period, with an attempt token as services would give it."""
    fields.setdefault("task_id", str(uuid.uuid4()))
    return Report.objects.create(
        campaign=movement.campaign,
        period=movement.period,
        kind=ReportKind(movement.period.kind),
        **fields,
    )


def read(field_file) -> bytes:
    """The bytes of a stored report file, closing it after."""
    with field_file.open("rb") as handle:
        return handle.read()


def is_stalled(report: Report, now: dt.datetime | None = None) -> bool:
    """The report's pages' view of the build (Report.objects.with_stalled)."""
    return Report.objects.with_stalled(now or timezone.now()).get(pk=report.pk).is_stalled


def add_bonus(movement: Movement, *, self_points: str = "5", reviewed_points: str = "3"):
    """A bonus row (max 5) under content 1, claimed in full by every unit that sent its
    sheet in: with it, content 1 would pass its maximum for accepted units (19 of 20)."""
    bonus = CriterionFactory(
        campaign=movement.campaign,
        content=movement.contents[0],
        code="T1",
        kind=CriterionKind.BONUS,
        max_points=Decimal("5"),
    )
    for submission in Submission.objects.filter(period=movement.period):
        accepted = submission.state == SubmissionState.ACCEPTED
        Answer.objects.create(
            submission=submission,
            criterion=bonus,
            self_score=Decimal(self_points),
            reviewer_score=Decimal(reviewed_points) if accepted else None,
        )
    return bonus


def add_block_totals(movement: Movement) -> dict[str, Decimal]:
    """Every other sheet (in unit order) gets a block total of 70 + its index, the
    others none; a draft gets one too, which no report may show. Returns the block
    totals the report shows, by unit name (None where the block did not score)."""
    shown = {}
    for index, data in enumerate(movement.units):
        submission = Submission.objects.filter(period=movement.period, unit=data.unit).first()
        total = Decimal(70 + index) if index % 2 == 0 else None
        if submission is not None:
            submission.block_total = total
            submission.save(update_fields=["block_total"])
        shown[data.unit.name] = total if data.submitted else None
    return shown
