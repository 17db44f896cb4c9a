"""A block's documents: the scoring table and the conference's minutes, as PDF (read
back with pypdf) and XLSX (read back with openpyxl); who may download them, what a
GET costs in queries, and no minutes (no counts) before the vote is closed."""

import datetime as dt
import io
import re
import uuid
from decimal import Decimal as D
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from campaigns.enums import (
    AcclamationState,
    AdjustmentKind,
    CriterionKind,
    PeriodKind,
    ProposalKind,
)
from campaigns.enums import SubmissionState as S
from campaigns.models import (
    Acclamation,
    AdjustmentOverride,
    Answer,
    Ballot,
    Candidate,
    Proposal,
    Submission,
    Title,
)
from reports import block_documents
from tests.factories import (
    CampaignFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PeriodFactory,
    UnitFactory,
)
from units.enums import Role

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENTS = ("block_scoring_pdf", "block_scoring_xlsx", "block_minutes_pdf", "block_minutes_xlsx")


def at(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2024, 12, day, 10))


def send(period, unit, scores: dict, *, day=15, state=S.SUBMITTED, block=None, reviewer=None):
    """A sent sheet: scores per criterion, the block's and the reviewer's where given."""
    block, reviewer = block or {}, reviewer or {}
    submission = Submission.objects.create(
        period=period,
        unit=unit,
        state=state,
        submitted_at=at(day),
        is_late=at(day).date() > period.due_on,
        self_total=sum(scores.values(), start=D(0)),
    )
    for criterion, score in scores.items():
        Answer.objects.create(
            submission=submission,
            criterion=criterion,
            self_score=score,
            block_score=block.get(criterion),
            reviewer_score=reviewer.get(criterion),
        )
    if block:
        submission.block_total = sum((block.get(c, s) for c, s in scores.items()), start=D(0))
        submission.block_scored_count = len(block)
    if state == S.ACCEPTED:
        submission.reviewer_total = sum((reviewer.get(c, s) for c, s in scores.items()), start=D(0))
    submission.save()
    return submission


@pytest.fixture
def year(block, unit_a, unit_b, unit_c, block_head, head_a, head_b):
    """The 2024 year end of the block (head unit C, deputy unit D, members A, C, D and
    "=1+1"); another block headed by unit B, with its own sent sheet, created first."""
    campaign = CampaignFactory(year=2024)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
        closes_on=dt.date(2025, 1, 10),
    )
    section = CriterionFactory(campaign=campaign, code="1", text="Công tác chuyên môn", order=1)
    c11 = CriterionFactory(
        campaign=campaign,
        parent=section,
        code="1.1",
        text="Hoàn thành kế hoạch",
        max_points=D(60),
        order=1,
    )
    c12 = CriterionFactory(
        campaign=campaign,
        parent=section,
        code="1.2",
        text="Cải cách hành chính",
        max_points=D(30),
        order=2,
    )
    c2 = CriterionFactory(
        campaign=campaign, code="2", text="Công tác đoàn thể", max_points=D(10), order=2
    )
    # The other block first: its data must not leak into this block's documents.
    other_unit = UnitFactory(name="Cục Khí tượng")
    other = EmulationGroupFactory(year=2024, head_unit=unit_b, name="Khối thi đua số 9")
    GroupMembershipFactory(group=other, unit=unit_b)
    GroupMembershipFactory(group=other, unit=other_unit)
    send(period, other_unit, {c11: D(11), c12: D(11), c2: D(1)})

    unit_d = UnitFactory(name="Trung tâm Dữ liệu", order=90)
    formula = UnitFactory(name="=1+1", order=99)
    block.deputy_unit = unit_d
    block.name = "Khối thi đua số 1"
    block.save()
    GroupMembershipFactory(group=block, unit=unit_d)
    GroupMembershipFactory(group=block, unit=formula)
    deputy = MembershipFactory(unit=unit_d, role=Role.DEPUTY, user__username="deputy").user
    block_head.full_name = "Lê Văn Khối"
    block_head.save()
    # A: accepted, scored by the block, reviewed. C: 3 days late, its −3 set to −1.
    a = send(
        period,
        unit_a,
        {c11: D(55), c12: D(28), c2: D(10)},
        state=S.ACCEPTED,
        block={c11: D(50), c12: D(25)},
        reviewer={c11: D(52)},
    )
    c = send(period, unit_c, {c11: D(58), c12: D(29), c2: D(9)}, day=23)
    AdjustmentOverride.objects.create(
        submission=c,
        kind=AdjustmentKind.LATE,
        points=D(-1),
        automatic_points=D(-3),
        reason="Lỗi đường truyền ngày 21/12",
        by=block_head,
    )
    return {
        "period": period,
        "group": block,
        "other": other,
        "criteria": (c11, c12, c2),
        "a": a,
        "c": c,
        "unit_d": unit_d,
        "formula": formula,
        "deputy": deputy,
    }


def close_vote(year, *, state=AcclamationState.CLOSED):
    """A closed acclamation of the block: 4 member units, 3 voted; A 3 votes, C 1."""
    group, period = year["group"], year["period"]
    a_unit, c_unit = year["a"].unit, year["c"].unit
    acclamation = Acclamation.objects.create(
        group=group,
        period=period,
        state=state,
        voter_count=4,
        opened_at=at(27),
        closed_at=at(28) if state == AcclamationState.CLOSED else None,
        meeting_date=dt.date(2024, 12, 28),
        meeting_place="Hội trường tầng 3, 10 Tôn Thất Thuyết",
        chair_name="Lê Văn Khối",
        secretary_name="Phạm Thị Thư",
        attendees="Đại diện Vụ Tổ chức cán bộ\nLãnh đạo các đơn vị thành viên",
        notes="Thống nhất tổ chức hội nghị năm sau tại Viện Chiến lược.",
        minutes_number="05",
    )
    Candidate.objects.create(
        acclamation=acclamation,
        unit=a_unit,
        rank=2,
        block_total=D(85),
        order=1,
        votes=3 if state == AcclamationState.CLOSED else None,
        acclaimed=state == AcclamationState.CLOSED,
    )
    Candidate.objects.create(
        acclamation=acclamation,
        unit=c_unit,
        rank=1,
        block_total=D(95),
        order=0,
        votes=1 if state == AcclamationState.CLOSED else None,
    )
    for unit in (a_unit, c_unit, year["unit_d"]):
        acclamation.voters.create(unit=unit)
    for choice in ([a_unit.pk], [a_unit.pk], [a_unit.pk, c_unit.pk]):
        Ballot.objects.create(id=uuid.uuid4(), acclamation=acclamation, choices=choice)
    if state == AcclamationState.CLOSED:
        Proposal.objects.create(
            acclamation=acclamation,
            unit=a_unit,
            kind=ProposalKind.MINISTRY_FLAG,
            title=Title.objects.get(code="CO_BO"),
            votes=3,
            rank=2,
            order=0,
        )
        Proposal.objects.create(
            acclamation=acclamation,
            unit=c_unit,
            kind=ProposalKind.MINISTER_MERIT,
            title=Title.objects.get(code="BK_BO_TT"),
            votes=1,
            rank=1,
            order=1,
        )
    return acclamation


def url(name, year, group=None):
    group = group or year["group"]
    return reverse(f"reports:{name}", args=[year["period"].pk, group.pk])


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    return list(book[title].iter_rows(values_only=True))


# --- the scoring table ---------------------------------------------------------------


def test_scoring_pdf_lists_every_member_with_its_scores_rank_and_adjustments(
    year, block_head, client_for
):
    response = client_for(block_head).get(url("block_scoring_pdf", year))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    assert "KHỐI THI ĐUA SỐ 1" in text
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA" in text
    # C: 96 − 1 (3 days late, −3 overridden to −1) = 95, first; A: its block total
    # 50 + 25 + 10 = 85, reviewed 52 + 28 + 10 = 90.
    assert "1 Viện Chiến lược 96,00 96,00 - -1,00 95,00" in text
    assert "2 Vụ Pháp chế 93,00 85,00 90,00 0,00 85,00" in text
    assert "Lỗi đường truyền ngày 21/12" in text
    assert "Điều chỉnh từ -3,00 điểm" in text
    # The matrix: members in ranking order, a column per leaf criterion (its code and
    # max), the block's score with the unit's own in parentheses where it differs,
    # then the sheet's block total; C's sheet was not scored by the block.
    assert "Hạng Đơn vị 1.1 60 1.2 30 2 10 Cộng" in text
    assert "1 Viện Chiến lược 58 29 9 96 2 Vụ Pháp chế 50 (55) 25 (28) 10 85" in text
    assert "(x): điểm đơn vị tự chấm, ghi ở ô có điểm khối chấm khác điểm tự chấm." in text
    assert "1.1 Hoàn thành kế hoạch (tối đa 60)" in text
    assert "2 Công tác đoàn thể (tối đa 10)" in text
    assert "Công tác chuyên môn" not in text  # a section is no column
    assert "Thẩm định" in text  # the reviewed total stays in the ranking
    assert "52 (" not in text  # the reviewed score per criterion is in the XLSX only
    assert "fewer penalty points" not in text
    assert "ít điểm trừ hơn" in text  # the tie-break, in Vietnamese
    assert "=1+1: Chưa bắt đầu tự đánh giá." in text
    assert "Trung tâm Dữ liệu: Chưa bắt đầu tự đánh giá." in text
    assert "TM. KHỐI TRƯỞNG VIỆN CHIẾN LƯỢC" in text
    assert "Lê Văn Khối" in text
    assert "Cục Khí tượng" not in text  # the other block's member
    today = timezone.localdate()
    assert f"ngày {today:%d} tháng {today:%m} năm {today:%Y}" in text


def test_scoring_xlsx_holds_numbers_as_numbers_and_names_as_text(year, block_head, client_for):
    response = client_for(block_head).get(url("block_scoring_xlsx", year))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    ranking = sheet_rows(response.content, "Xếp hạng")
    assert ranking[0][:7] == (
        "Hạng",
        "Đơn vị",
        "Tự chấm",
        "Khối, cụm chấm",
        "Thẩm định",
        "Điểm cộng, trừ",
        "Tổng điểm",
    )
    assert ranking[1][:8] == (1, "Viện Chiến lược", 96, 96, None, -1, 95, "Xuất sắc")
    assert ranking[2][:8] == (2, "Vụ Pháp chế", 93, 85, 90, 0, 85, "Tốt")
    assert ranking[4][:2] == (None, "=1+1")
    assert ranking[4][8] == "Chưa bắt đầu tự đánh giá."
    book = load_workbook(io.BytesIO(response.content))
    formula_cell = book["Xếp hạng"]["B5"]
    assert formula_cell.data_type == "s"
    assert formula_cell.value == "=1+1"
    criteria = sheet_rows(response.content, "Điểm theo tiêu chí")
    assert ("Vụ Pháp chế", "1.1", "Hoàn thành kế hoạch", 60, 55, 50, 52) in criteria
    assert ("Viện Chiến lược", "2", "Công tác đoàn thể", 10, 9, None, None) in criteria
    adjustments = sheet_rows(response.content, "Điểm cộng, trừ")
    assert adjustments[1][:6] == (
        "Viện Chiến lược",
        "Nộp muộn",
        -3,
        -1,
        adjustments[1][4],
        "Lỗi đường truyền ngày 21/12",
    )
    assert "3 ngày" in adjustments[1][4]
    assert not any("Cục Khí tượng" in str(row) for row in criteria)


@pytest.mark.parametrize(
    ("name", "ascii_name", "readable"),
    [
        ("block_scoring_pdf", "bang-diem-khoi-thi-dua-so-1-2024.pdf", "Bảng điểm"),
        ("block_minutes_xlsx", "bien-ban-hop-khoi-thi-dua-so-1-2024.xlsx", "Biên bản họp"),
    ],
)
def test_file_names_are_ascii_with_the_utf8_name_too(
    year, block_head, client_for, name, ascii_name, readable
):
    close_vote(year)
    year["group"].name = 'Khối thi đua "số 1"/A'
    year["group"].save()

    response = client_for(block_head).get(url(name, year))

    disposition = response["Content-Disposition"]
    disposition.encode("ascii")  # nothing else is allowed in a header
    ascii_part, utf8_part = disposition.split("; filename*=UTF-8''")
    assert ascii_part == f'attachment; filename="{ascii_name.replace("-2024", "-a-2024")}"'
    extension = ascii_name.rsplit(".", 1)[1]
    assert unquote(utf8_part) == f'{readable} Khối thi đua "số 1"-A 2024.{extension}'


# --- the minutes -----------------------------------------------------------------


def test_minutes_pdf_shows_the_conference_the_ballot_result_and_the_proposals(
    year, block_head, client_for
):
    close_vote(year)

    response = client_for(block_head).get(url("block_minutes_pdf", year))

    assert response.status_code == 200
    text = pdf_text(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert box.height > box.width  # portrait
    assert "BIÊN BẢN" in text
    assert "Số: 05/BB-" in text
    assert "Hà Nội, ngày 28 tháng 12 năm 2024" in text
    assert "Thời gian: ngày 28/12/2024." in text
    assert "Hội trường tầng 3, 10 Tôn Thất Thuyết" in text
    assert "Đại diện Vụ Tổ chức cán bộ;" in text
    assert "4 đơn vị thành viên có quyền bỏ phiếu; 3 đơn vị đã bỏ phiếu" in text
    assert "1 Viện Chiến lược 1 95,00 1/4 25,0 Không đạt" in text
    assert "2 Vụ Pháp chế 2 85,00 3/4 75,0 Được suy tôn" in text
    assert "Đề nghị tặng Cờ thi đua của Bộ: Vụ Pháp chế (3 phiếu)." in text
    assert "Đề nghị tặng Bằng khen của Bộ trưởng: Viện Chiến lược (1 phiếu)." in text
    assert "Thống nhất tổ chức hội nghị năm sau tại Viện Chiến lược." in text
    assert "Chủ trì: Lê Văn Khối, đại diện Viện Chiến lược (đơn vị Khối trưởng)." in text
    assert "Thư ký: Phạm Thị Thư." in text
    assert "1 Viện Chiến lược 95,00 Xuất sắc" in text
    assert "- =1+1 - - Chưa bắt đầu tự đánh giá." in text
    # The signatures close the document (a page number may follow).
    assert re.search(r"THƯ KÝ Phạm Thị Thư CHỦ TRÌ Lê Văn Khối( \d+)?$", text)


def test_minutes_xlsx_holds_the_ballot_result_and_the_proposals(year, officer, client_for):
    close_vote(year)

    response = client_for(officer).get(url("block_minutes_xlsx", year))

    assert response.status_code == 200
    votes = sheet_rows(response.content, "Kết quả bỏ phiếu")
    assert votes[1:] == [
        (1, "Viện Chiến lược", 1, 95, 1, 25, "Không đạt"),
        (2, "Vụ Pháp chế", 2, 85, 3, 75, "Được suy tôn"),
    ]
    proposals = sheet_rows(response.content, "Đề nghị khen thưởng")
    assert proposals[1:] == [
        (1, "Vụ Pháp chế", "Cờ thi đua của Bộ", 3, 2),
        (2, "Viện Chiến lược", "Bằng khen của Bộ trưởng", 1, 1),
    ]
    fields = dict(sheet_rows(response.content, "Biên bản")[1:])
    assert fields["Ngày họp"] == "28/12/2024"
    assert fields["Thư ký"] == "Phạm Thị Thư"
    assert fields["Số đơn vị đã bỏ phiếu"] == 3
    ranking = sheet_rows(response.content, "Xếp hạng")
    assert ranking[-1][:2] == (None, "=1+1")


@pytest.mark.parametrize("name", ["block_minutes_pdf", "block_minutes_xlsx"])
def test_no_minutes_and_no_counts_before_the_vote_is_closed(year, block_head, client_for, name):
    close_vote(year, state=AcclamationState.OPEN)

    response = client_for(block_head).get(url(name, year))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "chưa kết thúc" in body
    assert "Được suy tôn" not in body
    assert "Không đạt" not in body


def test_no_minutes_without_an_acclamation(year, block_head, client_for):
    assert client_for(block_head).get(url("block_minutes_pdf", year)).status_code == 404


def test_a_get_writes_nothing(year, block_head, client_for, django_assert_max_num_queries):
    close_vote(year)
    client = client_for(block_head)
    for name in DOCUMENTS:
        with django_assert_max_num_queries(40) as captured:
            client.get(url(name, year))
        writes = [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
            and "django_session" not in q["sql"]
        ]
        assert writes == []


# --- who may download them -------------------------------------------------------


ALLOWED = {
    "anonymous": 302,
    "head_a": 404,  # a member unit
    "head_b": 404,  # the head of another block
    "member_d": 404,  # a plain member of the deputy unit
    "block_head": 200,
    "deputy": 200,
    "officer": 200,
    "council": 200,
    "leader": 200,
}


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize(("who", "status"), ALLOWED.items())
def test_permissions(year, cast, client_for, name, who, status):
    close_vote(year)
    people = {
        **cast,
        "deputy": year["deputy"],
        "member_d": MembershipFactory(unit=year["unit_d"], role=Role.MEMBER).user,
    }

    response = client_for(people[who]).get(url(name, year))

    assert response.status_code == status


def test_the_head_of_another_block_gets_its_own_not_this_one(year, head_b, client_for):
    client = client_for(head_b)
    assert client.get(url("block_scoring_pdf", year, group=year["other"])).status_code == 200
    assert client.get(url("block_scoring_pdf", year)).status_code == 404


def test_a_period_of_another_year_is_404(year, block_head, client_for):
    period = PeriodFactory(campaign=CampaignFactory(year=2025), kind=PeriodKind.YEAR_END)
    response = client_for(block_head).get(
        reverse("reports:block_scoring_pdf", args=[period.pk, year["group"].pk])
    )
    assert response.status_code == 404


# --- what they cost ----------------------------------------------------------------


def _grow(year, members: int) -> None:
    c11, c12, c2 = year["criteria"]
    for index in range(members):
        unit = UnitFactory(order=200 + index)
        GroupMembershipFactory(group=year["group"], unit=unit)
        send(year["period"], unit, {c11: D(40), c12: D(20), c2: D(5)}, block={c11: D(39)})


# Session, user, the block, the period, the standings (block_standings' own), the
# head's name; the minutes add the acclamation, its candidates, proposals and voters.
QUERIES = {
    "block_scoring_pdf": 14,
    "block_scoring_xlsx": 14,
    "block_minutes_pdf": 17,
    "block_minutes_xlsx": 17,
}


@pytest.mark.parametrize("members", [3, 30])
@pytest.mark.parametrize("name", DOCUMENTS)
def test_query_count_does_not_grow_with_the_block(
    year, block_head, client_for, django_assert_num_queries, members, name
):
    close_vote(year)
    _grow(year, members)
    client = client_for(block_head)

    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url(name, year))

    assert response.status_code == 200
    if name.endswith("xlsx"):  # the header, the block's 4 members and the new ones
        assert len(sheet_rows(response.content, "Xếp hạng")) == 1 + 4 + members
    else:
        assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2
    if name == "block_scoring_pdf":  # every new member is a row of the matrix
        text = pdf_text(response.content)
        assert text.count("39 (40) 20 5 64") == members


def test_group_title_puts_the_kind_first_when_the_name_lacks_it(year):
    group = year["group"]
    group.name = "số 7"
    assert block_documents.group_title(group) == "Khối thi đua số 7"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_documents_are_vietnamese_whatever_the_reader_language(
    year, block_head, client_for, english, name
):
    close_vote(year)

    response = client_for(block_head).get(url(name, year))

    if name.endswith("pdf"):
        text = pdf_text(response.content)
    else:
        book = load_workbook(io.BytesIO(response.content))
        text = " ".join(
            str(value)
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    assert "Chưa bắt đầu tự đánh giá." in text
    assert "Did not start" not in text
    if name.startswith("block_scoring"):
        assert "Nộp muộn" in text
        assert "Gửi chậm 3 ngày" in text
        assert "Late submission" not in text
    else:
        assert "Cờ thi đua của Bộ" in text
        assert "Ministry Emulation Flag" not in text


def test_a_block_where_no_one_sent_has_a_table_of_why(year, block_head, client_for):
    Submission.objects.filter(period=year["period"]).update(state=S.DRAFT)

    response = client_for(block_head).get(url("block_scoring_pdf", year))

    text = pdf_text(response.content)
    assert "Chưa có đơn vị nào gửi bản tự đánh giá." in text
    assert "Vụ Pháp chế: Chưa gửi bản tự đánh giá." in text


def test_many_criteria_split_into_matrices_of_even_widths_the_total_closing_the_last(
    year, block_head, client_for
):
    campaign = year["period"].campaign
    for index in range(22):  # 3 + 22 = 25 leaves: two matrices of 13 and 12
        CriterionFactory(
            campaign=campaign, code=f"3.{index + 1}", max_points=D(2), order=10 + index
        )
    CriterionFactory(
        campaign=campaign,
        code="9",
        text="Vi phạm kỷ luật",
        kind=CriterionKind.PENALTY,
        max_points=D(5),
        order=99,
    )

    day = dt.date(2024, 12, 28)
    table = block_documents.scoring_table(year["group"], year["period"], today=day)
    parts = table.matrices
    assert [len(p["columns"]) for p in parts] == [13, 13]
    assert [p["last"] for p in parts] == [False, True]
    assert [m.unit.name for m, _cells in parts[0]["rows"]] == ["Viện Chiến lược", "Vụ Pháp chế"]

    text = pdf_text(client_for(block_head).get(url("block_scoring_pdf", year)).content)
    assert text.count("Hạng Đơn vị") == 1 + 2  # the ranking, then two matrices
    assert "9 trừ 5 Cộng" in text  # the penalty's column closes the last matrix
    assert "9 Vi phạm kỷ luật (trừ tối đa 5)" in text
