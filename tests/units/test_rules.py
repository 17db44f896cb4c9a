import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from units.enums import Role
from units.models import Unit, User
from units.rules import forget_cached_roles

from ..factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"is_superuser": True}, True),
        ({"is_emulation_officer": True}, True),
        ({"is_leadership": True}, True),
        ({"is_council_member": True}, False),
        ({}, False),
    ],
)
def test_view_unit_for_ministry_roles(flags, expected):
    user = User(username="someone", **flags)

    assert user.has_perm("units.view_unit", Unit(pk=1, name="Vụ Pháp chế")) is expected


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"is_superuser": True}, True),
        ({"is_emulation_officer": True}, True),
        ({"is_leadership": True}, True),
        ({"is_council_member": True}, False),
        ({}, False),
    ],
)
def test_view_unit_accounts_for_ministry_roles(flags, expected):
    user = User(username="someone", **flags)

    assert user.has_perm("units.view_unit_accounts", Unit(pk=1)) is expected


@pytest.mark.parametrize(("active", "expected"), [(True, True), (False, False)])
def test_view_groups_needs_an_active_account(active, expected):
    assert User(username="someone", is_active=active).has_perm("units.view_groups") is expected


def test_anonymous_user_sees_no_unit():
    assert AnonymousUser().has_perm("units.view_unit", Unit(pk=1)) is False


def test_unit_head_sees_own_unit_only(head_a, unit_a, unit_b):
    assert head_a.has_perm("units.view_unit", unit_a) is True
    assert head_a.has_perm("units.view_unit", unit_b) is False


def test_block_head_sees_member_units_but_not_their_accounts(block_head, unit_a, unit_b, unit_c):
    seen = {
        unit.code: (
            block_head.has_perm("units.view_unit", unit),
            block_head.has_perm("units.view_unit_accounts", unit),
        )
        for unit in (unit_a, unit_b, unit_c)
    }

    assert seen == {
        "unit-a": (True, False),
        "unit-b": (False, False),
        "unit-c": (True, True),
    }


@pytest.mark.parametrize(
    ("role", "manages"),
    [(Role.HEAD, True), (Role.DEPUTY, True), (Role.OFFICER, True), (Role.MEMBER, False)],
)
def test_unit_accounts_need_a_managing_role(unit_a, role, manages):
    user = MembershipFactory(unit=unit_a, role=role).user

    assert user.has_perm("units.view_unit", unit_a) is True
    assert user.has_perm("units.view_unit_accounts", unit_a) is manages


def test_a_plain_member_of_the_head_unit_does_not_head_the_group(block, unit_a, unit_c):
    member_of_c = MembershipFactory(unit=unit_c, role=Role.MEMBER).user

    assert member_of_c.has_perm("units.view_unit", unit_c) is True
    assert member_of_c.has_perm("units.view_unit", unit_a) is False


def test_council_member_sees_no_unit(council, unit_a):
    assert council.has_perm("units.view_unit", unit_a) is False


def test_checking_many_units_reads_the_roles_once(
    block_head, unit_a, unit_b, unit_c, django_assert_num_queries
):
    # memberships of the user; members of the groups their units head
    with django_assert_num_queries(2):
        results = [block_head.has_perm("units.view_unit", u) for u in (unit_a, unit_b, unit_c)]

    assert results == [True, False, True]


def test_forget_cached_roles_reads_new_memberships(unit_a, unit_b):
    user = UserFactory()
    MembershipFactory(user=user, unit=unit_a)
    assert user.has_perm("units.view_unit", unit_b) is False
    MembershipFactory(user=user, unit=unit_b)

    forget_cached_roles(user)

    assert user.has_perm("units.view_unit", unit_b) is True


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"is_superuser": True}, True),
        ({"is_emulation_officer": True}, True),
        ({"is_leadership": True}, True),
        ({"is_council_member": True}, False),
        ({}, False),
    ],
)
def test_view_every_unit_is_the_ministry_wide_roles(flags, expected):
    assert rules.has_perm("units.view_every_unit", User(username="someone", **flags)) is expected


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"is_staff": True}, True),
        ({"is_staff": True, "is_active": False}, False),
        ({"is_superuser": True}, False),
        ({"is_emulation_officer": True}, False),
        ({}, False),
    ],
)
def test_use_admin_needs_a_staff_account(flags, expected):
    assert rules.has_perm("units.use_admin", User(username="someone", **flags)) is expected


def test_a_unit_head_may_not_view_every_unit(head_a):
    assert rules.has_perm("units.view_every_unit", head_a) is False
