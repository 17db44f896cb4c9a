"""Two answers of one self-assessment saved at the same moment, on PostgreSQL (its
row locks are what is tested; SQLite lets one writer in at a time). Run by .ci/run."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.sheets import answers

from .sheet import answer_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_running_total_counts_both_of_two_simultaneous_saves(
    submission_a, sheet, head_a, monkeypatch
):
    assert connection.vendor == "postgresql", "run with DATABASE_URL on PostgreSQL"
    first = answer_for(submission_a, sheet.scored)
    second = answer_for(submission_a, sheet.yes_no)
    first_waiting = threading.Event()
    second_done = threading.Event()
    refresh = answers.refresh_self_total

    def refresh_then_wait(submission):
        # The first save computes its total, then waits (without committing) for
        # the second save; without a lock, each total misses the other's score.
        total = refresh(submission)
        if threading.current_thread().name == "first":
            first_waiting.set()
            second_done.wait(timeout=3)
        return total

    monkeypatch.setattr(answers, "refresh_self_total", refresh_then_wait)
    errors = []

    def save(answer, score, done=None):
        try:
            answers.save_answer(
                answer,
                by=head_a,
                expected_version=answer.version,
                self_score=score,
                now=timezone.now(),
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            if done:
                done.set()
            connection.close()

    one = threading.Thread(target=save, args=(first, "55"), name="first")
    two = threading.Thread(target=save, args=(second, "40", second_done), name="second")
    one.start()
    assert first_waiting.wait(timeout=10)
    two.start()
    one.join(timeout=10)
    two.join(timeout=10)

    assert errors == []
    submission_a.refresh_from_db()
    assert submission_a.self_total == Decimal("95.00")
