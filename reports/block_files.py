"""A block's documents laid out (reports.block_documents gathers what they say):
the PDFs in the format of Decree 30/2020/NĐ-CP, rendered by WeasyPrint with the
ministry report's stylesheet, fonts and restricted fetcher (reports.pdf); the XLSX
through reports.xlsx's sheets, so every typed name is text, never a formula."""

import datetime as dt
from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from spreadsheets.writer import new_workbook
from units.enums import GroupKind

from . import wording
from .block_documents import MemberScores, Minutes, ScoringTable, group_title
from .pdf import STATIC_DIR, restricted_fetcher_class
from .xlsx import DATETIME, SCORE, write_sheet


def _letterhead(group, period, *, day: dt.date | None, number: str = "") -> dict:
    return {
        "parent": period.campaign.organizer.name,
        "issuer": group_title(group),
        "head_unit": group.head_unit.name if group.head_unit_id else "",
        "reviewer": settings.REPORT_ISSUER,
        "number": number,
        "date_line": wording.date_line(settings.REPORT_PLACE, day),
        "nation": wording.NATION,
        "motto": wording.MOTTO,
        "year": period.campaign.year,
        "campaign": period.campaign.name,
        "period": period.get_kind_display().lower(),
        "kind_word": "khối" if group.kind == GroupKind.BLOCK else "cụm",
        "head_word": "Khối trưởng" if group.kind == GroupKind.BLOCK else "Cụm trưởng",
    }


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    fetcher = restricted_fetcher_class()(timeout=2)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf()


@translation.override(wording.DOCUMENT_LANGUAGE)  # whatever the reader's language
def scoring_pdf(table: ScoringTable) -> bytes:
    doc = _letterhead(table.group, table.period, day=table.issued_on)
    return _pdf(
        "reports/pdf/block_scoring.html",
        {
            "doc": doc,
            "t": table,
            "tie_break": str(table.table.tie_break),
            "bands": table.table.bands,
        },
    )


@translation.override(wording.DOCUMENT_LANGUAGE)  # whatever the reader's language
def minutes_pdf(content: Minutes) -> bytes:
    acclamation = content.acclamation
    number = f"{acclamation.minutes_number or '…'}/BB-{_abbr(content.group)}"
    doc = _letterhead(content.group, content.period, day=acclamation.meeting_date, number=number)
    return _pdf(
        "reports/pdf/block_minutes.html",
        {
            "doc": doc,
            "m": content,
            "a": acclamation,
            "tie_break": str(content.table.tie_break),
        },
    )


def _abbr(group) -> str:
    return wording.ascii_slug(group.code).upper() or (
        "KTĐ" if group.kind == GroupKind.BLOCK else "CTĐ"
    )


def _bytes(book) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _adjustment_rows(members: list[MemberScores]):
    for member in members:
        for adjustment in member.standing.adjustments:
            override = adjustment.override
            yield [
                member.unit.name,
                adjustment.label,
                adjustment.automatic,
                adjustment.points,
                adjustment.reason,
                override.reason if override else "",
                str(override.by) if override and override.by else "",
                _naive(override.at) if override else None,
            ]


@translation.override(wording.DOCUMENT_LANGUAGE)  # whatever the reader's language
def scoring_xlsx(table: ScoringTable) -> bytes:
    book = new_workbook()
    doc = _letterhead(table.group, table.period, day=table.issued_on)
    write_sheet(
        book,
        "Xếp hạng",
        [
            ("Hạng", 7, "0"),
            ("Đơn vị", 42, None),
            ("Tự chấm", 11, SCORE),
            ("Khối, cụm chấm", 11, SCORE),
            ("Thẩm định", 11, SCORE),
            ("Điểm cộng, trừ", 11, SCORE),
            ("Tổng điểm", 11, SCORE),
            ("Xếp loại", 14, None),
            ("Ghi chú", 40, None),
        ],
        (
            [
                m.standing.rank,
                m.unit.name,
                m.self_total,
                m.block_total,
                m.reviewed_total,
                m.standing.adjustment_total if m.sent else None,
                m.standing.total,
                m.standing.band,
                m.note,
            ]
            for m in table.members
        ),
    )
    write_sheet(
        book,
        "Điểm theo tiêu chí",
        [
            ("Đơn vị", 36, None),
            ("Mã", 8, None),
            ("Tiêu chí", 60, None),
            ("Điểm tối đa", 10, SCORE),
            ("Tự chấm", 10, SCORE),
            ("Khối, cụm chấm", 10, SCORE),
            ("Thẩm định", 10, SCORE),
        ],
        (
            [
                m.unit.name,
                line.code,
                line.text,
                line.max_points,
                line.self_score,
                line.block_score,
                line.reviewed_score,
            ]
            for m in table.members
            for line in m.lines
        ),
    )
    write_sheet(
        book,
        "Điểm cộng, trừ",
        [
            ("Đơn vị", 36, None),
            ("Khoản", 30, None),
            ("Điểm tự động", 11, SCORE),
            ("Điểm áp dụng", 11, SCORE),
            ("Căn cứ", 50, None),
            ("Lý do điều chỉnh", 40, None),
            ("Người điều chỉnh", 22, None),
            ("Thời điểm", 17, DATETIME),
        ],
        _adjustment_rows(table.members),
    )
    write_sheet(
        book,
        "Thông tin",
        [("Mục", 28, None), ("Nội dung", 90, None)],
        [
            ["Khối, cụm", doc["issuer"]],
            ["Đơn vị trưởng", doc["head_unit"]],
            ["Phong trào", doc["campaign"]],
            ["Năm", str(doc["year"])],
            ["Kỳ đánh giá", doc["period"]],
            ["Nguyên tắc xếp hạng", str(table.table.tie_break)],
            *[
                [f"Xếp loại: {b.name}", f"từ {wording.number(b.min_total)} điểm"]
                for b in table.table.bands
            ],
            ["Ngày lập", table.issued_on.strftime("%d/%m/%Y")],
        ],
    )
    return _bytes(book)


@translation.override(wording.DOCUMENT_LANGUAGE)  # whatever the reader's language
def minutes_xlsx(content: Minutes) -> bytes:
    a = content.acclamation
    book = new_workbook()
    write_sheet(
        book,
        "Biên bản",
        [("Mục", 28, None), ("Nội dung", 90, None)],
        [
            ["Khối, cụm", group_title(content.group)],
            ["Số biên bản", a.minutes_number],
            ["Ngày họp", a.meeting_date.strftime("%d/%m/%Y") if a.meeting_date else ""],
            ["Địa điểm", a.meeting_place],
            ["Chủ trì", a.chair_name],
            ["Thư ký", a.secretary_name],
            ["Thành phần tham dự", "\n".join(content.attendees)],
            ["Số đơn vị thành viên", a.voter_count],
            ["Số đơn vị đã bỏ phiếu", content.voted],
            ["Tỷ lệ phiếu cần đạt (trên, %)", a.share],
            ["Các vấn đề khác", a.notes],
        ],
    )
    write_sheet(
        book,
        "Xếp hạng",
        [
            ("Hạng", 7, "0"),
            ("Đơn vị", 42, None),
            ("Tổng điểm", 11, SCORE),
            ("Xếp loại", 14, None),
            ("Ghi chú", 40, None),
        ],
        (
            [
                s.rank,
                s.unit.name,
                s.total,
                s.band,
                "" if s.ranked else s.unranked_reason,
            ]
            for s in content.table.standings
        ),
    )
    write_sheet(
        book,
        "Kết quả bỏ phiếu",
        [
            ("TT", 6, "0"),
            ("Đơn vị", 42, None),
            ("Hạng", 7, "0"),
            ("Tổng điểm", 11, SCORE),
            ("Số phiếu", 9, "0"),
            ("Tỷ lệ (%)", 9, "0.0"),
            ("Kết quả", 18, None),
        ],
        (
            [
                i,
                c.name,
                c.rank,
                c.block_total,
                c.votes,
                c.share,
                "Được suy tôn" if c.acclaimed else "Không đạt",
            ]
            for i, c in enumerate(content.candidates, start=1)
        ),
    )
    write_sheet(
        book,
        "Đề nghị khen thưởng",
        [
            ("TT", 6, "0"),
            ("Đơn vị", 42, None),
            ("Đề nghị", 36, None),
            ("Số phiếu", 9, "0"),
            ("Hạng", 7, "0"),
        ],
        (
            [i, p.unit.name, p.get_kind_display(), p.votes, p.rank]
            for i, p in enumerate(content.proposals, start=1)
        ),
    )
    return _bytes(book)


def _naive(value):
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)
