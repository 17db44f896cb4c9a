"""{% max_chars "narrative" %} or {% max_chars "comment" %}: the length limit of a
free-text field, for the maxlength attribute of a textarea written by hand (a form
field's widget sets its own)."""

from django import template

from units.forms import COMMENT_MAX_LENGTH, NARRATIVE_MAX_LENGTH

register = template.Library()

LIMITS = {"narrative": NARRATIVE_MAX_LENGTH, "comment": COMMENT_MAX_LENGTH}


@register.simple_tag
def max_chars(kind: str) -> int:
    return LIMITS[kind]
