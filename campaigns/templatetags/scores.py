from django import template

from campaigns.sheets.scoring import score_text

register = template.Library()


@register.filter
def points(value) -> str:
    """A score as people write it (campaigns.sheets.scoring.score_text), "—" when empty."""
    return score_text(value) or "—"
