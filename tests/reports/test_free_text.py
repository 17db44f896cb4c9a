"""The report's narrative (strengths, limitations, next tasks) and the signer's
name: NUL refused with a message and nothing saved, invisible controls removed and
said, at most 20,000 characters a text (exactly 20,000 taken)."""

import pytest
from django.urls import reverse

from reports.models import Report
from units.forms import NARRATIVE_MAX_LENGTH

from .test_views import _done, small_movement  # noqa: F401 — the movement fixture

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "Nội dung có chứa ký tự rỗng"


@pytest.fixture
def report(small_movement):  # noqa: F811 — the imported fixture
    return _done(small_movement)


def _narrative(client, report, **values):
    data = {"strengths": "Mạnh", "limitations": "Hạn chế", "next_tasks": "Nhiệm vụ", **values}
    return client.post(reverse("reports:narrative", kwargs={"pk": report.pk}), data, follow=True)


@pytest.mark.parametrize("field", ["strengths", "limitations", "next_tasks"])
def test_nul_in_the_narrative_is_refused_and_nothing_saved(client_for, officer, report, field):
    response = _narrative(client_for(officer), report, **{field: "Văn bản\x00"})

    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    assert "Văn bản\x00</textarea>" in response.text  # what was typed, kept
    stored = Report.objects.get(pk=report.pk)
    assert (stored.strengths, stored.limitations, stored.next_tasks) == ("", "", "")


def test_narrative_limit_and_controls(client_for, officer, report):
    client = client_for(officer)

    response = _narrative(client, report, strengths="x" * (NARRATIVE_MAX_LENGTH + 1))
    assert response.status_code == 400
    assert "Nội dung quá dài" in response.text
    assert Report.objects.get(pk=report.pk).strengths == ""

    response = _narrative(client, report, strengths="\u202e\u200b" + "x" * NARRATIVE_MAX_LENGTH)
    assert response.status_code == 200
    assert "Đã xóa các ký tự điều khiển ẩn" in response.text
    assert Report.objects.get(pk=report.pk).strengths == "x" * NARRATIVE_MAX_LENGTH


def test_nul_in_the_signer_name_is_refused(client_for, officer, report):
    response = client_for(officer).post(
        reverse("reports:finalise", kwargs={"pk": report.pk}),
        {"number": "125", "issued_on": "05/02/2025", "signer_name": "Nguyễn\x00"},
    )

    assert response.status_code == 400
    assert NUL_MESSAGE in response.text
    assert Report.objects.get(pk=report.pk).is_final is False
