from decimal import Decimal

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.filter
def points(value) -> str:
    """A score as people write it: 7,5 and 10, not 7,50 and 10,00 (the locale's separator)."""
    if value is None or value == "":
        return "—"
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))
