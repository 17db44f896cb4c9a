import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError
from pypdf import PdfReader

from campaigns.enums import CampaignStatus
from reports import builder, services
from reports.enums import ReportStatus
from reports.models import NOT_TAKEN_AFTER, STALLED_AFTER, Report
from reports.tasks import task_build_report, task_daily_reports
from tests.factories import UserFactory

from .conftest import is_stalled, read, report_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_user(db):
    return UserFactory(username="officer", is_emulation_officer=True)


def _pdf_text(report) -> str:
    return " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(read(report.pdf))).pages
        ).split()
    )


def test_request_report_queues_the_build_only_after_commit(
    movement, officer_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.request_report(
            movement.campaign, movement.period, movement.period.kind, by=officer_user
        )
        assert report.status == ReportStatus.QUEUED

    assert len(callbacks) == 1
    callbacks[0]()
    report.refresh_from_db()
    assert (report.status, report.progress, report.requested_by, report.attempts) == (
        ReportStatus.DONE,
        100,
        officer_user,
        1,
    )
    assert report.started_at <= report.finished_at


def test_request_report_refuses_a_period_of_another_movement(movement, six_monthly):
    with pytest.raises(services.ReportError):
        services.request_report(
            movement.campaign, six_monthly.period, six_monthly.period.kind, by=None
        )


def test_duplicate_delivery_builds_once(movement):
    report = report_for(movement)
    delivery = {"report_id": report.pk, "attempt": report.task_id}
    task_build_report.apply(kwargs=delivery)
    report.refresh_from_db()
    first = (report.pdf.name, report.pdf_sha256, report.finished_at)

    second = task_build_report.apply(kwargs=delivery).get()

    report.refresh_from_db()
    assert second == "finished"
    assert (report.pdf.name, report.pdf_sha256, report.finished_at) == first
    assert (report.status, report.attempts) == (ReportStatus.DONE, 1)


def test_delivery_while_another_worker_builds_does_nothing(movement):
    now = timezone.now()
    report = report_for(movement, status=ReportStatus.RUNNING, started_at=now, heartbeat_at=now)

    outcome = builder.run_build(report.pk, report.task_id)

    report.refresh_from_db()
    assert (outcome, report.status, report.pdf.name, report.attempts) == (
        "busy",
        ReportStatus.RUNNING,
        "",
        0,
    )


def test_redelivery_of_a_build_whose_worker_died_claims_it_again_and_completes(movement):
    # The broker hands the message back (visibility timeout) before the tick ran.
    died_at = timezone.now() - STALLED_AFTER - dt.timedelta(seconds=1)
    report = report_for(
        movement,
        status=ReportStatus.RUNNING,
        started_at=died_at,
        heartbeat_at=died_at,
        progress=40,
        attempts=1,
    )

    result = task_build_report.apply(
        kwargs={"report_id": report.pk, "attempt": report.task_id}
    ).get()

    report.refresh_from_db()
    assert (result, report.status, report.progress, report.attempts) == (
        "built",
        ReportStatus.DONE,
        100,
        2,
    )


def test_failed_build_keeps_its_error_and_never_stays_running(movement, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    settings.MEDIA_ROOT = str(blocked)
    report = report_for(movement)

    result = task_build_report.apply(
        kwargs={"report_id": report.pk, "attempt": report.task_id}
    ).get()

    report.refresh_from_db()
    assert (result, report.status, report.step) == ("failed", ReportStatus.FAILED, "")
    assert report.error.startswith(("NotADirectoryError", "FileExistsError"))
    assert report.finished_at is not None


def test_failed_build_can_be_started_again(
    movement, officer_user, django_capture_on_commit_callbacks
):
    report = report_for(movement, status=ReportStatus.FAILED, error="Boom")

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_report(report, by=officer_user)

    report.refresh_from_db()
    assert (report.status, report.error) == (ReportStatus.DONE, "")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ReportStatus.QUEUED, "queue_error": "OperationalError: refused"},
        {
            "status": ReportStatus.QUEUED,
            "queued_at_ago": NOT_TAKEN_AFTER + dt.timedelta(minutes=1),
        },
        {"status": ReportStatus.RUNNING, "started_at_ago": STALLED_AFTER * 2},
    ],
    ids=["queue-was-down", "no-worker-took-it", "worker-died"],
)
def test_stalled_build_can_be_queued_again_by_hand(
    movement, officer_user, django_capture_on_commit_callbacks, fields
):
    now = timezone.now()
    fields = dict(fields)
    if "queued_at_ago" in fields:
        fields["queued_at"] = now - fields.pop("queued_at_ago")
    if "started_at_ago" in fields:
        fields["started_at"] = now - fields.pop("started_at_ago")
    report = report_for(movement, **fields)
    assert is_stalled(report) is True

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_report(report, by=officer_user)

    report.refresh_from_db()
    assert (report.status, report.queue_error, is_stalled(report)) == (ReportStatus.DONE, "", False)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ReportStatus.QUEUED},
        {
            "status": ReportStatus.QUEUED,
            "queued_at_ago": NOT_TAKEN_AFTER - dt.timedelta(minutes=1),
        },
        {"status": ReportStatus.RUNNING, "started_at_ago": dt.timedelta(minutes=1)},
        {"status": ReportStatus.DONE},
    ],
    ids=["just-queued", "queued-behind-other-builds", "running-normally", "done"],
)
def test_a_build_that_is_not_stalled_is_not_queued_again(movement, officer_user, fields):
    fields = dict(fields)
    if "queued_at_ago" in fields:
        fields["queued_at"] = timezone.now() - fields.pop("queued_at_ago")
    if "started_at_ago" in fields:
        fields["started_at"] = timezone.now() - fields.pop("started_at_ago")
    report = report_for(movement, **fields)

    with pytest.raises(services.ReportError):
        services.retry_report(report, by=officer_user)

    assert is_stalled(report) is False
    assert Report.objects.get().status == fields["status"]


def test_unreachable_broker_leaves_the_report_queued_with_a_note(
    movement, officer_user, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task_build_report, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            movement.campaign, movement.period, movement.period.kind, by=officer_user
        )

    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED
    assert report.queue_error == (
        "OperationalError: Error 111 connecting to 127.0.0.1:6379. Connection refused."
    )


def test_queueing_a_dead_workers_build_again_records_an_unreachable_broker(
    movement, officer_user, monkeypatch, django_capture_on_commit_callbacks
):
    report = report_for(
        movement,
        status=ReportStatus.RUNNING,
        started_at=timezone.now() - STALLED_AFTER * 2,
    )

    def broker_down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task_build_report, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_report(report, by=officer_user)

    report.refresh_from_db()
    assert (report.status, report.progress) == (ReportStatus.QUEUED, 0)
    assert report.queue_error.startswith("OperationalError: Error 111")
    assert is_stalled(report) is True  # the tick queues it again once the queue is back


def test_daily_task_builds_reports_of_periods_past_due_and_tells_the_officers(
    movement, six_monthly, officer_user, django_capture_on_commit_callbacks
):
    six_monthly.campaign.status = CampaignStatus.DRAFT
    six_monthly.campaign.save()

    with django_capture_on_commit_callbacks(execute=True):
        result = task_daily_reports.apply().get()

    report = Report.objects.get()
    assert result == {"created": 1, "requeued": 0}
    assert (report.period, report.status, report.automatic, report.requested_by) == (
        movement.period,
        ReportStatus.DONE,
        True,
        None,
    )
    assert [m.to for m in mail.outbox] == [[officer_user.email]]
    assert "Tổng kết năm" in mail.outbox[0].body or "report" in mail.outbox[0].body


def test_ready_email_goes_once_not_again_for_the_officers_text_or_finalising(
    movement, officer_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task_daily_reports.apply().get()
    report = Report.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        services.save_narrative(
            report, strengths="A", limitations="B", next_tasks="C", by=officer_user
        )
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.finalise(
            report, number="7", issued_on=dt.date(2025, 1, 8), signer_name="", by=officer_user
        )

    report.refresh_from_db()
    assert (report.status, report.is_final) == (ReportStatus.DONE, True)
    assert [m.to for m in mail.outbox] == [[officer_user.email]]


def test_daily_task_skips_periods_not_yet_due_or_already_reported(
    movement, django_capture_on_commit_callbacks
):
    report_for(movement, status=ReportStatus.DONE)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.build_due_reports(today=movement.period.due_on)
        second = services.build_due_reports(today=dt.date(2030, 1, 1))

    assert (first, second) == ({"created": 0, "requeued": 0}, {"created": 0, "requeued": 0})
    assert Report.objects.count() == 1


def test_tick_queues_again_reports_that_waited_too_long(
    movement, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - NOT_TAKEN_AFTER - dt.timedelta(minutes=1)
    waiting = report_for(movement, queued_at=long_ago)
    recent = report_for(movement, queued_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        count = services.requeue_stalled(now=timezone.now())

    waiting.refresh_from_db()
    recent.refresh_from_db()
    assert count == 1
    assert (waiting.status, waiting.queue_error) == (ReportStatus.DONE, "")
    assert recent.status == ReportStatus.QUEUED


def test_narrative_is_rendered_into_the_pdf(
    movement, officer_user, django_capture_on_commit_callbacks
):
    report = report_for(movement)
    builder.run_build(report.pk, report.task_id)
    report.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.save_narrative(
            report,
            strengths="Các đơn vị hưởng ứng tích cực.",
            limitations="Một số đơn vị nộp muộn.",
            next_tasks="Đôn đốc các đơn vị chưa nộp.",
            by=officer_user,
        )

    report.refresh_from_db()
    text = _pdf_text(report)
    assert report.status == ReportStatus.DONE
    assert "1. Ưu điểm Các đơn vị hưởng ứng tích cực." in text
    assert "2. Hạn chế và nguyên nhân Một số đơn vị nộp muộn." in text
    assert "Đôn đốc các đơn vị chưa nộp." in text


def test_finalised_report_carries_its_number_and_no_longer_changes(
    movement, officer_user, django_capture_on_commit_callbacks
):
    report = report_for(movement, strengths="A", limitations="B", next_tasks="C")
    builder.run_build(report.pk, report.task_id)
    report.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.finalise(
            report, number="15", issued_on=dt.date(2025, 1, 8), signer_name="", by=officer_user
        )

    report.refresh_from_db()
    assert (report.status, report.is_final, report.finalised_by) == (
        ReportStatus.DONE,
        True,
        officer_user,
    )
    assert "Số: 15/BC-TCCB" in _pdf_text(report)
    assert "Hà Nội, ngày 08 tháng 01 năm 2025" in _pdf_text(report)
    with pytest.raises(services.ReportError):
        services.save_narrative(report, strengths="X", limitations="Y", next_tasks="Z", by=None)
    with pytest.raises(services.ReportError):
        services.finalise(
            report, number="16", issued_on=dt.date(2025, 1, 9), signer_name="", by=officer_user
        )


def test_finalise_needs_the_narrative(movement, officer_user):
    report = report_for(movement, status=ReportStatus.DONE)

    with translation.override("en"), pytest.raises(services.ReportError, match="before finalising"):
        services.finalise(
            report, number="1", issued_on=dt.date(2025, 1, 8), signer_name="", by=officer_user
        )


def test_queueing_again_clears_the_old_queue_error_before_a_worker_takes_it(
    movement, monkeypatch, django_capture_on_commit_callbacks
):
    waiting = report_for(movement, queue_error="queue down")
    old_attempt = waiting.task_id
    sent = []
    monkeypatch.setattr(task_build_report, "apply_async", lambda **kwargs: sent.append(kwargs))

    with django_capture_on_commit_callbacks(execute=True):
        services.requeue_stalled(now=timezone.now())

    waiting.refresh_from_db()
    assert waiting.task_id != old_attempt
    assert sent == [
        {
            "kwargs": {"report_id": waiting.pk, "attempt": waiting.task_id},
            "task_id": waiting.task_id,
        }
    ]
    assert (waiting.status, waiting.queue_error) == (ReportStatus.QUEUED, "")


# Links in the ready email (units.links) ----------------------------------------------


def test_ready_email_of_a_build_queued_by_a_request_links_where_the_request_came_from(
    movement, officer, client_for, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    failed = report_for(movement, status=ReportStatus.FAILED, automatic=True, error="boom")

    # The build runs after the request has ended: it has only the address handed to it.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(officer).post(
            reverse("reports:retry", kwargs={"pk": failed.pk}), HTTP_HOST="127.0.0.1:8101"
        )

    detail = reverse("reports:detail", kwargs={"pk": failed.pk})
    assert Report.objects.get().status == ReportStatus.DONE
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert f"http://127.0.0.1:8101{detail}\n" in mail.outbox[0].body


def test_build_task_links_its_email_with_the_address_it_was_handed(
    movement, officer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    report = report_for(movement, automatic=True)

    with django_capture_on_commit_callbacks(execute=True):
        task_build_report.apply(
            kwargs={
                "report_id": report.pk,
                "attempt": report.task_id,
                "base_url": "http://10.1.2.3:8101",
            }
        ).get()

    detail = reverse("reports:detail", kwargs={"pk": report.pk})
    assert f"http://10.1.2.3:8101{detail}\n" in mail.outbox[0].body


def test_scheduled_build_links_with_the_setting(
    movement, officer, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://thidua.example.gov.vn"

    with django_capture_on_commit_callbacks(execute=True):
        task_daily_reports.apply().get()

    detail = reverse("reports:detail", kwargs={"pk": Report.objects.get().pk})
    assert f"https://thidua.example.gov.vn{detail}\n" in mail.outbox[0].body
