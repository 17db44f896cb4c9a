"""units.mail: who is emailed about a unit and about the officers' work, and the one
sender (its subject prefixed with the site's name)."""

import pytest
from django.core import mail

from units.enums import Role
from units.mail import officer_recipients, send, unit_recipients

from ..factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_unit_recipients_are_the_units_active_managers_with_an_address():
    unit, other = UnitFactory(), UnitFactory()
    MembershipFactory(unit=unit, role=Role.HEAD, user__email="head@example.vn")
    MembershipFactory(unit=unit, role=Role.DEPUTY, user__email="deputy@example.vn")
    MembershipFactory(unit=unit, role=Role.OFFICER, user__email="officer@example.vn")
    MembershipFactory(unit=unit, role=Role.MEMBER, user__email="member@example.vn")
    MembershipFactory(unit=unit, role=Role.HEAD, user__email="")
    MembershipFactory(
        unit=unit, role=Role.HEAD, user__email="gone@example.vn", user__is_active=False
    )
    MembershipFactory(unit=other, role=Role.HEAD, user__email="other@example.vn")

    assert unit_recipients(unit.pk) == [
        "deputy@example.vn",
        "head@example.vn",
        "officer@example.vn",
    ]


def test_officer_recipients_are_the_active_emulation_officers_with_an_address():
    UserFactory(email="b@example.vn", is_emulation_officer=True)
    UserFactory(email="a@example.vn", is_emulation_officer=True)
    UserFactory(email="", is_emulation_officer=True)
    UserFactory(email="gone@example.vn", is_emulation_officer=True, is_active=False)
    UserFactory(email="head@example.vn")

    assert officer_recipients() == ["a@example.vn", "b@example.vn"]


def test_send_prefixes_the_site_name_and_sends_nothing_without_recipients(settings):
    settings.SITE_NAME = "Thi đua Bộ"

    assert send("reports/email/ready", [], {"report": None, "link": "x"}) == 0
    assert mail.outbox == []

    assert send("campaigns/email/accepted", ["a@example.vn"], {"link": "http://x/1"}) == 1
    [message] = mail.outbox
    assert message.subject.startswith("[Thi đua Bộ] ")
    assert message.to == ["a@example.vn"]
    assert "http://x/1" in message.body
