import datetime as dt
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from campaigns.enums import CriterionKind, Subject
from campaigns.models import Criterion
from campaigns.movement.criteria_sheet import CriterionSheet
from spreadsheets import specs
from spreadsheets.specs import Boolean, CellError, Choice, Date, export_workbook, import_workbook
from units.enums import Gender, PersonCategory, UnitKind
from units.importers import PersonSheet, UnitSheet
from units.models import Person, Unit

from ..factories import (
    CampaignFactory,
    ContentFactory,
    CriterionFactory,
    PersonFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["Code", "Name", "Kind", "Parent unit code", "Active"]
PERSON_HEADER = ["Employee code", "Full name", "Unit code", "Category", "Unit leader", "Start date"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def xlsx(*rows, name="sheet.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def read(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_unit_import_creates_and_updates_by_code(ministry):
    UnitFactory(code="vu-tc", name="Old name", parent=ministry)
    file = xlsx(
        UNIT_HEADER,
        ["vu-tc", "Vụ Tổ chức cán bộ", "Department (Vụ)", "bo", "Có"],
        ["phong-1", "Phòng 1", "sub_unit", "cuc-moi", "x"],  # its parent comes below
        ["cuc-moi", "Cục mới", "administration", "bo", "Không"],
    )

    result = import_workbook(file, UnitSheet())

    assert (result.problem, result.errors, result.created, result.updated) == ("", [], 2, 1)
    units = {
        u.code: (u.name, u.kind, u.parent.code, u.active) for u in Unit.objects.exclude(code="bo")
    }
    assert units == {
        "vu-tc": ("Vụ Tổ chức cán bộ", UnitKind.DEPARTMENT, "bo", True),
        "phong-1": ("Phòng 1", UnitKind.SUB_UNIT, "cuc-moi", True),
        "cuc-moi": ("Cục mới", UnitKind.ADMINISTRATION, "bo", False),
    }


def test_unit_import_leaves_columns_not_in_the_file_alone(ministry):
    UnitFactory(code="vu-tc", name="Old", province="Hà Nội", order=7, parent=ministry)

    import_workbook(xlsx(["Code", "Name", "Kind"], ["vu-tc", "New", "department"]), UnitSheet())

    unit = Unit.objects.get(code="vu-tc")
    assert (unit.name, unit.province, unit.order, unit.parent) == ("New", "Hà Nội", 7, ministry)


def test_unit_import_with_bad_rows_lists_each_and_saves_nothing(ministry):
    file = xlsx(
        UNIT_HEADER,
        ["good-1", "Good", "department", "bo", "yes"],
        ["bad-kind", "Bad", "castle", "bo", "yes"],
        ["good-2", "Good too", "centre", "", "no"],
        ["bad-parent", "Bad", "centre", "xyz", "no"],
        ["", "No code", "centre", "bo", "maybe"],
    )

    result = import_workbook(file, UnitSheet())

    assert [(e.row, e.column) for e in result.errors] == [
        (3, "Kind"),
        (5, "Parent unit code"),
        (6, "Active"),
        (6, "Code"),
    ]
    assert str(result.errors[1]) == "Row 5, column 'Parent unit code': no unit with code 'xyz'."
    assert (result.created, result.updated) == (0, 0)
    assert list(Unit.objects.values_list("code", flat=True)) == ["bo"]


def test_unit_import_refuses_a_cycle_of_parents(ministry):
    file = xlsx(UNIT_HEADER, ["a", "A", "centre", "b", ""], ["b", "B", "centre", "a", ""])

    result = import_workbook(file, UnitSheet())

    assert [str(e) for e in result.errors] == [
        "Row 2, column 'Parent unit code': the parent units form a cycle.",
        "Row 3, column 'Parent unit code': the parent units form a cycle.",
    ]
    assert Unit.objects.count() == 1


def test_import_reports_duplicate_codes_within_the_file(ministry):
    file = xlsx(UNIT_HEADER, ["a", "A", "centre", "", ""], ["A", "A again", "centre", "", ""])

    result = import_workbook(file, UnitSheet())

    assert [str(e) for e in result.errors] == [
        "Row 3, column 'Code': the same row as row 2 (duplicate within the file)."
    ]


def test_person_import_reads_units_dates_and_booleans(unit_a):
    PersonFactory(employee_code="NV1", full_name="Old", unit=unit_a)
    file = xlsx(
        PERSON_HEADER + ["Gender"],
        ["NV1", "Nguyễn Văn A", "unit-a", "Civil servant", "Có", "01/02/2020", "male"],
        ["NV2", "Trần Thị B", "unit-a", "public_employee", "Không", dt.date(2021, 3, 4), "Female"],
        ["NV3", "Lê Văn C", "unit-a", "worker", 1, 44197, ""],
    )

    result = import_workbook(file, PersonSheet())

    assert (result.errors, result.created, result.updated) == ([], 2, 1)
    people = Person.objects.order_by("employee_code").values_list(
        "employee_code", "full_name", "unit__code", "category", "is_leader", "start_date", "gender"
    )
    assert list(people) == [
        (
            "NV1",
            "Nguyễn Văn A",
            "unit-a",
            PersonCategory.CIVIL_SERVANT,
            True,
            dt.date(2020, 2, 1),
            "male",
        ),
        (
            "NV2",
            "Trần Thị B",
            "unit-a",
            PersonCategory.PUBLIC_EMPLOYEE,
            False,
            dt.date(2021, 3, 4),
            "female",
        ),
        ("NV3", "Lê Văn C", "unit-a", PersonCategory.WORKER, True, dt.date(2021, 1, 1), ""),
    ]


def test_person_import_names_the_unknown_unit_and_the_bad_date(unit_a):
    file = xlsx(
        PERSON_HEADER,
        ["NV1", "A", "unit-a", "worker", "", "31/02/2020"],
        ["NV2", "B", "xyz", "worker", "", ""],
    )

    result = import_workbook(file, PersonSheet())

    assert [str(e) for e in result.errors] == [
        "Row 2, column 'Start date': '31/02/2020' is not a date in the form dd/mm/yyyy.",
        "Row 3, column 'Unit code': no unit with code 'xyz'.",
    ]
    assert Person.objects.count() == 0


def test_criterion_import_links_sections_and_contents():
    campaign = CampaignFactory()
    content = ContentFactory(campaign=campaign, number=2)
    CriterionFactory(campaign=campaign, subject=Subject.COLLECTIVE, code="1", text="Old")
    header = ["Movement id", "Subject", "Code", "Section code", "Content number", "Criterion"]
    file = xlsx(
        header + ["Maximum points", "Kind"],
        [campaign.pk, "collective", "1.1", "1", 2, "Child", "2,5", "Bonus"],
        [campaign.pk, "Collective", "1", "", "", "Section", 10, ""],
        [campaign.pk, "individual", "1", "", "", "Individual", 3, "yes_no"],
    )

    result = import_workbook(file, CriterionSheet())

    assert (result.errors, result.created, result.updated) == ([], 2, 1)
    rows = Criterion.objects.order_by("subject", "code").values_list(
        "subject", "code", "parent__code", "content", "text", "max_points", "kind"
    )
    assert list(rows) == [
        ("collective", "1", None, None, "Section", Decimal("10.00"), CriterionKind.SCORED),
        ("collective", "1.1", "1", content.pk, "Child", Decimal("2.50"), CriterionKind.BONUS),
        ("individual", "1", None, None, "Individual", Decimal("3.00"), CriterionKind.YES_NO),
    ]


def test_criterion_import_checks_movement_section_and_content():
    campaign = CampaignFactory()
    header = ["Movement id", "Subject", "Code", "Section code", "Content number", "Criterion"]
    file = xlsx(
        header + ["Maximum points"],
        [campaign.pk + 100, "collective", "1", "", "", "A", 1],
        [campaign.pk, "collective", "2.1", "2", "", "B", 1],
        [campaign.pk, "collective", "3", "", 9, "C", 1],
        [campaign.pk, "collective", "4", "", "", "D", -1],
    )

    result = import_workbook(file, CriterionSheet())

    assert [str(e) for e in result.errors] == [
        f"Row 2, column 'Movement id': no movement with id {campaign.pk + 100}.",
        "Row 3, column 'Section code': no criterion with code '2' in this movement and subject.",
        "Row 4, column 'Content number': the movement has no content number 9.",
        "Row 5, column 'Maximum points': must be at least 0.",
    ]
    assert Criterion.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Có", True),
        ("không", False),
        ("yes", True),
        ("No", False),
        (1, True),
        (0, False),
        ("x", True),
        (True, True),
        (1.0, True),
    ],
)
def test_boolean_reads_vietnamese_english_and_digits(raw, expected):
    assert Boolean().parse(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05/09/2024", dt.date(2024, 9, 5)),
        (dt.datetime(2024, 9, 5, 0, 0), dt.date(2024, 9, 5)),
        (45540, dt.date(2024, 9, 5)),
        ("2024-09-05", dt.date(2024, 9, 5)),
    ],
)
def test_date_reads_text_and_excel_dates(raw, expected):
    assert Date().parse(raw) == expected


@pytest.mark.parametrize("raw", ["ministry", "MINISTRY", "Ministry", " ministry "])
def test_choice_reads_code_or_label(raw):
    assert Choice(UnitKind.choices).parse(raw) == "ministry"


def test_choice_reads_the_label_in_another_language():
    with translation.override("vi"):
        label = str(Gender.FEMALE.label)

    assert Choice(Gender.choices).parse(label) == "female"


def test_choice_refuses_an_unknown_value_with_the_choices():
    with pytest.raises(CellError) as excinfo:
        Choice(Gender.choices).parse("other")

    assert str(excinfo.value) == "'other' is not one of the choices (Female, Male)."


def test_export_writes_a_bold_frozen_filtered_header_and_one_row_per_unit():
    top = UnitFactory(code="bo", name="Bộ", short_name="", kind=UnitKind.MINISTRY, order=0)
    UnitFactory(
        code="vu",
        name="Vụ",
        short_name="V",
        kind=UnitKind.DEPARTMENT,
        parent=top,
        order=3,
        has_legal_personality=False,
    )

    content = export_workbook(UnitSheet(), Unit.objects.select_related("parent").order_by("code"))

    sheet = load_workbook(BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "Code",
        "Name",
        "Short name",
        "Kind",
        "Province",
        "Parent unit code",
        "Has legal personality",
        "Active",
        "Order",
    ]
    assert (sheet["A1"].font.b, sheet.freeze_panes, sheet.auto_filter.ref) == (True, "A2", "A1:I3")
    assert [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2)] == [
        ("bo", "Bộ", None, "Ministry", None, None, "Yes", "Yes", 0),
        ("vu", "Vụ", "V", "Department (Vụ)", None, "bo", "No", "Yes", 3),
    ]


def _round_trip(spec, queryset):
    before = list(queryset.values())
    content = export_workbook(spec, spec.export_queryset(queryset))
    result = import_workbook(SimpleUploadedFile("export.xlsx", content), spec)
    return before, result, list(queryset.values())


def test_units_export_then_import_round_trips(ministry, unit_a, unit_b):
    UnitFactory(parent=unit_a, code="child", province="Huế", has_legal_personality=False)

    before, result, after = _round_trip(UnitSheet(), Unit.objects.order_by("pk"))

    assert (result.errors, result.created, result.updated, result.unchanged) == ([], 0, 0, 4)
    assert after == before


def test_people_export_then_import_round_trips(unit_a):
    PersonFactory(unit=unit_a, gender=Gender.MALE, is_leader=True, start_date=dt.date(2020, 2, 29))
    PersonFactory(unit=unit_a, active=False)

    before, result, after = _round_trip(PersonSheet(), Person.objects.order_by("pk"))

    assert (result.errors, result.created, result.updated, result.unchanged) == ([], 0, 0, 2)
    assert after == before


def test_criteria_export_then_import_round_trips():
    campaign = CampaignFactory()
    content = ContentFactory(campaign=campaign)
    section = CriterionFactory(campaign=campaign, code="1", content=content)
    CriterionFactory(
        campaign=campaign,
        code="1.1",
        parent=section,
        max_points=Decimal("2.5"),
        evidence_required=True,
        guidance="Xem hướng dẫn",
    )

    before, result, after = _round_trip(CriterionSheet(), Criterion.objects.order_by("pk"))

    assert (result.errors, result.created, result.updated, result.unchanged) == ([], 0, 0, 2)
    assert after == before


@pytest.mark.parametrize(
    ("file", "problem"),
    [
        (
            SimpleUploadedFile("units.csv", b"code,name\n"),
            "The file is not an Excel workbook (.xlsx).",
        ),
        (
            SimpleUploadedFile("units.xlsx", b"not a zip"),
            "The file is not an Excel workbook (.xlsx).",
        ),
        (SimpleUploadedFile("units.xlsx", b""), "The file is empty."),
    ],
)
def test_import_refuses_a_file_that_is_not_xlsx(file, problem):
    result = import_workbook(file, UnitSheet())

    assert (result.problem, result.errors) == (problem, [])


def _damaged(part: str, content: bytes | None) -> SimpleUploadedFile:
    """A real workbook with one of its zip parts replaced (or removed when None)."""
    good = BytesIO(xlsx(UNIT_HEADER, ["a", "A", "centre", "", ""]).read())
    damaged = BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            if not item.filename.endswith(part):
                target.writestr(item, source.read(item.filename))
            elif content is not None:
                target.writestr(item, content)
    return SimpleUploadedFile("damaged.xlsx", damaged.getvalue())


@pytest.mark.parametrize(
    ("part", "content"),
    [
        ("worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
        ("workbook.xml", b"<<<"),
        ("[Content_Types].xml", b"garbage"),
        ("styles.xml", b"<x"),
        ("workbook.xml.rels", None),
    ],
)
def test_import_answers_a_damaged_workbook_with_a_message(part, content):
    result = import_workbook(_damaged(part, content), UnitSheet())

    assert (result.problem, result.errors) == ("The file is not an Excel workbook (.xlsx).", [])
    assert Unit.objects.count() == 0


def test_import_answers_a_workbook_without_a_sheet():
    result = import_workbook(_damaged("worksheets/sheet1.xml", None), UnitSheet())

    assert (result.problem, Unit.objects.count()) == ("The sheet is empty.", 0)


def test_import_refuses_missing_required_columns():
    result = import_workbook(xlsx(["Name", "Province"], ["A", "B"]), UnitSheet())

    assert result.problem == "Required columns are missing: 'Code', 'Kind'."


def test_import_refuses_an_empty_sheet_and_a_header_without_rows():
    empty = import_workbook(xlsx(), UnitSheet())
    header_only = import_workbook(xlsx(UNIT_HEADER), UnitSheet())

    assert (empty.problem, header_only.problem) == (
        "The sheet is empty.",
        "The sheet has a header row but no data rows.",
    )


def test_import_refuses_too_many_rows(monkeypatch):
    monkeypatch.setattr(specs, "MAX_ROWS", 2)
    file = xlsx(UNIT_HEADER, *([f"u{n}", "U", "centre", "", ""] for n in range(3)))

    result = import_workbook(file, UnitSheet())

    assert (result.problem, Unit.objects.count()) == (
        "The sheet has more than 2 rows (empty rows count too).",
        0,
    )


def test_import_refuses_a_file_larger_than_the_limit(monkeypatch):
    monkeypatch.setattr(specs, "MAX_FILE_SIZE", 1024 * 1024)
    file = SimpleUploadedFile("big.xlsx", b"0" * (1024 * 1024 + 1))

    result = import_workbook(file, UnitSheet())

    assert result.problem == "The file is larger than 1 MB."


# Through the admin pages.


def test_import_page_shows_every_bad_row_and_creates_nothing(client, admin_user, ministry):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    file = xlsx(
        UNIT_HEADER,
        ["ok-1", "OK", "centre", "bo", ""],
        ["ok-2", "OK", "centre", "bo", ""],
        ["bad-1", "Bad", "centre", "xyz", ""],
        ["ok-3", "OK", "centre", "", ""],
        ["bad-2", "", "centre", "bo", ""],
        ["bad-3", "Bad", "fort", "bo", ""],
    )

    response = client.post(reverse("admin:units_unit_import"), {"file": file})

    assert response.status_code == 200
    assert [(e.row, e.column, e.message) for e in response.context["result"].errors] == [
        (4, "Parent unit code", "no unit with code 'xyz'."),
        (6, "Name", "a value is required."),
        (
            7,
            "Kind",
            "'fort' is not one of the choices ("
            + ", ".join(str(label) for _code, label in UnitKind.choices)
            + ").",
        ),
    ]
    assert response.content.decode().count('class="import-error"') == 3
    assert Unit.objects.count() == 1


def test_import_page_saves_a_good_file_and_reports_counts(client, admin_user, ministry):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    file = xlsx(UNIT_HEADER, ["bo", "Bộ mới", "ministry", "", ""], ["c", "C", "centre", "bo", ""])

    response = client.post(reverse("admin:units_unit_import"), {"file": file}, follow=True)

    assert response.redirect_chain == [(reverse("admin:units_unit_changelist"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Import finished: 1 created, 1 updated, 0 unchanged."
    ]
    assert sorted(Unit.objects.values_list("code", "name")) == [("bo", "Bộ mới"), ("c", "C")]


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("units.csv", b"code,name\n"),
            "The file is not an Excel workbook (.xlsx).",
        ),
        (xlsx(["Name"], ["A"]), "Required columns are missing: 'Code', 'Kind'."),
    ],
)
def test_import_page_keeps_the_user_on_the_form_with_a_message(client, admin_user, file, message):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        reverse("admin:units_unit_import"),
        {"file": file},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert message.replace("'", "&#x27;") in response.content.decode()


def test_export_button_downloads_the_filtered_change_list(client, admin_user, ministry, unit_a):
    UnitFactory(code="centre-1", kind=UnitKind.CENTRE)
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("admin:units_unit_export"), {"kind__exact": "centre"})

    assert response["Content-Type"] == specs.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="unit-')
    assert [row[0] for row in read(response.content)] == ["Code", "centre-1"]


def test_export_action_downloads_the_selected_people(client, admin_user, unit_a):
    chosen, _other = PersonFactory(unit=unit_a), PersonFactory(unit=unit_a)
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post(
        reverse("admin:units_person_changelist"),
        {"action": "export_selected", "_selected_action": [chosen.pk], "index": 0},
    )

    assert [row[:3] for row in read(response.content)] == [
        ("Employee code", "Full name", "Unit code"),
        (chosen.employee_code, chosen.full_name, "unit-a"),
    ]


def test_change_list_links_to_import_and_export(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("admin:units_person_changelist"))

    content = response.content.decode()
    assert (reverse("admin:units_person_import") in content, "Import from Excel" in content) == (
        True,
        True,
    )
    assert reverse("admin:units_person_export") in content


def test_import_counts_rows_equal_to_the_saved_ones_as_unchanged(ministry, unit_a):
    file = xlsx(
        ["Code", "Name", "Kind", "Parent unit code"],
        ["unit-a", unit_a.name, unit_a.kind, "bo"],
        ["bo", "Bộ mới", "ministry", ""],
    )

    result = import_workbook(file, UnitSheet())

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)


def test_a_sheet_exported_in_vietnamese_imports_in_english(ministry, unit_a):
    with translation.override("vi"):
        content = export_workbook(UnitSheet(), Unit.objects.select_related("parent"))

    result = import_workbook(SimpleUploadedFile("vi.xlsx", content), UnitSheet())

    assert (result.problem, result.errors, result.unchanged) == ("", [], 2)
