import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reports.context import build_context
from reports.models import Report
from reports.xlsx import render_xlsx

from . import expected
from .conftest import add_block_totals, add_bonus, report_for

pytestmark = pytest.mark.django_db


def _workbook(movement):
    report = Report.objects.select_related("campaign__organizer", "period").get(
        pk=report_for(movement).pk
    )
    return load_workbook(io.BytesIO(render_xlsx(build_context(report))))


def _rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def _number(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def test_year_end_workbook_has_every_sheet(movement):
    book = _workbook(movement)

    assert book.sheetnames == [
        "Tổng hợp",
        "Đơn vị",
        "Nội dung",
        "Khối, cụm",
        "Xếp hạng",
        "Chưa nộp",
        "Cá nhân",
    ]


def test_six_monthly_workbook_has_no_individuals_sheet(six_monthly):
    book = _workbook(six_monthly)

    assert "Cá nhân" not in book.sheetnames


def test_summary_sheet_holds_the_participation_figures(movement):
    want = expected.counts(movement)

    rows = {label: (value, rate) for label, value, rate in _rows(_workbook(movement)["Tổng hợp"])}

    assert rows["Đơn vị tham gia"] == (want["participants"], 100)
    assert rows["Nộp đúng hạn"] == (want["on_time"], float(want["on_time_rate"]))
    assert rows["Nộp muộn"] == (want["late"], float(want["late_rate"]))
    assert rows["Chưa nộp"] == (want["missing"], float(want["missing_rate"]))
    assert rows["Đề nghị: Chiến sĩ thi đua cơ sở"] == (
        expected.titles(movement)["Chiến sĩ thi đua cơ sở"],
        None,
    )


def test_units_sheet_holds_every_unit_total(movement):
    sheet = _workbook(movement)["Đơn vị"]
    header = [cell.value for cell in sheet[1]]
    name, own, reviewed = (header.index(h) for h in ("Đơn vị", "Tổng tự chấm", "Tổng thẩm định"))

    rows = [(r[name], _number(r[own]), _number(r[reviewed])) for r in _rows(sheet)]

    assert rows == [
        (
            u.unit.name,
            expected.self_points(u, movement.criteria) if u.submitted else None,
            expected.reviewed_points(u, movement.criteria) if expected.accepted(u) else None,
        )
        for u in movement.units
    ]


def test_bonus_points_have_their_own_columns_and_row(movement):
    add_bonus(movement, self_points="5", reviewed_points="3")
    book = _workbook(movement)

    units = book["Đơn vị"]
    header = [cell.value for cell in units[1]]
    own, reviewed = header.index("Điểm thưởng tự chấm"), header.index("Điểm thưởng thẩm định")
    first = header.index("ND 1 tự chấm")
    rows = _rows(units)
    contents = _rows(book["Nội dung"])

    assert {(_number(r[own]), _number(r[reviewed])) for r in rows if r[own] is not None} == {
        (Decimal("5.00"), Decimal("3.00")),
        (Decimal("5.00"), None),
    }
    assert max(r[first] for r in rows if r[first] is not None) <= 20
    assert [(r[1], r[2]) for r in contents][-1] == (
        "Điểm thưởng (tính riêng, ngoài điểm tối đa)",
        5,
    )


def test_contents_sheet_holds_the_averages(movement):
    rows = _rows(_workbook(movement)["Nội dung"])

    assert [(n, _number(own), _number(rev)) for n, _t, _max, own, rev in rows] == (
        expected.by_content(movement)
    )


def test_ranking_sheet_ranks_each_group(movement):
    rows = _rows(_workbook(movement)["Xếp hạng"])

    for group in [*movement.blocks, *movement.clusters]:
        ranked = {
            unit: rank for _k, name, rank, unit, _s, _b, _o in rows if name == group.name and rank
        }
        assert ranked == expected.ranks(movement, group)


def test_missing_sheet_lists_the_missing_units(movement):
    rows = _rows(_workbook(movement)["Chưa nộp"])

    assert [name for _i, _code, name, _state in rows] == [
        u.unit.name for u in movement.units if not u.submitted
    ]


def test_names_shared_with_the_interface_are_its_vietnamese_labels_in_any_language(movement):
    with translation.override("en"):
        book = _workbook(movement)

    states = {state for *_rest, state in _rows(book["Chưa nộp"])}
    assert states == {"Chưa có", "Bản nháp", "Trả lại để chỉnh sửa"}
    assert {row[0] for row in _rows(book["Khối, cụm"])} == {"Khối thi đua", "Cụm thi đua"}
    grade_columns = [c.value for c in book["Cá nhân"][1]][3:]
    assert grade_columns[:3] == [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
    ]


def test_individuals_sheet_counts_people_per_unit(movement):
    rows = _rows(_workbook(movement)["Cá nhân"])

    assert [(name, n) for _i, name, n, *_ in rows] == [
        (u.unit.name, len(u.grades)) for u in movement.units if u.grades
    ]


def test_sheets_have_frozen_styled_header_filter_and_formats(movement):
    sheet = _workbook(movement)["Đơn vị"]
    header = [cell.value for cell in sheet[1]]
    total = header.index("Tổng tự chấm") + 1

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}11"
    assert sheet.cell(1, 1).font.bold is True
    assert sheet.cell(4, total).number_format == "0.00"


def test_units_and_ranking_sheets_show_the_block_total_next_to_the_others(movement):
    shown = add_block_totals(movement)
    book = _workbook(movement)

    units = book["Đơn vị"]
    header = [cell.value for cell in units[1]]
    own, block, reviewed = (
        header.index(h) for h in ("Tổng tự chấm", "Tổng khối, cụm chấm", "Tổng thẩm định")
    )
    name = header.index("Đơn vị")
    assert (own + 1, own + 2) == (block, reviewed)
    assert {r[name]: _number(r[block]) for r in _rows(units)} == shown
    ranking = book["Xếp hạng"]
    assert [c.value for c in ranking[1]][4:6] == ["Điểm xếp hạng", "Điểm khối, cụm chấm"]
    assert {r[3]: _number(r[5]) for r in _rows(ranking)} == {
        unit: total for unit, total in shown.items() if unit in {r[3] for r in _rows(ranking)}
    }
