"""Next year's blocks and clusters from this year's (the rotation of domain.md §3.3):
the same code, name, kind, order and members, with the head and deputy units chosen
for the new year (by default this year's deputy becomes the head)."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from units.models import EmulationGroup, GroupMembership, Unit


class RotationRefused(Exception):
    """Nothing was created; the message says why."""


@dataclass(frozen=True)
class NextYear:
    """One group to carry over, with next year's head and deputy units (or None)."""

    group: EmulationGroup
    head_unit: Unit | None
    deputy_unit: Unit | None


def default_head(group: EmulationGroup) -> Unit | None:
    """This year's deputy unit becomes next year's head unit."""
    return group.deputy_unit


def rotate(plans: list[NextYear]) -> list[EmulationGroup]:
    """Create each group for its year + 1 with its members, all or nothing. Refused
    (RotationRefused) when a group with that code already exists that year, when
    head and deputy are the same unit, or when a member is already in a group of
    the same kind that year."""
    _check_codes(plans)
    for plan in plans:
        if plan.head_unit and plan.head_unit == plan.deputy_unit:
            raise RotationRefused(
                _("%(code)s: the deputy head unit must differ from the head unit.")
                % {"code": plan.group.code}
            )
    members = {
        plan.group.pk: list(plan.group.memberships.values_list("unit_id", flat=True))
        for plan in plans
    }
    _check_places(plans, members)
    created = []
    try:
        with transaction.atomic():
            for plan in plans:
                source = plan.group
                copy = EmulationGroup.objects.create(
                    kind=source.kind,
                    year=source.year + 1,
                    code=source.code,
                    name=source.name,
                    head_unit=plan.head_unit,
                    deputy_unit=plan.deputy_unit,
                    order=source.order,
                )
                # bulk_create skips GroupMembership.save: year and kind are set here.
                GroupMembership.objects.bulk_create(
                    GroupMembership(group=copy, unit_id=unit_id, year=copy.year, kind=copy.kind)
                    for unit_id in members[source.pk]
                )
                created.append(copy)
    except IntegrityError:
        # A concurrent change since the checks above: the constraints refused it.
        raise RotationRefused(
            _("Nothing was created: a unit would be in two blocks or clusters of the same kind.")
        ) from None
    return created


def _check_codes(plans: list[NextYear]) -> None:
    wanted = {(plan.group.year + 1, plan.group.code) for plan in plans}
    if len(wanted) != len(plans):
        raise RotationRefused(_("Nothing was created: two selected groups have the same code."))
    existing = sorted(
        f"{code} ({year})"
        for year, code in EmulationGroup.objects.filter(
            year__in={year for year, _code in wanted}
        ).values_list("year", "code")
        if (year, code) in wanted
    )
    if existing:
        raise RotationRefused(
            _("Nothing was created: these already exist for next year: %(codes)s.")
            % {"codes": ", ".join(existing)}
        )


def _check_places(plans: list[NextYear], members: dict[int, list[int]]) -> None:
    """A unit is in at most one group of a kind a year, counting what exists already
    and what is about to be created."""
    taken: dict[tuple[int, int, str], str] = {
        (unit_id, year, kind): name
        for unit_id, year, kind, name in GroupMembership.objects.filter(
            year__in={plan.group.year + 1 for plan in plans}
        ).values_list("unit_id", "year", "kind", "group__name")
    }
    clashes = []
    names = dict(
        Unit.objects.filter(pk__in={u for ids in members.values() for u in ids}).values_list(
            "pk", "name"
        )
    )
    for plan in plans:
        year = plan.group.year + 1
        for unit_id in members[plan.group.pk]:
            key = (unit_id, year, plan.group.kind)
            if key in taken:
                clashes.append(
                    _("%(unit)s is already in %(group)s in %(year)s.")
                    % {"unit": names.get(unit_id, unit_id), "group": taken[key], "year": year}
                )
            else:
                taken[key] = plan.group.name
    if clashes:
        raise RotationRefused(_("Nothing was created:") + " " + " ".join(clashes))
