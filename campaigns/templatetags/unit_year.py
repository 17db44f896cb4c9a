"""Links to a unit's year (registration, individual assessments) from campaign pages."""

import rules
from django import template

from campaigns.enums import PeriodKind
from units.models import Unit
from units.rules import managed_unit_ids

register = template.Library()


@register.inclusion_tag("campaigns/includes/unit_year_links.html", takes_context=True)
def unit_year_links(context, campaign, periods):
    """The registration and assessment pages of the units the user manages in the
    campaign (one query, none for users who manage no unit), and the officers' list."""
    user = context["request"].user
    managed = managed_unit_ids(user)
    units = (
        list(Unit.objects.filter(pk__in=managed, campaigns=campaign).order_by("order", "name"))
        if managed
        else []
    )
    year_end = next((p for p in periods if p.kind == PeriodKind.YEAR_END), None)
    return {
        "campaign": campaign,
        "units": units,
        "year_end": year_end,
        "lists_registrations": rules.has_perm("campaigns.list_registrations", user),
    }
