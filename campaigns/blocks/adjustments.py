"""A block head (or the Department) overriding an automatic adjustment of one sent
sheet, with the reason: the only writer of AdjustmentOverride.

Rows are never changed: each override is a new row, the latest of a kind counts
(campaigns.blocks.standings.apply_overrides). Setting an adjustment back to what the
rules compute is one more row, with points equal to the automatic ones
(clear_override).

What is allowed, decided here:
- the sheet has been sent (submitted or accepted), in a period the blocks score;
- the points are typed with a comma or a dot, at most 2 decimals, |points| ≤ 100;
- a late penalty stays a penalty (≤ 0), a flag bonus stays a bonus (≥ 0);
- the reason is required;
- nothing changes once the block's acclamation for the period is closed (the
  ranking it was voted on is then final).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.blocks import options
from campaigns.blocks.standings import (
    ZERO,
    _points,
    acclamation_closed,
    automatic_adjustments,
    prior_flags,
)
from campaigns.enums import AdjustmentKind, SubmissionState
from campaigns.models import AdjustmentOverride, Submission
from campaigns.sheets.workflow import lock

MAX_POINTS = Decimal("100")
TWO_PLACES = Decimal("0.01")
REASON_MAX_LENGTH = 5_000


def parse_points(raw) -> Decimal:
    """What was typed as points (“-2,5”, “10”, “+3.25”), or a ValidationError that
    says what is allowed."""
    text = str(raw if raw is not None else "").strip().replace(" ", "")
    if not text:
        raise ValidationError(_("Type the points (e.g. -2 or 10)."), code="required")
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            _("“%(value)s” is not a number."), code="invalid", params={"value": raw}
        )
    if abs(value) > MAX_POINTS:
        raise ValidationError(
            _("An adjustment is at most %(max)s points either way."),
            code="too_large",
            params={"max": _points(MAX_POINTS)},
        )
    if value != value.quantize(TWO_PLACES):
        raise ValidationError(_("Use at most two decimals."), code="decimals")
    return value.quantize(TWO_PLACES)


def check_sign(kind: str, points: Decimal) -> None:
    """A late penalty cannot become a bonus, a flag bonus cannot become a penalty."""
    if kind == AdjustmentKind.LATE and points > 0:
        raise ValidationError(
            _("Points off for lateness are 0 or negative (e.g. -3)."), code="sign"
        )
    if kind != AdjustmentKind.LATE and points < 0:
        raise ValidationError(_("A flag bonus is 0 or positive (e.g. 10)."), code="sign")


def clean_reason(reason) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError(
            _("Give the reason for changing the adjustment: it is shown next to the points."),
            code="reason_required",
        )
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("The reason is at most %(max)s characters."),
            code="reason_too_long",
            params={"max": REASON_MAX_LENGTH},
        )
    return text


def automatic_points(submission: Submission, kind: str) -> Decimal:
    """What the block rules compute now for this kind of adjustment of the sheet
    (0 when they give none)."""
    period = submission.period
    campaign = period.campaign
    found = automatic_adjustments(
        submission,
        due_on=period.due_on,
        rules=options.rules_for(campaign),
        prior_titles=prior_flags([submission.unit_id], campaign.year).get(
            submission.unit_id, set()
        ),
        year=campaign.year,
    )
    return next((a.automatic for a in found if a.kind == kind), ZERO)


def _check(locked: Submission, kind: str, by) -> None:
    if kind not in AdjustmentKind.values:
        raise ValidationError(_("This adjustment does not exist."), code="kind")
    if not by.has_perm("campaigns.override_adjustment", locked):
        raise PermissionDenied(_("You are not allowed to change this sheet's adjustments."))
    if locked.state not in SubmissionState.done_states:
        raise ValidationError(
            _("Only a sent self-assessment has adjustments to change."), code="not_sent"
        )
    period = locked.period
    if not options.blocks_score(period, options.rules_for(period.campaign)):
        raise ValidationError(
            _("Blocks and clusters do not score this period."), code="not_block_period"
        )
    if acclamation_closed(locked):
        raise ValidationError(
            _("The block's acclamation is closed: its ranking can no longer change."),
            code="closed",
        )


def override_adjustment(
    submission: Submission, kind: str, *, points, reason: str, by, now
) -> AdjustmentOverride:
    """Set the sheet's adjustment of `kind` to `points` (as typed) with `reason`.
    Checked under the submission's row lock: the permission, the sheet sent, the
    acclamation still open. Raises ValidationError (a message for the user) or
    PermissionDenied; nothing is written then."""
    value = parse_points(points)
    check_sign(kind, value)
    text = clean_reason(reason)
    with transaction.atomic():
        locked = lock(submission)
        _check(locked, kind, by)
        return _write(locked, kind, value, automatic_points(locked, kind), text, by, now)


def clear_override(submission: Submission, kind: str, *, reason: str, by, now):
    """Set the adjustment back to what the rules compute, with the reason (one more
    override row, whose points are the automatic ones)."""
    text = clean_reason(reason)
    with transaction.atomic():
        locked = lock(submission)
        _check(locked, kind, by)
        automatic = automatic_points(locked, kind)
        return _write(locked, kind, automatic, automatic, text, by, now)


def _write(locked, kind, points, automatic, reason, by, now) -> AdjustmentOverride:
    row = AdjustmentOverride.objects.create(
        submission=locked,
        kind=kind,
        points=points,
        automatic_points=automatic,
        reason=reason,
        by=by,
    )
    # `at` is set by the database write (auto_now_add); the caller's clock wins.
    AdjustmentOverride.objects.filter(pk=row.pk).update(at=now)
    row.at = now
    return row
