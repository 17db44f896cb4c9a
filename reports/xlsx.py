"""The report's figures as an XLSX workbook: the same numbers as the PDF, one sheet per
table, each with a styled and frozen header row, a filter and number formats.

Written in openpyxl's write-only mode so that a ministry of a thousand units stays
small in memory. Every cell goes through spreadsheets.writer, so a unit's or a movement's
name is text even when it starts with "="."""

from collections.abc import Iterable
from io import BytesIO

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from spreadsheets.writer import append_row, cell, new_workbook

from .context import ReportContext
from .wording import GRADE_ORDER, KIND_SUBJECT, grade_label, group_kind_label, state_label

SCORE = "0.00"
RATE = "0.0"
INTEGER = "0"
DATETIME = "dd/mm/yyyy hh:mm"
THIN = Side(style="thin", color="808080")
HEADER_FONT = Font(name="Times New Roman", bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def render_xlsx(context: ReportContext) -> bytes:
    """The workbook bytes of one build."""
    book = new_workbook()
    _summary(book, context)
    _units(book, context)
    _contents(book, context)
    _groups(book, context)
    _ranking(book, context)
    _missing(book, context)
    if context.is_year_end:
        _individuals(book, context)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def write_sheet(book, title: str, columns: list[tuple[str, int, str | None]], rows: Iterable):
    """A sheet with one header row; columns are (heading, width, number format)."""
    sheet = book.create_sheet(title)
    for index, (_heading, width, _fmt) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = [
        cell(
            sheet,
            heading,
            font=HEADER_FONT,
            fill=HEADER_FILL,
            border=HEADER_BORDER,
            alignment=HEADER_ALIGN,
        )
        for heading, _width, _fmt in columns
    ]
    append_row(sheet, header)
    count = 0
    formats = [fmt for _h, _w, fmt in columns]
    for row in rows:
        append_row(
            sheet, [_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)]
        )
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return sheet


def _cell(sheet, value, fmt):
    if fmt is None or value is None or value == "":
        return cell(sheet, value)
    return cell(sheet, value, number_format=fmt)


def _summary(book, c: ReportContext) -> None:
    rows = [
        ("Báo cáo", f"{KIND_SUBJECT[c.kind]} {c.year}", None),
        ("Phong trào", c.campaign_name, None),
        ("Chủ đề", c.theme, None),
        ("Đơn vị tham gia", c.participants, 100),
        ("Nộp đúng hạn", c.on_time, c.on_time_rate),
        ("Nộp muộn", c.late, c.late_rate),
        ("Chưa nộp", c.missing, c.missing_rate),
        ("Đã chấp nhận", c.accepted, None),
        ("Điểm bình quân tự chấm", c.self_average, None),
        ("Điểm bình quân thẩm định", c.reviewed_average, None),
        ("Điểm tối đa", c.max_total, None),
        ("Số đơn vị tiêu biểu", len(c.outstanding_units), None),
    ]
    if c.is_year_end:
        rows.append(("Số cá nhân được đánh giá", c.assessed, None))
        rows += [(f"Xếp loại: {g.label}", g.count, None) for g in c.grades]
        rows += [(f"Đề nghị: {t.label}", t.count, None) for t in c.titles]
    write_sheet(
        book,
        "Tổng hợp",
        [("Chỉ tiêu", 34, None), ("Giá trị", 40, "General"), ("Tỷ lệ (%)", 12, RATE)],
        rows,
    )


def _units(book, c: ReportContext) -> None:
    columns = [
        ("TT", 6, INTEGER),
        ("Mã", 12, None),
        ("Đơn vị", 42, None),
        ("Khối thi đua", 24, None),
        ("Hạng trong khối", 10, INTEGER),
        ("Cụm thi đua", 24, None),
        ("Hạng trong cụm", 10, INTEGER),
        ("Tình trạng", 18, None),
        ("Nộp muộn", 9, None),
        ("Nộp lúc", 17, DATETIME),
    ]
    for r in c.content_results:
        columns += [
            (f"{r.short_label} tự chấm", 10, SCORE),
            (f"{r.short_label} thẩm định", 10, SCORE),
        ]
    columns += [
        ("Tổng tự chấm", 11, SCORE),
        ("Tổng khối, cụm chấm", 11, SCORE),
        ("Tổng thẩm định", 11, SCORE),
        ("Tiêu biểu", 9, None),
    ]
    rows = (
        [
            index,
            u.code,
            u.name,
            u.block,
            u.block_rank,
            u.cluster,
            u.cluster_rank,
            state_label(u.state),
            "x" if u.has_submitted and u.is_late else "",
            _naive(u.submitted_at),
            *[score for pair in u.score_cells for score in pair],
            u.self_total,
            u.block_total,
            u.reviewed_total,
            "x" if u.outstanding else "",
        ]
        for index, u in enumerate(c.units, start=1)
    )
    write_sheet(book, "Đơn vị", columns, rows)


def _contents(book, c: ReportContext) -> None:
    write_sheet(
        book,
        "Nội dung",
        [
            ("TT", 6, INTEGER),
            ("Nội dung thi đua", 60, None),
            ("Điểm tối đa", 12, SCORE),
            ("Bình quân tự chấm", 14, SCORE),
            ("Bình quân thẩm định", 14, SCORE),
        ],
        (
            [r.number, r.title, r.max_points, r.self_average, r.reviewed_average]
            for r in c.content_results
        ),
    )


def _groups(book, c: ReportContext) -> None:
    write_sheet(
        book,
        "Khối, cụm",
        [
            ("Loại", 14, None),
            ("Mã", 10, None),
            ("Tên", 34, None),
            ("Khối trưởng, Cụm trưởng", 34, None),
            ("Số đơn vị", 10, INTEGER),
            ("Đúng hạn", 10, INTEGER),
            ("Muộn", 10, INTEGER),
            ("Chưa nộp", 10, INTEGER),
            ("Tỷ lệ đúng hạn (%)", 12, RATE),
        ],
        (
            [
                group_kind_label(g.kind),
                g.code,
                g.name,
                g.head_unit,
                g.size,
                g.on_time,
                g.late,
                g.missing,
                g.on_time_rate,
            ]
            for g in c.groups
        ),
    )


def _ranking(book, c: ReportContext) -> None:
    write_sheet(
        book,
        "Xếp hạng",
        [
            ("Loại", 14, None),
            ("Khối, cụm", 34, None),
            ("Hạng", 8, INTEGER),
            ("Đơn vị", 42, None),
            ("Điểm xếp hạng", 12, SCORE),
            ("Điểm khối, cụm chấm", 12, SCORE),
            ("Tiêu biểu", 9, None),
        ],
        (
            [
                group_kind_label(g.kind),
                g.name,
                m.rank,
                m.unit.name,
                m.unit.score,
                m.unit.block_total,
                "x" if m.rank == 1 and m.unit.outstanding else "",
            ]
            for g in c.groups
            for m in g.members
        ),
    )


def _missing(book, c: ReportContext) -> None:
    write_sheet(
        book,
        "Chưa nộp",
        [("TT", 6, INTEGER), ("Mã", 12, None), ("Đơn vị", 50, None), ("Tình trạng", 20, None)],
        (
            [index, u.code, u.name, state_label(u.state)]
            for index, u in enumerate(c.missing_units, start=1)
        ),
    )


def _individuals(book, c: ReportContext) -> None:
    grades = [g for g in GRADE_ORDER if any(g in i.by_grade for i in c.individuals)]
    titles = [t.label for t in c.titles]
    columns = [("TT", 6, INTEGER), ("Đơn vị", 42, None), ("Số cá nhân", 10, INTEGER)]
    columns += [(grade_label(g), 14, INTEGER) for g in grades]
    columns += [(f"Đề nghị: {t}", 14, INTEGER) for t in titles]
    rows = (
        [
            index,
            i.name,
            i.assessed,
            *[i.by_grade.get(g, 0) for g in grades],
            *[i.by_title.get(t, 0) for t in titles],
        ]
        for index, i in enumerate(c.individuals, start=1)
    )
    write_sheet(book, "Cá nhân", columns, rows)


def _naive(value):
    """Excel has no time zones: write the local wall-clock time."""
    if value is None:
        return None
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)
