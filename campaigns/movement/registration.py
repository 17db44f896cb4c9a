"""A unit's emulation registration (đăng ký thi đua) at the start of the year.

Registration is informative only: the 2022 Law on Emulation and Commendation
removed it as a ground for titles, so no other function reads it to allow or refuse
anything. The unit records its commitments, the collective title it aims for and the
people registering for individual titles; the emulation officers list and export them.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.enums import TitleSubject
from campaigns.models import Campaign, Registration, RegistrationEntry, Title
from spreadsheets.specs import Column, Date, Integer, SheetSpec, Text, export_workbook
from units.models import Person, Unit
from units.text import matcher


def registration_for(campaign: Campaign, unit: Unit) -> Registration:
    """The unit's registration, or an unsaved one to fill (it also serves as the
    permission object: it carries the unit and the campaign)."""
    registration = (
        Registration.objects.filter(campaign=campaign, unit=unit)
        .select_related("target_title", "registered_by")
        .first()
    )
    return registration or Registration(campaign=campaign, unit=unit)


@dataclass(frozen=True)
class EntryChoice:
    """A person of the unit and the individual title they aim for (None: not registering)."""

    person: Person
    title: Title | None


def save_registration(
    registration: Registration,
    *,
    by,
    commitments: str,
    target_title: Title | None,
    entries: Sequence[EntryChoice],
) -> Registration:
    """Create or replace the unit's registration and its individual entries at once.

    The target title must be an active collective title; each entry a person of the
    unit with an active individual title (entries without a title are dropped). Raises
    PermissionDenied when `by` may not change it, ValidationError (keyed by field, an
    entry under "entries.<person id>") when the choices are wrong; nothing is saved then.
    """
    if not by.has_perm("campaigns.change_registration", registration):
        raise PermissionDenied
    chosen = [entry for entry in entries if entry.title is not None]
    _validate(registration, target_title, chosen)
    with transaction.atomic():
        # The row is made if needed and locked before its entries are replaced, so
        # two saves at once (a double click) run one after the other instead of
        # both inserting it or both inserting the same entries.
        row, _created = Registration.objects.get_or_create(
            campaign_id=registration.campaign_id, unit_id=registration.unit_id
        )
        row = Registration.objects.select_for_update().get(pk=row.pk)
        registration.pk, registration._state.adding = row.pk, False
        registration.commitments = commitments.strip()
        registration.target_title = target_title
        registration.registered_by = by
        registration.save()
        registration.entries.all().delete()
        RegistrationEntry.objects.bulk_create(
            RegistrationEntry(registration=registration, person=e.person, target_title=e.title)
            for e in chosen
        )
    return registration


def _validate(registration: Registration, target: Title | None, entries: list[EntryChoice]):
    errors: dict[str, list[str]] = {}
    if target is not None and (target.subject != TitleSubject.COLLECTIVE or not target.active):
        errors["target_title"] = [
            _("“{title}” is not a collective title that is still awarded.").format(title=target)
        ]
    seen = set()
    for entry in entries:
        key = f"entries.{entry.person.pk}"
        if entry.person.unit_id != registration.unit_id or not entry.person.active:
            message = _("{person} is not a current member of the unit.")
            errors.setdefault(key, []).append(message.format(person=entry.person))
        elif entry.person.pk in seen:
            message = _("{person} is listed twice.")
            errors.setdefault(key, []).append(message.format(person=entry.person))
        if entry.title.subject != TitleSubject.INDIVIDUAL or not entry.title.active:
            message = _("{person}: “{title}” is not an individual title that is still awarded.")
            errors.setdefault(key, []).append(
                message.format(person=entry.person, title=entry.title)
            )
        seen.add(entry.person.pk)
    if errors:
        raise ValidationError(errors)


def current_entries(registration: Registration) -> dict[int, int]:
    """Title id aimed for by each registered person, by person id."""
    if registration.pk is None:
        return {}
    return dict(registration.entries.values_list("person_id", "target_title_id"))


# ---------------------------------------------------------------------------
# The officers' list of a campaign.


@dataclass
class RegistrationRow:
    """A participating unit and its registration, if it has one."""

    unit: Unit
    registration: Registration | None

    @property
    def entry_count(self) -> int:
        return self.registration.entry_count if self.registration else 0

    @property
    def updated_on(self) -> dt.date | None:
        if self.registration is None:
            return None
        return timezone.localtime(self.registration.updated_at).date()

    @property
    def registered_label(self) -> str:
        return _("Yes") if self.registration else _("No")


def registration_rows(campaign: Campaign, units=None) -> list[RegistrationRow]:
    """The participating units (all of them in display order, or the page given) with
    their registration (target title, who registered, number of individuals): two
    queries, whatever the number of units."""
    registrations = Registration.objects.filter(campaign=campaign)
    if units is None:
        units = campaign.participants.order_by("order", "name", "pk")
    else:
        units = list(units)
        registrations = registrations.filter(unit__in=[u.pk for u in units])
    registrations = {
        r.unit_id: r
        for r in registrations.select_related("target_title", "registered_by").annotate(
            entry_count=Count("entries")
        )
    }
    return [RegistrationRow(unit, registrations.get(unit.pk)) for unit in units]


def filtered_participants(campaign: Campaign, *, search: str = "", registered: str = ""):
    """The participating units in display order, narrowed to a name, short name or
    code containing `search` (with or without diacritics, in any case), and to those
    that registered ("yes") or not ("no")."""
    units = campaign.participants.order_by("order", "name", "pk")  # pages stay stable
    if search:
        # A movement has at most a few thousand units: fold their names here rather
        # than depend on PostgreSQL's unaccent extension.
        found_in = matcher(search)
        found = [
            pk
            for pk, name, short_name, code in campaign.participants.values_list(
                "pk", "name", "short_name", "code"
            )
            if found_in(name, short_name, code)
        ]
        units = units.filter(pk__in=found)
    done = Registration.objects.filter(campaign=campaign).values("unit_id")
    if registered == "yes":
        units = units.filter(pk__in=done)
    elif registered == "no":
        units = units.exclude(pk__in=done)
    return units


def registration_counts(campaign: Campaign) -> tuple[int, int]:
    """(participating units that registered, participating units): one query."""
    counts = campaign.participants.aggregate(
        total=Count("pk", distinct=True),
        registered=Count("pk", filter=Q(registrations__campaign=campaign), distinct=True),
    )
    return counts["registered"], counts["total"]


class RegistrationSheet(SheetSpec):
    """The officers' export: one row per participating unit (export only)."""

    model = Registration
    title = gettext_lazy("Registrations")
    columns = (
        Column("unit_code", gettext_lazy("Unit code"), Text(), source="unit.code"),
        Column("unit_name", gettext_lazy("Unit"), Text(), source="unit.name"),
        Column("registered", gettext_lazy("Registered"), Text(), source="registered_label"),
        Column(
            "target_title",
            gettext_lazy("Collective title aimed for"),
            Text(),
            source="registration.target_title.name",
        ),
        Column("entry_count", gettext_lazy("Individuals registered"), Integer()),
        Column(
            "commitments", gettext_lazy("Commitments"), Text(), source="registration.commitments"
        ),
        Column(
            "registered_by",
            gettext_lazy("Registered by"),
            Text(),
            source="registration.registered_by.display_name",
        ),
        Column("updated_on", gettext_lazy("Updated on"), Date()),
    )


def export_registrations(rows: Iterable[RegistrationRow]) -> bytes:
    """The list as an .xlsx in the active language."""
    return export_workbook(RegistrationSheet(), rows)
