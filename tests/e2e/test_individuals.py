"""A unit's individual assessments in a real browser, on a 390 px phone screen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import PeriodKind, Subject
from campaigns.models import IndividualAssessment
from units.enums import Role

from ..factories import (
    CampaignFactory,
    CriterionFactory,
    MembershipFactory,
    PeriodFactory,
    PersonFactory,
    UnitFactory,
)
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "secret-pass-123"


@pytest.fixture
def unit_people():
    today = timezone.localdate()
    unit = UnitFactory(name="Vụ Pháp chế", short_name="VPC")
    head = MembershipFactory(unit=unit, role=Role.HEAD, user__username="truong.vu").user
    campaign = CampaignFactory()
    campaign.participants.add(unit)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=today - dt.timedelta(days=5),
        due_on=today,
        closes_on=today + dt.timedelta(days=5),
    )
    CriterionFactory(campaign=campaign, subject=Subject.LEADER, code="1", max_points=Decimal("10"))
    leader = PersonFactory(unit=unit, full_name="Vũ Trưởng Phòng", is_leader=True)
    staff = PersonFactory(unit=unit, full_name="Nguyễn An")
    return unit, head, period, leader, staff


def test_rows_save_one_by_one_on_a_phone(live_server, new_page, unit_people):
    from playwright.sync_api import expect

    unit, head, period, leader, staff = unit_people
    page = new_page(width=390, height=844)
    log_in(page, live_server, head.username, PASSWORD)
    page.goto(live_server.url + reverse("campaigns:individuals", args=[period.pk, unit.pk]))

    # The page never scrolls sideways: the table scrolls inside its wrapper.
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth,"
        " document.querySelector('.ind-wrap').scrollWidth]"
    )
    assert widths[0] <= 390
    assert widths[1] > 390

    row = page.locator(f"#person-{staff.pk}")
    row.locator(f"#id_p{staff.pk}-grade").select_option("good")
    row.locator(f"#id_p{staff.pk}-months_worked").fill("13")
    row.locator("button[type=submit]").click()
    expect(page.locator(f"#person-{staff.pk} .field__error")).to_have_count(1)
    assert IndividualAssessment.objects.count() == 0

    page.locator(f"#id_p{staff.pk}-months_worked").fill("11")
    page.locator(f"#person-{staff.pk} button[type=submit]").click()
    expect(page.locator(f"#person-{staff.pk} [data-testid=saved]")).to_be_visible()
    saved = IndividualAssessment.objects.get(person=staff)
    assert (saved.grade, saved.months_worked, saved.version) == ("good", 11, 1)

    # Someone else saves the leader's row meanwhile: this save is refused, values kept.
    IndividualAssessment.objects.create(period=period, person=leader, grade="completed")
    page.locator(f"#id_p{leader.pk}-notes").fill("Ghi chú tôi vừa gõ")
    page.locator(f"#person-{leader.pk} button[type=submit]").click()
    expect(page.locator(f"#person-{leader.pk} [data-testid=stale]")).to_be_visible()
    expect(page.locator(f"#id_p{leader.pk}-notes")).to_have_value("Ghi chú tôi vừa gõ")
    assert IndividualAssessment.objects.get(person=leader).notes == ""


def test_registration_fits_a_phone(live_server, new_page, unit_people):
    from playwright.sync_api import expect

    unit, head, period, leader, staff = unit_people
    page = new_page(width=390, height=844)
    log_in(page, live_server, head.username, PASSWORD)
    url = reverse("campaigns:registration", args=[period.campaign.pk, unit.pk])

    page.goto(live_server.url + url)
    page_width = page.evaluate("() => document.documentElement.scrollWidth")
    page.fill("#id_commitments", "Hoàn thành xuất sắc nhiệm vụ")
    page.locator("form.reg-form button[type=submit]").click()
    expect(page.locator(".message--success")).to_be_visible()

    assert page_width <= 390
    assert unit.registrations.get().commitments == "Hoàn thành xuất sắc nhiệm vụ"
