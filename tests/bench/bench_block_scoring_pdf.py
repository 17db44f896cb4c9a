"""How long the block's scoring table PDF takes for a block of 30 members and 30 leaf
criteria (the ×10 benchmark's size). Not a test (no timed assertion, not collected by
`make test`): run it by hand and read the seconds it prints,

    DJANGO_DEBUG=True .venv/bin/python -m pytest -q -s tests/bench/bench_block_scoring_pdf.py
"""

import datetime as dt
import io
import time
from decimal import Decimal as D

import pytest
from pypdf import PdfReader

from campaigns.enums import PeriodKind
from campaigns.enums import SubmissionState as S
from campaigns.models import Answer, Submission
from reports import block_documents, block_files
from tests.factories import (
    CampaignFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    PeriodFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

MEMBERS = 30
CRITERIA = 30  # leaves, in 5 sections of 6


def test_time_the_scoring_pdf_of_a_block_of_30_members_and_30_criteria():
    campaign = CampaignFactory(year=2024)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
        closes_on=dt.date(2025, 1, 10),
    )
    leaves = []
    for s in range(1, 6):
        section = CriterionFactory(
            campaign=campaign, code=str(s), text=f"Nhóm tiêu chí {s}", max_points=D(30), order=s
        )
        for c in range(1, 7):
            leaves.append(
                CriterionFactory(
                    campaign=campaign,
                    parent=section,
                    code=f"{s}.{c}",
                    text=f"Tiêu chí {s}.{c}: hoàn thành nhiệm vụ được giao đúng hạn",
                    max_points=D(5),
                    order=c,
                )
            )
    units = UnitFactory.create_batch(MEMBERS)
    group = EmulationGroupFactory(year=2024, head_unit=units[0], name="Khối thi đua số 1")
    GroupMembershipFactory.reset_sequence()
    for unit in units:
        GroupMembershipFactory(group=group, unit=unit)
    submissions = Submission.objects.bulk_create(
        Submission(
            period=period,
            unit=unit,
            state=S.SUBMITTED,
            submitted_at=dt.datetime(2024, 12, 15, 3, tzinfo=dt.UTC),
            self_total=D(4) * CRITERIA,
            block_total=D(4) * CRITERIA - D(i % 5),
            block_scored_count=CRITERIA,
        )
        for i, unit in enumerate(units)
    )
    Answer.objects.bulk_create(
        Answer(
            submission=submission,
            criterion=criterion,
            self_score=D(4),
            block_score=D(3) if (i + j) % 7 == 0 else D(4),
        )
        for i, submission in enumerate(submissions)
        for j, criterion in enumerate(leaves)
    )

    table = block_documents.scoring_table(group, period, today=dt.date(2024, 12, 28))
    block_files.scoring_pdf(table)  # warm up: fonts, stylesheet
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        content = block_files.scoring_pdf(table)
        runs.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(content)).pages)
    print(
        f"\nscoring PDF, {MEMBERS} members × {CRITERIA} criteria: {pages} pages, "
        f"best {min(runs):.2f} s, runs {', '.join(f'{r:.2f}' for r in runs)}"
    )
