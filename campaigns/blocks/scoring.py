"""Block scoring (chấm điểm của khối, cụm): the head unit of a member's block or
cluster verifies the member's sent sheet, a score and a comment per criterion.

The managers of the block's head unit score its members; the head unit's own sheet is
scored by the deputy unit's managers (a unit never scores itself); the Department of
Organization and Personnel may change any block score, with a written reason. Every
change is in the answer's history (AnswerChange, with its reason). Scoring never moves
the sheet's workflow: its state and its review stay as they are; the officer's review
remains the final appraisal.

Like the review (campaigns.sheets.answers.save_review_for), a save locks the
submission row first, checks under the lock, then writes the answer at the version the
user loaded (StaleAnswer otherwise) and the sheet's block total."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.blocks.options import blocks_score, rules_for
from campaigns.blocks.standings import acclamation_closed
from campaigns.enums import AnswerField, Subject, SubmissionState
from campaigns.models import Answer, AnswerChange, Criterion, Submission
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring
from campaigns.sheets.answers import UNSET, refresh_block_total, save_values
from campaigns.sheets.workflow import WorkflowError, lock

# The states of a sheet the unit has sent: the block scores it from then on.
SENT_STATES = SubmissionState.done_states


def may_score(user, submission: Submission) -> bool:
    """`user` scores the sheet for its block, or is the Department changing a score."""
    return user.has_perm("campaigns.score_in_block", submission) or user.has_perm(
        "campaigns.change_block_score", submission
    )


def needs_reason(user, submission: Submission) -> bool:
    """The Department changing a block's score must say why; the block's own scorers
    may."""
    return not user.has_perm("campaigns.score_in_block", submission) and user.has_perm(
        "campaigns.change_block_score", submission
    )


def why_not_scored(submission: Submission) -> str:
    """Why the sheet cannot be scored for its block now, or "" when it can: not sent,
    a period the blocks do not score, or the block's vote already closed. Two queries
    (the movement's rules, the acclamation)."""
    if submission.pk is None or submission.state not in SENT_STATES:
        return _(
            "The unit has not sent this self-assessment: the block scores it once it is submitted."
        )
    period = submission.period
    if not blocks_score(period, rules_for(period.campaign)):
        return _("Blocks and clusters do not score this period of the movement.")
    if acclamation_closed(submission):
        return _("The block's vote is closed: its scores can no longer change.")
    return ""


def save_block_score_for(
    submission: Submission,
    criterion: Criterion,
    *,
    by,
    now,
    expected_version: int,
    block_score=UNSET,
    comment=UNSET,
    reason: str = "",
) -> Answer:
    """Save the block's score and/or comment on one criterion of a sent sheet, and the
    sheet's block total and count of criteria scored. PermissionDenied for a user who
    does not score it; ValidationError for a score out of the criterion's limits or
    the Department's change without a reason; WorkflowError when the sheet cannot be
    scored now (why_not_scored); StaleAnswer when the answer changed since loaded.
    `now` is the caller's moment, kept for symmetry with the other writers (the
    answer's updated_at and the history's changed_at are set by the database rows)."""
    if not may_score(by, submission):
        raise PermissionDenied(_("You are not allowed to score this self-assessment."))
    values = {}
    if block_score is not UNSET:
        values["block_score"] = scoring.parse_score(criterion, block_score)
    if comment is not UNSET:
        values["block_comment"] = (comment or "").strip()
    reason = (reason or "").strip()
    if needs_reason(by, submission) and not reason:
        raise ValidationError(
            _("Give the reason for changing the block's score."), code="reason_required"
        )
    with transaction.atomic():
        locked = lock(submission)
        if not may_score(by, locked):
            raise PermissionDenied(_("You are not allowed to score this self-assessment."))
        refusal = why_not_scored(locked)
        if refusal:
            raise WorkflowError(refusal)
        saved = save_values(
            locked, criterion, values, by=by, expected_version=expected_version, reason=reason
        )
        refresh_block_total(locked)
    submission.block_total = locked.block_total
    submission.block_scored_count = locked.block_scored_count
    return saved


def confirm_remaining(submission: Submission, *, by, now) -> int:
    """The block agrees with the unit on every criterion it has not scored yet: each
    such answer gets the unit's own score as the block's, with its history row, in one
    transaction under the submission's lock. Returns how many criteria it scored
    (answers the unit left empty stay unscored). Only the block's own scorers confirm:
    the Department changes scores one by one, each with its reason."""
    if not by.has_perm("campaigns.score_in_block", submission):
        raise PermissionDenied(_("You are not allowed to score this self-assessment."))
    with transaction.atomic():
        locked = lock(submission)
        if not by.has_perm("campaigns.score_in_block", locked):
            raise PermissionDenied(_("You are not allowed to score this self-assessment."))
        refusal = why_not_scored(locked)
        if refusal:
            raise WorkflowError(refusal)
        leaves = {
            c.pk
            for c in criteria_tree.leaves(
                criteria_tree.ordered(
                    Criterion.objects.filter(
                        campaign_id=locked.period.campaign_id, subject=Subject.COLLECTIVE
                    )
                )
            )
        }
        pending = list(
            Answer.objects.select_for_update(of=("self",))
            .filter(
                submission=locked,
                criterion_id__in=leaves,
                block_score__isnull=True,
                self_score__isnull=False,
            )
            .order_by("criterion__order")
        )
        for answer in pending:
            answer.block_score = answer.self_score
            answer.version += 1
            answer.updated_by = by
        Answer.objects.bulk_update(pending, ["block_score", "version", "updated_by"])
        Answer.objects.filter(pk__in=[a.pk for a in pending]).update(updated_at=now)
        AnswerChange.objects.bulk_create(
            AnswerChange(
                answer=answer,
                field=AnswerField.BLOCK_SCORE,
                old_value="",
                new_value=str(answer.block_score),
                changed_by=by,
                reason=_("The unit's own score confirmed by the block."),
            )
            for answer in pending
        )
        refresh_block_total(locked)
    submission.block_total = locked.block_total
    submission.block_scored_count = locked.block_scored_count
    return len(pending)
