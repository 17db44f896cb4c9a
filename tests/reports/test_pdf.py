import datetime as dt
import hashlib
import io
import re
import socket
from decimal import Decimal

import pytest
from django.utils import timezone
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from reports import builder, charts, wording
from reports.context import build_context
from reports.models import Report
from reports.pdf import is_allowed, render_pdf, restricted_fetcher_class

from . import expected
from .conftest import add_block_totals, add_bonus, read, report_for

pytestmark = pytest.mark.django_db


def vn(value, places: int = 2) -> str:
    """A number as the report prints it: a decimal comma (rates keep their own places)."""
    if isinstance(value, Decimal) and value.as_tuple().exponent == -1:
        places = 1
    return f"{Decimal(value):.{places}f}".replace(".", ",")


def _render(movement, **fields) -> tuple[bytes, object]:
    report = report_for(movement, **fields)
    report = Report.objects.select_related("campaign__organizer", "period").get(pk=report.pk)
    context = build_context(report)
    drawn = {"on_time": charts.on_time_chart(context), "contents": charts.content_chart(context)}
    return render_pdf(report, context, drawn), context


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def year_end_pdf(movement):
    pdf, _context = _render(movement)
    return pdf


def test_pdf_states_the_participation_figures(movement, year_end_pdf):
    want = expected.counts(movement)

    text = " ".join(_text(year_end_pdf).split())

    assert (
        f"Có {want['participants']} đơn vị tham gia phong trào. Đến nay có "
        f"{want['on_time'] + want['late']} đơn vị đã nộp bản tự đánh giá, trong đó "
        f"{want['on_time']} đơn vị nộp đúng hạn ({vn(want['on_time_rate'])}%) và {want['late']} "
        f"đơn vị nộp muộn ({vn(want['late_rate'])}%); {want['missing']} đơn vị chưa nộp "
        f"({vn(want['missing_rate'])}%, danh sách tại Phụ lục II). Vụ Tổ chức cán bộ đã "
        f"chấp nhận {want['accepted']} bản tự đánh giá."
    ) in text


def test_pdf_tables_hold_the_content_averages(movement, year_end_pdf):
    lines = _text(year_end_pdf).splitlines()

    rows = [
        line
        for line in lines
        if re.match(r"^\d (Chuyển đổi số|Cải cách hành chính|Đoàn kết, kỷ cương) 20,00", line)
    ]

    assert rows == [
        f"{number} {title} 20,00 {vn(own)} {vn(reviewed)}"
        for (number, own, reviewed), title in zip(
            expected.by_content(movement),
            ["Chuyển đổi số", "Cải cách hành chính", "Đoàn kết, kỷ cương"],
            strict=True,
        )
    ]


def test_pdf_annex_lists_every_unit_total_and_the_missing_units(movement, year_end_pdf):
    text = _text(year_end_pdf)
    annex_one = text.split("PHỤ LỤC I\n", 1)[1].split("PHỤ LỤC II", 1)[0]
    annex_two = text.split("PHỤ LỤC II", 1)[1]

    # Row: number, unit, state, a cell per content with the self score over the
    # reviewed one (extracted as "self reviewed"), the totals likewise, the block's
    # total ("-": no block scored), the rank.
    rows = re.findall(r"^\d+ (Cục Thi đua số \d\d) .* (\S+) (\S+) (\S+) (\d+|-)$", annex_one, re.M)

    assert {block for _name, _own, _reviewed, block, _rank in rows} == {"-"}
    assert {name: (own, reviewed) for name, own, reviewed, _block, _rank in rows} == {
        u.unit.name: (
            vn(expected.self_points(u, movement.criteria)) if u.submitted else "-",
            vn(expected.reviewed_points(u, movement.criteria)) if expected.accepted(u) else "-",
        )
        for u in movement.units
    }
    assert re.findall(r"^\d+ (Cục Thi đua số \d\d)", annex_two, re.M) == [
        u.unit.name for u in movement.units if not u.submitted
    ]


def test_pdf_annex_ranks_the_units_of_each_block_and_cluster(movement, year_end_pdf):
    text = _text(year_end_pdf)
    annex_one = text.split("PHỤ LỤC I\n", 1)[1].split("PHỤ LỤC II", 1)[0]
    sections = re.split(
        r"^(Khối \d|Cụm Miền Bắc)(?: \(trưởng khối, cụm: .*\))?$", annex_one, flags=re.M
    )

    ranks = {
        name: {
            unit: int(rank)
            for unit, rank in re.findall(r"^\d+ (Cục Thi đua số \d\d) .* (\d+|-)$", body, re.M)
            if rank != "-"
        }
        for name, body in zip(sections[1::2], sections[2::2], strict=True)
    }

    assert ranks == {
        group.name: expected.ranks(movement, group)
        for group in [*movement.blocks, *movement.clusters]
    }


def test_pdf_year_end_counts_titles_with_diacritics(movement, year_end_pdf):
    titles = expected.titles(movement)

    lines = _text(year_end_pdf).splitlines()

    assert f"Chiến sĩ thi đua cơ sở {titles['Chiến sĩ thi đua cơ sở']}" in lines
    assert f"Lao động tiên tiến {titles['Lao động tiên tiến']}" in lines


def test_pdf_has_the_official_header_number_and_date(movement):
    pdf, _context = _render(
        movement,
        number="12",
        issued_on=dt.date(2025, 2, 5),
        signer_name="Nguyễn Thị Hạnh",
        strengths="Ưu điểm",
        limitations="Hạn chế",
        next_tasks="Nhiệm vụ",
    )

    lines = _text(pdf).splitlines()

    assert " ".join(" ".join(lines[:12]).split()).startswith(
        "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG VỤ TỔ CHỨC CÁN BỘ Số: 12/BC-TCCB "
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "Hà Nội, ngày 05 tháng 02 năm 2025 BÁO CÁO Tổng kết năm 2024"
    )
    assert "Nơi nhận:" in lines
    assert "Nguyễn Thị Hạnh" in lines


def test_pdf_numbers_pages_from_page_two(year_end_pdf):
    reader = PdfReader(io.BytesIO(year_end_pdf))

    # The margin boxes come last in each page's text.
    last_lines = [page.extract_text().splitlines()[-1] for page in reader.pages]

    assert last_lines[0] != "1"
    assert last_lines[1:] == [str(n) for n in range(2, len(reader.pages) + 1)]


def test_pdf_embeds_our_liberation_serif_fonts(year_end_pdf):
    reader = PdfReader(io.BytesIO(year_end_pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"]
            program = descriptor["/FontFile2"].get_data()
            family = TTFont(io.BytesIO(program))["name"].getDebugName(1)
            fonts[str(font["/BaseFont"]).split("+", 1)[1]] = family

    assert fonts == {
        "ThiDua-Serif": "Liberation Serif",
        "ThiDua-Serif-Bold": "Liberation Serif",
        "ThiDua-Serif-Italic": "Liberation Serif",
        "ThiDua-Serif-Bold-Italic": "Liberation Serif",
    }


def test_narrative_markup_prints_as_text_and_fetches_nothing(movement):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    port = listener.getsockname()[1]
    narrative = (
        f'<img src="http://127.0.0.1:{port}/x.png"> <img src="http://127.0.0.1:9/x.png">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
    )

    pdf, _context = _render(movement, strengths=narrative)

    # The PDF wraps lines anywhere in a long word: compare without whitespace.
    text = "".join(_text(pdf).split())
    with pytest.raises(BlockingIOError):
        listener.accept()
    listener.close()
    assert f'<imgsrc="http://127.0.0.1:{port}/x.png"><imgsrc="http://127.0.0.1:9/x.png">' in text
    assert f'<linkrel="stylesheet"href="http://127.0.0.1:{port}/x.css">' in text


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("file:///work/nowhere/static/css/pdf.css", False),
        ("http://127.0.0.1:9/x.png", False),
        ("https://example.org/font.ttf", False),
        ("data:image/png;base64,iVBORw0KGgo=", False),
        ("file:///etc/passwd", False),
        ("STATIC/../../etc/passwd", False),
        ("STATIC/css/pdf.css", True),
        ("STATIC/fonts/LiberationSerif-Regular.ttf", True),
    ],
)
def test_fetcher_loads_only_our_static_files(url, allowed):
    from reports.pdf import STATIC_DIR

    url = url.replace("STATIC", STATIC_DIR.as_uri())

    assert is_allowed(url) is allowed


def test_fetcher_refuses_the_network():
    fetcher = restricted_fetcher_class()()

    with pytest.raises(ValueError, match="only our static files"):
        fetcher.fetch("http://127.0.0.1:9/x.png")


def test_build_stores_both_files_with_size_and_checksum(movement):
    report = report_for(movement)

    outcome = builder.run_build(report.pk, report.task_id)

    report.refresh_from_db()
    pdf = read(report.pdf)
    assert (outcome, report.status, report.progress) == ("built", "done", 100)
    assert (report.pdf_size, report.xlsx_size) == (len(pdf), len(read(report.xlsx)))
    assert report.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert pdf[:5] == b"%PDF-"


def _overflowing_cells(html: str) -> list[str]:
    """The text of every table cell whose text runs past the cell's right edge, from
    WeasyPrint's own layout of the report."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from reports.pdf import STATIC_DIR

    document = HTML(
        string=html,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=restricted_fetcher_class()(),
    ).render()
    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableCellBox):
                continue
            right = box.content_box_x() + box.width + 0.5  # half a point of rounding
            for text in box.descendants():
                if isinstance(text, boxes.TextBox) and text.position_x + text.width > right:
                    found.append(text.text)
    return found


def test_annex_score_cells_stay_inside_their_columns(movement):
    from reports.pdf import render_html

    # As wide as a real table gets: the six contents and "other" of the seed movement
    # (seven columns), each with two-digit scores with decimals.
    report = report_for(movement)
    report = Report.objects.select_related("campaign__organizer", "period").get(pk=report.pk)
    context = build_context(report)
    context.content_results = (context.content_results * 3)[:7]
    for unit in context.units:
        unit.score_cells = [(Decimal("99.75"), Decimal("88.25"))] * 7
        unit.self_total, unit.reviewed_total = Decimal("100.00"), Decimal("99.50")
        unit.block_total = Decimal("100.00")
    drawn = {"on_time": charts.on_time_chart(context), "contents": charts.content_chart(context)}

    overflowing = _overflowing_cells(render_html(report, context, drawn))

    assert overflowing == []


def test_pdf_prints_every_number_with_a_decimal_comma(movement):
    add_bonus(movement)
    text = _text(_render(movement)[0])

    assert "Đơn vị tham gia 10 100,0" in text
    assert re.findall(r"\d\.\d", text) == []


def test_first_build_prints_the_starter_text_marked_as_a_draft(movement):
    pdf, context = _render(movement)
    text = _text(pdf)

    assert "(Chưa nhập.)" not in text
    assert text.count(wording.DRAFT_NOTE) == 3
    assert f"{context.on_time}/{context.participants} đơn vị nộp bản tự đánh giá đúng" in text
    assert f"{context.late} đơn vị nộp muộn và {context.missing} đơn vị chưa nộp" in text


def test_the_officers_text_replaces_the_starter_and_its_draft_mark(movement):
    text = _text(_render(movement, strengths="Các đơn vị đã tích cực hưởng ứng.")[0])

    assert "Các đơn vị đã tích cực hưởng ứng." in text
    assert text.count(wording.DRAFT_NOTE) == 2  # the two sections still unwritten


@pytest.mark.parametrize(
    ("closes_in_days", "as_of"), [(-1, "closes"), (10, "today")], ids=["closed", "open"]
)
def test_annex_two_is_as_of_the_close_of_a_closed_period_else_today(
    movement, closes_in_days, as_of
):
    today = timezone.localdate()
    movement.period.opens_on = today - dt.timedelta(days=30)
    movement.period.due_on = today - dt.timedelta(days=5)
    movement.period.closes_on = today + dt.timedelta(days=closes_in_days)
    movement.period.save()

    text = _text(_render(movement)[0])

    day = movement.period.closes_on if as_of == "closes" else today
    assert f"(đến ngày {day:%d/%m/%Y})" in text


def test_bonus_points_print_in_their_own_column_within_every_maximum(movement):
    add_bonus(movement, self_points="5", reviewed_points="3")

    text = _text(_render(movement)[0])

    annex_one = text.split("PHỤ LỤC I\n", 1)[1].split("PHỤ LỤC II", 1)[0]
    assert (
        "TT Đơn vị Tình trạng ND 1 ND 2 ND 3 Điểm thưởng Tổng điểm Khối, cụm chấm Hạng" in annex_one
    )
    # An accepted unit's row: content 1 at most 19 (its two rows), then the bonus.
    accepted = next(u for u in movement.units if expected.accepted(u))
    row = re.search(rf"^\d+ {accepted.unit.name} .*$", annex_one, re.M).group(0)
    cells = re.findall(r"\d+,\d\d", row)
    content_1, bonus = cells[0], cells[6]
    assert (Decimal(content_1.replace(",", ".")) <= 20, bonus) == (True, "5,00")


def test_annex_one_shows_each_unit_block_total_after_its_totals(movement):
    shown = add_block_totals(movement)

    text = _text(_render(movement)[0])

    annex_one = text.split("PHỤ LỤC I\n", 1)[1].split("PHỤ LỤC II", 1)[0]
    rows = re.findall(r"^\d+ (Cục Thi đua số \d\d) .* (\S+) (\d+|-)$", annex_one, re.M)
    assert {name: block for name, block, _rank in rows} == {
        name: vn(total) if total is not None else "-" for name, total in shown.items()
    }
