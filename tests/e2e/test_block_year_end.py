"""A block's year-end in the browser, in Vietnamese: the block head scores a member's
sent sheet, overrides its late penalty with a reason and opens the acclamation; two
member heads vote; the head closes the vote and the conference minutes (PDF, read back
with pypdf) show the ballot result and the proposal."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import AdjustmentKind
from campaigns.models import Acclamation, AdjustmentOverride, Ballot, Proposal, Voter
from campaigns.sheets import answers, workflow
from units.enums import GroupKind, Role

from ..campaigns.sheet import fill, make_sheet
from ..factories import (
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    UnitFactory,
)
from .conftest import log_in
from .test_self_assessment import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def block_year():
    """A block headed by Viện Chiến lược with two members, Vụ Pháp chế and Cục Viễn
    thám, whose year-end sheets (55 + 40 + 2 = 97) were sent three days late."""
    from campaigns.data.titles import load_titles
    from campaigns.models import Title

    load_titles(Title)  # a transactional test starts without the migration's catalogue
    year = timezone.localdate().year
    head_unit = UnitFactory(name="Viện Chiến lược", short_name="VCL", order=1)
    unit_a = UnitFactory(name="Vụ Pháp chế", short_name="VPC", order=2)
    unit_b = UnitFactory(name="Cục Viễn thám", short_name="CVT", order=3)
    head = MembershipFactory(unit=head_unit, role=Role.HEAD, user__username="truong.khoi").user
    head_a = MembershipFactory(unit=unit_a, role=Role.HEAD, user__username="truong.vpc").user
    head_b = MembershipFactory(unit=unit_b, role=Role.HEAD, user__username="truong.cvt").user
    sheet = make_sheet([head_unit, unit_a, unit_b], opens=-20, due=-3, closes=20, year=year)
    block = EmulationGroupFactory(
        kind=GroupKind.BLOCK, year=year, head_unit=head_unit, name="Khối thi đua số I"
    )
    for unit in (head_unit, unit_a, unit_b):
        GroupMembershipFactory(group=block, unit=unit)
    sheets = {}
    for unit, user in ((unit_a, head_a), (unit_b, head_b)):
        submission = answers.open_submission(sheet.period, unit)
        fill(submission, sheet, user)
        workflow.submit(submission, by=user, now=timezone.now())
        sheets[unit.pk] = submission
    return {
        "block": block,
        "sheet": sheet,
        "head": head,
        "voters": (head_a, head_b),
        "a": sheets[unit_a.pk],
        "b": sheets[unit_b.pk],
    }


def test_a_block_head_runs_the_year_end_of_the_block(live_server, new_page, block_year):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    world = block_year
    block, sheet, period = world["block"], world["sheet"], world["sheet"].period
    page = new_page()
    log_in(page, live_server, world["head"].username, PASSWORD)

    # 1. Score unit A's sheet: one criterion lower, the rest confirmed as the unit's own.
    page.goto(live_server.url + reverse("campaigns:block_scoring", args=[world["a"].pk]))
    total = page.get_by_test_id("block-total")
    page.locator(f"#block-score-{sheet.scored.pk}").click()
    page.keyboard.type("50")
    page.locator(f"#block-comment-{sheet.scored.pk}").click()  # leaving the field saves it
    expect(total).to_have_text("92")  # 50 + the unit's own 40 + 2 where the block gave none
    page.get_by_test_id("confirm-remaining").get_by_role("button").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("2 tiêu chí")
    world["a"].refresh_from_db()
    assert world["a"].block_scored_count == 3

    # 2. The block's page: unit A is 3 days late (−3); the head halves it, with a reason.
    block_url = live_server.url + reverse("campaigns:block", args=[period.pk, block.pk])
    page.goto(block_url)
    page.locator(f"#adjust-{world['a'].pk} summary").click()  # the unit's adjustments unfold
    form = page.get_by_test_id(f"override-{world['a'].pk}-{AdjustmentKind.LATE}")
    form.locator("input[name=points]").fill("-1,5")
    form.locator("textarea[name=reason]").fill("Đơn vị có văn bản xin gửi chậm trước hạn")
    form.get_by_role("button", name="Lưu khoản điều chỉnh").click()
    expect(page.get_by_test_id("ranking")).to_contain_text("Đơn vị có văn bản xin gửi chậm")
    # Unit B, not scored by the block (its own 97, −3 late = 94), ranks above A (90.5).
    ranking = page.get_by_test_id("ranked-row")
    expect(ranking.first).to_contain_text("Cục Viễn thám")
    expect(ranking.nth(1)).to_contain_text("90,5")
    override = AdjustmentOverride.objects.get(submission=world["a"])
    assert str(override.points) == "-1.50"

    # 3. Open the vote with the ranking's top units (ticked by default).
    acclamation_url = live_server.url + reverse("campaigns:acclamation", args=[period.pk, block.pk])
    page.goto(acclamation_url)
    page.get_by_test_id("open-form").get_by_role("button").click()
    expect(page.get_by_test_id("acclamation-state")).to_contain_text("0")
    vote = Acclamation.objects.get(group=block, period=period)
    leader = vote.candidates.order_by("order").first()

    # 4. Two member heads vote, each in their own browser, for the leader.
    for voter in world["voters"]:
        member = new_page(width=390, height=844)
        log_in(member, live_server, voter.username, PASSWORD)
        member.goto(acclamation_url)
        ballot = member.get_by_test_id("ballot-form")
        ballot.locator(f"input[name=candidate][value='{leader.pk}']").check()
        ballot.get_by_role("button").click()
        expect(member.get_by_test_id("voted")).to_be_visible()
        # Before the close the page shows who voted, never the counts.
        expect(member.get_by_test_id("result")).to_have_count(0)
    assert Voter.objects.filter(acclamation=vote).count() == 2
    assert Ballot.objects.filter(acclamation=vote).count() == 2

    # 5. The head closes the vote; the proposal is the leader, for the Ministry flag.
    page.goto(acclamation_url)
    close = page.get_by_test_id("close-form")
    close.locator("#close-confirm").check()
    close.get_by_role("button").click()
    expect(page.get_by_test_id("result")).to_be_visible()
    proposal = Proposal.objects.get(acclamation=vote)
    assert proposal.unit == leader.unit
    assert proposal.votes == 2

    # 6. The minutes, as the head downloads them.
    response = page.request.get(
        live_server.url + reverse("reports:block_minutes_pdf", args=[period.pk, block.pk])
    )
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    text = re.sub(r"\s+", " ", text)
    assert "BIÊN BẢN" in text
    assert leader.unit.name in text
    assert "Cờ thi đua của Bộ" in text
    assert re.search(r"2\s*/\s*3", text), text  # 2 votes of the 3 member units
