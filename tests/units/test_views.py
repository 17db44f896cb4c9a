import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.views.defaults import permission_denied, server_error

from campaigns.enums import CampaignStatus
from units.enums import GroupKind, Role
from units.views import UnitDetailView

from ..factories import (
    CampaignFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected_status"),
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
def test_unit_page_permissions(cast, client_for, unit_a, role, expected_status):
    response = client_for(cast[role]).get(reverse("units:detail", kwargs={"pk": unit_a.pk}))

    assert response.status_code == expected_status


def test_unit_page_for_admin(client_for, admin_user, unit_a):
    response = client_for(admin_user).get(reverse("units:detail", kwargs={"pk": unit_a.pk}))

    assert response.status_code == 200
    assert response.context["unit"] == unit_a


def test_unit_page_of_a_missing_unit_is_404(client_for, officer):
    response = client_for(officer).get(reverse("units:detail", kwargs={"pk": 999999}))

    assert response.status_code == 404
    assert response.templates[0].name == "404.html"


@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("anonymous", 302),
        ("head_a", 200),
        ("head_b", 200),
        ("block_head", 200),
        ("officer", 200),
        ("council", 200),
        ("leader", 200),
    ],
)
def test_groups_page_permissions(cast, client_for, role, expected_status):
    response = client_for(cast[role]).get(reverse("units:list"))

    assert response.status_code == expected_status


def test_unit_page_shows_people_and_accounts_to_the_unit_head(client_for, head_a, unit_a, unit_b):
    PersonFactory(unit=unit_b, full_name="Người của đơn vị B")
    PersonFactory(unit=unit_a, full_name="Phạm Văn An", is_leader=True)
    PersonFactory(unit=unit_a, full_name="Đỗ Thị Bình")
    MembershipFactory(unit=unit_a, role=Role.OFFICER, user__username="officer_a")

    response = client_for(head_a).get(reverse("units:detail", kwargs={"pk": unit_a.pk}))

    assert [p.full_name for p in response.context["people_page"]] == ["Phạm Văn An", "Đỗ Thị Bình"]
    assert response.context["can_view_accounts"] is True
    assert sorted((m.user.username, m.role) for m in response.context["accounts"]) == [
        ("head_a", Role.HEAD),
        ("officer_a", Role.OFFICER),
    ]
    html = response.content.decode()
    assert "Người của đơn vị B" not in html
    assert "officer_a" in html


def test_block_head_sees_a_member_unit_without_its_accounts(client_for, block_head, head_a, unit_a):
    PersonFactory(unit=unit_a, full_name="Phạm Văn An")

    response = client_for(block_head).get(reverse("units:detail", kwargs={"pk": unit_a.pk}))

    assert [p.full_name for p in response.context["people_page"]] == ["Phạm Văn An"]
    assert response.context["can_view_accounts"] is False
    assert "head_a" not in response.content.decode()


def test_unit_page_paginates_people(client_for, officer, unit_a):
    for index in range(27):
        PersonFactory(unit=unit_a, full_name=f"Người {index:02d}")

    first = client_for(officer).get(reverse("units:detail", kwargs={"pk": unit_a.pk}))
    second = client_for(officer).get(reverse("units:detail", kwargs={"pk": unit_a.pk}), {"page": 2})

    assert len(first.context["people_page"]) == 25
    assert [p.full_name for p in second.context["people_page"]] == ["Người 25", "Người 26"]


@pytest.mark.parametrize("item_count", [1, 3])
def test_unit_page_query_count(client_for, unit_a, item_count, django_assert_num_queries):
    for index in range(item_count):
        PersonFactory(unit=unit_a)
        MembershipFactory(unit=unit_a, role=Role.MEMBER)
        GroupMembershipFactory(unit=unit_a, group=EmulationGroupFactory(year=2020 + index))
    user = MembershipFactory(unit=unit_a, role=Role.HEAD).user
    client = client_for(user)

    # session, user, unit, user's memberships (rules), people count, group memberships,
    # people page, accounts
    with django_assert_num_queries(8):
        response = client.get(reverse("units:detail", kwargs={"pk": unit_a.pk}))

    assert len(response.context["people_page"]) == item_count


def test_groups_page_shows_the_latest_year_by_default(client_for, officer, unit_a, unit_b, unit_c):
    old = EmulationGroupFactory(year=2023, name="Khối cũ")
    GroupMembershipFactory(group=old, unit=unit_b)
    block = EmulationGroupFactory(
        year=2024, kind=GroupKind.BLOCK, name="Khối I", head_unit=unit_c, deputy_unit=unit_a
    )
    GroupMembershipFactory(group=block, unit=unit_a)
    GroupMembershipFactory(group=block, unit=unit_c)

    response = client_for(officer).get(reverse("units:list"))

    assert response.context["years"] == [2024, 2023]
    assert response.context["year"] == 2024
    groups = response.context["groups"]
    assert [(g.name, g.head_unit, g.deputy_unit) for g in groups] == [("Khối I", unit_c, unit_a)]
    assert [m.unit.name for m in groups[0].memberships.all()] == [unit_a.name, unit_c.name]


@pytest.mark.parametrize(
    ("launched", "draft", "group_years", "expected"),
    [
        (2024, 2027, [2024, 2027], 2024),  # the running movement's, not next year's draft
        (2025, None, [2025, 2026], 2025),  # 2025's still running in March 2026
        (None, 2027, [2025, 2026, 2027], 2026),  # nothing launched: today's year
        (2026, None, [2024, 2027], 2024),  # no blocks in 2026: the latest before
        (None, None, [2027], 2027),  # only next year's blocks: those
    ],
)
def test_groups_page_opens_on_the_current_year(
    client_for, officer, time_machine, launched, draft, group_years, expected
):
    time_machine.move_to(dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC), tick=False)
    if launched:
        CampaignFactory(year=launched, status=CampaignStatus.LAUNCHED)
    if draft:
        CampaignFactory(year=draft, status=CampaignStatus.DRAFT)
    for year in group_years:
        EmulationGroupFactory(year=year, name=f"Khối {year}")

    response = client_for(officer).get(reverse("units:list"))

    assert response.context["year"] == expected
    assert [g.name for g in response.context["groups"]] == [f"Khối {expected}"]


def test_groups_page_shows_the_year_asked_for(client_for, officer, unit_b):
    old = EmulationGroupFactory(year=2023, name="Khối cũ")
    GroupMembershipFactory(group=old, unit=unit_b)
    EmulationGroupFactory(year=2024, name="Khối mới")

    response = client_for(officer).get(reverse("units:list"), {"year": "2023"})

    assert response.context["year"] == 2023
    assert [g.name for g in response.context["groups"]] == ["Khối cũ"]


@pytest.mark.parametrize("year", ["1999", "abc", ""])
def test_groups_page_ignores_an_unknown_year(client_for, officer, year):
    EmulationGroupFactory(year=2024, name="Khối mới")

    response = client_for(officer).get(reverse("units:list"), {"year": year})

    assert response.context["year"] == 2024


def test_groups_page_links_only_units_the_user_may_open(client_for, head_a, block, unit_a, unit_c):
    response = client_for(head_a).get(reverse("units:list"))

    assert response.context["viewable_unit_ids"] == {unit_a.pk}
    html = response.content.decode()
    assert f'<a href="{reverse("units:detail", kwargs={"pk": unit_a.pk})}">' in html
    assert f'href="{reverse("units:detail", kwargs={"pk": unit_c.pk})}"' not in html
    assert unit_c.name in html


@pytest.mark.usefixtures("english")
def test_groups_page_without_groups_says_so(client_for, council):
    response = client_for(council).get(reverse("units:list"))

    assert response.context["groups"] == []
    assert "No blocks or clusters have been set up yet." in response.content.decode()


@pytest.mark.parametrize("item_count", [1, 3])
def test_groups_page_query_count(client_for, head_a, item_count, django_assert_num_queries):
    for _ in range(item_count):
        group = EmulationGroupFactory(year=2024, head_unit=UnitFactory(), deputy_unit=UnitFactory())
        for _ in range(item_count):
            GroupMembershipFactory(group=group, unit=UnitFactory())
    EmulationGroupFactory(year=2023)
    client = client_for(head_a)

    # session, user, years, the running movement's year, groups with head and
    # deputy, members with units, user's memberships (rules), members of groups
    # their units head (rules)
    with django_assert_num_queries(8):
        response = client.get(reverse("units:list"))

    assert len(response.context["groups"]) == item_count


class _UnitAccountsView(UnitDetailView):
    """A page that needs more than seeing the unit: the split between 404 and 403."""

    permission_required = "units.view_unit_accounts"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("head_a", 200), ("block_head", PermissionDenied), ("head_b", Http404)],
)
def test_out_of_scope_is_404_and_missing_role_is_403(cast, rf, unit_a, role, expected):
    request = rf.get("/")
    request.user = cast[role]
    view = _UnitAccountsView.as_view()

    if isinstance(expected, int):
        assert view(request, pk=unit_a.pk).status_code == expected
    else:
        with pytest.raises(expected):
            view(request, pk=unit_a.pk)


def test_403_page_renders_in_the_layout(rf, head_a):
    request = rf.get("/somewhere/")
    request.user = head_a

    response = permission_denied(request, PermissionDenied())

    html = response.content.decode()
    assert response.status_code == 403
    assert '<p class="error-page__code">403</p>' in html
    assert '<span class="user-name">' in html


def test_500_page_renders_without_a_request_context(rf):
    with translation.override("vi"):
        response = server_error(rf.get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert '<p class="error-page__code">500</p>' in html
    assert '<html lang="vi">' in html
