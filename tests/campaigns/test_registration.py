import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.enums import CampaignStatus
from campaigns.individuals.assessments import save_assessment
from campaigns.models import IndividualAssessment, Registration, RegistrationEntry
from campaigns.movement import lifecycle
from campaigns.movement import registration as registering
from campaigns.movement.registration import EntryChoice
from units.enums import Role

from ..factories import MembershipFactory, PersonFactory, UnitFactory
from .year_data import read_xlsx

pytestmark = pytest.mark.django_db

NOTICE = (
    "Registration is for information only. Since the Law on Emulation and Commendation of "
    "2022, registering is no longer a ground for titles: a missing or incomplete registration "
    "never prevents an assessment, a proposal or a title."
)


def unit_url(unit_year, unit) -> str:
    return reverse("campaigns:registration", args=[unit_year.campaign.pk, unit.pk])


def list_url(unit_year) -> str:
    return reverse("campaigns:registration_list", args=[unit_year.campaign.pk])


@pytest.fixture
def registration_b(unit_year, unit_b, people_b, head_b):
    """Unit B's registration: created first, it must not leak to unit A."""
    registration = Registration.objects.create(
        campaign=unit_year.campaign,
        unit=unit_b,
        commitments="Cam kết riêng của đơn vị B",
        target_title=unit_year.ttldtt,
        registered_by=head_b,
    )
    RegistrationEntry.objects.create(
        registration=registration, person=people_b[0], target_title=unit_year.ldtt
    )
    return registration


def form_data(unit_year, people=(), **values) -> dict:
    data = {"commitments": "", "target_title": "", **values}
    for person, title in people:
        data[f"person_{person.pk}"] = title.pk
    return data


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
def test_registration_page_by_role(
    registration_b, people_a, unit_year, unit_a, cast, client_for, role, status, can_edit
):
    response = client_for(cast[role]).get(unit_url(unit_year, unit_a))

    assert response.status_code == status
    if status == 200:
        assert response.context["unit"] == unit_a
        assert response.context["can_edit"] is can_edit
        assert ("Cam kết riêng của đơn vị B" in response.text) is False
        assert ('name="commitments"' in response.text) is can_edit


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
def test_saving_a_registration_by_role(
    registration_b, people_a, unit_year, unit_a, cast, client_for, role, status
):
    data = form_data(unit_year, commitments="Hoàn thành 100% nhiệm vụ")

    response = client_for(cast[role]).post(unit_url(unit_year, unit_a), data)

    assert response.status_code == status
    saved = list(Registration.objects.filter(unit=unit_a).values_list("commitments", flat=True))
    assert saved == (["Hoàn thành 100% nhiệm vụ"] if role == "head_a" else [])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("head_a", 403),
        ("head_b", 403),
        ("block_head", 403),
        ("officer", 200),
        ("council", 403),
        ("leader", 200),
        ("admin_user", 200),
    ],
)
def test_registration_list_by_role(
    registration_b, unit_year, cast, admin_user, client_for, role, status
):
    user = admin_user if role == "admin_user" else cast[role]

    response = client_for(user).get(list_url(unit_year))

    assert response.status_code == status


def test_registration_list_of_a_campaign_the_unit_does_not_see_is_not_found(
    unit_year, unit_a, head_a, client
):
    hidden = UnitFactory()
    unit_year.campaign.participants.set([hidden])
    client.force_login(head_a)

    response = client.get(list_url(unit_year))

    assert response.status_code == 404


def test_member_of_the_unit_reads_the_registration(people_a, unit_year, unit_a, client):
    member = MembershipFactory(unit=unit_a, role=Role.MEMBER).user
    client.force_login(member)

    response = client.get(unit_url(unit_year, unit_a))

    assert (response.status_code, response.context["can_edit"]) == (200, False)


def test_closed_movement_takes_no_registration(people_a, unit_year, unit_a, head_a, en_client):
    lifecycle.bring_to(unit_year.campaign, CampaignStatus.CLOSED, now=timezone.now())
    en_client.force_login(head_a)

    page = en_client.get(unit_url(unit_year, unit_a))
    save = en_client.post(unit_url(unit_year, unit_a), form_data(unit_year, commitments="x"))

    assert page.context["can_edit"] is False
    assert "Read-only: the movement does not take registrations now." in page.text
    assert save.status_code == 403
    assert Registration.objects.count() == 0


# ---------------------------------------------------------------------------
# Registering.


def test_head_registers_the_unit_and_its_people(people_a, unit_year, unit_a, head_a, en_client):
    en_client.force_login(head_a)
    data = form_data(
        unit_year,
        people=[(people_a[0], unit_year.cstdcs), (people_a[2], unit_year.ldtt)],
        commitments="  Hoàn thành xuất sắc nhiệm vụ năm 2024  ",
        target_title=unit_year.ttldtt.pk,
    )

    response = en_client.post(unit_url(unit_year, unit_a), data, follow=True)

    registration = Registration.objects.get(unit=unit_a)
    assert (registration.commitments, registration.target_title, registration.registered_by) == (
        "Hoàn thành xuất sắc nhiệm vụ năm 2024",
        unit_year.ttldtt,
        head_a,
    )
    entries = registration.entries.order_by("person__full_name")
    assert [(e.person.full_name, e.target_title.code) for e in entries] == [
        ("Phạm Bảo", "LDTT"),
        ("Vũ Trưởng Phòng", "CSTDCS"),
    ]
    assert [str(m) for m in response.context["messages"]] == ["The registration is saved."]


def test_registering_again_replaces_the_individuals(people_a, unit_year, unit_a, head_a, en_client):
    registration = Registration.objects.create(campaign=unit_year.campaign, unit=unit_a)
    RegistrationEntry.objects.create(
        registration=registration, person=people_a[1], target_title=unit_year.ldtt
    )
    en_client.force_login(head_a)
    data = form_data(unit_year, people=[(people_a[2], unit_year.cstdcs)])

    en_client.post(unit_url(unit_year, unit_a), data)

    entries = RegistrationEntry.objects.filter(registration__unit=unit_a)
    assert [(e.person, e.target_title) for e in entries] == [(people_a[2], unit_year.cstdcs)]


def test_the_form_shows_what_is_registered(people_a, unit_year, unit_a, head_a, client):
    registration = Registration.objects.create(
        campaign=unit_year.campaign, unit=unit_a, target_title=unit_year.ttldtt
    )
    RegistrationEntry.objects.create(
        registration=registration, person=people_a[1], target_title=unit_year.ldtt
    )
    client.force_login(head_a)

    response = client.get(unit_url(unit_year, unit_a))

    form = response.context["form"]
    assert form[f"person_{people_a[1].pk}"].value() == unit_year.ldtt.pk
    assert form["target_title"].value() == unit_year.ttldtt.pk


def test_officer_reads_the_registration(people_a, unit_year, unit_a, officer, en_client):
    registration = Registration.objects.create(
        campaign=unit_year.campaign, unit=unit_a, target_title=unit_year.ttldtt
    )
    RegistrationEntry.objects.create(
        registration=registration, person=people_a[1], target_title=unit_year.ldtt
    )
    en_client.force_login(officer)

    response = en_client.get(unit_url(unit_year, unit_a))

    assert response.context["registered"] == [(people_a[1], unit_year.ldtt)]
    assert unit_year.ttldtt.name_en in response.text


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"target_title": "CSTDCS"},
            "target_title",
            "“{CSTDCS}” is not a collective title that is still awarded.",
        ),
        (
            {"person": "TTLDTT"},
            "person",
            "Nguyễn An: “{TTLDTT}” is not an individual title that is still awarded.",
        ),
        ({"target_title": "999999"}, "target_title", "Choose a title from the list."),
    ],
)
def test_wrong_title_is_explained_and_nothing_is_saved(
    people_a, unit_year, unit_a, head_a, en_client, values, field, message
):
    titles = {"CSTDCS": unit_year.cstdcs.pk, "TTLDTT": unit_year.ttldtt.pk}
    data = form_data(unit_year, commitments="Cam kết")
    if "target_title" in values:
        data["target_title"] = titles.get(values["target_title"], values["target_title"])
    if "person" in values:
        data[f"person_{people_a[1].pk}"] = titles[values["person"]]
    en_client.force_login(head_a)

    response = en_client.post(unit_url(unit_year, unit_a), data)

    assert response.status_code == 200
    names = {"CSTDCS": unit_year.cstdcs.name_en, "TTLDTT": unit_year.ttldtt.name_en}
    field = field.replace("person", f"person_{people_a[1].pk}")
    assert response.context["form"].errors == {field: [message.format(**names)]}
    assert Registration.objects.count() == 0


def test_save_registration_refuses_a_person_of_another_unit(
    people_b, people_a, unit_year, unit_a, head_a
):
    registration = Registration(campaign=unit_year.campaign, unit=unit_a)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        registering.save_registration(
            registration,
            by=head_a,
            commitments="",
            target_title=None,
            entries=[EntryChoice(people_b[0], unit_year.ldtt)],
        )

    assert refused.value.message_dict == {
        f"entries.{people_b[0].pk}": ["Lê Văn Bình is not a current member of the unit."]
    }
    assert Registration.objects.filter(unit=unit_a).count() == 0


def test_save_registration_checks_who_registers(people_a, unit_year, unit_a, head_b):
    registration = Registration(campaign=unit_year.campaign, unit=unit_a)

    with pytest.raises(PermissionDenied):
        registering.save_registration(
            registration, by=head_b, commitments="", target_title=None, entries=[]
        )


# ---------------------------------------------------------------------------
# Informative only.


def test_page_says_registration_is_informative(people_a, unit_year, unit_a, head_a, en_client):
    en_client.force_login(head_a)

    response = en_client.get(unit_url(unit_year, unit_a))

    assert NOTICE in response.text


def test_missing_registration_does_not_block_an_assessment_or_a_title(people_a, unit_year, head_a):
    person = people_a[1]

    saved = save_assessment(
        None,
        period=unit_year.period,
        person=person,
        by=head_a,
        expected_version=0,
        data={
            "grade": "excellent",
            "months_worked": 12,
            "proposed_title": unit_year.cstdcs,
            "leader_scores": {},
        },
        now=timezone.now(),
    )

    assert Registration.objects.count() == 0
    assert (saved.grade, saved.proposed_title) == ("excellent", unit_year.cstdcs)
    assert list(IndividualAssessment.objects.values_list("person_id", flat=True)) == [person.pk]


# ---------------------------------------------------------------------------
# The officers' list and its export.


def test_registration_list_shows_every_participating_unit(
    registration_b, people_a, unit_year, unit_a, unit_b, unit_c, head_b, officer, en_client
):
    en_client.force_login(officer)

    response = en_client.get(list_url(unit_year))

    rows = [
        (row.unit.name, row.registration is not None, row.entry_count)
        for row in response.context["rows"]
    ]
    assert rows == [
        ("Vụ Pháp chế", False, 0),
        ("Cục Viễn thám", True, 1),
        ("Viện Chiến lược", False, 0),
    ]
    assert "1 of 3 participating units registered" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"registered": "yes"}, ["Cục Viễn thám"]),
        ({"registered": "no"}, ["Vụ Pháp chế", "Viện Chiến lược"]),
        ({"q": "UNIT-B"}, ["Cục Viễn thám"]),  # the code
        ({"q": "viện"}, ["Viện Chiến lược"]),
        ({"q": "Vụ Pháp"}, ["Vụ Pháp chế"]),
        ({"q": "vu phap"}, ["Vụ Pháp chế"]),  # typed without diacritics
        ({"q": "VIEN"}, ["Cục Viễn thám", "Viện Chiến lược"]),
        ({"q": "vcl"}, ["Viện Chiến lược"]),  # the short name
        ({"q": "Vụ Pháp", "registered": "yes"}, []),
        ({"registered": "maybe"}, ["Vụ Pháp chế", "Cục Viễn thám", "Viện Chiến lược"]),
    ],
)
def test_registration_list_filters(
    registration_b, unit_year, unit_a, unit_b, unit_c, officer, en_client, query, expected
):
    en_client.force_login(officer)

    response = en_client.get(list_url(unit_year), query)

    assert [row.unit.name for row in response.context["rows"]] == expected
    # The totals stay those of the movement, whatever the filter.
    assert "1 of 3 participating units registered" in response.text
    if not expected:
        assert "No unit matches these filters." in response.text


def test_registration_list_pages_a_hundred_units(unit_year, officer, en_client):
    unit_year.campaign.participants.clear()
    units = [UnitFactory(name=f"Sở {n:03d}", order=n) for n in range(101)]
    unit_year.campaign.participants.add(*units)
    en_client.force_login(officer)

    first = en_client.get(list_url(unit_year))
    second = en_client.get(list_url(unit_year), {"page": 2, "registered": "no"})
    beyond = en_client.get(list_url(unit_year), {"page": 99})

    assert len(first.context["rows"]) == 100
    assert "Page 1 of 2" in first.text
    assert "?page=2" in first.text
    assert [row.unit.name for row in second.context["rows"]] == ["Sở 100"]
    assert "?registered=no&amp;page=1" in second.text
    assert [row.unit.name for row in beyond.context["rows"]] == ["Sở 100"]
    assert "0 of 101 participating units registered" in first.text


@pytest.mark.parametrize("item_count", [1, 3])
def test_registration_list_queries_do_not_grow_with_units(
    unit_year, officer, client, django_assert_num_queries, item_count
):
    unit_year.campaign.participants.clear()
    for _n in range(item_count):
        unit = UnitFactory()
        unit_year.campaign.participants.add(unit)
        registration = Registration.objects.create(
            campaign=unit_year.campaign, unit=unit, target_title=unit_year.ttldtt
        )
        RegistrationEntry.objects.create(
            registration=registration,
            person=PersonFactory(unit=unit),
            target_title=unit_year.ldtt,
        )
    client.force_login(officer)

    # session, user, campaign, units matching (count, then the page), registrations of
    # the page with their entry counts, registered and participating totals, year end
    with django_assert_num_queries(8):
        response = client.get(list_url(unit_year))

    assert len(response.context["rows"]) == item_count


def test_registration_export_columns(registration_b, unit_year, officer, en_client):
    en_client.force_login(officer)

    response = en_client.get(
        reverse("campaigns:registrations_export", args=[unit_year.campaign.pk])
    )

    rows = read_xlsx(response.content)
    assert rows[0] == [
        "Unit code",
        "Unit",
        "Registered",
        "Collective title aimed for",
        "Individuals registered",
        "Commitments",
        "Registered by",
        "Updated on",
    ]
    today = timezone.localdate()
    assert [row[:7] for row in rows[1:]] == [
        ["unit-a", "Vụ Pháp chế", "No", None, 0, None, None],
        [
            "unit-b",
            "Cục Viễn thám",
            "Yes",
            unit_year.ttldtt.name_en,
            1,
            "Cam kết riêng của đơn vị B",
            registration_b.registered_by.display_name,
        ],
        ["unit-c", "Viện Chiến lược", "No", None, 0, None, None],
    ]
    assert [row[7] and row[7].date() for row in rows[1:]] == [None, today, None]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("head_a", 403),
        ("head_b", 403),
        ("block_head", 403),
        ("officer", 200),
        ("council", 403),
        ("leader", 200),
    ],
)
def test_registration_export_by_role(registration_b, unit_year, cast, client_for, role, status):
    url = reverse("campaigns:registrations_export", args=[unit_year.campaign.pk])

    response = client_for(cast[role]).get(url)

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


# ---------------------------------------------------------------------------
# Where the pages are linked from.


def test_home_links_the_unit_year_for_its_managers(unit_year, unit_a, head_a, client):
    client.force_login(head_a)

    response = client.get(reverse("home"))

    assert unit_url(unit_year, unit_a) in response.text
    individuals = reverse("campaigns:individuals", args=[unit_year.period.pk, unit_a.pk])
    assert individuals in response.text


def test_campaign_page_links_the_managed_units_only(unit_year, unit_a, unit_b, head_a, client):
    client.force_login(head_a)

    response = client.get(reverse("campaigns:detail", args=[unit_year.campaign.pk]))

    assert unit_url(unit_year, unit_a) in response.text
    assert unit_url(unit_year, unit_b) not in response.text
    assert list_url(unit_year) not in response.text


def test_campaign_page_links_the_officers_list(unit_year, officer, client):
    client.force_login(officer)

    response = client.get(reverse("campaigns:detail", args=[unit_year.campaign.pk]))

    assert list_url(unit_year) in response.text
