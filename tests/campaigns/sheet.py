"""A small self-assessment to test with: a launched campaign in which units A and B
take part, a period open today, and a collective scoring table of one section with
a scored criterion that needs evidence, a yes/no criterion and a bonus."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.enums import CampaignStatus, CriterionKind, PeriodKind, Subject
from campaigns.models import Criterion, Period, Submission
from campaigns.sheets import answers

from ..factories import CampaignFactory, CriterionFactory, PeriodFactory
from ..hostile_files import clean_pdf

PDF = clean_pdf()  # a real one-page PDF: evidence PDFs are read, not only sniffed


@dataclass
class Sheet:
    period: Period
    section: Criterion
    scored: Criterion
    yes_no: Criterion
    bonus: Criterion


def make_sheet(
    units, *, opens=-10, due=5, closes=20, year=2024, status=CampaignStatus.LAUNCHED
) -> Sheet:
    """Period dates are relative to today; the year matches the conftest's block."""
    today = timezone.localdate()
    campaign = CampaignFactory(year=year, status=status)
    campaign.participants.add(*units)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=today + dt.timedelta(days=opens),
        due_on=today + dt.timedelta(days=due),
        closes_on=today + dt.timedelta(days=closes),
    )
    section = CriterionFactory(campaign=campaign, subject=Subject.COLLECTIVE, code="1", order=1)
    scored = CriterionFactory(
        campaign=campaign,
        parent=section,
        code="1.1",
        order=2,
        max_points=Decimal("60"),
        evidence_required=True,
        text="Hoàn thành kế hoạch công tác",
    )
    yes_no = CriterionFactory(
        campaign=campaign,
        parent=section,
        code="1.2",
        order=3,
        kind=CriterionKind.YES_NO,
        max_points=Decimal("40"),
        text="Đoàn kết nội bộ",
    )
    bonus = CriterionFactory(
        campaign=campaign,
        code="2",
        order=4,
        kind=CriterionKind.BONUS,
        max_points=Decimal("10"),
    )
    return Sheet(period=period, section=section, scored=scored, yes_no=yes_no, bonus=bonus)


@pytest.fixture
def sheet(unit_a, unit_b):
    return make_sheet([unit_a, unit_b])


@pytest.fixture
def submission_a(sheet, unit_a):
    return answers.open_submission(sheet.period, unit_a)


@pytest.fixture
def submission_b(sheet, unit_b):
    return answers.open_submission(sheet.period, unit_b)


def answer_for(submission: Submission, criterion: Criterion):
    return submission.answers.select_related("criterion", "submission__period").get(
        criterion=criterion
    )


def fill(submission: Submission, sheet: Sheet, by, *, evidence=True):
    """Answer every criterion of unit's sheet, with the evidence file."""
    for criterion, score in ((sheet.scored, "55"), (sheet.yes_no, "40"), (sheet.bonus, "2")):
        answer = answer_for(submission, criterion)
        answers.save_answer(
            answer,
            by=by,
            expected_version=answer.version,
            self_score=score,
            narrative="Đã làm",
            now=timezone.now(),
        )
    if evidence:
        answers.attach_evidence(
            answer_for(submission, sheet.scored),
            SimpleUploadedFile("kh.pdf", PDF),
            by=by,
            now=timezone.now(),
        )
