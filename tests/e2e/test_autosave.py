"""Nothing typed is lost: the self-assessment and the review save as they are typed,
say the state of each answer, wait for pending saves before a step, and ask before
leaving with a change not saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import SubmissionState
from campaigns.models import Answer, Submission
from campaigns.sheets import answers, workflow
from units.enums import Role

from ..campaigns.sheet import answer_for, fill, make_sheet
from ..factories import MembershipFactory, UnitFactory, UserFactory
from .conftest import log_in
from .test_self_assessment import PASSWORD
from .test_self_assessment import _head_on_the_sheet as fresh_sheet

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loop_data():
    """As in test_self_assessment: a unit, its head, an officer and the unit's sheet."""
    unit = UnitFactory(name="Vụ Pháp chế", short_name="VPC")
    head = MembershipFactory(unit=unit, role=Role.HEAD, user__username="truong.vu").user
    officer = UserFactory(username="tccb", is_emulation_officer=True)
    return unit, head, officer, make_sheet([unit])


def _head_on_the_sheet(live_server, new_page, loop_data):
    """The unit head logged in on a self-assessment the unit has already started (its
    answer rows exist, as after a first save), and that self-assessment."""
    unit, head, _officer, sheet = loop_data
    submission = answers.open_submission(sheet.period, unit)
    page = new_page()
    log_in(page, live_server, head.username, PASSWORD)
    page.goto(live_server.url + reverse("campaigns:submission_detail", args=[submission.pk]))
    return page, submission


BEFOREUNLOAD_ARMED = """() => {
  const event = new Event("beforeunload", {cancelable: true});
  window.dispatchEvent(event);
  return event.defaultPrevented;
}"""


def test_on_a_sheet_never_saved_a_score_and_a_narrative_are_there_after_a_reload(
    live_server, new_page, loop_data
):
    """Opening the sheet made nothing: the score typed first makes the self-assessment
    and its answer, the narrative typed next is saved on that answer's version."""
    from playwright.sync_api import expect

    unit, _head, _officer, sheet = loop_data
    page = fresh_sheet(live_server, new_page, loop_data)
    page.on("dialog", lambda dialog: dialog.accept())
    row = sheet.scored.pk

    page.locator(f"#score-{row}").click()
    page.keyboard.type("42,5")
    page.locator(f"#narrative-{row}").click()
    page.keyboard.type("Hoàn thành kế hoạch năm")
    page.wait_for_timeout(1000)
    page.reload()

    expect(page.locator(f"#score-{row}")).to_have_value("42,5")
    expect(page.locator(f"#narrative-{row}")).to_have_value("Hoàn thành kế hoạch năm")
    answer = Answer.objects.get(submission__unit=unit, criterion=sheet.scored)
    assert (str(answer.self_score), answer.narrative) == ("42.50", "Hoàn thành kế hoạch năm")


def test_a_score_and_a_narrative_typed_are_there_after_a_reload_one_second_later(
    live_server, new_page, loop_data
):
    from playwright.sync_api import expect

    sheet = loop_data[3]
    page, submission = _head_on_the_sheet(live_server, new_page, loop_data)
    page.on("dialog", lambda dialog: dialog.accept())
    answer = Answer.objects.get(submission=submission, criterion=sheet.scored)
    score, narrative = (
        page.locator(f"#score-{answer.criterion_id}"),
        page.locator(f"#narrative-{answer.criterion_id}"),
    )

    # Typed without ever leaving the field, then the page reloaded a second later.
    score.click()
    page.keyboard.type("42,5")
    narrative.click()
    page.keyboard.type("Hoàn thành kế hoạch năm")
    page.wait_for_timeout(1000)
    page.reload()

    expect(page.locator(f"#score-{answer.criterion_id}")).to_have_value("42,5")
    expect(page.locator(f"#narrative-{answer.criterion_id}")).to_have_value(
        "Hoàn thành kế hoạch năm"
    )
    expect(page.locator("#running-total")).to_have_text("42,5")
    answer.refresh_from_db()
    assert str(answer.self_score) == "42.50"
    assert answer.narrative == "Hoàn thành kế hoạch năm"


def test_a_change_typed_just_before_leaving_is_saved_on_the_way_out(
    live_server, new_page, loop_data
):
    sheet = loop_data[3]
    page, submission = _head_on_the_sheet(live_server, new_page, loop_data)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    answer = Answer.objects.get(submission=submission, criterion=sheet.scored)

    # Reloaded at once, before the 500 ms pause after typing sent anything: leaving
    # asks first, then the page sends the change in a request that outlives it.
    page.locator(f"#narrative-{answer.criterion_id}").click()
    page.keyboard.type("Rời trang ngay")
    page.reload()

    for _ in range(50):
        answer.refresh_from_db()
        if answer.narrative:
            break
        page.wait_for_timeout(100)
    assert answer.narrative == "Rời trang ngay"
    assert dialogs == ["beforeunload"]


def test_a_refused_score_says_not_saved_and_why_and_leaving_asks_first(
    live_server, new_page, loop_data
):
    from playwright.sync_api import expect

    sheet = loop_data[3]
    page, submission = _head_on_the_sheet(live_server, new_page, loop_data)
    answer = Answer.objects.get(submission=submission, criterion=sheet.scored)
    status = page.locator(f"#status-{answer.criterion_id}")
    assert page.evaluate(BEFOREUNLOAD_ARMED) is False

    page.locator(f"#score-{answer.criterion_id}").fill("75")

    expect(status).to_contain_text("Chưa lưu")
    expect(status).to_contain_text("60")  # the maximum, in the server's message
    expect(page.locator(f"#score-{answer.criterion_id}")).to_have_value("75")
    assert page.evaluate(BEFOREUNLOAD_ARMED) is True
    answer.refresh_from_db()
    assert answer.self_score is None

    # Corrected, it saves and leaving no longer asks.
    page.locator(f"#score-{answer.criterion_id}").fill("50")
    expect(status).to_contain_text("Đã lưu")
    assert page.evaluate(BEFOREUNLOAD_ARMED) is False
    answer.refresh_from_db()
    assert answer.self_score == 50


def test_leaving_asks_while_a_save_is_on_its_way(live_server, new_page, loop_data):
    from playwright.sync_api import expect

    sheet = loop_data[3]
    page, submission = _head_on_the_sheet(live_server, new_page, loop_data)
    answer = Answer.objects.get(submission=submission, criterion=sheet.scored)
    save_url = reverse(
        "campaigns:criterion_answer_save",
        args=[submission.period_id, submission.unit_id, answer.criterion_id],
    )
    held = []
    page.route(f"**{save_url}", lambda route: held.append(route))

    page.locator(f"#narrative-{answer.criterion_id}").fill("Đang gõ dở")
    expect(page.locator(f"#status-{answer.criterion_id}")).to_contain_text("Đang lưu")
    assert page.evaluate(BEFOREUNLOAD_ARMED) is True
    page.wait_for_timeout(700)  # the debounce has sent it; the server has not answered
    assert held
    assert page.evaluate(BEFOREUNLOAD_ARMED) is True

    for route in held:
        route.continue_()
    expect(page.locator(f"#status-{answer.criterion_id}")).to_contain_text("Đã lưu")
    assert page.evaluate(BEFOREUNLOAD_ARMED) is False
    answer.refresh_from_db()
    assert answer.narrative == "Đang gõ dở"


def test_a_change_typed_just_before_submitting_is_saved_before_the_submission(
    live_server, new_page, loop_data
):
    unit, head, _officer, sheet = loop_data
    page, submission = _head_on_the_sheet(live_server, new_page, loop_data)
    fill(submission, sheet, head)
    page.reload()
    answer = answer_for(submission, sheet.scored)

    # Typed and "Submit for review" clicked at once, without leaving the field.
    page.locator(f"#score-{answer.criterion_id}").fill("51,5")
    submit_url = reverse("campaigns:submission_submit", args=[submission.pk])
    with page.expect_navigation():
        page.locator(f"form[action='{submit_url}'] button").click()

    submission = Submission.objects.get(unit=unit)
    assert submission.state == SubmissionState.SUBMITTED
    answer.refresh_from_db()
    assert str(answer.self_score) == "51.50"
    assert answer.updated_at <= submission.submitted_at
    assert str(submission.self_total) == "93.50"  # 51,5 + 40 + 2


def test_a_refused_change_stops_the_submission_until_corrected(live_server, new_page, loop_data):
    from playwright.sync_api import expect

    unit, head, _officer, sheet = loop_data
    page, submission = _head_on_the_sheet(live_server, new_page, loop_data)
    fill(submission, sheet, head)
    page.reload()
    answer = answer_for(submission, sheet.scored)

    page.locator(f"#score-{answer.criterion_id}").fill("99")
    submit_url = reverse("campaigns:submission_submit", args=[submission.pk])
    page.locator(f"form[action='{submit_url}'] button").click()

    expect(page.locator("[data-after-saves-error]")).to_be_visible()
    expect(page.locator(f"#status-{answer.criterion_id}")).to_contain_text("Chưa lưu")
    assert Submission.objects.get(unit=unit).state == SubmissionState.DRAFT


def test_the_reviewer_score_and_comment_save_as_typed(live_server, new_page, loop_data):
    from playwright.sync_api import expect

    unit, head, officer, sheet = loop_data
    submission = answers.open_submission(sheet.period, unit)
    fill(submission, sheet, head)
    workflow.submit(submission, by=head, now=timezone.now())
    answer = answer_for(submission, sheet.scored)
    page = new_page()
    log_in(page, live_server, officer.username, PASSWORD)
    page.goto(live_server.url + reverse("campaigns:review", args=[submission.pk]))
    page.on("dialog", lambda dialog: dialog.accept())

    page.locator(f"#reviewer-score-{answer.criterion_id}").click()
    page.keyboard.type("50")
    page.locator(f"#reviewer-comment-{answer.criterion_id}").click()
    page.keyboard.type("Thiếu quyết định")
    expect(page.locator(f"#reviewer-comment-{answer.criterion_id}-counter")).to_have_text(
        "16 / 5.000"
    )
    page.wait_for_timeout(1000)
    page.reload()

    expect(page.locator(f"#reviewer-score-{answer.criterion_id}")).to_have_value("50")
    expect(page.locator(f"#reviewer-comment-{answer.criterion_id}")).to_have_value(
        "Thiếu quyết định"
    )
    answer.refresh_from_db()
    assert answer.reviewer_score == 50
    assert answer.reviewer_comment == "Thiếu quyết định"


def test_a_conflict_shows_both_texts_and_saving_over_it_keeps_the_typed_one(
    live_server, new_page, loop_data
):
    from playwright.sync_api import expect

    _unit, head, _officer, sheet = loop_data
    page, submission = _head_on_the_sheet(live_server, new_page, loop_data)
    answer = Answer.objects.get(submission=submission, criterion=sheet.scored)
    # Someone else of the unit saves the answer after this page was opened.
    answers.save_answer(
        answer,
        by=head,
        expected_version=answer.version,
        narrative="Văn bản của người khác",
        now=timezone.now(),
    )
    status = page.locator(f"#status-{answer.criterion_id}")

    page.locator(f"#narrative-{answer.criterion_id}").fill("Văn bản của tôi")

    expect(status.locator("[data-testid=stale]")).to_contain_text("Văn bản của người khác")
    expect(status).to_contain_text("Chưa lưu")
    expect(page.locator(f"#narrative-{answer.criterion_id}")).to_have_value("Văn bản của tôi")
    assert page.evaluate(BEFOREUNLOAD_ARMED) is True
    answer.refresh_from_db()
    assert answer.narrative == "Văn bản của người khác"

    status.get_by_role("button").click()
    expect(status).to_contain_text("Đã lưu")
    assert page.evaluate(BEFOREUNLOAD_ARMED) is False
    answer.refresh_from_db()
    assert answer.narrative == "Văn bản của tôi"

    # The next change goes with the version that save returned.
    page.locator(f"#narrative-{answer.criterion_id}").fill("Văn bản của tôi, sửa lại")
    expect(status).to_contain_text("Đã lưu")
    answer.refresh_from_db()
    assert answer.narrative == "Văn bản của tôi, sửa lại"


def test_the_answer_says_why_a_save_failed_server_connection_or_session(
    live_server, new_page, loop_data
):
    from playwright.sync_api import expect

    sheet = loop_data[3]
    page, submission = _head_on_the_sheet(live_server, new_page, loop_data)
    answer = Answer.objects.get(submission=submission, criterion=sheet.scored)
    save_url = reverse(
        "campaigns:criterion_answer_save",
        args=[submission.period_id, submission.unit_id, answer.criterion_id],
    )
    status, narrative = (
        page.locator(f"#status-{answer.criterion_id}"),
        page.locator(f"#narrative-{answer.criterion_id}"),
    )

    page.route(f"**{save_url}", lambda route: route.fulfill(status=500, body="error"))
    narrative.fill("Lần một")
    expect(status).to_contain_text("Chưa lưu: lỗi máy chủ")
    page.unroute(f"**{save_url}")

    page.route(f"**{save_url}", lambda route: route.abort())
    narrative.fill("Lần hai")
    expect(status).to_contain_text("Chưa lưu: không kết nối được máy chủ")
    page.unroute(f"**{save_url}")

    page.context.clear_cookies(name="sessionid")
    narrative.fill("Lần ba")
    expect(status).to_contain_text("Chưa lưu: phiên đăng nhập đã hết hạn")
    expect(narrative).to_have_value("Lần ba")
    assert page.evaluate(BEFOREUNLOAD_ARMED) is True
    answer.refresh_from_db()
    assert answer.narrative == ""
