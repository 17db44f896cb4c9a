"""Links in emails start with THIDUA_SITE_URL when it is set, else with the address the
request came in on (make run on port 8101 links to :8101), else, outside any request,
with the development default (units.links)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.sheets import reminders

from .sheet import fill

pytestmark = pytest.mark.django_db

PORT_8101 = {"HTTP_HOST": "127.0.0.1:8101"}


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def _remind_b(client_for, officer, sheet, unit_b):
    client_for(officer).post(
        reverse("campaigns:remind", args=[sheet.period.pk]), {"unit": [unit_b.pk]}, **PORT_8101
    )


def test_without_the_setting_links_use_the_address_the_request_came_in_on(
    settings, client_for, officer, sheet, unit_b, head_b
):
    settings.SITE_URL = ""

    _remind_b(client_for, officer, sheet, unit_b)

    [message] = mail.outbox
    my_sheet = reverse("campaigns:my_submission", kwargs={"period_pk": sheet.period.pk})
    assert _links(message) == [f"http://127.0.0.1:8101{my_sheet}"]


def test_the_setting_wins_over_the_requests_address(
    settings, client_for, officer, sheet, unit_b, head_b
):
    settings.SITE_URL = "https://thidua.example.gov.vn"

    _remind_b(client_for, officer, sheet, unit_b)

    my_sheet = reverse("campaigns:my_submission", kwargs={"period_pk": sheet.period.pk})
    assert _links(mail.outbox[0]) == [f"https://thidua.example.gov.vn{my_sheet}"]


def test_outside_a_request_without_the_setting_links_use_the_default(
    settings, sheet, unit_b, head_b
):
    settings.SITE_URL = ""

    reminders.send_due_reminders(sheet.period.due_on - dt.timedelta(days=1))

    [message] = mail.outbox
    assert _links(message)[0].startswith("http://127.0.0.1:8000/")


def test_password_reset_link_uses_the_address_the_request_came_in_on(settings, client, head_a):
    settings.SITE_URL = ""

    client.post(reverse("password_reset"), {"email": head_a.email}, **PORT_8101)

    [link] = _links(mail.outbox[0])
    assert link.startswith("http://127.0.0.1:8101/accounts/reset/")


@pytest.mark.django_db(transaction=True)
def test_workflow_emails_sent_on_commit_link_where_the_request_came_from(
    settings, client_for, head_a, submission_a, sheet
):
    # With real commits the workflow's emails go out at the commit, while the request
    # is still being answered.
    settings.SITE_URL = ""
    fill(submission_a, sheet, head_a)

    client_for(head_a).post(
        reverse("campaigns:submission_submit", args=[submission_a.pk]), **PORT_8101
    )

    [message] = mail.outbox
    detail = reverse("campaigns:submission_detail", kwargs={"pk": submission_a.pk})
    assert _links(message) == [f"http://127.0.0.1:8101{detail}"]
