"""Block scoring in the browser: the block head types a member's block score and the
running block total follows without a reload; a bad score is refused beside the
field with what was typed kept; the page reads on a phone."""

import pytest
from django.urls import reverse
from django.utils import timezone

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
def block_data():
    """Unit A's sent sheet (55 + 40 + 2) in the block headed by unit C."""
    unit = UnitFactory(name="Vụ Pháp chế", short_name="VPC")
    head_unit = UnitFactory(name="Viện Chiến lược", short_name="VCL")
    head = MembershipFactory(unit=unit, role=Role.HEAD, user__username="truong.vu").user
    scorer = MembershipFactory(unit=head_unit, role=Role.HEAD, user__username="truong.khoi").user
    sheet = make_sheet([unit, head_unit], year=timezone.localdate().year)
    block = EmulationGroupFactory(
        kind=GroupKind.BLOCK, year=timezone.localdate().year, head_unit=head_unit
    )
    GroupMembershipFactory(group=block, unit=unit)
    GroupMembershipFactory(group=block, unit=head_unit)
    submission = answers.open_submission(sheet.period, unit)
    fill(submission, sheet, head)
    workflow.submit(submission, by=head, now=timezone.now())
    return scorer, sheet, submission


def test_typing_a_block_score_moves_the_block_total(live_server, new_page, block_data):
    from playwright.sync_api import expect

    scorer, sheet, submission = block_data
    page = new_page(width=390, height=844)
    log_in(page, live_server, scorer.username, PASSWORD)
    page.goto(live_server.url + reverse("campaigns:block_scoring", args=[submission.pk]))
    total = page.get_by_test_id("block-total")
    expect(total).to_have_text("—")

    page.locator(f"#block-score-{sheet.scored.pk}").click()
    page.keyboard.type("50")
    expect(total).to_have_text("92")  # 50 + 40 + 2

    field = page.locator(f"#block-score-{sheet.bonus.pk}")
    field.click()
    page.keyboard.type("99")
    status = page.locator(f"#block-status-{sheet.bonus.pk}")
    expect(status).to_contain_text("Chưa lưu")
    expect(field).to_have_value("99")
    expect(total).to_have_text("92")
    # The page fits a phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
