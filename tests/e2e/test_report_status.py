"""A report page keeps its status up to date by polling; when the session ends, the
bar says the page is no longer kept up to date, not that a change was lost."""

import pytest
from django.urls import reverse

from reports.enums import ReportKind, ReportStatus
from reports.models import Report

from ..campaigns.sheet import make_sheet
from ..factories import UnitFactory, UserFactory
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "secret-pass-123"


def test_polling_after_the_session_ends_says_the_page_is_stale(live_server, new_page):
    from playwright.sync_api import expect

    officer = UserFactory(username="tccb", is_emulation_officer=True)
    sheet = make_sheet([UnitFactory(name="Vụ Pháp chế")])
    report = Report.objects.create(
        campaign=sheet.period.campaign,
        period=sheet.period,
        kind=ReportKind(sheet.period.kind),
        status=ReportStatus.QUEUED,
    )
    page = new_page()
    log_in(page, live_server, officer.username, PASSWORD)
    page.goto(live_server.url + reverse("reports:detail", kwargs={"pk": report.pk}))
    alert = page.locator("#connection-alert")
    expect(page.locator("#report-status")).to_be_visible()
    expect(alert).to_be_hidden()

    page.context.clear_cookies(name="sessionid")

    expect(alert).to_be_visible(timeout=10_000)
    expect(alert).to_contain_text("không còn được cập nhật")
    expect(alert).not_to_contain_text("chưa được lưu")
    expect(alert.locator("[data-login]")).to_be_visible()
