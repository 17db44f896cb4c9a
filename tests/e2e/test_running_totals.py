"""The running figures follow what is typed, without a reload: on the unit's sheet the
total and the "answered X of N criteria" counter, on the review page the reviewed
total (the reviewer's score where given, else the unit's)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.sheets import answers, workflow
from units.enums import Role

from ..campaigns.sheet import fill, make_sheet
from ..factories import MembershipFactory, UnitFactory, UserFactory
from .conftest import log_in
from .test_self_assessment import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loop_data():
    """A unit, its head, an officer and the unit's sheet (1.1 of 60 points with
    evidence, 1.2 yes/no of 40, bonus 2 of 10)."""
    unit = UnitFactory(name="Vụ Pháp chế", short_name="VPC")
    head = MembershipFactory(unit=unit, role=Role.HEAD, user__username="truong.vu").user
    officer = UserFactory(username="tccb", is_emulation_officer=True)
    return unit, head, officer, make_sheet([unit])


def test_typing_a_score_moves_the_answered_counter_without_a_reload(
    live_server, new_page, loop_data
):
    from playwright.sync_api import expect

    unit, head, _officer, sheet = loop_data
    submission = answers.open_submission(sheet.period, unit)
    page = new_page()
    log_in(page, live_server, head.username, PASSWORD)
    page.goto(live_server.url + reverse("campaigns:submission_detail", args=[submission.pk]))
    counter = page.get_by_test_id("answered-counter")
    expect(counter).to_have_text("Đã chấm 0/3 tiêu chí")

    page.locator(f"#score-{sheet.scored.pk}").click()
    page.keyboard.type("45")

    expect(page.locator("#running-total")).to_have_text("45")
    expect(counter).to_have_text("Đã chấm 1/3 tiêu chí")
    page.locator(f"#score-{sheet.bonus.pk}").click()
    page.keyboard.type("2")
    expect(page.locator("#running-total")).to_have_text("47")
    expect(counter).to_have_text("Đã chấm 2/3 tiêu chí")


def test_saving_a_reviewer_score_moves_the_reviewed_total_without_a_reload(
    live_server, new_page, loop_data
):
    from playwright.sync_api import expect

    unit, head, officer, sheet = loop_data
    submission = answers.open_submission(sheet.period, unit)
    fill(submission, sheet, head)  # 55 + 40 + 2
    workflow.submit(submission, by=head, now=timezone.now())
    page = new_page()
    log_in(page, live_server, officer.username, PASSWORD)
    page.goto(live_server.url + reverse("campaigns:review", args=[submission.pk]))
    total = page.get_by_test_id("reviewed-total")
    expect(total).to_have_text("97")

    page.locator(f"#reviewer-score-{sheet.scored.pk}").click()
    page.keyboard.type("50")

    expect(total).to_have_text("92")
    page.locator(f"#reviewer-score-{sheet.yes_no.pk}").click()
    page.keyboard.type("0")
    expect(total).to_have_text("52")
