"""Which rule set judges: the one in force on the as-of date, or the one named.

`in_force(as_of, code=None, sector=None)` answers (code, Parameters) from the RuleSet
rows (awards.models), of the ministry's sector (settings.RULESET_SECTOR) unless told.
Only when there is no row at all (a database not yet migrated, or its table emptied)
does it answer from the shipped sets' data (awards.data.rulesets), the same as the
migration loads, so the command still works there."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from awards.data.rulesets import SHIPPED
from awards.parameters import Parameters


class UnknownRuleSet(LookupError):
    """No rule set of that code, or none in force on that date."""


def in_force(
    as_of: dt.date, code: str | None = None, sector: str | None = None
) -> tuple[str, Parameters]:
    """The rule set named `code`, or the one of `sector` in force on `as_of`."""
    from awards.models import RuleSet

    sector = sector or settings.RULESET_SECTOR
    if code is not None:
        rows = RuleSet.objects.filter(code=code)
    else:
        rows = RuleSet.objects.filter(sector=sector, effective_from__lte=as_of).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=as_of)
        )
    try:
        rule_set = rows.order_by("-effective_from").first()
        if rule_set is not None:
            return rule_set.code, rule_set.parameters()
        any_row = RuleSet.objects.exists()
    except DatabaseError:  # the table is not there yet (before migrate)
        any_row = False
    if not any_row:
        return _shipped(as_of, code)
    if code is not None:
        raise UnknownRuleSet(f"no rule set {code}")
    raise UnknownRuleSet(f"no rule set of sector {sector} in force on {as_of.isoformat()}")


def _shipped(as_of: dt.date, code: str | None) -> tuple[str, Parameters]:
    """The fallback when the database holds no rule set: the shipped sets' dates."""
    for shipped in SHIPPED:
        if code is not None:
            if shipped.code == code:
                return shipped.code, Parameters()
            continue
        if shipped.effective_from <= as_of and (
            shipped.effective_to is None or as_of <= shipped.effective_to
        ):
            return shipped.code, Parameters()
    if code is not None:
        raise UnknownRuleSet(f"no rule set {code}")
    raise UnknownRuleSet(f"no rule set in force on {as_of.isoformat()}")


def copy_rule_set(source, *, code: str, name: str, effective_from: dt.date):
    """A new rule set with every parameter and voting threshold of `source`, in force
    from `effective_from`: the way a new decree starts. When `source` would still be in
    force that day, it now ends the day before and the copy ends where it ended. A
    ValidationError (the code taken, the period overlapping another set of the sector)
    leaves nothing changed."""
    from awards.models import RuleSet

    with transaction.atomic():
        source = RuleSet.objects.select_for_update().get(pk=source.pk)
        thresholds = list(source.voting_thresholds.all())
        if effective_from <= source.effective_from:
            raise ValidationError(
                {
                    "effective_from": _(
                        "The copy must start after {start}, when {code} starts."
                    ).format(start=source.effective_from.strftime("%d/%m/%Y"), code=source.code)
                }
            )
        ends = source.effective_to
        if ends is None or ends >= effective_from:
            source.effective_to = effective_from - dt.timedelta(days=1)
            source.save(update_fields=["effective_to"])
        copy = RuleSet.objects.get(pk=source.pk)
        copy.pk = None
        copy.code, copy.name = code, name
        copy.effective_from = effective_from
        # Splitting the source's period: the copy keeps its end; after it, it is open.
        copy.effective_to = ends if ends is not None and ends >= effective_from else None
        copy.full_clean()
        copy.save(force_insert=True)
        for threshold in thresholds:
            threshold.pk = None
            threshold.rule_set = copy
        copy.voting_thresholds.model.objects.bulk_create(thresholds)
    return copy
