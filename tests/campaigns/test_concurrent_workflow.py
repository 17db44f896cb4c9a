"""Saves racing the workflow, and every workflow action clicked twice at once, on
PostgreSQL (its row locks are what is tested). Run by .ci/run.

The interleaving is forced: a row lock is held (by the test, or by one action paused
inside its transaction) until the other request is seen waiting for it in
pg_stat_activity; then the first commits and the second goes on."""

import threading
import time
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import SubmissionState
from campaigns.models import Period, Reminder, Submission, Transition
from campaigns.sheets import answers, workflow

from .sheet import answer_for, fill, make_sheet

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("english"),
]


@pytest.fixture(autouse=True)
def _on_postgresql():
    assert connection.vendor == "postgresql", "run with DATABASE_URL on PostgreSQL"


def wait_for_waiters(count: int, timeout: float = 10) -> None:
    """Until `count` other sessions of this database wait for a lock."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError(f"{count} session(s) never waited for the lock")


@contextmanager
def row_locked(model, pk):
    """Hold the row's lock in the test's own transaction for the block."""
    with transaction.atomic():
        list(model.objects.select_for_update().filter(pk=pk).values_list("pk"))
        yield


def in_thread(results: dict, name: str, call):
    """A thread running call() on its own connection; what it returns or raises goes
    in results[name]."""

    def run():
        try:
            results[name] = call()
        except Exception as error:  # noqa: BLE001 - asserted by the test
            results[name] = error
        finally:
            connection.close()

    return threading.Thread(target=run, name=name)


def run_twice_while_locked(model, pk, call):
    """Two identical calls at once: both reach the row's lock while the test holds
    it, then both go on. Returns their two results."""
    results = {}
    threads = [in_thread(results, name, call) for name in ("one", "two")]
    with row_locked(model, pk):
        for thread in threads:
            thread.start()
        wait_for_waiters(2)
    for thread in threads:
        thread.join(timeout=20)
    return [results["one"], results["two"]]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _paused(monkeypatch, module, name, thread_name, entered, release):
    """Make module.name, when called in the thread named thread_name, signal
    `entered` and wait for `release` (still inside its transaction, lock held)."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        if threading.current_thread().name == thread_name:
            entered.set()
            assert release.wait(timeout=20)
        return result

    monkeypatch.setattr(module, name, wrapper)


# ---------------------------------------------------------------------------
# A save racing the submit or the accept.


def test_a_save_arriving_while_the_submit_commits_is_refused(
    submission_a, sheet, head_a, officer, monkeypatch
):
    fill(submission_a, sheet, head_a)
    answer = answer_for(submission_a, sheet.scored)
    entered, release = threading.Event(), threading.Event()
    _paused(monkeypatch, workflow, "_scores", "submit", entered, release)
    results = {}
    submit = in_thread(
        results, "submit", lambda: workflow.submit(submission_a, by=head_a, now=timezone.now())
    )
    save = in_thread(
        results,
        "save",
        lambda: answers.save_answer(
            answer,
            by=head_a,
            expected_version=answer.version,
            self_score="50",
            now=timezone.now(),
        ),
    )

    submit.start()
    assert entered.wait(timeout=10)  # the submit holds the lock, its total computed
    save.start()
    wait_for_waiters(1)  # the save waits for the submission's lock
    release.set()
    submit.join(timeout=20)
    save.join(timeout=20)

    assert isinstance(results["save"], workflow.WorkflowError)
    assert "submitted" in str(results["save"])
    submission_a.refresh_from_db()
    answer.refresh_from_db()
    assert submission_a.state == SubmissionState.SUBMITTED
    assert answer.self_score == Decimal("55")  # never written after the submit
    assert submission_a.self_total == Decimal("97")  # 55 + 40 + 2, what was submitted
    assert len(mail.outbox) == 2  # the unit's and the officers'
    (to_unit,) = [m for m in mail.outbox if m.to == [head_a.email]]
    assert "Self-assessed total: 97" in to_unit.body


def test_a_save_that_got_the_lock_first_is_in_the_submitted_total(
    submission_a, sheet, head_a, officer, monkeypatch
):
    fill(submission_a, sheet, head_a)
    answer = answer_for(submission_a, sheet.scored)
    entered, release = threading.Event(), threading.Event()
    _paused(monkeypatch, answers, "refresh_self_total", "save", entered, release)
    results = {}
    save = in_thread(
        results,
        "save",
        lambda: answers.save_answer(
            answer,
            by=head_a,
            expected_version=answer.version,
            self_score="50",
            now=timezone.now(),
        ),
    )
    submit = in_thread(
        results, "submit", lambda: workflow.submit(submission_a, by=head_a, now=timezone.now())
    )

    save.start()
    assert entered.wait(timeout=10)  # the save holds the lock, not committed
    submit.start()
    wait_for_waiters(1)
    release.set()
    save.join(timeout=20)
    submit.join(timeout=20)

    assert results["save"].self_score == Decimal("50")
    assert results["submit"].state == SubmissionState.SUBMITTED
    submission_a.refresh_from_db()
    assert submission_a.self_total == Decimal("92")  # 50 + 40 + 2
    assert len(mail.outbox) == 2
    (to_unit,) = [m for m in mail.outbox if m.to == [head_a.email]]
    assert "Self-assessed total: 92" in to_unit.body


def _reviewed_total(submission) -> Decimal:
    return sum(
        (a.reviewer_score if a.reviewer_score is not None else a.self_score)
        for a in submission.answers.all()
    )


def test_a_review_save_arriving_while_the_accept_commits_is_refused(
    submission_a, sheet, head_a, officer, monkeypatch
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    answer = answer_for(submission_a, sheet.scored)
    entered, release = threading.Event(), threading.Event()
    _paused(monkeypatch, workflow, "_scores", "accept", entered, release)
    results = {}
    accept = in_thread(
        results, "accept", lambda: workflow.accept(submission_a, by=officer, now=timezone.now())
    )
    review = in_thread(
        results,
        "review",
        lambda: answers.save_review(
            answer,
            by=officer,
            now=timezone.now(),
            expected_version=answer.version,
            reviewer_score="45",
        ),
    )

    accept.start()
    assert entered.wait(timeout=10)
    review.start()
    wait_for_waiters(1)
    release.set()
    accept.join(timeout=20)
    review.join(timeout=20)

    assert isinstance(results["review"], workflow.WorkflowError)
    submission_a.refresh_from_db()
    answer.refresh_from_db()
    assert submission_a.state == SubmissionState.ACCEPTED
    assert answer.reviewer_score is None
    assert submission_a.reviewer_total == _reviewed_total(submission_a) == Decimal("97")


def test_a_review_save_that_got_the_lock_first_is_in_the_reviewed_total(
    submission_a, sheet, head_a, officer, monkeypatch
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    answer = answer_for(submission_a, sheet.scored)
    entered, release = threading.Event(), threading.Event()
    _paused(monkeypatch, answers, "_record_changes", "review", entered, release)
    results = {}
    review = in_thread(
        results,
        "review",
        lambda: answers.save_review(
            answer,
            by=officer,
            now=timezone.now(),
            expected_version=answer.version,
            reviewer_score="45",
        ),
    )
    accept = in_thread(
        results, "accept", lambda: workflow.accept(submission_a, by=officer, now=timezone.now())
    )

    review.start()
    assert entered.wait(timeout=10)
    accept.start()
    wait_for_waiters(1)
    release.set()
    review.join(timeout=20)
    accept.join(timeout=20)

    assert results["review"].reviewer_score == Decimal("45")
    submission_a.refresh_from_db()
    assert submission_a.state == SubmissionState.ACCEPTED
    assert submission_a.reviewer_total == _reviewed_total(submission_a) == Decimal("87")


# ---------------------------------------------------------------------------
# The unit's withdrawal racing the start of the review, or the accept: one wins.


def _review_save(answer, officer):
    return lambda: answers.save_review(
        answer, by=officer, now=timezone.now(), expected_version=answer.version, comment="Xem"
    )


@pytest.mark.parametrize("other", ["review", "accept"])
def test_a_withdrawal_racing_the_review_exactly_one_wins(
    submission_a, sheet, head_a, officer, other
):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    answer = answer_for(submission_a, sheet.scored)
    calls = {
        "withdraw": lambda: workflow.withdraw(submission_a, by=head_a, now=timezone.now()),
        "review": _review_save(answer, officer),
        "accept": lambda: workflow.accept(submission_a, by=officer, now=timezone.now()),
    }
    results = {}
    threads = [in_thread(results, name, calls[name]) for name in ("withdraw", other)]

    with row_locked(Submission, submission_a.pk):
        for thread in threads:
            thread.start()
        wait_for_waiters(2)
    for thread in threads:
        thread.join(timeout=20)

    refused = {name for name, r in results.items() if isinstance(r, workflow.WorkflowError)}
    assert len(refused) == 1, results
    submission_a.refresh_from_db()
    answer.refresh_from_db()
    if refused == {other}:
        assert submission_a.state == SubmissionState.DRAFT
        assert answer.reviewer_comment == ""
    else:
        assert submission_a.state == (
            SubmissionState.SUBMITTED if other == "review" else SubmissionState.ACCEPTED
        )
        assert _steps(submission_a, SubmissionState.DRAFT) == 0


def test_two_first_saves_at_once_make_one_self_assessment(sheet, unit_a, head_a):
    barrier = threading.Barrier(2)
    results = {}

    def first_save(criterion, score):
        def call():
            barrier.wait(timeout=10)
            return answers.save_answer_for(
                sheet.period,
                unit_a,
                criterion,
                by=head_a,
                expected_version=1,
                self_score=score,
                now=timezone.now(),
            )

        return call

    threads = [
        in_thread(results, "scored", first_save(sheet.scored, "55")),
        in_thread(results, "yes_no", first_save(sheet.yes_no, "40")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert not any(isinstance(r, Exception) for r in results.values()), results
    submission = Submission.objects.get(period=sheet.period, unit=unit_a)
    assert submission.answers.count() == 2
    assert submission.self_total == Decimal("95")


# ---------------------------------------------------------------------------
# Every action clicked twice at once does it once.


def _steps(submission, to_state) -> int:
    return Transition.objects.filter(submission=submission, to_state=to_state).count()


def test_submit_twice_at_once_submits_once(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    url = reverse("campaigns:submission_submit", args=[submission_a.pk])
    clients = iter([signed_in(head_a), signed_in(head_a)])
    post = lambda: next(clients).post(url)  # noqa: E731 - one client per thread

    responses = run_twice_while_locked(Submission, submission_a.pk, post)

    assert [r.status_code for r in responses] == [302, 302]
    assert _steps(submission_a, SubmissionState.SUBMITTED) == 1
    assert len(mail.outbox) == 2  # the unit's and the officers', once


def test_return_twice_at_once_returns_once(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    mail.outbox.clear()
    url = reverse("campaigns:submission_return", args=[submission_a.pk])
    clients = iter([signed_in(officer), signed_in(officer)])
    post = lambda: next(clients).post(url, {"reason": "Bổ sung minh chứng"})  # noqa: E731

    responses = run_twice_while_locked(Submission, submission_a.pk, post)

    assert [r.status_code for r in responses] == [302, 302]
    assert _steps(submission_a, SubmissionState.RETURNED) == 1
    assert len(mail.outbox) == 1


def test_accept_twice_at_once_accepts_once(submission_a, sheet, head_a, officer):
    fill(submission_a, sheet, head_a)
    workflow.submit(submission_a, by=head_a, now=timezone.now())
    mail.outbox.clear()
    url = reverse("campaigns:submission_accept", args=[submission_a.pk])
    clients = iter([signed_in(officer), signed_in(officer)])
    post = lambda: next(clients).post(url)  # noqa: E731

    responses = run_twice_while_locked(Submission, submission_a.pk, post)

    assert [r.status_code for r in responses] == [302, 302]
    assert _steps(submission_a, SubmissionState.ACCEPTED) == 1
    assert len(mail.outbox) == 1


@pytest.fixture
def closed(unit_a, unit_b):
    return make_sheet([unit_a, unit_b], opens=-30, due=-20, closes=-1)


def test_reopen_twice_at_once_reopens_once(closed, unit_a, head_a, officer):
    submission = answers.open_submission(closed.period, unit_a)
    url = reverse("campaigns:submission_reopen", args=[submission.pk])
    clients = iter([signed_in(officer), signed_in(officer)])
    post = lambda: next(clients).post(url, {"reopen_reason": "Sự cố mạng"})  # noqa: E731

    responses = run_twice_while_locked(Submission, submission.pk, post)

    assert [r.status_code for r in responses] == [302, 302]
    assert Transition.objects.filter(submission=submission).count() == 1
    assert [m.to for m in mail.outbox] == [[head_a.email]]


def test_reopening_a_unit_twice_at_once_makes_one_row_and_one_reopening(
    closed, unit_a, head_a, officer
):
    url = reverse("campaigns:reopen_unit", args=[closed.period.pk, unit_a.pk])
    clients = [signed_in(officer), signed_in(officer)]
    barrier = threading.Barrier(2)
    results = {}

    def post(client):
        def call():
            barrier.wait(timeout=10)
            return client.post(url, {"reason": "Cho nộp bổ sung"})

        return call

    threads = [in_thread(results, str(n), post(client)) for n, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert [results[k].status_code for k in ("0", "1")] == [302, 302]
    submission = Submission.objects.get(period=closed.period, unit=unit_a)
    assert Transition.objects.filter(submission=submission).count() == 1
    assert [m.to for m in mail.outbox] == [[head_a.email]]


def test_remind_twice_at_once_reminds_once(sheet, unit_a, head_a, officer):
    url = reverse("campaigns:remind", args=[sheet.period.pk])
    clients = iter([signed_in(officer), signed_in(officer)])
    post = lambda: next(clients).post(url, {"unit": [unit_a.pk]})  # noqa: E731

    responses = run_twice_while_locked(Period, sheet.period.pk, post)

    assert [r.status_code for r in responses] == [302, 302]
    assert Reminder.objects.filter(unit=unit_a).count() == 1
    assert [m.to for m in mail.outbox] == [[head_a.email]]


def _title(code: str, subject: str):
    """A title of the catalogue, which a data migration loads and an earlier
    transactional test's flush may have removed."""
    from campaigns.enums import TitleCategory, TitleLevel
    from campaigns.models import Title

    title, _created = Title.objects.get_or_create(
        code=code,
        defaults={
            "name_vi": code,
            "name_en": code,
            "category": TitleCategory.EMULATION_TITLE,
            "subject": subject,
            "level": TitleLevel.GRASSROOTS,
            "deciding_authority": "Bộ trưởng",
        },
    )
    return title


def test_a_registration_saved_twice_at_once_is_one_row(unit_year, people_a, unit_a, head_a):
    from campaigns.enums import TitleSubject
    from campaigns.models import Registration, RegistrationEntry
    from campaigns.movement.registration import EntryChoice, save_registration

    collective = _title("TTLDTT", TitleSubject.COLLECTIVE)
    individual = _title("LDTT", TitleSubject.INDIVIDUAL)

    barrier = threading.Barrier(2)
    results = {}

    def save():
        barrier.wait(timeout=10)
        return save_registration(
            Registration(campaign=unit_year.campaign, unit=unit_a),
            by=head_a,
            commitments="Hoàn thành xuất sắc nhiệm vụ",
            target_title=collective,
            entries=[EntryChoice(people_a[1], individual)],
        )

    threads = [in_thread(results, name, save) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert not any(isinstance(r, Exception) for r in results.values()), results
    assert Registration.objects.filter(unit=unit_a).count() == 1
    assert RegistrationEntry.objects.filter(registration__unit=unit_a).count() == 1


def test_a_persons_assessment_saved_twice_at_once_is_one_row(unit_year, people_a, head_a):
    from campaigns.individuals.assessments import StaleAssessment, save_assessment
    from campaigns.models import IndividualAssessment

    barrier = threading.Barrier(2)
    results = {}

    def save():
        barrier.wait(timeout=10)
        return save_assessment(
            None,
            period=unit_year.period,
            person=people_a[1],
            by=head_a,
            expected_version=0,
            data={"grade": "good", "months_worked": 12},
            now=timezone.now(),
        )

    threads = [in_thread(results, name, save) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    # One writes; the other is told someone saved first, with the row to compare.
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == sorted(["IndividualAssessment", StaleAssessment.__name__])
    stale = next(r for r in results.values() if isinstance(r, StaleAssessment))
    assert stale.current.grade == "good"
    assert IndividualAssessment.objects.filter(person=people_a[1]).count() == 1
