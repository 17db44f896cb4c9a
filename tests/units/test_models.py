import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from units.enums import GroupKind, Role
from units.models import GroupMembership, Unit

from ..factories import (
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def _refused(**create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create.pop("factory")(**create)


def test_unit_code_is_unique():
    UnitFactory(code="vu-phap-che")

    _refused(factory=UnitFactory, code="vu-phap-che")


def test_unit_cannot_be_its_own_parent():
    unit = UnitFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=unit.pk).update(parent=unit)


def test_unit_clean_refuses_a_cycle():
    top = UnitFactory()
    child = UnitFactory(parent=top)
    top.parent = child

    with pytest.raises(ValidationError) as excinfo:
        top.full_clean()

    assert list(excinfo.value.message_dict) == ["parent"]


def test_membership_is_unique_per_user_and_unit():
    membership = MembershipFactory(role=Role.HEAD)

    _refused(factory=MembershipFactory, user=membership.user, unit=membership.unit)


def test_employee_code_is_unique_when_given():
    PersonFactory(employee_code="NV001")
    PersonFactory(employee_code="")
    PersonFactory(employee_code="")

    _refused(factory=PersonFactory, employee_code="NV001")


def test_unit_belongs_to_one_block_per_year():
    unit = UnitFactory()
    GroupMembershipFactory(group=EmulationGroupFactory(kind=GroupKind.BLOCK, year=2024), unit=unit)
    other_block = EmulationGroupFactory(kind=GroupKind.BLOCK, year=2024)

    _refused(factory=GroupMembershipFactory, group=other_block, unit=unit)


def test_unit_may_join_a_block_of_another_year():
    unit = UnitFactory()
    GroupMembershipFactory(group=EmulationGroupFactory(year=2024), unit=unit)

    GroupMembershipFactory(group=EmulationGroupFactory(year=2025), unit=unit)

    assert sorted(GroupMembership.objects.filter(unit=unit).values_list("year", flat=True)) == [
        2024,
        2025,
    ]


def test_group_membership_copies_year_and_kind_from_group():
    group = EmulationGroupFactory(kind=GroupKind.CLUSTER, year=2026)

    membership = GroupMembershipFactory(group=group)

    assert (membership.year, membership.kind) == (2026, GroupKind.CLUSTER)


def test_group_membership_clean_names_the_other_group(english):
    unit = UnitFactory(name="Sở TN&MT Long An")
    GroupMembershipFactory(
        group=EmulationGroupFactory(year=2024, name="Cụm thi đua số VIII"), unit=unit
    )
    membership = GroupMembership(group=EmulationGroupFactory(year=2024), unit=unit)

    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()

    assert excinfo.value.message_dict["unit"] == [
        "Sở TN&MT Long An already belongs to Cụm thi đua số VIII in 2024."
    ]


def test_group_code_is_unique_per_year():
    EmulationGroupFactory(year=2024, code="K1")
    EmulationGroupFactory(year=2025, code="K1")

    _refused(factory=EmulationGroupFactory, year=2024, code="K1")


def test_group_head_and_deputy_differ():
    unit = UnitFactory()

    _refused(factory=EmulationGroupFactory, head_unit=unit, deputy_unit=unit)


def test_unit_visible_to_head_is_only_own_unit(head_a, unit_a, unit_b, officer):
    assert list(Unit.objects.visible_to(head_a)) == [unit_a]
    assert set(Unit.objects.visible_to(officer)) == set(Unit.objects.all())


def test_unit_visible_to_block_head_includes_members(block_head, unit_a, unit_b, unit_c):
    assert set(Unit.objects.visible_to(block_head)) == {unit_a, unit_c}


def test_plain_member_of_head_unit_does_not_see_members(unit_a, unit_c, block):
    member = MembershipFactory(unit=unit_c, role=Role.MEMBER).user

    assert list(Unit.objects.visible_to(member)) == [unit_c]
