"""Who may see what of the organisation: django-rules predicates and permissions.

Predicates take (user, obj). Ministry-wide roles are flags on the user; unit roles
come from Membership rows, read once per user object and cached on it (the request's
user lives for one request), so a page that checks many units runs no query per unit.
"""

import rules
from django.db import models

from units.enums import UNIT_MANAGING_ROLES
from units.models import GroupMembership, Membership

_ROLES_CACHE = "_rules_unit_roles"
_HEADED_CACHE = "_rules_headed_members"
_SCORED_CACHE = "_rules_block_scored"


def unit_roles(user) -> dict[int, str]:
    """The user's role in each of their units, keyed by unit id."""
    if not user.is_authenticated or user.pk is None:
        return {}
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user=user).order_by().values_list("unit_id", "role")
        )
        setattr(user, _ROLES_CACHE, cached)
    return cached


def member_unit_ids(user) -> set[int]:
    return set(unit_roles(user))


def managed_unit_ids(user) -> set[int]:
    """Units where the user is head, deputy or the unit's emulation officer."""
    return {unit_id for unit_id, role in unit_roles(user).items() if role in UNIT_MANAGING_ROLES}


def headed_group_members(user) -> set[tuple[int, int]]:
    """(unit id, year) of every member of a block or cluster headed by a unit the
    user manages."""
    managed = managed_unit_ids(user)
    if not managed:
        return set()
    cached = getattr(user, _HEADED_CACHE, None)
    if cached is None:
        cached = set(
            GroupMembership.objects.filter(group__head_unit_id__in=managed)
            .order_by()
            .values_list("unit_id", "year")
        )
        setattr(user, _HEADED_CACHE, cached)
    return cached


def block_scored_units(user) -> set[tuple[int, int]]:
    """(unit id, year) of every sheet the user may score for a block or cluster: the
    members of a group headed by a unit the user manages, except the head unit
    itself, whose sheet the deputy unit scores (a unit never scores itself)."""
    managed = managed_unit_ids(user)
    if not managed:
        return set()
    cached = getattr(user, _SCORED_CACHE, None)
    if cached is None:
        headed = GroupMembership.objects.filter(group__head_unit_id__in=managed).exclude(
            unit_id=models.F("group__head_unit_id")
        )
        deputy_of = GroupMembership.objects.filter(
            group__deputy_unit_id__in=managed, unit_id=models.F("group__head_unit_id")
        )
        cached = set(headed.order_by().values_list("unit_id", "year")) | set(
            deputy_of.order_by().values_list("unit_id", "year")
        )
        setattr(user, _SCORED_CACHE, cached)
    return cached


def forget_cached_roles(user) -> None:
    """Drop every cached rule fact (names start with _rules_), e.g. after changing a
    user's memberships in a test or a command."""
    for name in [name for name in vars(user) if name.startswith("_rules_")]:
        delattr(user, name)


@rules.predicate
def is_admin(user, obj=None) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_staff(user, obj=None) -> bool:
    return bool(getattr(user, "is_staff", False))


@rules.predicate
def is_emulation_officer(user, obj=None) -> bool:
    return bool(getattr(user, "is_emulation_officer", False))


@rules.predicate
def is_leadership(user, obj=None) -> bool:
    return bool(getattr(user, "is_leadership", False))


@rules.predicate
def is_council_member(user, obj=None) -> bool:
    return bool(getattr(user, "is_council_member", False))


@rules.predicate
def is_member_of_unit(user, unit) -> bool:
    return unit is not None and unit.pk in unit_roles(user)


@rules.predicate
def manages_unit(user, unit) -> bool:
    return unit is not None and unit.pk in managed_unit_ids(user)


@rules.predicate
def heads_group_of_unit(user, unit) -> bool:
    """The user manages the head unit of a block or cluster (of any year) that the
    unit belongs to."""
    if unit is None:
        return False
    return any(unit_id == unit.pk for unit_id, _year in headed_group_members(user))


# The ministry-wide roles: they see every unit, and everything of every unit that is
# not personal to a block's work.
has_ministry_wide_view = is_admin | is_emulation_officer | is_leadership

rules.add_perm("units.view_every_unit", has_ministry_wide_view)
# A unit's page is scoped, not role-gated: a unit outside the user's scope does not
# exist for them (404). That includes council members, who read movements and the
# blocks and clusters page but no unit's people: their unit pages answer 404 too.
rules.add_perm("units.view_unit", has_ministry_wide_view | is_member_of_unit | heads_group_of_unit)
# Accounts and roles of a unit: the ministry and the unit's own managers, not the
# block head (who sees the unit read-only).
rules.add_perm("units.view_unit_accounts", has_ministry_wide_view | manages_unit)
# The composition of blocks and clusters is published by decision: any signed-in user.
rules.add_perm("units.view_groups", rules.is_authenticated & rules.is_active)

# Lifting a login lockout (units/lockout.py): the Department's officers and admins.
rules.add_perm("units.unlock_accounts", is_admin | is_emulation_officer)
# The Django administration site (Django itself requires is_staff to log in to it).
rules.add_perm("units.use_admin", is_staff & rules.is_active)
