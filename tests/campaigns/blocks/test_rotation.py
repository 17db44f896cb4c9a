"""Next year's blocks and clusters from this year's, through the admin: the
intermediate page with the head and deputy editable, the groups created with their
members, and the refusals that leave nothing behind. And the movement's block rules,
bands and the titles units received, in the admin."""

import re
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse

from campaigns.models import Band, BlockRules, Title, UnitTitle
from units.enums import GroupKind
from units.models import EmulationGroup, GroupMembership

from ...factories import (
    CampaignFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:units_emulationgroup_changelist"


@pytest.fixture
def admin_client_en(client, admin_user):
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def groups(db):
    """Two 2024 groups: block K1 (head A, deputy B; members A, B, C) and cluster C1
    (head P; members P, Q)."""
    a, b, c, p, q = (UnitFactory(name=n) for n in ("Vụ A", "Vụ B", "Vụ C", "Sở P", "Sở Q"))
    k1 = EmulationGroupFactory(
        kind=GroupKind.BLOCK,
        year=2024,
        code="K1",
        name="Khối 1",
        head_unit=a,
        deputy_unit=b,
        order=3,
    )
    c1 = EmulationGroupFactory(
        kind=GroupKind.CLUSTER, year=2024, code="C1", name="Cụm 1", head_unit=p
    )
    for group, units in ((k1, (a, b, c)), (c1, (p, q))):
        for unit in units:
            GroupMembershipFactory(group=group, unit=unit)
    return k1, c1, {u.name: u for u in (a, b, c, p, q)}


def _act(client, groups, **data):
    return client.post(
        reverse(CHANGELIST),
        {"action": "create_next_year", "_selected_action": [g.pk for g in groups], **data},
    )


def test_the_intermediate_page_proposes_the_deputy_as_head_and_saves_nothing(
    admin_client_en, groups
):
    k1, c1, units = groups
    response = _act(admin_client_en, [k1, c1])

    assert response.status_code == 200
    html = response.content.decode()
    head = re.search(rf'<select name="group-{k1.pk}-head_unit"[^>]*>(.*?)</select>', html, re.S)
    assert f'<option value="{units["Vụ B"].pk}" selected>' in head.group(1)
    options = re.findall(r'<option value="(\d+)"', head.group(1))
    assert sorted(map(int, options)) == sorted(units[n].pk for n in ("Vụ A", "Vụ B", "Vụ C"))
    assert "2024 → 2025" in html
    assert EmulationGroup.objects.filter(year=2025).count() == 0


def test_saving_creates_next_years_groups_with_their_members(admin_client_en, groups):
    k1, c1, units = groups
    response = _act(
        admin_client_en,
        [k1, c1],
        confirm="1",
        **{
            f"group-{k1.pk}-head_unit": units["Vụ B"].pk,
            f"group-{k1.pk}-deputy_unit": units["Vụ C"].pk,
            f"group-{c1.pk}-head_unit": units["Sở Q"].pk,
            f"group-{c1.pk}-deputy_unit": "",
        },
    )

    assert response.status_code == 302
    new = {g.code: g for g in EmulationGroup.objects.filter(year=2025)}
    assert set(new) == {"K1", "C1"}
    k1_next = new["K1"]
    assert (k1_next.name, k1_next.kind, k1_next.order) == ("Khối 1", GroupKind.BLOCK, 3)
    assert (k1_next.head_unit, k1_next.deputy_unit) == (units["Vụ B"], units["Vụ C"])
    assert (new["C1"].head_unit, new["C1"].deputy_unit) == (units["Sở Q"], None)
    members = set(
        GroupMembership.objects.filter(year=2025).values_list("group__code", "unit__name", "kind")
    )
    assert members == {
        ("K1", "Vụ A", GroupKind.BLOCK),
        ("K1", "Vụ B", GroupKind.BLOCK),
        ("K1", "Vụ C", GroupKind.BLOCK),
        ("C1", "Sở P", GroupKind.CLUSTER),
        ("C1", "Sở Q", GroupKind.CLUSTER),
    }
    # This year's are untouched.
    k1.refresh_from_db()
    assert (k1.year, k1.head_unit, k1.memberships.count()) == (2024, units["Vụ A"], 3)


def test_a_code_that_exists_next_year_refuses_everything(admin_client_en, groups):
    k1, c1, units = groups
    EmulationGroupFactory(kind=GroupKind.CLUSTER, year=2025, code="C1", name="Cụm 1 đã có")

    response = _act(
        admin_client_en,
        [k1, c1],
        confirm="1",
        **{f"group-{k1.pk}-head_unit": units["Vụ B"].pk, f"group-{c1.pk}-head_unit": ""},
    )

    assert response.status_code == 200
    assert "these already exist for next year: C1 (2025)" in response.content.decode()
    assert list(EmulationGroup.objects.filter(year=2025).values_list("code", flat=True)) == ["C1"]


def test_a_unit_already_in_a_block_next_year_is_a_message_not_a_500(admin_client_en, groups):
    k1, c1, units = groups
    other = EmulationGroupFactory(kind=GroupKind.BLOCK, year=2025, code="K9", name="Khối 9")
    GroupMembershipFactory(group=other, unit=units["Vụ C"])

    response = _act(admin_client_en, [k1, c1], confirm="1")

    assert response.status_code == 200
    assert "Vụ C is already in Khối 9 in 2025." in response.content.decode()
    assert set(EmulationGroup.objects.filter(year=2025).values_list("code", flat=True)) == {"K9"}
    assert GroupMembership.objects.filter(year=2025).count() == 1


def test_the_same_unit_as_head_and_deputy_is_refused_on_the_form(admin_client_en, groups):
    k1, _c1, units = groups
    response = _act(
        admin_client_en,
        [k1],
        confirm="1",
        **{
            f"group-{k1.pk}-head_unit": units["Vụ C"].pk,
            f"group-{k1.pk}-deputy_unit": units["Vụ C"].pk,
        },
    )

    assert response.status_code == 200
    assert "The deputy head unit must differ from the head unit." in response.content.decode()
    assert not EmulationGroup.objects.filter(year=2025).exists()


def test_a_deputy_outside_the_members_is_refused(admin_client_en, groups):
    k1, _c1, units = groups
    response = _act(
        admin_client_en,
        [k1],
        confirm="1",
        **{f"group-{k1.pk}-deputy_unit": units["Sở P"].pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not EmulationGroup.objects.filter(year=2025).exists()


def test_the_action_needs_the_add_permission(client, groups):
    staff = UserFactory(username="staff", is_staff=True)
    client.force_login(staff)
    k1, _c1, _units = groups
    response = _act(client, [k1], confirm="1")
    assert response.status_code in (302, 403)
    assert not EmulationGroup.objects.filter(year=2025).exists()


def _post_data(context) -> dict:
    """What the change form would post as it is shown."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            else:
                data[bound.html_name] = str(value)

    add(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def test_block_rules_and_bands_are_edited_in_the_movement(admin_client_en):
    campaign = CampaignFactory(year=2024)
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])

    response = admin_client_en.get(url)
    html = response.content.decode()
    assert "Deducted for each day a sheet was sent after the due date." in html
    assert "A unit with both flags gets only this one, the higher." in html
    data = _post_data(response.context)
    data.update(
        {
            "block_rules-TOTAL_FORMS": "1",
            "block_rules-0-late_points_per_day": "2",
            "block_rules-0-late_points_cap": "6",
            "block_rules-0-ministry_flag_bonus": "8",
            "block_rules-0-government_flag_bonus": "12",
            "block_rules-0-acclamation_share": "50",
            "block_rules-0-flag_places": "1",
            "block_rules-0-merit_places": "3",
            "bands-TOTAL_FORMS": "2",
            "bands-0-name": "Xuất sắc",
            "bands-0-min_total": "90",
            "bands-1-name": "Tốt",
            "bands-1-min_total": "75",
        }
    )

    response = admin_client_en.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    rules = BlockRules.objects.get(campaign=campaign)
    assert (rules.late_points_per_day, rules.late_points_cap, rules.merit_places) == (
        D(2),
        D(6),
        3,
    )
    assert list(Band.objects.filter(campaign=campaign).values_list("name", "min_total")) == [
        ("Xuất sắc", D(90)),
        ("Tốt", D(75)),
    ]


def test_unit_titles_are_listed_filtered_and_searched(admin_client_en):
    kept = UnitFactory(name="Cục Quản lý tài nguyên nước")
    other = UnitFactory(name="Vụ Pháp chế")
    flag = Title.objects.get(code="CO_BO")
    UnitTitle.objects.create(unit=kept, year=2023, title=flag, decision_number="123/QĐ-BTNMT")
    UnitTitle.objects.create(unit=other, year=2022, title=flag)
    url = reverse("admin:campaigns_unittitle_changelist")

    listed = admin_client_en.get(url, {"q": "tài nguyên nước"}).context["cl"].result_list
    assert [t.unit for t in listed] == [kept]
    listed = admin_client_en.get(url, {"year": "2022"}).context["cl"].result_list
    assert [t.unit for t in listed] == [other]
    listed = admin_client_en.get(url, {"title__id__exact": flag.pk}).context["cl"].result_list
    assert len(listed) == 2
