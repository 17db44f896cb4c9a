"""A block's or cluster's own documents (issue 11 item 5): the scoring table of its
members (bảng tổng hợp kết quả chấm điểm thi đua của khối, cụm) and the minutes of
its year-end conference (biên bản họp khối, cụm), each as a PDF in the format of
Decree 30/2020/NĐ-CP (domain.md §5) and as an XLSX.

Both are built on request, synchronously (a block is a few dozen units at most),
from campaigns.blocks.standings.block_standings in a constant number of queries;
building one writes nothing. The issuing body is the block (the head unit signs);
the wording is Vietnamese whatever the reader's language, as the ministry report's
(reports/wording.py). The minutes exist only once the acclamation is closed: before,
its counts are secret."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import Truncator

from campaigns.blocks.standings import BlockTable, Standing, block_standings
from campaigns.enums import AcclamationState, ProposalKind, SubmissionState
from campaigns.models import Acclamation
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring
from spreadsheets.writer import append_row, cell, new_workbook
from units.enums import GroupKind, Role
from units.models import Membership

from . import wording
from .pdf import STATIC_DIR, restricted_fetcher_class
from .xlsx import DATETIME, HEADER_ALIGN, HEADER_BORDER, HEADER_FILL, HEADER_FONT, SCORE

SHORT_TEXT = 90  # characters of a criterion's text in the tables
HUNDRED = Decimal("100")
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class CriterionLine:
    """One row of a member's detail: a section heading (no scores) or a criterion."""

    code: str
    text: str
    max_points: Decimal | None
    depth: int
    is_section: bool
    self_score: Decimal | None = None
    block_score: Decimal | None = None
    reviewed_score: Decimal | None = None


@dataclass
class MemberScores:
    """A member of the block in the scoring table, in ranking order."""

    standing: Standing
    lines: list[CriterionLine] = field(default_factory=list)

    @property
    def unit(self):
        return self.standing.unit

    @property
    def sent(self) -> bool:
        return self.standing.ranked

    @property
    def accepted(self) -> bool:
        submission = self.standing.submission
        return submission is not None and submission.state == SubmissionState.ACCEPTED

    @property
    def self_total(self) -> Decimal | None:
        return self.standing.submission.self_total if self.sent else None

    @property
    def block_total(self) -> Decimal | None:
        """The sheet's block total (the block's score where it gave one, the unit's own
        elsewhere), before the adjustments."""
        return self.standing.sheet_total if self.sent else None

    @property
    def reviewed_total(self) -> Decimal | None:
        return self.standing.submission.reviewer_total if self.accepted else None

    @property
    def note(self) -> str:
        """Why an unranked member is listed last."""
        return wording.vietnamese(self.standing.unranked_reason) if not self.sent else ""


@dataclass
class ScoringTable:
    group: object
    period: object
    table: BlockTable
    members: list[MemberScores]
    head_name: str
    issued_on: dt.date

    @property
    def adjusted(self) -> list[MemberScores]:
        return [m for m in self.members if m.standing.adjustments]

    @property
    def unranked(self) -> list[MemberScores]:
        return [m for m in self.members if not m.sent]


def group_title(group) -> str:
    """The block's name as its documents' issuing body: "KHỐI THI ĐUA SỐ 1" (the kind
    is put first when the name does not say it)."""
    name = group.name.strip()
    kind = "Khối thi đua" if group.kind == GroupKind.BLOCK else "Cụm thi đua"
    if not name.lower().startswith(("khối", "cụm")):
        name = f"{kind} {name}"
    return name


def head_name(group) -> str:
    """The full name of the head (thủ trưởng) of the block's head unit, who signs."""
    if group.head_unit_id is None:
        return ""
    membership = (
        Membership.objects.filter(unit_id=group.head_unit_id, role=Role.HEAD)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return str(membership.user) if membership else ""


def scoring_table(group, period, *, today: dt.date) -> ScoringTable:
    """The block's members with every criterion's self, block and reviewed score, in
    ranking order (the unranked last)."""
    with translation.override(wording.DOCUMENT_LANGUAGE):  # reasons, bands, labels
        table = block_standings(group, period, scores=True)
    tree = criteria_tree.rows(table.criteria)
    members = []
    for standing in table.standings:
        member = MemberScores(standing)
        if member.sent:
            answers = table.scores.get(standing.submission.pk, {})
            member.lines = [_line(row, answers, member.accepted) for row in tree]
        members.append(member)
    return ScoringTable(
        group=group,
        period=period,
        table=table,
        members=members,
        head_name=head_name(group),
        issued_on=today,
    )


def _line(row, answers: dict, accepted: bool) -> CriterionLine:
    criterion = row.criterion
    text = Truncator(" ".join(criterion.text.split())).chars(SHORT_TEXT)
    if row.is_section:
        return CriterionLine(criterion.code, text, None, row.depth, True)
    self_score, block_score, reviewer_score = answers.get(criterion.pk, (None, None, None))
    return CriterionLine(
        criterion.code,
        text,
        criterion.max_points,
        row.depth,
        False,
        self_score=self_score,
        block_score=block_score,
        reviewed_score=scoring.reviewed_score(self_score, reviewer_score) if accepted else None,
    )


@dataclass(frozen=True)
class CandidateResult:
    name: str
    rank: int | None
    block_total: Decimal | None
    votes: int
    share: Decimal
    acclaimed: bool


@dataclass
class Minutes:
    group: object
    period: object
    acclamation: Acclamation
    table: BlockTable
    candidates: list[CandidateResult]
    proposals: list
    voted: int

    @property
    def attendees(self) -> list[str]:
        lines = (line.strip(" \t-;") for line in self.acclamation.attendees.splitlines())
        return [line for line in lines if line]

    @property
    def notes(self) -> list[str]:
        return [line.strip() for line in self.acclamation.notes.splitlines() if line.strip()]

    @property
    def flag_proposals(self) -> list:
        return [p for p in self.proposals if p.kind == ProposalKind.MINISTRY_FLAG]

    @property
    def merit_proposals(self) -> list:
        return [p for p in self.proposals if p.kind == ProposalKind.MINISTER_MERIT]


def closed_acclamation(group, period) -> Acclamation | None:
    """The block's acclamation of the period once it is closed; None before (or if
    there is none): its counts are secret until it closes."""
    return Acclamation.objects.filter(
        group=group, period=period, state=AcclamationState.CLOSED
    ).first()


def minutes(group, period, acclamation: Acclamation) -> Minutes:
    """The minutes' content of a closed acclamation."""
    if acclamation.state != AcclamationState.CLOSED:
        raise ValueError("The minutes of an acclamation are made once it is closed.")
    base = acclamation.voter_count
    candidates = [
        CandidateResult(
            name=c.unit.name,
            rank=c.rank,
            block_total=c.block_total,
            votes=c.votes or 0,
            share=share(c.votes or 0, base),
            acclaimed=c.acclaimed,
        )
        for c in acclamation.candidates.select_related("unit").order_by("order", "pk")
    ]
    proposals = list(acclamation.proposals.select_related("unit", "title").order_by("order", "pk"))
    return Minutes(
        group=group,
        period=period,
        acclamation=acclamation,
        table=_standings_in_vietnamese(group, period),
        candidates=candidates,
        proposals=proposals,
        voted=acclamation.voters.count(),
    )


def _standings_in_vietnamese(group, period) -> BlockTable:
    with translation.override(wording.DOCUMENT_LANGUAGE):
        return block_standings(group, period)


def share(votes: int, base: int) -> Decimal:
    """The votes as a percentage of the member units that may vote."""
    if not base:
        return Decimal("0.0")
    return (Decimal(votes) * HUNDRED / base).quantize(ONE_PLACE)


# --- PDF ---------------------------------------------------------------------------


def _letterhead(group, period, *, day: dt.date | None, number: str = "") -> dict:
    return {
        "parent": period.campaign.organizer.name,
        "issuer": group_title(group),
        "head_unit": group.head_unit.name if group.head_unit_id else "",
        "number": number,
        "date_line": wording.date_line(settings.REPORT_PLACE, day),
        "nation": wording.NATION,
        "motto": wording.MOTTO,
        "year": period.campaign.year,
        "campaign": period.campaign.name,
        "period": wording.vietnamese(period.get_kind_display()).lower(),
        "kind_word": "khối" if group.kind == GroupKind.BLOCK else "cụm",
        "head_word": "Khối trưởng" if group.kind == GroupKind.BLOCK else "Cụm trưởng",
    }


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override(wording.DOCUMENT_LANGUAGE):
        html = render_to_string(template, context)
    fetcher = restricted_fetcher_class()(timeout=2)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf()


def scoring_pdf(table: ScoringTable) -> bytes:
    doc = _letterhead(table.group, table.period, day=table.issued_on)
    return _pdf(
        "reports/pdf/block_scoring.html",
        {
            "doc": doc,
            "t": table,
            "tie_break": wording.vietnamese(table.table.tie_break),
            "bands": table.table.bands,
        },
    )


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
            "tie_break": wording.vietnamese(content.table.tie_break),
        },
    )


def _abbr(group) -> str:
    return wording.ascii_slug(group.code).upper() or (
        "KTĐ" if group.kind == GroupKind.BLOCK else "CTĐ"
    )


# --- XLSX --------------------------------------------------------------------------


def _sheet(book, title: str, columns: list[tuple[str, int, str | None]], rows) -> None:
    """A sheet with a styled header row (columns: heading, width, number format)."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    for index, (_heading, width, _fmt) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    append_row(
        sheet,
        [
            cell(
                sheet,
                h,
                font=HEADER_FONT,
                fill=HEADER_FILL,
                border=HEADER_BORDER,
                alignment=HEADER_ALIGN,
            )
            for h, _w, _f in columns
        ],
    )
    formats = [fmt for _h, _w, fmt in columns]
    for row in rows:
        append_row(
            sheet,
            [
                cell(sheet, value, number_format=fmt)
                if fmt and value not in (None, "")
                else cell(sheet, value)
                for value, fmt in zip(row, formats, strict=True)
            ],
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
                wording.vietnamese(adjustment.label),
                adjustment.automatic,
                adjustment.points,
                adjustment.reason,
                override.reason if override else "",
                str(override.by) if override and override.by else "",
                _naive(override.at) if override else None,
            ]


def scoring_xlsx(table: ScoringTable) -> bytes:
    book = new_workbook()
    doc = _letterhead(table.group, table.period, day=table.issued_on)
    _sheet(
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
    _sheet(
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
    _sheet(
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
    _sheet(
        book,
        "Thông tin",
        [("Mục", 28, None), ("Nội dung", 90, None)],
        [
            ["Khối, cụm", doc["issuer"]],
            ["Đơn vị trưởng", doc["head_unit"]],
            ["Phong trào", doc["campaign"]],
            ["Năm", str(doc["year"])],
            ["Kỳ đánh giá", doc["period"]],
            ["Nguyên tắc xếp hạng", wording.vietnamese(table.table.tie_break)],
            *[
                [f"Xếp loại: {b.name}", f"từ {wording.number(b.min_total)} điểm"]
                for b in table.table.bands
            ],
            ["Ngày lập", table.issued_on.strftime("%d/%m/%Y")],
        ],
    )
    return _bytes(book)


def minutes_xlsx(content: Minutes) -> bytes:
    a = content.acclamation
    book = new_workbook()
    _sheet(
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
    _sheet(
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
                "" if s.ranked else wording.vietnamese(s.unranked_reason),
            ]
            for s in content.table.standings
        ),
    )
    _sheet(
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
    _sheet(
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
            [i, p.unit.name, wording.vietnamese(p.get_kind_display()), p.votes, p.rank]
            for i, p in enumerate(content.proposals, start=1)
        ),
    )
    return _bytes(book)


def file_name(group, period, document: str, extension: str) -> str:
    """“bang-diem-khoi-thi-dua-so-1-2024.pdf”: ASCII, from the block's name and year."""
    words = f"{document} {group_title(group)} {period.campaign.year}"
    return f"{wording.ascii_slug(words)}.{extension}"


def _naive(value):
    return None if value is None else timezone.localtime(value).replace(tzinfo=None)
