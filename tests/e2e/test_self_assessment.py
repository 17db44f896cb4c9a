"""The whole loop of a unit's self-assessment in a real browser."""

import struct

import pytest
from django.urls import reverse

from campaigns.enums import SubmissionState
from campaigns.models import Answer, Submission
from units.enums import Role

from ..campaigns.sheet import PDF, make_sheet
from ..factories import MembershipFactory, UnitFactory, UserFactory
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "secret-pass-123"


@pytest.fixture
def loop_data():
    unit = UnitFactory(name="Vụ Pháp chế", short_name="VPC")
    head = MembershipFactory(unit=unit, role=Role.HEAD, user__username="truong.vu").user
    officer = UserFactory(username="tccb", is_emulation_officer=True)
    sheet = make_sheet([unit])
    return unit, head, officer, sheet


def _head_on_the_sheet(live_server, new_page, loop_data):
    """The unit head logged in, on the unit's self-assessment, which opening did not
    make: the page, its rows addressed by criterion id."""
    unit, head, _officer, sheet = loop_data
    page = new_page()
    log_in(page, live_server, head.username, PASSWORD)
    page.goto(live_server.url + reverse("campaigns:my_submission", args=[sheet.period.pk]))
    assert not Submission.objects.filter(unit=unit).exists()
    return page


def _row_ids(sheet):
    """The sheet's rows are addressed by criterion id (an answer may not exist yet)."""
    return {c.code: c.pk for c in (sheet.scored, sheet.yes_no, sheet.bonus)}


def _state(unit) -> str:
    return Submission.objects.get(unit=unit).state


def test_unit_and_officer_complete_the_loop(live_server, new_page, loop_data):
    from playwright.sync_api import expect

    unit, head, officer, sheet = loop_data
    unit_page = new_page()
    log_in(unit_page, live_server, head.username, PASSWORD)

    # The unit head opens the self-assessment and answers every criterion.
    unit_page.goto(live_server.url + reverse("campaigns:my_submission", args=[sheet.period.pk]))
    ids = _row_ids(sheet)
    unit_page.fill(f"#score-{ids['1.1']}", "55")
    unit_page.fill(f"#narrative-{ids['1.1']}", "Hoàn thành 100% kế hoạch năm")
    unit_page.keyboard.press("Tab")
    expect(unit_page.locator("#running-total")).to_have_text("55")
    unit_page.select_option(f"#score-{ids['1.2']}", "40")
    expect(unit_page.locator("#running-total")).to_have_text("95")
    unit_page.set_input_files(
        f"#file-{ids['1.1']}",
        files=[{"name": "ke-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    unit_page.locator(f"#evidence-{ids['1.1']} form.evidence__upload button").click()
    expect(unit_page.locator(f"#evidence-{ids['1.1']}")).to_contain_text("ke-hoach.pdf")
    # The page was opened before the first save: it submits by unit and period.
    submission = Submission.objects.get(unit=unit)
    first_submit_url = reverse("campaigns:unit_submit", args=[sheet.period.pk, unit.pk])
    # The step waits for pending saves, then the page changes.
    with unit_page.expect_navigation():
        unit_page.locator(f"form[action='{first_submit_url}'] button").click()
    assert _state(unit) == SubmissionState.SUBMITTED

    # The officer returns it with a reason.
    officer_page = new_page()
    log_in(officer_page, live_server, officer.username, PASSWORD)
    officer_page.goto(live_server.url + reverse("campaigns:review", args=[submission.pk]))
    officer_page.fill("#reason", "Thiếu quyết định phê duyệt kế hoạch")
    return_url = reverse("campaigns:submission_return", args=[submission.pk])
    # The step waits for pending saves, then the page changes.
    with officer_page.expect_navigation():
        officer_page.locator(f"form[action='{return_url}'] button").click()
    assert _state(unit) == SubmissionState.RETURNED

    # The unit head sees the reason, revises and resubmits.
    unit_page.goto(live_server.url + reverse("campaigns:submission_detail", args=[submission.pk]))
    expect(unit_page.locator("[data-testid=return-reason]")).to_contain_text(
        "Thiếu quyết định phê duyệt kế hoạch"
    )
    unit_page.fill(f"#score-{ids['1.1']}", "58")
    unit_page.keyboard.press("Tab")
    expect(unit_page.locator("#running-total")).to_have_text("98")
    submit_url = reverse("campaigns:submission_submit", args=[submission.pk])
    # The step waits for pending saves, then the page changes.
    with unit_page.expect_navigation():
        unit_page.locator(f"form[action='{submit_url}'] button").click()
    assert _state(unit) == SubmissionState.SUBMITTED

    # The officer accepts; the timeline shows the four steps.
    officer_page.goto(live_server.url + reverse("campaigns:review", args=[submission.pk]))
    accept_url = reverse("campaigns:submission_accept", args=[submission.pk])
    # The step waits for pending saves, then the page changes.
    with officer_page.expect_navigation():
        officer_page.locator(f"form[action='{accept_url}'] button").click()
    assert _state(unit) == SubmissionState.ACCEPTED
    unit_page.goto(live_server.url + reverse("campaigns:submission_detail", args=[submission.pk]))
    expect(unit_page.locator("[data-testid=timeline] li")).to_have_count(4)
    assert Answer.objects.get(submission=submission, criterion=sheet.scored).self_score == 58


def test_self_assessment_fits_a_phone(live_server, new_page, loop_data, tmp_path):
    unit, head, _officer, sheet = loop_data
    page = new_page(width=390, height=844)
    log_in(page, live_server, head.username, PASSWORD)

    page.goto(live_server.url + reverse("campaigns:my_submission", args=[sheet.period.pk]))
    shot = tmp_path / "self-assessment-390.png"
    page.screenshot(path=str(shot), full_page=True)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    width = struct.unpack(">I", shot.read_bytes()[16:20])[0]
    assert overflow == 0
    assert width == 390
    assert page.locator("#running-total").is_visible()


def test_expired_session_keeps_the_text_and_saves_after_logging_in_again(
    live_server, new_page, loop_data
):
    from playwright.sync_api import expect

    unit, head, _officer, sheet = loop_data
    page = _head_on_the_sheet(live_server, new_page, loop_data)
    row = sheet.scored.pk
    narrative = page.locator(f"#narrative-{row}")

    # The session ends (expired, or logged out elsewhere) while the head is typing.
    page.context.clear_cookies(name="sessionid")
    narrative.fill("Báo cáo tổng kết đã gửi đúng hạn")
    narrative.press("Tab")

    alert = page.locator("#connection-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Phiên đăng nhập đã hết hạn")
    expect(narrative).to_have_value("Báo cáo tổng kết đã gửi đúng hạn")
    expect(page.locator(f"#status-{row}")).not_to_contain_text("Đăng nhập")
    assert not Answer.objects.exists()

    # Logging in again in another tab, then saving on this page, keeps the text.
    other = page.context.new_page()
    log_in(other, live_server, head.username, PASSWORD)
    other.close()
    page.locator(f"#answer-{row} form.answer-form button[type=submit]").click()
    expect(page.locator(f"#status-{row}")).to_contain_text("Đã lưu")
    expect(alert).to_be_hidden()
    answer = Answer.objects.get(submission__unit=unit, criterion=sheet.scored)
    assert answer.narrative == "Báo cáo tổng kết đã gửi đúng hạn"


def test_a_failed_save_stays_said_when_a_background_read_fails_too(
    live_server, new_page, loop_data
):
    from playwright.sync_api import expect

    unit, sheet = loop_data[0], loop_data[3]
    page = _head_on_the_sheet(live_server, new_page, loop_data)
    row = sheet.scored.pk
    save_url = reverse("campaigns:criterion_answer_save", args=[sheet.period.pk, unit.pk, row])
    total_url = reverse("campaigns:unit_total", args=[sheet.period.pk, unit.pk])
    alert = page.locator("#connection-alert")

    # The server fails the save, then the connection drops for a read of the total.
    page.route(f"**{save_url}", lambda route: route.fulfill(status=500, body="error"))
    page.fill(f"#narrative-{row}", "Đã hoàn thành kế hoạch")
    page.keyboard.press("Tab")
    expect(alert).to_contain_text("Không lưu được thay đổi vừa rồi")
    page.route(f"**{total_url}", lambda route: route.abort())
    page.evaluate(
        "url => { htmx.ajax('GET', url, {target: '#running-total', swap: 'innerHTML'})"
        ".catch(() => null); }",
        total_url,
    )
    page.wait_for_timeout(500)

    expect(alert).to_contain_text("Không lưu được thay đổi vừa rồi")
    expect(alert).not_to_contain_text("tải lại trang")

    # Saving once the server is back hides it, and the text was kept to be saved.
    page.unroute(f"**{save_url}")
    page.unroute(f"**{total_url}")
    page.locator(f"#answer-{row} form.answer-form button[type=submit]").click()
    expect(page.locator(f"#status-{row}")).to_contain_text("Đã lưu")
    expect(alert).to_be_hidden()
    answer = Answer.objects.get(submission__unit=unit, criterion=sheet.scored)
    assert answer.narrative == "Đã hoàn thành kế hoạch"
