"""The chart of a block's totals, drawn on the server as plain bars (no JavaScript):
a pure function from the ranked members to the bars' labels and widths."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    percent: Decimal  # the bar's width, 0–100, of the longest bar
    band: str = ""

    @property
    def width(self) -> str:
        """The width for an SVG attribute: a dot decimal whatever the language."""
        return f"{self.percent:f}"


def total_bars(rows, *, scale: Decimal | None = None) -> list[Bar]:
    """One bar per (label, total, band) row with a total; widths in percent of
    `scale` (default: the largest total). A total at or below 0 draws no bar."""
    rows = [(label, value, band) for label, value, band in rows if value is not None]
    if not rows:
        return []
    top = scale if scale is not None else max(value for _label, value, _band in rows)
    bars = []
    for label, value, band in rows:
        percent = ZERO if top <= 0 or value <= 0 else min(value / top * HUNDRED, HUNDRED)
        bars.append(Bar(label, value, percent.quantize(Decimal("0.1"), ROUND_HALF_UP), band))
    return bars


def standing_bars(table) -> list[Bar]:
    """The bars of a BlockTable's ranked members, in ranking order."""
    return total_bars(
        (s.unit.display_name, s.total, s.band) for s in table.standings if s.rank is not None
    )
