"""Which year the organisation's pages open on (the blocks and clusters page).

A block or cluster belongs to a year, not to a movement, and units knows nothing of
movements: the campaigns app, above it, says which year its running movement is in
(campaigns.apps registers campaigns.sheets.queries.current_movement_year); without it,
today's year. A draft prepared for next year (copied with its blocks) does not move
the pages to that year.
"""

import datetime as dt
from collections.abc import Callable

_source: Callable[[dt.date], int | None] | None = None


def provided_by(function: Callable[[dt.date], int | None]) -> None:
    """Register the function giving the current year as of a day (None: none known)."""
    global _source
    _source = function


def current_year(today: dt.date) -> int:
    known = _source(today) if _source is not None else None
    return known if known is not None else today.year
