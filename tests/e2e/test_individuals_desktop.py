"""The individual assessment table on a 1280 px screen: the leader criteria (a
Có/Không select for yes/no ones) and the Save button fit without scrolling sideways."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import CriterionKind, PeriodKind, Subject
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
def leader_table():
    """A unit's year-end table with a leader scored on twelve criteria, as the demo's."""
    today = timezone.localdate()
    unit = UnitFactory(name="Vụ Tổ chức cán bộ", short_name="TCCB")
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
    for number in range(1, 11):
        CriterionFactory(
            campaign=campaign,
            subject=Subject.LEADER,
            code=f"1.{number}",
            text="Lãnh đạo, chỉ đạo cơ quan, đơn vị hoàn thành xuất sắc kế hoạch công tác năm",
            max_points=Decimal("10"),
        )
    yes_no = CriterionFactory(
        campaign=campaign,
        subject=Subject.LEADER,
        code="6.1",
        kind=CriterionKind.YES_NO,
        text="Tập thể do cá nhân trực tiếp lãnh đạo đạt danh hiệu 'Tập thể lao động xuất sắc'",
        max_points=Decimal("15"),
    )
    leader = PersonFactory(
        unit=unit,
        full_name="Nguyễn Thị Phương Thảo",
        position="Phó Vụ trưởng phụ trách",
        is_leader=True,
    )
    PersonFactory(unit=unit, full_name="Trần Văn Bình")
    return unit, head, period, leader, yes_no


def test_leader_columns_and_save_fit_1280_and_yes_no_is_a_select(
    live_server, new_page, leader_table
):
    from playwright.sync_api import expect

    unit, head, period, leader, yes_no = leader_table
    page = new_page(width=1280, height=900)
    log_in(page, live_server, head.username, PASSWORD)
    page.goto(live_server.url + reverse("campaigns:individuals", args=[period.pk, unit.pk]))
    row = page.locator(f"#person-{leader.pk}")
    row.locator("details.ind-scores summary").click()

    select = row.locator(f"select#id_p{leader.pk}-score_{yes_no.pk}")
    options = select.locator("option").all_inner_texts()
    wrap = page.evaluate(
        "() => { const w = document.querySelector('.ind-wrap');"
        " return [w.scrollWidth, w.clientWidth, document.documentElement.scrollWidth]; }"
    )
    save = row.locator("button[type=submit]")
    box = save.bounding_box()

    assert options == ["—", "Có", "Không"]
    assert wrap[0] <= wrap[1], f"the table overflows its container: {wrap}"
    assert wrap[2] <= 1280
    expect(save).to_be_in_viewport()
    assert box["x"] + box["width"] <= 1280

    select.select_option(label="Có")
    save.click()
    expect(page.locator(f"#person-{leader.pk} [data-testid=saved]")).to_be_visible()
    saved = IndividualAssessment.objects.get(person=leader)
    assert saved.leader_scores == {str(yes_no.pk): "15.00"}
    expect(page.locator(f"select#id_p{leader.pk}-score_{yes_no.pk}")).to_have_value("15.00")
