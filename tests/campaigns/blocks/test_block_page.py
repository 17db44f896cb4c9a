"""The block's page for a period, the list of blocks, the override form and the home
page's entry: what they show, who sees them, their query counts, and that a GET
writes nothing."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import AcclamationState, AdjustmentKind
from campaigns.models import Acclamation, AdjustmentOverride, Voter
from tests.factories import GroupMembershipFactory, UnitFactory

from .page_data import send, year_fixture  # noqa: F401 — the fixture "year"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
NOW = timezone.make_aware(dt.datetime(2024, 12, 28, 15))
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _page(y):
    return reverse("campaigns:block", args=[y.period.pk, y.block.pk])


def _override_url(sheet, kind=AdjustmentKind.LATE):
    return reverse("campaigns:adjustment_override", args=[sheet.pk, kind])


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_shows_progress_ranking_adjustments_and_the_unranked_last(year, client_for):
    y = year
    response = client_for(y.block_head).get(_page(y))

    assert response.status_code == 200
    text = _text(response)
    html = response.content.decode()
    # Progress: A and E submitted, C scored, D a draft; 2 + 2 + 2 criteria of 6 scored.
    for key, count in [("not_started", 0), ("draft", 1), ("returned", 0), ("submitted", 2)]:
        assert re.search(rf'data-testid="count-{key}"><strong>{count}</strong>', html), key
    assert re.search(r'data-testid="count-scored"><strong>1</strong>', html)
    assert "Criteria scored by the block: 2 of 6." in text
    # The tie-break is stated above the table; the ranking in order, D last with why.
    assert html.index('data-testid="tie-break"') < html.index('data-testid="ranking"')
    assert "by fewer penalty points, then more criteria at full marks" in text
    ranking = html[html.index('data-testid="ranking"') :]
    positions = [ranking.index(u.name) for u in (y.unit_a, y.unit_e, y.unit_c, y.unit_d)]
    assert positions == sorted(positions)
    assert "Did not send its self-assessment." in text
    assert "Sent 3 day(s) after the due date 20/12/2024" in text
    assert "23/12/2024" in text
    # The other block's member is nowhere.
    assert y.unit_f.name not in text
    # The chart: one bar per ranked unit, the longest the first.
    assert html.count('<li class="bars__row">') == 3
    assert '<rect x="0" y="0" width="100.0"' in html
    assert "No acclamation vote yet." in text


def test_an_override_shows_its_reason_next_to_the_points(year, client_for):
    y = year
    client = client_for(y.block_head)
    response = client.post(
        _override_url(y.sheet_e), {"points": "-0,5", "reason": "Mất điện ngày hạn nộp"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{_page(y)}#adjust-{y.sheet_e.pk}"
    row = AdjustmentOverride.objects.get()
    assert (row.submission, row.points, row.automatic_points) == (y.sheet_e, D("-0.5"), D(-3))
    text = _text(client.get(_page(y)))
    assert "Late submission: -0.5" in text
    assert "Changed from -3 by" in text
    assert "Mất điện ngày hạn nộp" in text
    assert "The adjustment of VMT was saved." in text


def test_a_refused_override_keeps_what_was_typed_and_says_why(year, client_for):
    y = year
    response = client_for(y.block_head).post(
        _override_url(y.sheet_e), {"points": "5", "reason": "Lý do đã gõ"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Points off for lateness are 0 or negative (e.g. -3)." in html
    form = html[html.index(f'data-testid="override-{y.sheet_e.pk}-late"') :]
    form = form[: form.index("</form>")]
    assert 'value="5"' in form
    assert "Lý do đã gõ</textarea>" in form
    assert f'<details class="adjust" id="adjust-{y.sheet_e.pk}" open>' in html
    assert not AdjustmentOverride.objects.exists()


def test_an_unknown_kind_is_404(year, client_for):
    y = year
    response = client_for(y.block_head).post(_override_url(y.sheet_e, "bonus"), {"points": "1"})
    assert response.status_code == 404


def test_after_the_acclamation_closes_the_forms_are_gone_and_its_state_shown(year, client_for):
    y = year
    Acclamation.objects.create(
        group=y.block,
        period=y.period,
        state=AcclamationState.CLOSED,
        voter_count=4,
        opened_at=NOW,
        closed_at=NOW,
    )
    client = client_for(y.block_head)
    html = client.get(_page(y)).content.decode()
    assert "Closed on 28/12/2024." in html
    assert 'class="adjust__form"' not in html.replace("adjust__form {", "")
    response = client.post(_override_url(y.sheet_e), {"points": "-1", "reason": "r"})
    assert response.status_code == 400
    assert "The block&#x27;s acclamation is closed" in response.content.decode()


def test_a_vote_under_way_shows_how_many_units_voted(year, client_for):
    y = year
    acclamation = Acclamation.objects.create(
        group=y.block, period=y.period, voter_count=4, opened_at=NOW
    )
    Voter.objects.create(acclamation=acclamation, unit=y.unit_a)
    # The other block's vote must not be counted.
    other = Acclamation.objects.create(group=y.other, period=y.period, voter_count=2, opened_at=NOW)
    Voter.objects.create(acclamation=other, unit=y.unit_f)
    text = _text(client_for(y.block_head).get(_page(y)))
    assert "Voting: 1 of 4 units voted." in text


# Who sees the page, who may override A's late penalty (E's sheet, scored by the head).
MATRIX = [
    # role, block page, override of E's sheet
    ("block_head", 200, 302),
    ("deputy", 200, 404),
    ("head_a", 404, 404),
    ("head_b", 404, 404),
    ("officer", 200, 302),
    ("council", 200, 404),
    ("leader", 200, 403),
    ("anonymous", 302, 302),
]


def _user(y, cast, role):
    return getattr(y, role, None) if role in ("deputy",) else cast[role]


@pytest.mark.parametrize(("role", "page", "override"), MATRIX)
def test_permission_matrix(year, cast, client_for, role, page, override):
    y = year
    client = client_for(_user(y, cast, role))

    response = client.get(_page(y))
    assert response.status_code == page
    if page == 302:
        assert response["Location"].startswith(reverse("login"))
    response = client.post(_override_url(y.sheet_e), {"points": "-1", "reason": "Lý do"})
    assert response.status_code == override
    written = AdjustmentOverride.objects.filter(submission=y.sheet_e).count()
    assert written == (1 if override == 302 and role != "anonymous" else 0)


def test_the_head_of_another_block_cannot_touch_this_one_nor_its_own_from_here(year, client_for):
    y = year
    client = client_for(y.head_b)
    assert client.get(reverse("campaigns:block", args=[y.period.pk, y.other.pk])).status_code == 200
    assert client.get(_page(y)).status_code == 404
    assert client.post(_override_url(y.sheet_a), {"points": "-1", "reason": "r"}).status_code == 404
    assert not AdjustmentOverride.objects.exists()


def test_the_deputy_adjusts_the_head_units_sheet(year, client_for):
    y = year
    response = client_for(y.deputy).post(
        _override_url(y.sheet_c), {"points": "-1", "reason": "Phó khối chấm khối trưởng"}
    )
    assert response.status_code == 302
    assert AdjustmentOverride.objects.get().submission == y.sheet_c


def test_the_head_sees_no_form_for_its_own_units_sheet(year, client_for):
    y = year
    html = client_for(y.block_head).get(_page(y)).content.decode()
    assert f'id="adjust-{y.sheet_e.pk}"' in html
    assert f'id="adjust-{y.sheet_c.pk}"' not in html


def test_a_period_of_a_movement_the_user_does_not_see_is_404(year, client_for):
    y = year
    y.campaign.participants.remove(y.unit_c)
    assert client_for(y.block_head).get(_page(y)).status_code == 404


def test_the_list_shows_the_blocks_the_user_may_view_with_their_progress(year, client_for, officer):
    y = year
    url = reverse("campaigns:blocks", args=[y.period.pk])

    html = client_for(officer).get(url).content.decode()
    assert html.count('data-testid="group-row"') == 2
    row = html[html.index(y.block.name) :]
    row = row[: row.index("</tr>")]
    assert re.findall(r'data-testid="(\w+)">(\d+)<', row) == [
        ("not_started", "0"),
        ("draft", "1"),
        ("returned", "0"),
        ("submitted", "2"),
        ("scored", "1"),
    ]

    html = client_for(y.block_head).get(url).content.decode()
    assert html.count('data-testid="group-row"') == 1
    assert y.block.name in html
    assert y.other.name not in html

    html = client_for(y.head_a).get(url).content.decode()
    assert 'data-testid="group-row"' not in html


def test_the_home_page_tells_the_block_head_how_many_sheets_to_score(year, client_for):
    y = year
    html = client_for(y.block_head).get(reverse("home")).content.decode()
    section = html[html.index('data-testid="block-years"') :]
    section = section[: section.index("</section>")]
    assert _page(y) in section
    # A and E sent, not scored yet; C is the head unit's own (the deputy scores it).
    assert "2 sheets to score" in section

    html = client_for(y.deputy).get(reverse("home")).content.decode()
    section = html[html.index('data-testid="block-years"') :]
    assert "0 sheets to score" in section[: section.index("</section>")]

    html = client_for(y.head_a).get(reverse("home")).content.decode()
    assert 'data-testid="block-years"' not in html


def _grow(y, size: int):
    """The block with `size` members more, each with a sent, late sheet and an
    override, so every per-member part of the page has rows."""
    for number in range(size):
        unit = UnitFactory(name=f"Đơn vị {number}")
        GroupMembershipFactory(group=y.block, unit=unit)
        y.campaign.participants.add(unit)
        sheet = send(y.period, unit, {y.c1: D(30 + number % 20), y.c2: D(20)}, day=22)
        AdjustmentOverride.objects.create(
            submission=sheet,
            kind=AdjustmentKind.LATE,
            points=D(0),
            automatic_points=D(-2),
            reason="r",
            by=y.block_head,
        )


@pytest.mark.parametrize("size", [3, 30])
def test_the_block_page_query_count_does_not_grow_with_the_block(
    year, client_for, django_assert_num_queries, size
):
    y = year
    _grow(y, size)
    Acclamation.objects.create(group=y.block, period=y.period, voter_count=4, opened_at=NOW)
    client = client_for(y.block_head)
    with django_assert_num_queries(17):
        response = client.get(_page(y))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="ranked-row"') == 3 + size


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_and_home_query_counts_do_not_grow(
    year, client_for, officer, django_assert_num_queries, size
):
    y = year
    _grow(y, size)
    client = client_for(officer)
    with django_assert_num_queries(8):
        client.get(reverse("campaigns:blocks", args=[y.period.pk]))
    client = client_for(y.block_head)
    with django_assert_num_queries(16):
        client.get(reverse("home"))


@pytest.mark.parametrize("role", ["block_head", "officer", "deputy"])
def test_a_get_writes_nothing(year, cast, client_for, role):
    y = year
    client = client_for(_user(y, cast, role))
    for url in (_page(y), reverse("campaigns:blocks", args=[y.period.pk]), reverse("home")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert [q["sql"] for q in queries if WRITE.match(q["sql"])] == []


def test_the_page_reads_in_vietnamese(year, client_for, settings):
    settings.LANGUAGE_CODE = "vi"
    from django.utils import translation

    with translation.override("vi"):
        text = _text(client_for(year.block_head).get(_page(year)))
    assert "Xếp hạng" in text
    assert "nếu bằng tổng điểm thì đơn vị có ít điểm trừ hơn xếp trên" in text
    assert "Gửi chậm 3 ngày so với hạn 20/12/2024" in text
    assert "Chưa gửi bản tự đánh giá." in text


def test_back_to_the_automatic_points_is_one_more_row_with_its_reason(year, client_for):
    y = year
    client = client_for(y.block_head)
    client.post(_override_url(y.sheet_e), {"points": "0", "reason": "Lý do 1"})
    html = client.get(_page(y)).content.decode()
    assert 'name="action" value="automatic"' in html

    response = client.post(
        _override_url(y.sheet_e), {"action": "automatic", "points": "", "reason": "Nhập nhầm"}
    )

    assert response.status_code == 302
    rows = list(AdjustmentOverride.objects.order_by("id").values_list("points", "reason"))
    assert rows == [(D(0), "Lý do 1"), (D(-3), "Nhập nhầm")]
    assert "Late submission: -3" in _text(client.get(_page(y)))


def test_the_chart_bars_are_widths_of_the_largest_total():
    from campaigns.blocks.chart import total_bars

    bars = total_bars(
        [("A", D(95), "Xuất sắc"), ("B", D("47.5"), "Khá"), ("C", D(-3), ""), ("D", None, "")]
    )

    assert [(b.label, b.value, b.width, b.band) for b in bars] == [
        ("A", D(95), "100.0", "Xuất sắc"),
        ("B", D("47.5"), "50.0", "Khá"),
        ("C", D(-3), "0.0", ""),
    ]
    assert total_bars([]) == []
    assert [b.width for b in total_bars([("A", D(50), "")], scale=D(200))] == ["25.0"]
