from django import template

from reports import wording

register = template.Library()


@register.filter
def num(value, places=2):
    """A score (two decimals) or a rate (num:1) as the documents print it."""
    return wording.number(value, int(places))


@register.filter
def pts(value):
    """A score as the compact matrix prints it: no trailing zeros (3, 2,5), "-" when
    empty."""
    return wording.compact_number(value)


@register.filter
def dmy(value):
    """A date as dd/mm/yyyy whatever the language (the documents are Vietnamese)."""
    return value.strftime("%d/%m/%Y") if value else ""


@register.filter
def state_label(state):
    """A unit's self-assessment state as the documents print it."""
    return wording.state_label(state)
