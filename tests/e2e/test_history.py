"""The history of changes fits the page at 1280 px, long narratives included."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AnswerChange
from campaigns.sheets import answers, workflow
from units.enums import Role

from ..campaigns.sheet import PDF, answer_for, fill, make_sheet
from ..factories import MembershipFactory, UnitFactory, UserFactory
from .conftest import log_in
from .test_self_assessment import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LONG = "Đơn vị đã triển khai đầy đủ kế hoạch công tác năm, " * 40
UNBROKEN = "https://vanban.example.vn/" + "a" * 300  # a link with no space to break at


def test_the_history_page_fits_1280_pixels(live_server, new_page):
    unit = UnitFactory(name="Vụ Pháp chế", short_name="VPC")
    head = MembershipFactory(unit=unit, role=Role.HEAD, user__username="truong.vu").user
    officer = UserFactory(username="tccb", is_emulation_officer=True)
    sheet = make_sheet([unit])
    submission = answers.open_submission(sheet.period, unit)
    fill(submission, sheet, head)
    answer = answer_for(submission, sheet.scored)
    for text in (LONG, UNBROKEN):
        answer = answers.save_answer(
            answer, by=head, now=timezone.now(), expected_version=answer.version, narrative=text
        )
    answers.attach_evidence(
        answer,
        SimpleUploadedFile("bao-cao-" + "x" * 120 + ".pdf", PDF),
        by=head,
        now=timezone.now(),
    )
    workflow.submit(submission, by=head, now=timezone.now())
    page = new_page(width=1280)
    log_in(page, live_server, officer.username, PASSWORD)

    page.goto(live_server.url + reverse("campaigns:submission_history", args=[submission.pk]))

    widths = page.evaluate(
        """() => {
            const wrap = document.querySelector('[data-testid=history]').parentElement;
            return {
                page: document.documentElement.scrollWidth,
                window: window.innerWidth,
                table: wrap.scrollWidth,
                wrap: wrap.clientWidth,
            };
        }"""
    )
    assert widths["page"] <= widths["window"] == 1280
    assert widths["table"] <= widths["wrap"]
    rows = page.get_by_test_id("history").locator("tbody tr")
    assert rows.count() == AnswerChange.objects.filter(answer__submission=submission).count()
