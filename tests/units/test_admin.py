import pytest
from django.conf import settings
from django.urls import reverse

from units.enums import Role
from units.models import EmulationGroup, Unit, User

from ..factories import (
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MODELS = ["unit", "user", "membership", "person", "emulationgroup"]


@pytest.fixture
def admin_client_en(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("model", MODELS)
def test_change_list_answers_the_superuser(admin_client_en, model, block, head_a):
    PersonFactory()

    response = admin_client_en.get(reverse(f"admin:units_{model}_changelist"))

    assert (response.status_code, response.context["cl"].opts.model_name) == (200, model)


@pytest.mark.parametrize("model", MODELS)
def test_add_page_answers_the_superuser(admin_client_en, model):
    response = admin_client_en.get(reverse(f"admin:units_{model}_add"))

    assert (response.status_code, response.context["add"]) == (200, True)


@pytest.mark.parametrize("model", ["unit", "person"])
def test_import_page_answers_the_superuser(admin_client_en, model):
    response = admin_client_en.get(reverse(f"admin:units_{model}_import"))

    assert (response.status_code, response.context["result"]) == (200, None)


def test_admin_pages_refuse_a_user_who_is_not_staff(client, head_a):
    client.force_login(head_a)

    response = client.get(reverse("admin:units_unit_import"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_permissions_cannot_import(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:units_unit_import"))

    assert response.status_code == 403


def test_unit_change_list_searches_code_name_and_province(admin_client_en, ministry):
    UnitFactory(code="so-hn", name="Sở Hà Nội", province="Hà Nội")
    UnitFactory(code="so-hue", name="Sở Huế", province="Thừa Thiên Huế")

    response = admin_client_en.get(reverse("admin:units_unit_changelist"), {"q": "Hà Nội"})

    assert [u.code for u in response.context["cl"].result_list] == ["so-hn"]


def test_unit_change_list_filters_by_kind_active_and_legal_personality(admin_client_en):
    UnitFactory(code="a", kind="centre", active=True, has_legal_personality=False)
    UnitFactory(code="b", kind="centre", active=False, has_legal_personality=False)
    UnitFactory(code="c", kind="institute", active=True, has_legal_personality=False)

    response = admin_client_en.get(
        reverse("admin:units_unit_changelist"),
        {"kind__exact": "centre", "active__exact": "1", "has_legal_personality__exact": "0"},
    )

    assert [u.code for u in response.context["cl"].result_list] == ["a"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_unit_change_list_query_count_does_not_grow(
    admin_client_en, django_assert_num_queries, ministry, item_count
):
    for _ in range(item_count):
        UnitFactory(parent=ministry)

    # session, user, filtered count, total count, units with their parent
    with django_assert_num_queries(5):
        response = admin_client_en.get(reverse("admin:units_unit_changelist"))

    assert len(response.context["cl"].result_list) == item_count + 1


@pytest.mark.parametrize("item_count", [1, 3])
def test_group_change_list_counts_members_without_a_query_per_group(
    admin_client_en, django_assert_num_queries, item_count
):
    for _ in range(item_count):
        group = EmulationGroupFactory(head_unit=UnitFactory(), deputy_unit=UnitFactory())
        GroupMembershipFactory(group=group)
        GroupMembershipFactory(group=group)

    # session, user, years (filter), filtered count, total count,
    # groups with head, deputy and member count
    with django_assert_num_queries(6):
        response = admin_client_en.get(reverse("admin:units_emulationgroup_changelist"))

    assert [g.member_count for g in response.context["cl"].result_list] == [2] * item_count


def test_group_change_page_shows_its_members_inline(admin_client_en, block, unit_a, unit_c):
    response = admin_client_en.get(reverse("admin:units_emulationgroup_change", args=[block.pk]))

    formset = response.context["inline_admin_formsets"][0].formset
    assert sorted(form.instance.unit_id for form in formset.initial_forms) == sorted(
        [unit_a.pk, unit_c.pk]
    )


def test_user_admin_has_full_name_and_role_flags(admin_client_en, head_a):
    response = admin_client_en.get(reverse("admin:units_user_change", args=[head_a.pk]))

    fields = response.context["adminform"].form.fields
    assert {"full_name", "is_emulation_officer", "is_council_member", "is_leadership"} <= set(
        fields
    )
    memberships = response.context["inline_admin_formsets"][0].formset
    assert [form.instance.role for form in memberships.initial_forms] == [Role.HEAD]


def test_user_change_list_filters_by_role_flag(admin_client_en, officer, council):
    response = admin_client_en.get(
        reverse("admin:units_user_changelist"), {"is_emulation_officer__exact": "1"}
    )

    assert [u.username for u in response.context["cl"].result_list] == ["officer"]


def test_user_add_page_creates_a_user_with_a_role(admin_client_en):
    data = {
        "username": "newofficer",
        "full_name": "Nguyễn Thị Mới",
        "email": "moi@example.vn",
        "usable_password": "true",
        "password1": "A-long-pass-2024!",
        "password2": "A-long-pass-2024!",
        "is_emulation_officer": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }

    response = admin_client_en.post(reverse("admin:units_user_add"), data)

    assert response.status_code == 302
    user = User.objects.get(username="newofficer")
    assert (user.full_name, user.is_emulation_officer, user.is_leadership) == (
        "Nguyễn Thị Mới",
        True,
        False,
    )


def test_membership_change_list_shows_user_and_unit(admin_client_en, unit_a):
    MembershipFactory(unit=unit_a, role=Role.OFFICER, user__username="can-bo")

    response = admin_client_en.get(
        reverse("admin:units_membership_changelist"), {"role__exact": Role.OFFICER}
    )

    assert [(m.user.username, m.unit.code) for m in response.context["cl"].result_list] == [
        ("can-bo", "unit-a")
    ]


def test_person_change_list_searches_by_unit_code(admin_client_en, unit_a, unit_b):
    PersonFactory(unit=unit_a, full_name="Người A")
    PersonFactory(unit=unit_b, full_name="Người B")

    response = admin_client_en.get(reverse("admin:units_person_changelist"), {"q": "unit-b"})

    assert [p.full_name for p in response.context["cl"].result_list] == ["Người B"]


def test_unit_autocomplete_answers_for_the_parent_field(admin_client_en, ministry):
    response = admin_client_en.get(
        reverse("admin:autocomplete"),
        {"app_label": "units", "model_name": "unit", "field_name": "parent", "term": "bo"},
    )

    assert [item["id"] for item in response.json()["results"]] == [str(ministry.pk)]
    assert Unit.objects.count() == 1


def test_new_group_with_a_unit_already_in_a_block_that_year_gets_a_message(
    admin_client_en, block, unit_a
):
    data = {
        "kind": "block",
        "year": "2024",
        "code": "K-NEW",
        "name": "Khối mới",
        "order": "0",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-unit": unit_a.pk,
    }

    response = admin_client_en.post(reverse("admin:units_emulationgroup_add"), data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        f"{unit_a} already belongs to {block.name} in 2024."
    ]
    assert EmulationGroup.objects.filter(code="K-NEW").exists() is False


def _group_form(group, **changes):
    members = list(group.memberships.all())
    data = {
        "kind": group.kind,
        "year": str(group.year),
        "code": group.code,
        "name": group.name,
        "order": str(group.order),
        "memberships-TOTAL_FORMS": str(len(members)),
        "memberships-INITIAL_FORMS": str(len(members)),
    }
    for index, member in enumerate(members):
        data[f"memberships-{index}-id"] = member.pk
        data[f"memberships-{index}-group"] = group.pk
        data[f"memberships-{index}-unit"] = member.unit_id
    return {**data, **changes}


def test_changing_a_groups_year_moves_its_members_to_that_year(admin_client_en, block):
    url = reverse("admin:units_emulationgroup_change", args=[block.pk])

    response = admin_client_en.post(url, _group_form(block, year="2025"))

    assert response.status_code == 302
    assert sorted(block.memberships.values_list("year", "kind")) == [
        (2025, "block"),
        (2025, "block"),
    ]


def test_changing_a_groups_year_refuses_a_member_already_placed_that_year(
    admin_client_en, block, unit_a
):
    other = EmulationGroupFactory(year=2025, code="K-2025", name="Khối 2025")
    GroupMembershipFactory(group=other, unit=unit_a)
    url = reverse("admin:units_emulationgroup_change", args=[block.pk])

    response = admin_client_en.post(url, _group_form(block, year="2025"))

    assert response.status_code == 200
    errors = [form.errors for form in response.context["inline_admin_formsets"][0].formset]
    assert [e for e in errors if e] == [
        {"unit": [f"{unit_a} already belongs to Khối 2025 in 2025."]}
    ]
    block.refresh_from_db()
    assert (block.year, sorted(block.memberships.values_list("year", flat=True))) == (
        2024,
        [2024, 2024],
    )


def test_export_with_a_filter_the_list_does_not_know_goes_back_to_the_list(admin_client_en):
    response = admin_client_en.get(reverse("admin:units_unit_export"), {"nonsense": "1"})

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("admin:units_unit_changelist") + "?e=1",
    )


def test_import_page_loads_the_stylesheet_of_its_error_table(admin_client_en):
    response = admin_client_en.get(reverse("admin:units_unit_import"))

    assert response.content.decode().count("admin-extra/admin.css") == 1
