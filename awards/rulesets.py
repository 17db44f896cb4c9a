"""Which rule set judges: the one in force on the as-of date, or the one named.

`in_force(as_of, code=None)` answers (code, Parameters). For now the two sets that ship
with the product are known here by their dates; the RuleSet model (admin-editable data)
takes over this lookup, keeping its signature."""

import datetime as dt
from dataclasses import dataclass

from awards.parameters import Parameters


class UnknownRuleSet(LookupError):
    """No rule set of that code, or none in force on that date."""


@dataclass(frozen=True)
class Shipped:
    code: str
    effective_from: dt.date
    effective_to: dt.date | None
    parameters: Parameters


SHIPPED = (
    Shipped("RS-2024", dt.date(2024, 1, 1), dt.date(2025, 6, 30), Parameters()),
    Shipped("RS-2025-07", dt.date(2025, 7, 1), None, Parameters()),
)


def in_force(as_of: dt.date, code: str | None = None) -> tuple[str, Parameters]:
    """The rule set named `code`, or the one in force on `as_of`."""
    for rule_set in SHIPPED:
        if code is not None:
            if rule_set.code == code:
                return rule_set.code, rule_set.parameters
            continue
        if rule_set.effective_from <= as_of and (
            rule_set.effective_to is None or as_of <= rule_set.effective_to
        ):
            return rule_set.code, rule_set.parameters
    if code is not None:
        raise UnknownRuleSet(f"no rule set {code}")
    raise UnknownRuleSet(f"no rule set in force on {as_of.isoformat()}")
