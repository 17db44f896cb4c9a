"""Every XLSX the product writes stores what a user typed as text: no cell of an export
is a formula, whatever the text starts with (=, +, -, @, a tab, a carriage return),
and an export imports back with every text field as it was.

The report's workbook has the same test in tests/reports/test_xlsx_text.py."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.enums import PerformanceGrade, Subject, TitleLevel, TitleSubject
from campaigns.models import Criterion, IndividualAssessment, Registration, Title
from campaigns.movement.criteria_sheet import CriterionSheet
from spreadsheets.specs import export_workbook, import_workbook
from spreadsheets.writer import unescape
from units.importers import PersonSheet, UnitSheet
from units.models import Person, Unit

from ..factories import CampaignFactory, CriterionFactory, PersonFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "=1+1",
    "#N/A",
]
# What survives a form or an import (both strip the ends of a text): the round trip.
KEPT = ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "=1+1", "#N/A", "a\r\nb", "_x0041_"]


def text_cells(content: bytes) -> set[str]:
    """The text of every cell of every sheet, as Excel shows it (the _xHHHH_ escapes of
    control characters decoded); fails on any formula cell."""
    book = load_workbook(BytesIO(content))  # not read-only: every cell has its data type
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    found.add(unescape(cell.value))
    return found


def typed(field: str) -> list[str]:
    """Each payload, marked with the field it is typed in (at the end: the start is
    what Excel looks at)."""
    return [f"{payload} {field}" for payload in PAYLOADS]


def test_registration_export_writes_typed_text_as_text(unit_year, ministry, officer, en_client):
    names, commitments, titles, people = (
        typed("name"),
        typed("commitments"),
        typed("title"),
        typed("by"),
    )
    for index, payload in enumerate(PAYLOADS):
        unit = UnitFactory(parent=ministry, code=f"p{index}", name=names[index])
        unit_year.campaign.participants.add(unit)
        title = Title.objects.create(
            code=f"t{index}",
            name_vi=titles[index],
            name_en=titles[index],
            subject=TitleSubject.COLLECTIVE,
            level=TitleLevel.MINISTRY,
            deciding_authority="Bộ trưởng",
        )
        Registration.objects.create(
            campaign=unit_year.campaign,
            unit=unit,
            commitments=commitments[index],
            target_title=title,
            registered_by=UserFactory(full_name=people[index]),
        )
        assert payload in names[index]
    en_client.force_login(officer)

    response = en_client.get(
        reverse("campaigns:registrations_export", args=[unit_year.campaign.pk])
    )

    assert response.status_code == 200
    assert set(names + commitments + titles + people) <= text_cells(response.content)


def test_individuals_export_writes_typed_text_as_text(unit_year, unit_a, head_a, en_client):
    fields = {
        name: typed(name)
        for name in ("full_name", "code", "initiatives", "initiative_decision", "notes")
    }
    for index in range(len(PAYLOADS)):
        person = PersonFactory(
            unit=unit_a,
            full_name=fields["full_name"][index],
            employee_code=fields["code"][index],
        )
        IndividualAssessment.objects.create(
            period=unit_year.period,
            person=person,
            grade=PerformanceGrade.GOOD,
            initiatives=fields["initiatives"][index],
            initiative_decision=fields["initiative_decision"][index],
            notes=fields["notes"][index],
        )
    en_client.force_login(head_a)

    response = en_client.get(
        reverse("campaigns:individuals_export", args=[unit_year.period.pk, unit_a.pk])
    )

    assert response.status_code == 200
    assert {text for values in fields.values() for text in values} <= text_cells(response.content)


def _admin_export(client, admin_user, model: str) -> bytes:
    client.force_login(admin_user)
    app = "campaigns" if model == "criterion" else "units"
    response = client.get(reverse(f"admin:{app}_{model}_export"))
    assert response.status_code == 200
    return response.content


def test_admin_unit_export_writes_typed_text_as_text(client, admin_user, ministry):
    fields = {name: typed(name) for name in ("name", "short_name", "province")}
    for index in range(len(PAYLOADS)):
        UnitFactory(
            parent=ministry,
            code=f"p{index}",
            **{name: values[index][:80] for name, values in fields.items()},
        )

    found = text_cells(_admin_export(client, admin_user, "unit"))

    assert {text for values in fields.values() for text in values} <= found


def test_admin_person_export_writes_typed_text_as_text(client, admin_user, unit_a):
    fields = {name: typed(name) for name in ("full_name", "employee_code", "position")}
    for index in range(len(PAYLOADS)):
        PersonFactory(unit=unit_a, **{name: values[index] for name, values in fields.items()})

    found = text_cells(_admin_export(client, admin_user, "person"))

    assert {text for values in fields.values() for text in values} <= found


def test_admin_criterion_export_writes_typed_text_as_text(client, admin_user):
    campaign = CampaignFactory(name='=HYPERLINK("http://x","y") movement')
    fields = {name: typed(name) for name in ("text", "guidance")}
    for index in range(len(PAYLOADS)):
        CriterionFactory(
            campaign=campaign,
            code=f"{PAYLOADS[index][:3]}{index}",
            **{name: values[index] for name, values in fields.items()},
        )

    found = text_cells(_admin_export(client, admin_user, "criterion"))

    assert {text for values in fields.values() for text in values} <= found
    assert campaign.name in found
    assert {f"{payload[:3]}{index}" for index, payload in enumerate(PAYLOADS)} <= found


# ---------------------------------------------------------------------------
# Round trip: exported, then imported, every text field is as it was.


def _round_trip(spec, queryset):
    before = list(queryset.values())
    content = export_workbook(spec, spec.export_queryset(queryset))
    result = import_workbook(SimpleUploadedFile("export.xlsx", content), spec)
    return before, result, list(queryset.values())


def test_units_round_trip_keeps_text_that_looks_like_a_formula(ministry):
    for index, text in enumerate(KEPT):
        UnitFactory(parent=ministry, code=f"p{index}", name=text, short_name=text, province=text)

    before, result, after = _round_trip(UnitSheet(), Unit.objects.order_by("pk"))

    assert (result.problem, result.errors, result.unchanged) == ("", [], len(KEPT) + 1)
    assert after == before
    assert Unit.objects.get(code="p4").name == "=1+1"


def test_people_round_trip_keeps_text_that_looks_like_a_formula(unit_a):
    for text in KEPT:
        PersonFactory(unit=unit_a, full_name=text, employee_code=f"{text} code", position=text)

    before, result, after = _round_trip(PersonSheet(), Person.objects.order_by("pk"))

    assert (result.problem, result.errors, result.unchanged) == ("", [], len(KEPT))
    assert after == before


def test_criteria_round_trip_keeps_text_that_looks_like_a_formula():
    campaign = CampaignFactory(name="=1+1")
    for index, text in enumerate(KEPT):
        CriterionFactory(
            campaign=campaign,
            subject=Subject.COLLECTIVE,
            code=f"-{index}",
            text=text,
            guidance=text,
            max_points=Decimal("1.5"),
        )

    before, result, after = _round_trip(CriterionSheet(), Criterion.objects.order_by("pk"))

    assert (result.problem, result.errors, result.unchanged) == ("", [], len(KEPT))
    assert after == before


def test_individuals_round_trip_keeps_notes_that_look_like_a_formula(
    unit_year, unit_a, head_a, en_client
):
    people = [
        PersonFactory(unit=unit_a, full_name=f"Người {index}", employee_code=f"A{index}")
        for index in range(len(KEPT))
    ]
    for person, text in zip(people, KEPT, strict=True):
        IndividualAssessment.objects.create(
            period=unit_year.period,
            person=person,
            grade=PerformanceGrade.GOOD,
            initiatives=text,
            initiative_decision=text,
            notes=text,
        )
    fields = ("initiatives", "initiative_decision", "notes", "grade")
    before = list(IndividualAssessment.objects.order_by("pk").values(*fields))
    en_client.force_login(head_a)
    exported = en_client.get(
        reverse("campaigns:individuals_export", args=[unit_year.period.pk, unit_a.pk])
    )
    file = SimpleUploadedFile("assessments.xlsx", exported.content)

    response = en_client.post(
        reverse("campaigns:individuals_import", args=[unit_year.period.pk, unit_a.pk]),
        {"file": file},
    )

    assert response.status_code == 302, response.context and response.context["result"]
    assert list(IndividualAssessment.objects.order_by("pk").values(*fields)) == before
    assert IndividualAssessment.objects.get(person=people[4]).notes == "=1+1"
