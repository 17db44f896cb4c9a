"""The SQL query count of every page and action of the unit's year does not grow with
its data: each is measured with a small and a larger data set and must be the same
constant. (The self-assessment and the review queue have theirs next to their other
tests; the 80-criteria sheet is the size of a real collective table.)"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import ReminderKind, Subject
from campaigns.models import IndividualAssessment, Registration, RegistrationEntry, Reminder
from campaigns.sheets import answers, workflow

from ..factories import CriterionFactory, PersonFactory, UnitFactory
from .sheet import PDF
from .year_data import xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HTTP_HX_REQUEST": "true"}
SIZES = [3, 80]


def _big_submission(sheet, unit, head, size: int, *, submit=True):
    """A self-assessment of `size` criteria, every one answered with a narrative
    and a file, so each has history rows and evidence."""
    for number in range(size - 3):
        CriterionFactory(
            campaign=sheet.period.campaign,
            subject=Subject.COLLECTIVE,
            parent=sheet.section,
            code=f"1.{number + 3}",
            order=10 + number,
            max_points=Decimal("1"),
        )
    submission = answers.open_submission(sheet.period, unit)
    for answer in submission.answers.select_related("criterion", "submission__period"):
        answers.save_answer(
            answer,
            by=head,
            expected_version=answer.version,
            self_score=f"{answer.criterion.max_points.normalize():f}",
            narrative="Đã làm",
            now=timezone.now(),
        )
        answers.attach_evidence(
            answer, SimpleUploadedFile("mc.pdf", PDF), by=head, now=timezone.now()
        )
    if submit:
        workflow.submit(submission, by=head, now=timezone.now())
    return submission


@pytest.mark.parametrize("size", SIZES)
def test_review_page(client_for, officer, head_a, sheet, unit_a, django_assert_num_queries, size):
    submission = _big_submission(sheet, unit_a, head_a, size)
    client = client_for(officer)

    # session, user, submission, criteria, answers, evidence, transitions; the running
    # reviewed total: criteria, answers with their evidence counts
    with django_assert_num_queries(9):
        response = client.get(reverse("campaigns:review", args=[submission.pk]))

    assert response.text.count('class="card review-row"') == size


@pytest.mark.parametrize("size", SIZES)
def test_history_page(client_for, officer, head_a, sheet, unit_a, django_assert_num_queries, size):
    submission = _big_submission(sheet, unit_a, head_a, size)
    client = client_for(officer)

    # session, user, submission, count, changes with their criterion and author
    with django_assert_num_queries(5):
        response = client.get(reverse("campaigns:submission_history", args=[submission.pk]))

    assert len(response.context["changes"]) == min(3 * size, 100)  # score, narrative, file


@pytest.mark.parametrize("size", SIZES)
def test_running_total(client_for, head_a, sheet, unit_a, django_assert_num_queries, size):
    submission = _big_submission(sheet, unit_a, head_a, size, submit=False)
    client = client_for(head_a)

    # session, user, submission, memberships (rules); the answered counter: criteria,
    # count of the answered
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:submission_total", args=[submission.pk]), **HTMX)

    submission.refresh_from_db()
    assert submission.self_total == 100 + size - 3 + 10
    assert response.text.startswith(f"{submission.self_total.normalize():f}<")
    assert f">{size} of {size} criteria answered<" in response.text


@pytest.mark.parametrize("size", SIZES)
def test_review_total(client_for, officer, head_a, sheet, unit_a, django_assert_num_queries, size):
    submission = _big_submission(sheet, unit_a, head_a, size)
    client = client_for(officer)

    # session, user, submission, criteria, answers with their evidence counts
    with django_assert_num_queries(5):
        response = client.get(reverse("campaigns:review_total", args=[submission.pk]), **HTMX)

    assert response.text.strip() == f"{100 + size - 3 + 10}"


@pytest.mark.parametrize("size", SIZES)
def test_answer_save(client_for, head_a, sheet, unit_a, django_assert_num_queries, size):
    submission = _big_submission(sheet, unit_a, head_a, size, submit=False)
    answer = submission.answers.get(criterion=sheet.yes_no)
    client = client_for(head_a)

    # session, user, answer, memberships; then, in a transaction (a savepoint), the
    # locked submission, the locked answer, a history row per field, the update and
    # the new version, and the new total (criteria, answers, save)
    with django_assert_num_queries(15):
        response = client.post(
            reverse("campaigns:answer_save", args=[answer.pk]),
            {"version": answer.version, "self_score": "0", "narrative": "Chưa đạt"},
            **HTMX,
        )

    assert "Saved" in response.text


@pytest.mark.parametrize("size", SIZES)
def test_my_submission(client_for, head_a, sheet, unit_a, django_assert_num_queries, size):
    submission = _big_submission(sheet, unit_a, head_a, size, submit=False)
    client = client_for(head_a)

    # session, user, period, memberships, the unit, its submission
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:my_submission", args=[sheet.period.pk]))

    assert response.url == reverse("campaigns:submission_detail", args=[submission.pk])


def _criteria(sheet, size: int):
    for number in range(size - 3):
        CriterionFactory(
            campaign=sheet.period.campaign,
            subject=Subject.COLLECTIVE,
            parent=sheet.section,
            code=f"1.{number + 3}",
            order=10 + number,
            max_points=Decimal("1"),
        )


@pytest.mark.parametrize("size", SIZES)
def test_my_submission_before_any_save(
    client_for, head_a, sheet, unit_a, django_assert_num_queries, size
):
    _criteria(sheet, size)
    client = client_for(head_a)

    # session, user, period, memberships, the unit, its (missing) submission, criteria
    with django_assert_num_queries(7):
        response = client.get(reverse("campaigns:my_submission", args=[sheet.period.pk]))

    assert response.text.count('<form class="answer-form"') == size


@pytest.mark.parametrize("size", SIZES)
def test_first_save(client_for, head_a, sheet, unit_a, django_assert_num_queries, size):
    _criteria(sheet, size)
    client = client_for(head_a)
    url = reverse(
        "campaigns:criterion_answer_save", args=[sheet.period.pk, unit_a.pk, sheet.yes_no.pk]
    )

    # session, user, period, unit, submission (none), memberships, criterion; then
    # in a transaction (a savepoint): the submission looked for, looked for and made
    # (get_or_create, a savepoint) and locked, the answer looked for, whether the
    # criterion has children, the answer made, a history row, the update and the new
    # version, and the new total (criteria, answers, save)
    with django_assert_num_queries(24):
        response = client.post(url, {"version": "1", "self_score": "0"}, **HTMX)

    assert "Saved" in response.text


@pytest.mark.parametrize("size", [1, 3])
def test_urging_page(client_for, officer, sheet, django_assert_num_queries, size):
    sheet.period.campaign.participants.clear()
    today = timezone.localdate()
    for n in range(size):
        unit = UnitFactory(name=f"Sở {n}")
        sheet.period.campaign.participants.add(unit)
        Reminder.objects.create(
            period=sheet.period,
            unit=unit,
            kind=ReminderKind.DAYS_7,
            sent_on=today - dt.timedelta(days=2),
        )
    client = client_for(officer)

    # session, user, period, missing units, their reminders
    with django_assert_num_queries(5):
        response = client.get(reverse("campaigns:urging", args=[sheet.period.pk]))

    assert len(response.context["units"]) == size
    assert response.text.count("(7 days before the due date)") == size


@pytest.mark.parametrize("size", [1, 3])
def test_urging_page_after_the_close(client_for, officer, django_assert_num_queries, size):
    from .sheet import make_sheet

    units = [UnitFactory(name=f"Sở {n}") for n in range(size)]
    closed = make_sheet(units, opens=-30, due=-20, closes=-1)
    for unit in units[1:]:  # all but the first reopened already
        workflow.reopen_unit(
            closed.period, unit, by=officer, reason="Cho nộp bổ sung", now=timezone.now()
        )
    client = client_for(officer)

    # session, user, period, missing units, their reminders, the reopened among them
    with django_assert_num_queries(6):
        response = client.get(reverse("campaigns:urging", args=[closed.period.pk]))

    assert len(response.context["units"]) == size
    assert response.text.count('data-testid="reopened"') == size - 1


# ---------------------------------------------------------------------------
# Registration and individual assessments


@pytest.mark.parametrize("size", [1, 3])
def test_registration_page(client_for, head_a, unit_year, unit_a, django_assert_num_queries, size):
    registration = Registration.objects.create(
        campaign=unit_year.campaign, unit=unit_a, target_title=unit_year.ttldtt
    )
    for n in range(size):
        RegistrationEntry.objects.create(
            registration=registration,
            person=PersonFactory(unit=unit_a, full_name=f"Người {n}"),
            target_title=unit_year.ldtt,
        )
    client = client_for(head_a)
    url = reverse("campaigns:registration", args=[unit_year.campaign.pk, unit_a.pk])

    # session, user, campaign, the unit among participants, its registration, the
    # campaign's periods and rule facts, entries, titles, people (the template's
    # perms ask the rules alone, not Django's permission tables): the same for 1 and
    # 3 people
    with django_assert_num_queries(12):
        response = client.get(url)

    assert response.text.count("Người ") == size


@pytest.mark.parametrize("size", [1, 3])
def test_registrations_export(client_for, officer, unit_year, django_assert_num_queries, size):
    unit_year.campaign.participants.clear()
    for n in range(size):
        unit = UnitFactory(name=f"Sở {n}")
        unit_year.campaign.participants.add(unit)
        registration = Registration.objects.create(
            campaign=unit_year.campaign, unit=unit, target_title=unit_year.ttldtt
        )
        RegistrationEntry.objects.create(
            registration=registration, person=PersonFactory(unit=unit), target_title=unit_year.ldtt
        )
    client = client_for(officer)

    with django_assert_num_queries(5):
        response = client.get(
            reverse("campaigns:registrations_export", args=[unit_year.campaign.pk])
        )

    assert response.status_code == 200


def _people(unit_year, unit, size):
    people = []
    for n in range(size):
        person = PersonFactory(unit=unit, full_name=f"Người {n}", employee_code=f"A{n:03}")
        IndividualAssessment.objects.create(period=unit_year.period, person=person, grade="good")
        people.append(person)
    return people


@pytest.mark.parametrize("size", [1, 3])
def test_individual_row_save(
    client_for, head_a, unit_year, unit_a, django_assert_num_queries, size
):
    people = _people(unit_year, unit_a, size)
    person = people[0]
    assessment = IndividualAssessment.objects.get(person=person)
    client = client_for(head_a)
    data = {
        f"p{person.pk}-{key}": value
        for key, value in {
            "version": assessment.version,
            "grade": "excellent",
            "months_worked": 12,
        }.items()
    }

    with django_assert_num_queries(11):
        response = client.post(
            reverse("campaigns:individual_row", args=[unit_year.period.pk, unit_a.pk, person.pk]),
            data,
            **HTMX,
        )

    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.grade == "excellent"


@pytest.mark.parametrize("size", [1, 3])
def test_individuals_export(client_for, head_a, unit_year, unit_a, django_assert_num_queries, size):
    _people(unit_year, unit_a, size)
    client = client_for(head_a)

    # session, user, period, unit, memberships, criteria, people, assessments
    with django_assert_num_queries(8):
        response = client.get(
            reverse("campaigns:individuals_export", args=[unit_year.period.pk, unit_a.pk])
        )

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_individuals_import_page(
    client_for, head_a, unit_year, unit_a, django_assert_num_queries, size
):
    _people(unit_year, unit_a, size)
    client = client_for(head_a)
    url = reverse("campaigns:individuals_import", args=[unit_year.period.pk, unit_a.pk])

    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 3])
def test_individuals_import(client_for, head_a, unit_year, unit_a, django_assert_num_queries, size):
    from .test_individuals import HEADER

    people = _people(unit_year, unit_a, size)
    rows = [
        [p.employee_code, "", "excellent", "", "", "", "", "", "", 12, "", "", None, None]
        for p in people
    ]
    client = client_for(head_a)
    url = reverse("campaigns:individuals_import", args=[unit_year.period.pk, unit_a.pk])

    # Reading is constant (session, user, period, unit, memberships, criteria, people,
    # assessments, titles, then the locked rows); writing is one UPDATE per changed
    # row, which spreadsheets.specs measured faster than bulk_update's CASE.
    with django_assert_num_queries(12 + size):
        response = client.post(url, {"file": xlsx([HEADER, *rows])})

    assert response.status_code == 302
    assert set(
        IndividualAssessment.objects.filter(person__in=people).values_list("grade", flat=True)
    ) == {"excellent"}
