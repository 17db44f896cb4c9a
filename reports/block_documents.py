"""A block's or cluster's own documents (issue 11 item 5): the scoring table of its
members (bảng tổng hợp kết quả chấm điểm thi đua của khối, cụm) and the minutes of
its year-end conference (biên bản họp khối, cụm), each as a PDF in the format of
Decree 30/2020/NĐ-CP (domain.md §5) and as an XLSX.

Both are built on request, synchronously (a block is a few dozen units at most),
from campaigns.blocks.standings.block_standings in a constant number of queries;
building one writes nothing. The issuing body is the block (the head unit signs);
the wording is Vietnamese whatever the reader's language, as the ministry report's
(reports/wording.py). The minutes exist only once the acclamation is closed: before,
its counts are secret.

This module gathers what the documents say; reports.block_files lays it out."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.text import Truncator

from campaigns.blocks.standings import BlockTable, Standing, block_standings
from campaigns.enums import AcclamationState, CriterionKind, ProposalKind, SubmissionState
from campaigns.models import Acclamation
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring
from units.enums import GroupKind, Role
from units.models import Membership

from . import wording

SHORT_TEXT = 90  # characters of a criterion's text in the tables
MATRIX_COLUMNS = 20  # leaf criteria side by side in one matrix of the PDF, at most
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


@dataclass(frozen=True)
class Column:
    """A leaf criterion as a column of the PDF's matrix (a penalty's scores are the
    points deducted, as entered)."""

    code: str
    text: str
    max_points: Decimal
    penalty: bool


@dataclass(frozen=True)
class Cell:
    """A member's score on one criterion in the matrix: the block's (the unit's own
    where the block gave none) and the unit's own where the block's differs."""

    score: Decimal | None
    own: Decimal | None = None


@dataclass
class MemberScores:
    """A member of the block in the scoring table, in ranking order."""

    standing: Standing
    lines: list[CriterionLine] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)

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
        """Why an unranked member is listed last (in the language of the caller: the
        documents are laid out in Vietnamese)."""
        return self.standing.unranked_reason


@dataclass
class ScoringTable:
    group: object
    period: object
    table: BlockTable
    members: list[MemberScores]
    head_name: str
    issued_on: dt.date
    columns: list[Column] = field(default_factory=list)

    @property
    def matrices(self) -> list[dict]:
        """The PDF's matrix of the members who sent × the leaf criteria, split into
        consecutive matrices of at most MATRIX_COLUMNS columns of even widths; the
        total closes the last one. Each: {"columns", "rows": [(member, cells)],
        "last"}."""
        count = len(self.columns)
        if not count:
            return []
        parts = -(-count // MATRIX_COLUMNS)
        size = -(-count // parts)
        starts = range(0, count, size)
        return [
            {
                "columns": self.columns[start : start + size],
                "rows": [(m, m.cells[start : start + size]) for m in self.sent],
                "last": start + size >= count,
            }
            for start in starts
        ]

    @property
    def adjusted(self) -> list[MemberScores]:
        return [m for m in self.members if m.standing.adjustments]

    @property
    def sent(self) -> list[MemberScores]:
        return [m for m in self.members if m.sent]

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
    leaves = [row.criterion for row in tree if not row.is_section]
    members = []
    for standing in table.standings:
        member = MemberScores(standing)
        if member.sent:
            answers = table.scores.get(standing.submission.pk, {})
            member.lines = [_line(row, answers, member.accepted) for row in tree]
            member.cells = [_cell(answers.get(c.pk)) for c in leaves]
        members.append(member)
    return ScoringTable(
        group=group,
        period=period,
        table=table,
        members=members,
        head_name=head_name(group),
        issued_on=today,
        columns=[
            Column(
                c.code,
                _short(c.text),
                c.max_points,
                c.kind == CriterionKind.PENALTY,
            )
            for c in leaves
        ],
    )


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SHORT_TEXT)


def _cell(scores: tuple | None) -> Cell:
    self_score, block_score, _reviewer = scores or (None, None, None)
    if block_score is None:
        return Cell(self_score)
    return Cell(block_score, self_score if self_score != block_score else None)


def _line(row, answers: dict, accepted: bool) -> CriterionLine:
    criterion = row.criterion
    text = _short(criterion.text)
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


def file_names(group, period, document: str, extension: str) -> tuple[str, str]:
    """The file's name in ASCII, “bang-diem-khoi-thi-dua-so-1-2024.pdf”, and as it
    reads, “Bảng điểm Khối thi đua số 1 2024.pdf” (for the UTF-8 filename*)."""
    words = f"{document} {group_title(group)} {period.campaign.year}"
    readable = " ".join(words.replace("/", "-").replace("\\", "-").split())
    return f"{wording.ascii_slug(readable)}.{extension}", f"{readable}.{extension}"
