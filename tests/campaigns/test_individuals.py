import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from campaigns.enums import (
    CampaignStatus,
    CriterionKind,
    DisciplineLevel,
    PerformanceGrade,
    Subject,
)
from campaigns.individuals.assessments import save_assessment
from campaigns.models import IndividualAssessment
from campaigns.movement import lifecycle
from units.models import Person

from ..factories import CriterionFactory, PersonFactory
from .year_data import read_xlsx, xlsx

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_url(unit_year, unit, **query) -> str:
    url = reverse("campaigns:individuals", args=[unit_year.period.pk, unit.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def row_url(unit_year, person) -> str:
    return reverse(
        "campaigns:individual_row", args=[unit_year.period.pk, person.unit_id, person.pk]
    )


def row_data(person, **values) -> dict:
    """What the row's form posts, prefixed with the person's id."""
    data = {
        "version": 0,
        "grade": "",
        "initiatives": "",
        "initiative_level": "",
        "initiative_decision": "",
        "discipline_level": "",
        "discipline_from": "",
        "discipline_to": "",
        "months_worked": 12,
        "notes": "",
        "proposed_title": "",
        **values,
    }
    return {f"p{person.pk}-{key}": value for key, value in data.items()}


def names(response) -> list[str]:
    return [item.row.person.full_name for item in response.context["items"]]


# ---------------------------------------------------------------------------
# Who may do what.


@pytest.mark.parametrize(
    ("role", "status", "can_edit"),
    [
        ("anonymous", 302, None),
        ("head_a", 200, True),
        ("head_b", 404, None),
        ("block_head", 200, False),
        ("officer", 200, False),
        ("council", 404, None),
        ("leader", 200, False),
    ],
)
def test_individuals_page_by_role(
    people_b, people_a, unit_year, unit_a, cast, client_for, role, status, can_edit
):
    response = client_for(cast[role]).get(page_url(unit_year, unit_a))

    assert response.status_code == status
    if status == 200:
        assert names(response) == ["Vũ Trưởng Phòng", "Nguyễn An", "Phạm Bảo"]
        assert response.context["can_edit"] is can_edit
        assert (b'name="p%d-grade"' % people_a[1].pk in response.content) is can_edit
    if status == 302:
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),  # htmx: no login page swapped into the row
        ("head_a", 200),
        ("head_b", 404),
        ("block_head", 403),
        ("officer", 403),
        ("council", 404),
        ("leader", 403),
    ],
)
def test_saving_a_row_by_role(people_b, people_a, unit_year, cast, client_for, role, status):
    person = people_a[1]

    response = client_for(cast[role]).post(
        row_url(unit_year, person), row_data(person, grade="good"), **HTMX
    )

    assert response.status_code == status
    saved = list(IndividualAssessment.objects.filter(person=person).values_list("grade", flat=True))
    assert saved == (["good"] if status == 200 else [])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("head_a", 200),
        ("head_b", 404),
        ("block_head", 200),
        ("officer", 200),
        ("council", 404),
        ("leader", 200),
    ],
)
def test_export_by_role(people_b, people_a, unit_year, unit_a, cast, client_for, role, status):
    url = reverse("campaigns:individuals_export", args=[unit_year.period.pk, unit_a.pk])

    response = client_for(cast[role]).get(url)

    assert response.status_code == status
    if status == 200:
        codes = [row[0] for row in read_xlsx(response.content)[1:]]
        assert codes == ["A000", "A001", "A002"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("head_a", 200),
        ("head_b", 404),
        ("block_head", 403),
        ("officer", 403),
        ("council", 404),
        ("leader", 403),
    ],
)
def test_import_page_by_role(people_b, people_a, unit_year, unit_a, cast, client_for, role, status):
    url = reverse("campaigns:individuals_import", args=[unit_year.period.pk, unit_a.pk])

    response = client_for(cast[role]).get(url)

    assert response.status_code == status


def test_six_monthly_period_has_no_individual_assessments(
    people_a, unit_year, unit_a, head_a, client
):
    six_monthly = unit_year.campaign.periods.create(
        kind="six_monthly",
        opens_on=dt.date(2024, 6, 1),
        due_on=dt.date(2024, 6, 30),
        closes_on=dt.date(2024, 7, 15),
    )
    client.force_login(head_a)

    response = client.get(reverse("campaigns:individuals", args=[six_monthly.pk, unit_a.pk]))

    assert response.status_code == 404


def test_unit_not_taking_part_is_not_found(people_a, unit_year, unit_a, officer, client):
    unit_year.campaign.participants.remove(unit_a)
    client.force_login(officer)

    response = client.get(page_url(unit_year, unit_a))

    assert response.status_code == 404


def test_person_of_another_unit_cannot_be_saved_through_unit_a(
    people_b, people_a, unit_year, unit_a, head_a, client
):
    intruder = people_b[1]
    url = reverse("campaigns:individual_row", args=[unit_year.period.pk, unit_a.pk, intruder.pk])
    client.force_login(head_a)

    response = client.post(url, row_data(intruder, grade="good"), **HTMX)

    assert response.status_code == 404
    assert IndividualAssessment.objects.filter(person=intruder).count() == 0


def test_closed_period_is_read_only_for_the_unit(people_a, unit_year, unit_a, head_a, en_client):
    unit_year.period.opens_on = timezone.localdate() - dt.timedelta(days=40)
    unit_year.period.due_on = unit_year.period.closes_on = timezone.localdate() - dt.timedelta(
        days=1
    )
    unit_year.period.save()
    en_client.force_login(head_a)

    page = en_client.get(page_url(unit_year, unit_a))
    save = en_client.post(
        row_url(unit_year, people_a[1]), row_data(people_a[1], grade="good"), **HTMX
    )

    assert page.context["can_edit"] is False
    assert "The year-end period is not open: the assessments are read-only." in page.text
    assert save.status_code == 403
    assert IndividualAssessment.objects.filter(person=people_a[1]).count() == 0


# ---------------------------------------------------------------------------
# Saving a row.


def test_saving_a_row_creates_the_assessment(people_a, unit_year, head_a, en_client):
    person = people_a[0]
    en_client.force_login(head_a)
    data = row_data(
        person,
        grade="excellent",
        initiatives="Sáng kiến số hoá hồ sơ",
        initiative_level="grassroots",
        initiative_decision="12/QĐ-VPC",
        months_worked=11,
        notes="Chuyển công tác tháng 2",
        proposed_title=unit_year.cstdcs.pk,
        **{f"score_{unit_year.leader_1.pk}": "8,5", f"score_{unit_year.leader_2.pk}": "5"},
    )

    response = en_client.post(row_url(unit_year, person), data, **HTMX)

    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="person-{person.pk}"')
    assert "Saved" in response.text
    assert "Total 13.5" in response.text
    saved = IndividualAssessment.objects.get(person=person)
    assert (saved.grade, saved.initiatives, saved.initiative_level, saved.initiative_decision) == (
        "excellent",
        "Sáng kiến số hoá hồ sơ",
        "grassroots",
        "12/QĐ-VPC",
    )
    assert (saved.months_worked, saved.notes, saved.proposed_title) == (
        11,
        "Chuyển công tác tháng 2",
        unit_year.cstdcs,
    )
    assert saved.leader_scores == {
        str(unit_year.leader_1.pk): "8.50",
        str(unit_year.leader_2.pk): "5.00",
    }
    assert (saved.version, saved.updated_by) == (1, head_a)


def test_saving_a_row_with_discipline_reads_dates_day_first(people_a, unit_year, head_a, en_client):
    person = people_a[1]
    en_client.force_login(head_a)
    data = row_data(
        person,
        grade="completed",
        discipline_level=DisciplineLevel.REPRIMAND,
        discipline_from="03/02/2024",
        discipline_to="02/08/2024",
    )

    en_client.post(row_url(unit_year, person), data, **HTMX)

    saved = IndividualAssessment.objects.get(person=person)
    assert (saved.discipline_level, saved.discipline_from, saved.discipline_to) == (
        "reprimand",
        dt.date(2024, 2, 3),
        dt.date(2024, 8, 2),
    )


def test_saving_a_row_updates_it_and_moves_the_version_on(people_a, unit_year, head_a, en_client):
    person = people_a[1]
    existing = IndividualAssessment.objects.create(
        period=unit_year.period, person=person, grade="good", version=3
    )
    en_client.force_login(head_a)

    response = en_client.post(
        row_url(unit_year, person), row_data(person, version=3, grade="excellent"), **HTMX
    )

    existing.refresh_from_db()
    assert (existing.grade, existing.version) == ("excellent", 4)
    assert f'name="p{person.pk}-version" value="4"' in response.text


def test_saving_without_htmx_redirects_to_the_table(people_a, unit_year, unit_a, head_a, en_client):
    person = people_a[2]
    en_client.force_login(head_a)

    response = en_client.post(row_url(unit_year, person), row_data(person, grade="good"))

    assert response.status_code == 302
    assert response.url == page_url(unit_year, unit_a)
    assert IndividualAssessment.objects.get(person=person).grade == "good"


def test_stale_version_is_refused_and_the_typed_values_come_back(
    people_a, unit_year, head_a, en_client
):
    person = people_a[1]
    colleague_saved = IndividualAssessment.objects.create(
        period=unit_year.period,
        person=person,
        grade="completed",
        notes="Ghi chú của đồng nghiệp",
        version=2,
    )
    en_client.force_login(head_a)
    data = row_data(person, version=1, grade="excellent", months_worked=10, notes="Tôi vừa gõ")

    response = en_client.post(row_url(unit_year, person), data, **HTMX)

    assert response.status_code == 200
    assert "Not saved:" in response.text
    assert "Tôi vừa gõ</textarea>" in response.text
    assert f'name="p{person.pk}-months_worked" value="10"' in response.text
    assert '<option value="excellent" selected>' in response.text
    # Saving again replaces the newer row knowingly: the form now carries its version.
    assert f'name="p{person.pk}-version" value="2"' in response.text
    colleague_saved.refresh_from_db()
    assert (colleague_saved.grade, colleague_saved.notes, colleague_saved.version) == (
        "completed",
        "Ghi chú của đồng nghiệp",
        2,
    )


def test_row_created_meanwhile_is_a_stale_save(people_a, unit_year, head_a, en_client):
    person = people_a[1]
    IndividualAssessment.objects.create(period=unit_year.period, person=person, grade="good")
    en_client.force_login(head_a)

    response = en_client.post(
        row_url(unit_year, person), row_data(person, version=0, grade="excellent"), **HTMX
    )

    assert "Not saved:" in response.text
    assert list(IndividualAssessment.objects.values_list("grade", "version")) == [("good", 1)]


@pytest.mark.parametrize(
    ("person_index", "values", "field", "message"),
    [
        (
            1,
            {"months_worked": 13},
            "months_worked",
            "Months worked must be a whole number from 0 to 12.",
        ),
        (
            1,
            {"months_worked": -1},
            "months_worked",
            "Months worked must be a whole number from 0 to 12.",
        ),
        (
            1,
            {
                "discipline_level": "warning",
                "discipline_from": "01/09/2024",
                "discipline_to": "01/03/2024",
            },
            "discipline_to",
            "The discipline cannot end before it takes effect.",
        ),
        (
            1,
            {"discipline_level": "warning", "discipline_from": "01/09/2024"},
            "discipline_to",
            "Enter the date the discipline ends.",
        ),
        (
            1,
            {"discipline_from": "01/09/2024", "discipline_to": "01/10/2024"},
            "discipline_level",
            "Choose the discipline level, or clear the dates.",
        ),
        (0, {"score_1.1": "11"}, "score_1.1", "The score cannot exceed the maximum of 10 points."),
        (
            1,
            {"initiative_level": "ministry"},
            "initiatives",
            "Describe the initiative or scientific work whose recognition is given.",
        ),
    ],
)
def test_invalid_row_is_explained_and_nothing_is_saved(
    people_a, unit_year, head_a, en_client, person_index, values, field, message
):
    person = people_a[person_index]
    # Criterion ids are known only now: "score_1.1" stands for criterion 1.1's field.
    score_field = f"score_{unit_year.leader_1.pk}"
    values = {key.replace("score_1.1", score_field): value for key, value in values.items()}
    field = field.replace("score_1.1", score_field)
    en_client.force_login(head_a)

    response = en_client.post(row_url(unit_year, person), row_data(person, **values), **HTMX)

    assert response.status_code == 200
    errors = response.context["item"].form.errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert IndividualAssessment.objects.count() == 0


def test_collective_title_gets_its_own_message(people_a, unit_year, head_a, en_client):
    person = people_a[1]
    en_client.force_login(head_a)

    response = en_client.post(
        row_url(unit_year, person), row_data(person, proposed_title=unit_year.ttldtt.pk), **HTMX
    )

    assert response.context["item"].form.errors == {
        "proposed_title": [
            f"“{unit_year.ttldtt.name_en}” is a collective title: propose an individual title."
        ]
    }


def test_scores_of_a_person_who_is_not_a_leader_are_refused(people_a, unit_year, head_a, en_client):
    person = people_a[1]
    en_client.force_login(head_a)
    data = row_data(person, grade="good")
    data[f"p{person.pk}-score_{unit_year.leader_1.pk}"] = "5"

    response = en_client.post(row_url(unit_year, person), data, **HTMX)

    # The form has no score fields for a non-leader: what is posted is ignored.
    assert response.context["item"].saved is True
    assert IndividualAssessment.objects.get(person=person).leader_scores == {}


# ---------------------------------------------------------------------------
# The table: filters, pages, queries.


def test_filter_leaders_only(people_a, unit_year, unit_a, head_a, client):
    client.force_login(head_a)

    response = client.get(page_url(unit_year, unit_a, leaders=1))

    assert names(response) == ["Vũ Trưởng Phòng"]


def test_filter_not_yet_graded(people_b, people_a, unit_year, unit_a, head_a, client):
    IndividualAssessment.objects.create(period=unit_year.period, person=people_a[1], grade="good")
    IndividualAssessment.objects.create(period=unit_year.period, person=people_a[2], grade="")
    client.force_login(head_a)

    response = client.get(page_url(unit_year, unit_a, ungraded=1))

    assert names(response) == ["Vũ Trưởng Phòng", "Phạm Bảo"]


def test_table_shows_fifty_people_a_page(unit_year, unit_a, head_a, client):
    Person.objects.bulk_create(
        Person(unit=unit_a, full_name=f"Người {n:03d}", category="civil_servant") for n in range(51)
    )
    client.force_login(head_a)

    first = client.get(page_url(unit_year, unit_a))
    second = client.get(page_url(unit_year, unit_a, page=2))

    assert len(first.context["items"]) == 50
    assert names(second) == ["Người 050"]
    assert "?page=2" in first.text


@pytest.mark.parametrize("item_count", [1, 3])
def test_individuals_page_queries_do_not_grow_with_people(
    unit_year, unit_a, head_a, client, django_assert_num_queries, item_count
):
    for n in range(item_count):
        person = PersonFactory(unit=unit_a, is_leader=n == 0)
        IndividualAssessment.objects.create(
            period=unit_year.period, person=person, grade="good", proposed_title=unit_year.ldtt
        )
    client.force_login(head_a)

    # session, user, memberships, period, unit, people count, people page, assessments,
    # leader criteria, titles
    with django_assert_num_queries(10):
        response = client.get(page_url(unit_year, unit_a))

    assert len(response.context["items"]) == item_count


# ---------------------------------------------------------------------------
# XLSX export and import.

HEADER = [
    "Employee code",
    "Full name",
    "Performance grade",
    "Initiatives or scientific works",
    "Recognition level",
    "Recognition decision",
    "Discipline",
    "Discipline from",
    "Discipline to",
    "Months worked",
    "Notes",
    "Proposed title (code)",
    "Leader criterion 1.1",
    "Leader criterion 1.2",
]


def test_export_has_the_columns_of_the_import(people_a, unit_year, unit_a, head_a, en_client):
    IndividualAssessment.objects.create(
        period=unit_year.period,
        person=people_a[0],
        grade=PerformanceGrade.EXCELLENT,
        discipline_level=DisciplineLevel.REPRIMAND,
        discipline_from=dt.date(2024, 3, 1),
        discipline_to=dt.date(2024, 8, 31),
        months_worked=12,
        proposed_title=unit_year.cstdcs,
        leader_scores={str(unit_year.leader_1.pk): "8.50"},
    )
    en_client.force_login(head_a)

    response = en_client.get(
        reverse("campaigns:individuals_export", args=[unit_year.period.pk, unit_a.pk])
    )

    rows = read_xlsx(response.content)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert rows[0] == HEADER
    assert rows[1] == [
        "A000",
        "Vũ Trưởng Phòng",
        "Excellent task completion",
        None,
        "None",
        None,
        "Reprimand",
        dt.datetime(2024, 3, 1),
        dt.datetime(2024, 8, 31),
        12,
        None,
        "CSTDCS",
        8.5,
        None,
    ]
    assert rows[2][:3] == ["A001", "Nguyễn An", None]
    assert rows[2][9] == 12


def import_url(unit_year, unit) -> str:
    return reverse("campaigns:individuals_import", args=[unit_year.period.pk, unit.pk])


def test_import_with_three_bad_rows_lists_them_all_and_saves_nothing(
    people_b, people_a, unit_year, unit_a, head_a, en_client
):
    before = list(IndividualAssessment.objects.values_list("person_id", "grade", "version"))
    file = xlsx(
        [
            HEADER,
            [
                "A000",
                "",
                "Excellent task completion",
                "",
                "",
                "",
                "",
                "",
                "",
                12,
                "",
                "CSTDCS",
                9,
                5,
            ],
            ["A001", "", "good", "", "", "", "", "", "", 13, "", "", None, None],
            ["B001", "", "good", "", "", "", "", "", "", 12, "", "", None, None],
            [
                "A002",
                "",
                "good",
                "",
                "",
                "",
                "warning",
                "01/09/2024",
                "01/03/2024",
                12,
                "",
                "",
                None,
                None,
            ],
        ]
    )
    en_client.force_login(head_a)

    response = en_client.post(import_url(unit_year, unit_a), {"file": file})

    assert response.status_code == 200
    errors = [(e.row, e.column, e.message) for e in response.context["result"].errors]
    assert errors == [
        (3, "Months worked", "must be at most 12."),
        (4, "Employee code", "no current member of this unit has the employee code 'B001'."),
        (5, "Discipline to", "The discipline cannot end before it takes effect."),
    ]
    assert "Nothing was saved: 3 problems in the file" in response.text
    assert list(IndividualAssessment.objects.values_list("person_id", "grade", "version")) == before


def test_import_refuses_collective_title_and_leader_score_over_the_maximum(
    people_a, unit_year, unit_a, head_a, en_client
):
    file = xlsx(
        [
            HEADER,
            ["A000", "", "good", "", "", "", "", "", "", 12, "", "", 11, ""],
            ["A001", "", "good", "", "", "", "", "", "", 12, "", "TTLDTT", "", ""],
            ["A002", "", "good", "", "", "", "", "", "", 12, "", "", 3, ""],
        ]
    )
    en_client.force_login(head_a)

    response = en_client.post(import_url(unit_year, unit_a), {"file": file})

    errors = [(e.row, e.column, e.message) for e in response.context["result"].errors]
    assert errors == [
        (2, "Leader criterion 1.1", "The score cannot exceed the maximum of 10 points."),
        (
            3,
            "Proposed title (code)",
            f"“{unit_year.ttldtt.name_en}” is a collective title: propose an individual title.",
        ),
        (4, "Leader criterion 1.2", "Only unit leaders are scored against the leader criteria."),
    ]
    assert IndividualAssessment.objects.count() == 0


def test_good_import_creates_and_updates(people_b, people_a, unit_year, unit_a, head_a, en_client):
    existing = IndividualAssessment.objects.create(
        period=unit_year.period,
        person=people_a[1],
        grade="completed",
        notes="Giữ nguyên",
        version=4,
    )
    file = xlsx(
        [
            [
                "Employee code",
                "Performance grade",
                "Months worked",
                "Proposed title (code)",
                "Leader criterion 1.1",
            ],
            ["A000", "Excellent task completion", 12, "CSTDCS", 9.5],
            ["A001", "good", 10, "LDTT", None],
        ]
    )
    en_client.force_login(head_a)

    response = en_client.post(import_url(unit_year, unit_a), {"file": file}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Imported: 1 assessments created, 1 updated."
    ]
    created = IndividualAssessment.objects.get(person=people_a[0])
    assert (created.grade, created.months_worked, created.proposed_title) == (
        "excellent",
        12,
        unit_year.cstdcs,
    )
    assert created.leader_scores == {str(unit_year.leader_1.pk): "9.50"}
    existing.refresh_from_db()
    assert (existing.grade, existing.months_worked, existing.proposed_title, existing.notes) == (
        "good",
        10,
        unit_year.ldtt,
        "Giữ nguyên",
    )
    assert (existing.version, existing.updated_by) == (5, head_a)
    assert IndividualAssessment.objects.get(person=people_b[0]).notes == "B only"


def test_exported_sheet_imports_back_unchanged(people_a, unit_year, unit_a, head_a, en_client):
    IndividualAssessment.objects.create(
        period=unit_year.period, person=people_a[1], grade="good", proposed_title=unit_year.ldtt
    )
    en_client.force_login(head_a)
    exported = en_client.get(
        reverse("campaigns:individuals_export", args=[unit_year.period.pk, unit_a.pk])
    )
    file = xlsx(read_xlsx(exported.content))

    en_client.post(import_url(unit_year, unit_a), {"file": file})

    saved = IndividualAssessment.objects.get(person=people_a[1])
    assert (saved.grade, saved.proposed_title, saved.version) == ("good", unit_year.ldtt, 1)
    assert IndividualAssessment.objects.count() == 3


def test_import_is_refused_when_the_movement_is_closed(
    people_a, unit_year, unit_a, head_a, en_client
):
    lifecycle.bring_to(unit_year.campaign, CampaignStatus.CLOSED, now=timezone.now())
    en_client.force_login(head_a)

    response = en_client.post(import_url(unit_year, unit_a), {"file": xlsx([HEADER])})

    assert response.status_code == 403


def test_row_on_its_own_page_without_htmx(people_a, unit_year, head_a, client):
    person = people_a[1]
    client.force_login(head_a)

    response = client.get(row_url(unit_year, person))

    assert [t.name for t in response.templates][:1] == ["campaigns/individual_edit.html"]
    assert f'id="row-form-{person.pk}"' in response.text


def test_save_assessment_checks_who_saves(people_a, unit_year, head_b):
    with pytest.raises(PermissionDenied):
        save_assessment(
            None,
            period=unit_year.period,
            person=people_a[1],
            by=head_b,
            expected_version=0,
            data={"grade": "good", "months_worked": 12},
            now=timezone.now(),
        )

    assert IndividualAssessment.objects.count() == 0


def test_import_drops_scores_of_someone_no_longer_leading(
    people_a, unit_year, unit_a, head_a, en_client
):
    former = people_a[1]
    IndividualAssessment.objects.create(
        period=unit_year.period, person=former, leader_scores={str(unit_year.leader_1.pk): "7.00"}
    )
    en_client.force_login(head_a)
    file = xlsx([["Employee code", "Performance grade"], ["A001", "good"]])

    en_client.post(import_url(unit_year, unit_a), {"file": file})

    saved = IndividualAssessment.objects.get(person=former)
    assert (saved.grade, saved.leader_scores) == ("good", {})


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("head_a", 302),
        ("head_b", 404),
        ("block_head", 403),
        ("officer", 403),
        ("council", 404),
        ("leader", 403),
    ],
)
def test_importing_by_role(
    english, people_b, people_a, unit_year, unit_a, cast, client_for, role, status
):
    file = xlsx([HEADER, ["A001", "", "good", "", "", "", "", "", "", 12, "", "", None, None]])

    response = client_for(cast[role]).post(import_url(unit_year, unit_a), {"file": file})

    assert response.status_code == status
    saved = list(
        IndividualAssessment.objects.filter(person__unit=unit_a).values_list("grade", flat=True)
    )
    assert saved == (["good"] if role == "head_a" else [])


def _with_entities(content) -> io.BytesIO:
    """The workbook with an XML entity declared in its sheet and used in place of the
    notes, the way an "entity expansion" attack file is built."""
    source, target = zipfile.ZipFile(content), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"NOTES-HERE" in data
                data = (
                    b'<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
                    + data.replace(b"NOTES-HERE", b"&b;")
                )
            out.writestr(item, data)
    target.seek(0)
    target.name = "assessments.xlsx"
    return target


def test_import_refuses_xml_entities_and_saves_nothing(
    people_a, unit_year, unit_a, head_a, en_client
):
    file = _with_entities(
        xlsx(
            [HEADER, ["A001", "", "good", "", "", "", "", "", "", 12, "NOTES-HERE", "", None, None]]
        )
    )
    en_client.force_login(head_a)

    response = en_client.post(import_url(unit_year, unit_a), {"file": file})

    assert response.status_code == 200
    assert "The file is not an Excel workbook (.xlsx)." in response.text
    assert not IndividualAssessment.objects.filter(person__unit=unit_a).exists()


# ---------------------------------------------------------------------------
# A yes/no leader criterion is picked, not typed.


@pytest.fixture
def yes_no(unit_year):
    return CriterionFactory(
        campaign=unit_year.period.campaign,
        subject=Subject.LEADER,
        code="2",
        kind=CriterionKind.YES_NO,
        max_points=Decimal("15"),
        order=9,
    )


def test_yes_no_leader_criterion_is_a_yes_no_select(
    people_a, unit_year, unit_a, head_a, client, yes_no
):
    leader = next(person for person in people_a if person.is_leader)
    client.force_login(head_a)

    response = client.get(page_url(unit_year, unit_a))

    html = response.text
    select = re.search(
        rf'<select name="p{leader.pk}-score_{yes_no.pk}"[^>]*>(.*?)</select>', html, re.S
    )
    assert select is not None
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)) == [
        ("", "—"),
        ("15.00", "Có"),
        ("0.00", "Không"),
    ]
    assert f'name="p{leader.pk}-score_{unit_year.leader_1.pk}"' in html
    assert f'<select name="p{leader.pk}-score_{unit_year.leader_1.pk}"' not in html


@pytest.mark.parametrize(("choice", "stored"), [("15.00", "15.00"), ("0.00", "0.00")])
def test_saving_yes_or_no_stores_the_maximum_or_zero(
    people_a, unit_year, head_a, en_client, yes_no, choice, stored
):
    leader = next(person for person in people_a if person.is_leader)
    en_client.force_login(head_a)

    response = en_client.post(
        row_url(unit_year, leader), row_data(leader, **{f"score_{yes_no.pk}": choice}), **HTMX
    )

    saved = IndividualAssessment.objects.get(person=leader)
    assert saved.leader_scores == {str(yes_no.pk): stored}
    assert re.search(rf'<option value="{choice}" selected>', response.text)


def test_yes_no_leader_criterion_refuses_a_typed_number(
    people_a, unit_year, head_a, en_client, yes_no
):
    leader = next(person for person in people_a if person.is_leader)
    en_client.force_login(head_a)

    response = en_client.post(
        row_url(unit_year, leader), row_data(leader, **{f"score_{yes_no.pk}": "7"}), **HTMX
    )

    assert response.context["item"].form.errors == {
        f"score_{yes_no.pk}": ["Select a valid choice. 7 is not one of the available choices."]
    }
    assert IndividualAssessment.objects.filter(person=leader).count() == 0
