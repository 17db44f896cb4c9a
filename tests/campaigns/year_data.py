"""A unit's year to test with: a launched 2024 campaign in which units A, B and C
take part, its year-end period open today, leader criteria (a section with two
scored leaves of 10 and 5 points), and the people of units A and B. Unit B's people
and assessments exist before unit A's: they are what must not leak."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from campaigns.enums import PerformanceGrade, PeriodKind, Subject
from campaigns.models import Campaign, Criterion, IndividualAssessment, Period, Title

from ..factories import CampaignFactory, CriterionFactory, PeriodFactory, PersonFactory


@dataclass
class Year:
    campaign: Campaign
    period: Period
    section: Criterion
    leader_1: Criterion
    leader_2: Criterion

    @property
    def ldtt(self) -> Title:
        return Title.objects.get(code="LDTT")

    @property
    def cstdcs(self) -> Title:
        return Title.objects.get(code="CSTDCS")

    @property
    def ttldtt(self) -> Title:
        return Title.objects.get(code="TTLDTT")


@pytest.fixture
def en_client(client):
    """Messages are asserted in English, the source language, chosen as a user does
    with the language switch (the browser's Accept-Language is not asked)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def unit_year(unit_a, unit_b, unit_c):
    today = timezone.localdate()
    campaign = CampaignFactory(name="Phong trào thi đua năm 2024", year=2024)
    campaign.participants.add(unit_b, unit_a, unit_c)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=today - dt.timedelta(days=10),
        due_on=today,
        closes_on=today + dt.timedelta(days=10),
    )
    section = CriterionFactory(
        campaign=campaign, subject=Subject.LEADER, code="1", max_points=Decimal("15"), order=1
    )
    leader_1 = CriterionFactory(
        campaign=campaign,
        subject=Subject.LEADER,
        parent=section,
        code="1.1",
        max_points=Decimal("10"),
        order=2,
    )
    leader_2 = CriterionFactory(
        campaign=campaign,
        subject=Subject.LEADER,
        parent=section,
        code="1.2",
        max_points=Decimal("5"),
        order=3,
    )
    return Year(campaign, period, section, leader_1, leader_2)


@pytest.fixture
def people_b(unit_year, unit_b):
    """Unit B's people, one of them assessed: created before unit A's."""
    people = [
        PersonFactory(unit=unit_b, full_name="Lê Văn Bình", employee_code="B001"),
        PersonFactory(unit=unit_b, full_name="Lê Thị Bích", employee_code="B002"),
    ]
    IndividualAssessment.objects.create(
        period=unit_year.period, person=people[0], grade=PerformanceGrade.EXCELLENT, notes="B only"
    )
    return people


@pytest.fixture
def people_a(unit_year, unit_a):
    """Unit A: a leader and two staff, in the table's order (leaders first, then name)."""
    return [
        PersonFactory(
            unit=unit_a, full_name="Vũ Trưởng Phòng", employee_code="A000", is_leader=True
        ),
        PersonFactory(unit=unit_a, full_name="Nguyễn An", employee_code="A001"),
        PersonFactory(unit=unit_a, full_name="Phạm Bảo", employee_code="A002"),
    ]


def xlsx(rows: list[list]) -> BytesIO:
    """An .xlsx file of these rows (the first is the header), ready to upload."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "assessments.xlsx"
    return buffer


def read_xlsx(content: bytes) -> list[list]:
    """The rows of the first sheet, each as wide as the widest (empty cells: None)."""
    sheet = load_workbook(BytesIO(content), read_only=True).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    width = max((len(row) for row in rows), default=0)
    return [row + [None] * (width - len(row)) for row in rows]
