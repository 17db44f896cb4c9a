"""Two clicks, two ticks, a tick and a click at the same moment, on PostgreSQL (its row
locks are what is tested; SQLite lets one writer in at a time). Run by .ci/run.

Each test starts the two callers together and holds the first one inside its
transaction for a moment, so that without the lock or the conditional update both
would see the same state and both would act."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.enums import ReportStatus
from reports.models import STALLED_AFTER, Report

from .conftest import make_movement, report_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

HOLD = 0.5  # seconds the first caller keeps its transaction open


def _together(*callers):
    """Run the callers in threads started at once; return their results (or the
    exceptions they raised), in order."""
    assert connection.vendor == "postgresql", "run with DATABASE_URL on PostgreSQL"
    start = threading.Barrier(len(callers))
    results = [None] * len(callers)

    def run(i, caller):
        try:
            start.wait(timeout=10)
            results[i] = caller()
        except Exception as error:  # noqa: BLE001 - returned to the test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def sent(monkeypatch):
    """The builds handed to the queue (report id, attempt), instead of a broker."""
    calls = []

    def enqueue(report_id, task_id, base_url=None):
        calls.append((report_id, task_id))
        return True

    monkeypatch.setattr(services, "enqueue", enqueue)
    return calls


def _hold_first_transaction(monkeypatch):
    """The first caller to register its enqueue waits before committing."""
    register = transaction.on_commit
    first = threading.Lock()

    def register_then_hold(func, *args, **kwargs):
        register(func, *args, **kwargs)
        if first.acquire(blocking=False):
            time.sleep(HOLD)

    monkeypatch.setattr(services.transaction, "on_commit", register_then_hold)


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_report_requests_at_once_make_one_build(officer, sent, monkeypatch):
    movement = make_movement(3)
    url = reverse("reports:request", kwargs={"campaign_pk": movement.campaign.pk})
    data = {"period": movement.period.pk}
    # Each request looks for a build under way, then waits: without the period lock,
    # the other request looks meanwhile and finds none either.
    look = services._under_way
    monkeypatch.setattr(services, "_under_way", lambda *a: (look(*a), time.sleep(HOLD))[0])
    clients = [_logged_in(officer), _logged_in(officer)]
    connection.close()

    responses = _together(*(lambda c=c: c.post(url, data) for c in clients))

    report = Report.objects.get()
    detail = reverse("reports:detail", kwargs={"pk": report.pk})
    assert [r.status_code for r in responses] == [302, 302]
    assert [r.url for r in responses] == [detail, detail]
    assert sent == [(report.pk, report.task_id)]


def _stalled_build():
    died = timezone.now() - STALLED_AFTER - dt.timedelta(seconds=30)
    return report_for(
        make_movement(3),
        status=ReportStatus.RUNNING,
        started_at=died,
        heartbeat_at=died,
        progress=40,
        attempts=1,
    )


def test_two_ticks_at_once_queue_a_stalled_build_once(sent, monkeypatch):
    report = _stalled_build()
    _hold_first_transaction(monkeypatch)
    connection.close()

    counts = _together(services.requeue_stalled, services.requeue_stalled)

    report.refresh_from_db()
    assert sorted(counts) == [0, 1]
    assert sent == [(report.pk, report.task_id)]
    assert (report.status, report.attempts) == (ReportStatus.QUEUED, 1)


def test_the_tick_racing_the_officers_retry_queues_the_build_once(officer, sent, monkeypatch):
    report = _stalled_build()
    _hold_first_transaction(monkeypatch)
    client = _logged_in(officer)
    connection.close()

    outcomes = _together(
        services.requeue_stalled,
        lambda: client.post(reverse("reports:retry", kwargs={"pk": report.pk})),
    )

    report.refresh_from_db()
    assert outcomes[1].status_code == 302
    assert len(sent) == 1
    assert sent == [(report.pk, report.task_id)]
    assert report.status == ReportStatus.QUEUED


def test_a_double_click_on_retry_queues_the_build_once(officer, sent, monkeypatch):
    report = _stalled_build()
    _hold_first_transaction(monkeypatch)
    clients = [_logged_in(officer), _logged_in(officer)]
    url = reverse("reports:retry", kwargs={"pk": report.pk})
    connection.close()

    responses = _together(*(lambda c=c: c.post(url) for c in clients))

    report.refresh_from_db()
    assert [r.status_code for r in responses] == [302, 302]
    assert sent == [(report.pk, report.task_id)]
    assert (report.status, report.attempts) == (ReportStatus.QUEUED, 0)
