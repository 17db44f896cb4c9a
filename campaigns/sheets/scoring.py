"""Scoring of self-assessments: pure functions over plain objects, no queries.

Callers load the criteria and answers once (select_related / prefetch) and pass them
in. Scores are Decimals. A penalty is entered as the points deducted (non-negative)
and counts negatively in the total; a yes/no criterion scores either 0 or its maximum.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from campaigns.enums import CriterionKind
from campaigns.movement.criteria_tree import leaves

ZERO = Decimal("0")
TWO_PLACES = Decimal("0.01")


def parse_score(criterion, raw) -> Decimal | None:
    """Turn what a user typed into a score for this criterion, or raise ValidationError
    with a message that says what is allowed. Empty input means "not answered"."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(
            _("“%(value)s” is not a number."), code="invalid", params={"value": raw}
        ) from None
    if not value.is_finite():
        raise ValidationError(
            _("“%(value)s” is not a number."), code="invalid", params={"value": raw}
        )
    if value < 0:
        raise ValidationError(_("The score cannot be negative."), code="negative")
    if value > criterion.max_points:
        raise ValidationError(
            _("The score cannot exceed the maximum of %(max)s points."),
            code="over_max",
            params={"max": score_text(criterion.max_points)},
        )
    # Rounded only once it is known to be small: quantize() fails on huge numbers.
    value = value.quantize(TWO_PLACES)
    if criterion.kind == CriterionKind.YES_NO and value not in (ZERO, criterion.max_points):
        raise ValidationError(
            _("This is a yes/no criterion: the score is 0 or %(max)s."),
            code="yes_no",
            params={"max": score_text(criterion.max_points)},
        )
    return value


def reviewed_score(self_score: Decimal | None, reviewer_score: Decimal | None) -> Decimal | None:
    """What a reviewed answer (or total) counts for: the reviewer's score where given,
    else the unit's own. accept() totals a sheet with it, and the reports rank by it."""
    return self_score if reviewer_score is None else reviewer_score


def signed_points(criterion, score: Decimal | None) -> Decimal:
    """What a score adds to the total: penalties subtract, missing scores add nothing."""
    if score is None:
        return ZERO
    return -score if criterion.kind == CriterionKind.PENALTY else score


def total(criteria: Iterable, scores: Mapping[int, Decimal | None]) -> Decimal:
    """Sum of the signed points of the leaf criteria, scores keyed by criterion id."""
    return sum(
        (signed_points(c, scores.get(c.pk)) for c in leaves(criteria)),
        start=ZERO,
    ).quantize(TWO_PLACES)


def maximum(criteria: Iterable) -> Decimal:
    """The points a unit can reach without bonus: scored and yes/no leaves."""
    return sum(
        (
            c.max_points
            for c in leaves(criteria)
            if c.kind in (CriterionKind.SCORED, CriterionKind.YES_NO)
        ),
        start=ZERO,
    )


@dataclass(frozen=True)
class Missing:
    criterion: object
    reason: str


def missing_for_submit(
    criteria: Iterable,
    scores: Mapping[int, Decimal | None],
    evidence_counts: Mapping[int, int],
) -> list[Missing]:
    """Everything that stops a submission: scored and yes/no criteria without a score,
    and criteria requiring evidence without a file (bonus and penalty rows need
    evidence only when points are claimed)."""
    missing = []
    for criterion in leaves(criteria):
        score = scores.get(criterion.pk)
        mandatory = criterion.kind in (CriterionKind.SCORED, CriterionKind.YES_NO)
        if mandatory and score is None:
            missing.append(Missing(criterion, _("not answered")))
            continue
        needs_evidence = criterion.evidence_required and (mandatory or (score or ZERO) > 0)
        if needs_evidence and not evidence_counts.get(criterion.pk):
            missing.append(Missing(criterion, _("evidence required but none attached")))
    return missing


def rank(totals: Mapping) -> dict:
    """Competition ranking (1, 2, 2, 4) of keys by total, highest first."""
    ordered = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    ranks, previous, position = {}, None, 0
    for index, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            position, previous = index, value
        ranks[key] = position
    return ranks


def score_text(value: Decimal | None) -> str:
    """A score as people write and type it: 7,5 and 10, not 7,50 and 10,00, with the
    active language's decimal separator; "" when there is none."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))
