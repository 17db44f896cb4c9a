"""Criteria sheets that name their movement by year and name instead of its id."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from campaigns.enums import Subject
from campaigns.models import Criterion
from campaigns.movement.criteria_sheet import CriterionSheet
from spreadsheets.specs import export_workbook, import_workbook

from ..factories import CampaignFactory, ContentFactory, CriterionFactory

pytestmark = pytest.mark.django_db

HEADER = ["Year", "Movement", "Subject", "Code", "Section code", "Criterion"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def xlsx(*rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("criteria.xlsx", buffer.getvalue())


def _tree(campaign):
    content = ContentFactory(campaign=campaign, number=1)
    section = CriterionFactory(campaign=campaign, code="1", content=content, order=1)
    CriterionFactory(campaign=campaign, code="1.1", parent=section, content=content, order=1)
    CriterionFactory(campaign=campaign, code="1", subject=Subject.INDIVIDUAL)


def test_criteria_import_finds_the_movement_by_year_and_name():
    campaign = CampaignFactory(year=2025, name="Thi đua 2025")
    file = xlsx(
        HEADER,
        [2025, "Thi đua 2025", "collective", "1.1", "1", "Con"],
        [2025, "Thi đua 2025", "collective", "1", "", "Mục"],
    )

    result = import_workbook(file, CriterionSheet())

    assert (result.problem, result.errors, result.created) == ("", [], 2)
    rows = Criterion.objects.order_by("code").values_list("campaign", "code", "parent__code")
    assert list(rows) == [(campaign.pk, "1", None), (campaign.pk, "1.1", "1")]


def test_last_years_export_imports_into_the_new_movement_without_its_id():
    old = CampaignFactory(year=2024, name="Thi đua 2024")
    new = CampaignFactory(year=2025, name="Thi đua 2025", organizer=old.organizer)
    ContentFactory(campaign=new, number=1)
    _tree(old)
    sheet = load_workbook(BytesIO(export_workbook(CriterionSheet(), Criterion.objects.all())))
    for row in sheet.active.iter_rows(min_row=2):
        row[0].value, row[1].value, row[2].value = None, 2025, "Thi đua 2025"
    buffer = BytesIO()
    sheet.save(buffer)

    result = import_workbook(SimpleUploadedFile("2025.xlsx", buffer.getvalue()), CriterionSheet())

    assert (result.errors, result.created, result.updated) == ([], 3, 0)
    copies = new.criteria.order_by("subject", "code").values_list(
        "subject", "code", "parent__code", "content__number"
    )
    assert list(copies) == [
        ("collective", "1", None, 1),
        ("collective", "1.1", "1", 1),
        ("individual", "1", None, None),
    ]
    assert old.criteria.count() == 3


def test_criteria_import_refuses_an_id_that_does_not_match_the_year_and_name():
    campaign = CampaignFactory(year=2024, name="Thi đua 2024")
    file = xlsx(
        ["Movement id", *HEADER],
        [campaign.pk, 2025, "Thi đua 2025", "collective", "1", "", "Mục"],
    )

    result = import_workbook(file, CriterionSheet())

    assert [str(e) for e in result.errors] == [
        f"Row 2, column 'Movement id': movement {campaign.pk} is 'Thi đua 2024' (2024), "
        "not the year and name of this row."
    ]
    assert Criterion.objects.count() == 0


def test_criteria_import_names_unknown_and_ambiguous_movements():
    CampaignFactory(year=2025, name="Chuyên đề")
    CampaignFactory(year=2025, name="Chuyên đề")
    file = xlsx(
        HEADER,
        [2025, "Không có", "collective", "1", "", "A"],
        [2025, "Chuyên đề", "collective", "1", "", "B"],
        ["", "Chuyên đề", "collective", "2", "", "C"],
    )

    result = import_workbook(file, CriterionSheet())

    assert [str(e) for e in result.errors] == [
        "Row 2, column 'Movement id': no movement named 'Không có' in 2025.",
        "Row 3, column 'Movement id': several movements are named 'Chuyên đề' in 2025; "
        "give the movement id.",
        "Row 4, column 'Movement id': give the movement id, or its year and name.",
    ]
    assert Criterion.objects.count() == 0


def test_criteria_import_needs_the_movement_id_or_its_year_and_name_columns():
    file = xlsx(["Movement", "Subject", "Code", "Criterion"], ["X", "collective", "1", "A"])

    result = import_workbook(file, CriterionSheet())

    assert result.problem == ("Required columns are missing: 'Movement id (or Year and Movement)'.")
