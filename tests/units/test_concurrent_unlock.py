"""Two officers unlocking the same username at the same moment, on PostgreSQL (its
row locks are what is tested; SQLite lets one writer in at a time). Run by .ci/run."""

import threading
import time

import pytest
from axes.models import AccessAttempt
from django.db import connection

from units import lockout
from units.models import AccountUnlock

from ..factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_unlocks_record_one(monkeypatch):
    assert connection.vendor == "postgresql", "run with DATABASE_URL on PostgreSQL"
    first_officer = UserFactory(is_emulation_officer=True)
    second_officer = UserFactory(is_emulation_officer=True)
    for agent in ("Firefox", "Chrome"):
        AccessAttempt.objects.create(
            username="head_a",
            ip_address="198.51.100.1",
            user_agent=agent,
            failures_since_start=3,
            get_data="",
            post_data="",
            http_accept="*/*",
            path_info="/accounts/login/",
        )
    first_deleted = threading.Event()
    second_started = threading.Event()
    reset = lockout.reset

    def reset_then_wait(**kwargs):
        # The first unlock deletes, then holds its transaction open while the
        # second one starts; without the row lock both would find the rows.
        count = reset(**kwargs)
        if threading.current_thread().name == "first":
            first_deleted.set()
            second_started.wait(timeout=5)
            time.sleep(0.5)
        return count

    monkeypatch.setattr(lockout, "reset", reset_then_wait)
    results, errors = {}, []

    def unlock(officer):
        try:
            results[threading.current_thread().name] = lockout.unlock(by=officer, username="head_a")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=unlock, args=(first_officer,), name="first")
    two = threading.Thread(target=unlock, args=(second_officer,), name="second")
    one.start()
    assert first_deleted.wait(timeout=10)
    two.start()
    second_started.set()
    one.join(timeout=10)
    two.join(timeout=10)

    assert errors == []
    assert results["second"] is None
    unlock_row = AccountUnlock.objects.get()
    assert (unlock_row.unlocked_by, unlock_row.failures) == (first_officer, 6)
    assert AccessAttempt.objects.count() == 0
