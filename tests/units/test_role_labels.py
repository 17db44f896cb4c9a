"""The Department's emulation officer is named as such wherever roles are named
(the header, the home page, a unit's accounts, the admin's list of roles), not as
a unit's delegated officer; the Vietnamese pages are asserted as shown."""

import re

import pytest
from django.urls import reverse

from units.enums import MinistryRole, Role

from ..factories import MembershipFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

DEPARTMENT_OFFICER = "Cán bộ thi đua của Vụ Tổ chức cán bộ"
UNIT_OFFICER = "Cán bộ thi đua của đơn vị"
BADGES = re.compile(r'<span class="badge">([^<]*)</span>')


@pytest.fixture
def department(ministry):
    return UnitFactory(parent=ministry, code="vu-tccb", name="Vụ Tổ chức cán bộ")


@pytest.fixture
def department_officer(department):
    user = UserFactory(username="tccb", is_emulation_officer=True)
    MembershipFactory(user=user, unit=department, role=Role.OFFICER)
    return user


@pytest.fixture
def unit_officer(unit_a):
    return MembershipFactory(unit=unit_a, role=Role.OFFICER, user__username="officer_a").user


def test_the_department_officer_has_their_own_label_on_home(client_for, department_officer):
    response = client_for(department_officer).get(reverse("home"))

    assert BADGES.findall(response.text) == [DEPARTMENT_OFFICER]


def test_a_units_delegated_officer_keeps_the_units_label(client_for, unit_officer):
    response = client_for(unit_officer).get(reverse("home"))

    assert BADGES.findall(response.text) == [UNIT_OFFICER]


def test_the_departments_accounts_name_its_officer(
    client_for, department, department_officer, officer
):
    head = MembershipFactory(unit=department, role=Role.HEAD, user__username="vu_truong").user

    response = client_for(officer).get(reverse("units:detail", args=[department.pk]))

    roles = {m.user.username: m.role_label for m in response.context["accounts"]}
    assert roles == {head.username: "Thủ trưởng đơn vị", "tccb": DEPARTMENT_OFFICER}
    assert f'<td data-label="Vai trò">{DEPARTMENT_OFFICER}</td>' in response.text


def test_the_admins_list_of_roles_names_the_department_officer(
    client_for, admin_user, department_officer, unit_officer
):
    response = client_for(admin_user).get(reverse("admin:units_membership_changelist"))

    labels = re.findall(r'<td class="field-role_label">([^<]*)</td>', response.text)
    assert sorted(labels) == sorted([DEPARTMENT_OFFICER, UNIT_OFFICER])


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("department_officer", DEPARTMENT_OFFICER),
        ("leader", "Lãnh đạo Bộ"),
        ("council", "Thành viên Hội đồng Thi đua – Khen thưởng"),
        ("admin_user", "Quản trị hệ thống"),
        ("head_a", None),
        ("unit_officer", None),
    ],
)
def test_the_header_names_the_ministry_wide_role(request, client_for, role, shown):
    response = client_for(request.getfixturevalue(role)).get(reverse("home"))

    found = re.search(
        r'<span class="user-role" data-testid="user-role">([^<]*)</span>', response.text
    )
    assert (found.group(1) if found else None) == shown


def test_several_ministry_roles_are_all_named():
    user = UserFactory.build(is_emulation_officer=True, is_council_member=True)

    assert user.ministry_roles == [MinistryRole.OFFICER, MinistryRole.COUNCIL]
