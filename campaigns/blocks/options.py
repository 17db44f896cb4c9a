"""A movement's block rules and bands, with the defaults a movement without its own
uses (the city table of domain.md §3.3: +10 and +15 for the flags of the year before;
the bands excellent ≥ 95, good ≥ 80, fair ≥ 65)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from campaigns.enums import PeriodKind
from campaigns.models import Band, BlockRules


@dataclass(frozen=True)
class BandRow:
    name: str
    min_total: Decimal


DEFAULT_BANDS = (
    (_("Excellent"), Decimal("95")),
    (_("Good"), Decimal("80")),
    (_("Fair"), Decimal("65")),
)
# Below the lowest band's minimum.
BELOW_BANDS = _("Below fair")


def rules_for(campaign) -> BlockRules:
    """The movement's block rules: its row, or an unsaved one with the defaults."""
    try:
        return campaign.block_rules
    except BlockRules.DoesNotExist:
        return BlockRules(campaign=campaign)


def bands_for(campaign_id: int) -> list[BandRow]:
    """The movement's bands, highest first; the defaults when it set none."""
    rows = [
        BandRow(b.name, b.min_total)
        for b in Band.objects.filter(campaign_id=campaign_id).order_by("-min_total")
    ]
    return rows or [BandRow(str(name), minimum) for name, minimum in DEFAULT_BANDS]


def band_of(total: Decimal | None, bands: list[BandRow]) -> str:
    """The name of the highest band the total reaches."""
    if total is None:
        return ""
    for band in bands:
        if total >= band.min_total:
            return band.name
    return str(BELOW_BANDS)


def blocks_score(period, rules: BlockRules) -> bool:
    """Blocks score the year-end review always, the six-monthly one if the movement
    says so."""
    return period.kind == PeriodKind.YEAR_END or rules.score_six_monthly
