"""Imports are bounded by what is really in the file: rows are counted from the
first, blank or not (a sheet of ten million blank rows is refused at once, not read
for minutes), columns are bounded, and a zip whose parts unpack to far more than its
size is refused before it is unpacked. The workbooks are written by hand
(tests/spreadsheets/handmade.py): a few kilobytes each."""

import pytest

from spreadsheets import specs
from spreadsheets.specs import MAX_ROWS, import_workbook, measure_workbook
from units.importers import UnitSheet
from units.models import Unit

from .handmade import blank_rows, row_xml, sheet_xml, workbook

pytestmark = pytest.mark.django_db

HEADER = ["Code", "Name", "Kind"]
TOO_MANY_ROWS = f"The sheet has more than {MAX_ROWS} rows (empty rows count too)."


@pytest.fixture(autouse=True)
def _english(english):
    return english


def _good_rows(count: int, start: int = 2) -> str:
    return "".join(row_xml(start + n, [f"u{n}", f"Unit {n}", "centre"]) for n in range(count))


def test_a_good_handmade_workbook_imports():
    file = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(2)))

    result = import_workbook(file, UnitSheet())

    assert (result.problem, result.errors, result.created) == ("", [], 2)


def test_ten_million_blank_rows_are_refused_without_being_read(ministry):
    # Two real rows, then the ten millionth row: a 1.5 kB file.
    file = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(2) + '<row r="10000000"/>'))
    assert file.size < 2_000

    result = import_workbook(file, UnitSheet())

    assert result.problem == TOO_MANY_ROWS
    assert list(Unit.objects.values_list("code", flat=True)) == ["bo"]


def test_blank_rows_count_against_the_limit_without_a_dimension(ministry):
    file = blank_rows(HEADER, MAX_ROWS + 5)

    result = import_workbook(file, UnitSheet())

    assert result.problem == TOO_MANY_ROWS
    assert Unit.objects.count() == 1


def test_a_dimension_over_the_limit_is_refused_at_once():
    file = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(1), dimension="A1:C10000000"))

    with pytest.raises(specs.FileProblem, match="more than 20000 rows"):
        measure_workbook(file)
    assert import_workbook(file, UnitSheet()).problem == TOO_MANY_ROWS


def test_a_dimension_that_lies_small_does_not_hide_rows():
    file = blank_rows(HEADER, MAX_ROWS + 5, dimension="A1:C2")

    assert import_workbook(file, UnitSheet()).problem == TOO_MANY_ROWS


def test_rows_up_to_the_limit_are_read_and_one_more_blank_is_refused(monkeypatch):
    monkeypatch.setattr(specs, "MAX_ROWS", 3)
    at_limit = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(3)))
    one_more = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(3) + '<row r="5"/>'))

    over = import_workbook(one_more, UnitSheet())
    assert over.problem == "The sheet has more than 3 rows (empty rows count too)."
    assert Unit.objects.count() == 0

    assert import_workbook(at_limit, UnitSheet()).created == 3


def test_more_columns_than_the_limit_are_refused():
    file = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(1), dimension="A1:CZ2"))

    result = import_workbook(file, UnitSheet())

    assert result.problem == "The sheet has more than 100 columns (empty columns count too)."


def test_a_part_that_unpacks_past_the_limit_is_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(specs, "MAX_UNPACKED_SIZE", 1024 * 1024)
    padding = "<!--" + " " * (2 * 1024 * 1024) + "-->"
    file = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(1), tail=padding))
    assert file.size < 10_000

    result = import_workbook(file, UnitSheet())

    assert result.problem == "The workbook unpacks to more than 1 MB."
    assert Unit.objects.count() == 0


def test_measure_counts_the_rows_of_a_sheet_without_a_dimension():
    file = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(4) + '<row r="9"/>'))

    assert measure_workbook(file) == 9
    assert file.tell() == 0


def test_the_admin_import_page_refuses_ten_million_blank_rows(client, admin_user, ministry):
    client.force_login(admin_user)
    file = workbook(sheet_xml(row_xml(1, HEADER) + _good_rows(2) + '<row r="10000000"/>'))

    response = client.post("/admin/units/unit/import/", {"file": file}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [TOO_MANY_ROWS]}
    assert Unit.objects.count() == 1


def test_a_cell_past_the_column_limit_is_refused_without_a_dimension():
    rows = row_xml(1, HEADER) + '<row r="2"><c r="CW2" t="inlineStr"><is><t>x</t></is></c></row>'

    result = import_workbook(workbook(sheet_xml(rows)), UnitSheet())

    assert result.problem == "The sheet has more than 100 columns (empty columns count too)."


def test_ten_million_blank_rows_in_a_second_sheet_are_refused_too():
    """openpyxl reads every sheet through when it opens a workbook: a second sheet of
    blank rows is refused before it does."""
    blank = sheet_xml('<row r="1"/><row r="10000000"/>')
    file = workbook(
        sheet_xml(row_xml(1, HEADER) + _good_rows(1)),
        extra={"xl/worksheets/sheet2.xml": blank},
        second_sheet=True,
    )

    assert import_workbook(file, UnitSheet()).problem == TOO_MANY_ROWS
