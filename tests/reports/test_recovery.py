"""A build whose worker died, that no worker took, or that could not be queued is
stalled; it is shown so, can be queued again at once, and the every-minute tick
queues it again exactly once. Time is frozen (time-machine) where the rule
depends on it."""

import datetime as dt
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from emulation.celery import app
from reports import builder, services
from reports.enums import ReportStatus
from reports.models import (
    HEARTBEAT_EVERY,
    NOT_TAKEN_AFTER,
    STALLED_AFTER,
    Report,
)
from reports.tasks import task_build_report, task_requeue_stalled

from .conftest import is_stalled, make_movement, read, report_for

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2025, 1, 8, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MOMENT, tick=False)
    return MOMENT


@pytest.fixture
def small(db):
    return make_movement(3)


@pytest.fixture
def sent(monkeypatch):
    """What is handed to the queue, instead of running it."""
    calls = []
    monkeypatch.setattr(task_build_report, "apply_async", lambda **kwargs: calls.append(kwargs))
    return calls


def _stalled_running(movement, **fields):
    died = timezone.now() - STALLED_AFTER - SECOND
    fields = {"started_at": died, "heartbeat_at": died, "progress": 40, "attempts": 1, **fields}
    return report_for(movement, status=ReportStatus.RUNNING, step="pdf", **fields)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": "running", "started_at": -600, "heartbeat_at": -10}, False),
        ({"status": "running", "started_at": -600, "heartbeat_at": -119}, False),
        ({"status": "running", "started_at": -600, "heartbeat_at": -121}, True),
        # A row from before the heartbeat: its start is its last sign of life.
        ({"status": "running", "started_at": -121, "heartbeat_at": None}, True),
        ({"status": "running", "started_at": -60, "heartbeat_at": None}, False),
        ({"status": "queued", "queued_at": -299}, False),
        ({"status": "queued", "queued_at": -301}, True),
        ({"status": "queued", "queued_at": -1, "queue_error": "OperationalError: refused"}, True),
        ({"status": "done", "queued_at": -3600, "heartbeat_at": -3600}, False),
        ({"status": "failed", "queued_at": -3600, "queue_error": "old"}, False),
    ],
    ids=[
        "beating",
        "just-within-two-minutes",
        "silent-two-minutes",
        "old-row-started-long-ago",
        "old-row-started-recently",
        "queued-under-five-minutes",
        "queued-over-five-minutes",
        "queue-unreachable",
        "done",
        "failed",
    ],
)
def test_stalled_rule_with_frozen_time(small, frozen, fields, expected):
    fields = {
        name: (frozen + dt.timedelta(seconds=value) if isinstance(value, int) else value)
        for name, value in fields.items()
    }
    fields.setdefault("queued_at", frozen - dt.timedelta(minutes=20))
    report = report_for(small, **fields)

    assert is_stalled(report, frozen) is expected
    assert Report.objects.stalled(frozen).filter(pk=report.pk).exists() is expected


def test_thresholds_are_those_the_page_promises():
    # The page says "two minutes" and "five minutes".
    thresholds = {
        "heartbeat": HEARTBEAT_EVERY,
        "stalled": STALLED_AFTER,
        "not_taken": NOT_TAKEN_AFTER,
    }
    assert thresholds == {
        "heartbeat": dt.timedelta(seconds=15),
        "stalled": dt.timedelta(minutes=2),
        "not_taken": dt.timedelta(minutes=5),
    }
    tick = settings.CELERY_BEAT_SCHEDULE["requeue-stalled-reports"]
    assert tick["task"] in app.tasks
    assert tick["schedule"] <= dt.timedelta(minutes=1)
    assert tick["options"]["expires"] < 60
    # Two minutes of silence plus at most a minute to the next tick: back in the queue
    # within three minutes of the worker's end.
    assert STALLED_AFTER + tick["schedule"] <= dt.timedelta(minutes=5)


def test_celery_delivery_settings_are_consistent():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest_countdown = task_build_report.retry_backoff_max
    # A live task is never handed to a second worker: the visibility timeout is longer
    # than any task may run plus the longest wait of a retry.
    assert visibility > settings.CELERY_TASK_TIME_LIMIT + longest_countdown
    assert visibility > builder.TIME_LIMIT + longest_countdown
    assert (
        settings.CELERY_TASK_ACKS_LATE,
        settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
        settings.CELERY_WORKER_PREFETCH_MULTIPLIER,
    ) == (True, True, 1)
    assert (task_build_report.acks_late, task_build_report.reject_on_worker_lost) == (True, True)


def test_each_step_stamps_the_heartbeat(small):
    report = report_for(small)

    builder.run_build(report.pk, report.task_id)

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert report.started_at < report.heartbeat_at <= report.finished_at


@pytest.mark.django_db(transaction=True)
def test_heartbeat_thread_beats_while_the_pdf_renders_and_stops_with_the_build(monkeypatch):
    movement = make_movement(3)
    report = report_for(movement)
    render = builder.render_pdf
    beats = []
    beat = builder.beat

    def slow_render(*args):
        time.sleep(1.0)  # a long PDF step: no step stamps the heartbeat meanwhile
        return render(*args)

    def recorded_beat(report_id, token):
        alive = beat(report_id, token)
        step = Report.objects.values_list("step", flat=True).get(pk=report_id)
        beats.append((alive, step, threading.current_thread().name))
        return alive

    monkeypatch.setattr(builder, "render_pdf", slow_render)
    monkeypatch.setattr(builder, "beat", recorded_beat)

    outcome = builder.run_build(
        report.pk, report.task_id, heartbeat_every=dt.timedelta(milliseconds=100)
    )

    report.refresh_from_db()
    assert (outcome, report.status) == ("built", ReportStatus.DONE)
    assert sum(1 for alive, step, _ in beats if alive and step == "pdf") >= 3
    assert {name for _, _, name in beats} == {f"report-{report.pk}-heartbeat"}
    assert not [t for t in threading.enumerate() if t.name.endswith("-heartbeat")]


@pytest.mark.django_db(transaction=True)
def test_heartbeat_thread_stops_by_itself_once_the_build_is_taken_over():
    movement = make_movement(1)
    report = report_for(movement)
    token = builder.claim(report.pk, report.task_id, now=timezone.now())
    heartbeat = builder.Heartbeat(report.pk, token, dt.timedelta(milliseconds=50))
    heartbeat.start()
    try:
        time.sleep(0.2)
        assert heartbeat.is_alive()
        Report.objects.filter(pk=report.pk).update(claim="another-worker")

        heartbeat.join(timeout=2)
        assert not heartbeat.is_alive()
    finally:
        heartbeat.stop()


@pytest.mark.django_db(transaction=True)
def test_a_missed_beat_does_not_stop_the_heartbeat(monkeypatch):
    movement = make_movement(1)
    report = report_for(movement)
    token = builder.claim(report.pk, report.task_id, now=timezone.now())
    claimed_at = Report.objects.get(pk=report.pk).heartbeat_at
    beat = builder.beat
    calls = []

    def database_away_once(report_id, token):
        calls.append(token)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return beat(report_id, token)

    monkeypatch.setattr(builder, "beat", database_away_once)
    heartbeat = builder.Heartbeat(report.pk, token, dt.timedelta(milliseconds=50))
    heartbeat.start()
    try:
        time.sleep(0.4)
        assert heartbeat.is_alive()
    finally:
        heartbeat.stop()

    assert len(calls) >= 3
    assert Report.objects.get(pk=report.pk).heartbeat_at > claimed_at


def test_the_tick_queues_a_dead_workers_build_again_once(
    small, sent, django_capture_on_commit_callbacks
):
    report = _stalled_running(small)
    old_attempt = report.task_id

    with django_capture_on_commit_callbacks(execute=True):
        first = task_requeue_stalled.apply().get()
        second = task_requeue_stalled.apply().get()

    report.refresh_from_db()
    assert (first, second) == (1, 0)
    assert report.task_id != old_attempt
    assert sent == [
        {"kwargs": {"report_id": report.pk, "attempt": report.task_id}, "task_id": report.task_id}
    ]
    assert (report.status, report.progress, report.step, report.claim) == (
        ReportStatus.QUEUED,
        0,
        "",
        "",
    )
    assert (report.heartbeat_at, report.attempts, is_stalled(report)) == (None, 1, False)


def test_the_tick_leaves_live_and_finished_builds_alone(
    small, sent, django_capture_on_commit_callbacks
):
    now = timezone.now()
    report_for(small, status=ReportStatus.RUNNING, started_at=now, heartbeat_at=now)
    report_for(small, status=ReportStatus.QUEUED, queued_at=now - NOT_TAKEN_AFTER + SECOND)
    report_for(small, status=ReportStatus.DONE, heartbeat_at=now - dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        count = services.requeue_stalled()

    assert (count, sent) == (0, [])


def test_a_late_delivery_of_the_old_attempt_builds_nothing_and_the_new_one_builds_once(
    small, django_capture_on_commit_callbacks, monkeypatch
):
    report = _stalled_running(small)
    old_attempt = report.task_id
    held = []
    monkeypatch.setattr(task_build_report, "apply_async", lambda **kwargs: held.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        services.requeue_stalled()
    monkeypatch.undo()
    report.refresh_from_db()

    # The broker hands back the dead worker's message (visibility timeout).
    late = task_build_report.apply(kwargs={"report_id": report.pk, "attempt": old_attempt}).get()
    report.refresh_from_db()
    assert (late, report.status, report.attempts, report.pdf.name) == (
        "superseded",
        ReportStatus.QUEUED,
        1,
        "",
    )

    built = task_build_report.apply(**held[0]).get()
    again = task_build_report.apply(**held[0]).get()

    report.refresh_from_db()
    assert (built, again) == ("built", "finished")
    assert (report.status, report.attempts, report.progress) == (ReportStatus.DONE, 2, 100)
    assert read(report.pdf)[:5] == b"%PDF-"


def test_a_worker_presumed_dead_that_was_alive_after_all_writes_nothing(
    small, django_capture_on_commit_callbacks, sent, monkeypatch
):
    report = report_for(small)
    render = builder.render_pdf

    def render_after_the_tick_gave_up_on_us(*args):
        later = timezone.now() + STALLED_AFTER + SECOND
        with django_capture_on_commit_callbacks(execute=True):
            services.requeue_stalled(now=later)
        return render(*args)

    monkeypatch.setattr(builder, "render_pdf", render_after_the_tick_gave_up_on_us)

    outcome = builder.run_build(report.pk, report.task_id)

    report.refresh_from_db()
    assert outcome == "lost"
    assert (report.status, report.pdf.name, report.xlsx.name) == (ReportStatus.QUEUED, "", "")
    assert len(sent) == 1


def test_a_build_that_killed_its_worker_three_times_ends_failed(
    small, sent, django_capture_on_commit_callbacks
):
    report = _stalled_running(small, attempts=services.MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        count = services.requeue_stalled()

    report.refresh_from_db()
    assert (count, sent, report.status, report.step) == (0, [], ReportStatus.FAILED, "")
    assert report.error.startswith("The build stopped 3 times without finishing")
    assert report.finished_at is not None


def test_a_build_whose_enqueue_failed_starts_at_the_first_tick_after_the_broker_is_back(
    small, officer, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def broker_down(**kwargs):
        attempts.append(kwargs["task_id"])
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task_build_report, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            small.campaign, small.period, small.period.kind, by=officer
        )
    # A tick while the broker is still down tries once more and says so again.
    with django_capture_on_commit_callbacks(execute=True):
        services.requeue_stalled()
    report.refresh_from_db()
    assert len(attempts) == 2
    assert (report.status, report.task_id) == (ReportStatus.QUEUED, attempts[-1])
    assert report.queue_error.startswith("OperationalError: Error 111")

    monkeypatch.undo()  # the broker is back (eager Celery builds in-process)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.requeue_stalled()

    report.refresh_from_db()
    assert count == 1
    assert (report.status, report.queue_error, report.attempts) == (ReportStatus.DONE, "", 1)


def _page(client, report) -> str:
    return client.get(reverse("reports:detail", kwargs={"pk": report.pk})).content.decode()


def test_stalled_build_page_says_so_and_offers_to_queue_it_again(client_for, officer, small):
    stalled_build = _stalled_running(small)
    now = timezone.now()
    live = report_for(small, status=ReportStatus.RUNNING, started_at=now, heartbeat_at=now)
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    stalled_page, live_page = _page(client, stalled_build), _page(client, live)

    assert "No sign of life from this build for over two minutes" in stalled_page
    assert "queued again automatically within a minute" in stalled_page
    assert reverse("reports:retry", kwargs={"pk": stalled_build.pk}) in stalled_page
    assert "No sign of life" not in live_page
    assert reverse("reports:retry", kwargs={"pk": live.pk}) not in live_page


def test_the_polled_status_turns_stalled_without_a_reload(client_for, officer, small):
    now = timezone.now()
    report = report_for(small, status=ReportStatus.RUNNING, started_at=now, heartbeat_at=now)
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reports:status", kwargs={"pk": report.pk}) + "?polling=1"
    before = client.get(url, headers={"HX-Request": "true"}).content.decode()

    silent = now - STALLED_AFTER - SECOND
    Report.objects.filter(pk=report.pk).update(heartbeat_at=silent)
    after = client.get(url, headers={"HX-Request": "true"})

    assert "No sign of life" not in before
    assert "No sign of life from this build for over two minutes" in after.content.decode()
    assert reverse("reports:retry", kwargs={"pk": report.pk}) in after.content.decode()
    assert "HX-Refresh" not in after  # still active: the page keeps polling


def test_stalled_build_page_in_vietnamese(client_for, officer, small):
    page = _page(client_for(officer), _stalled_running(small))

    assert "Không thấy tín hiệu của lần tạo này đã hơn hai phút" in page
    assert "Đưa vào hàng đợi lại ngay" in page


def test_retry_queues_a_stalled_build_at_once_and_a_second_click_does_nothing(
    client_for, officer, small, sent, django_capture_on_commit_callbacks
):
    report = _stalled_running(small)
    client = client_for(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("reports:retry", kwargs={"pk": report.pk})

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
        second = client.post(url, follow=True)

    report.refresh_from_db()
    assert "The build is queued again" in first.content.decode()
    assert "This build is already queued again" in second.content.decode()
    # Handed the address of the click, for the links of its email (units.links).
    kwargs = {"report_id": report.pk, "attempt": report.task_id, "base_url": "http://testserver"}
    assert sent == [{"kwargs": kwargs, "task_id": report.task_id}]
    assert (report.status, report.attempts) == (ReportStatus.QUEUED, 0)


@pytest.mark.parametrize(("role", "status"), [("leader", 403), ("head_a", 404), ("council", 404)])
def test_only_officers_may_queue_a_stalled_build_again(cast, client_for, small, sent, role, status):
    report = _stalled_running(small)

    response = client_for(cast[role]).post(reverse("reports:retry", kwargs={"pk": report.pk}))

    assert response.status_code == status
    assert sent == []
    assert Report.objects.get().task_id == report.task_id


def test_retry_is_post_only(client_for, officer, small, sent):
    report = _stalled_running(small)

    response = client_for(officer).get(reverse("reports:retry", kwargs={"pk": report.pk}))

    assert response.status_code == 405
    assert (sent, Report.objects.get().status) == ([], ReportStatus.RUNNING)
