"""The submission workflow: the only code that changes Submission.state.

One function per transition. Each locks the submission row, checks the transition
and the actor's permission on the object, writes the new state and a Transition in
one transaction, and sends its email after the commit.

Nothing here reads the clock: every function takes the moment (`now`) or the day
(`today`) from its caller, the view from the request or the task when it runs, so
a test passes the moment it means and one request sees one date throughout.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.enums import (
    TRANSITIONS,
    AnswerField,
    CampaignStatus,
    Subject,
    SubmissionState,
    TransitionAction,
)
from campaigns.models import Answer, AnswerChange, Criterion, Submission, Transition
from campaigns.movement import criteria_tree
from campaigns.sheets import notifications, scoring


class WorkflowError(Exception):
    """A transition refused for a reason the user can act on; str() is the message."""


class AlreadyDone(WorkflowError):
    """The action was already done, by a request that got the lock first (a double
    click, two officers at once): nothing more was changed or sent."""


@dataclass
class IncompleteSubmission(WorkflowError):
    missing: list[scoring.Missing]

    def __str__(self):
        return _("The self-assessment is incomplete: %(count)d item(s) missing.") % {
            "count": len(self.missing)
        }


def lock(submission: Submission) -> Submission:
    """Reload the row under a lock. Every writer of a submission, of its total or of
    one of its answers takes this lock first, then checks what it may do: two
    requests on one self-assessment run one after the other, always in the same
    order (submission, then answer), and the later sees what the earlier did."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("period__campaign", "unit")
        .get(pk=submission.pk)
    )


def check_editable(submission: Submission, by, *, today) -> None:
    """Refuse (PermissionDenied, WorkflowError) unless `by` may change the answers
    of this self-assessment on `today` (the caller's date, see the module's note)."""
    if not by.has_perm("campaigns.change_submission", submission):
        raise PermissionDenied(_("You are not allowed to change this self-assessment."))
    if submission.is_editable(today):
        return
    if submission.state == SubmissionState.ACCEPTED:
        raise WorkflowError(_("This self-assessment has been accepted and is locked."))
    if submission.state == SubmissionState.SUBMITTED:
        raise WorkflowError(_("This self-assessment has been submitted and waits for review."))
    raise WorkflowError(_("The period has closed; ask the emulation officers to reopen it."))


def lock_for_editing(submission: Submission, by, *, today) -> Submission:
    """The submission locked, once checked under the lock that `by` may edit it on
    `today`: an answer saved just after a submit or an accept is refused, never written."""
    locked = lock(submission)
    check_editable(locked, by, today=today)
    return locked


def lock_for_review(submission: Submission, by) -> Submission:
    """The submission locked, once checked under the lock that `by` may score it now."""
    locked = lock(submission)
    if not by.has_perm("campaigns.review_submission", locked):
        raise PermissionDenied(_("You are not allowed to review this self-assessment."))
    if locked.state != SubmissionState.SUBMITTED:
        if locked.state == SubmissionState.ACCEPTED:
            raise WorkflowError(_("This self-assessment has been accepted and is locked."))
        raise WorkflowError(_("Only a submitted self-assessment can be reviewed."))
    return locked


def mark_review_started(submission: Submission, *, now) -> None:
    """Record on the locked, submitted sheet that its review has started (at its first
    reviewer score or comment): from then on the unit cannot withdraw it."""
    if submission.review_started_at is None:
        submission.review_started_at = now
        Submission.objects.filter(pk=submission.pk).update(review_started_at=now)


def _require(user, perm: str, submission: Submission) -> None:
    if not user.has_perm(perm, submission):
        raise PermissionDenied(_("You are not allowed to do this on this self-assessment."))


def _check_transition(submission: Submission, action: str) -> str:
    """The state `action` takes the (locked) submission to, by the TRANSITIONS table;
    AlreadyDone when it is already where the action leads (a second click),
    WorkflowError when the action does not start from its state."""
    edges = TRANSITIONS[action]
    target = edges.get(submission.state)
    if target is not None:
        return target
    targets = set(edges.values())
    if submission.state in targets:
        raise AlreadyDone(
            _("This self-assessment is already “%(state)s”: nothing more was done.")
            % {"state": submission.get_state_display()}
        )
    raise WorkflowError(
        _("A self-assessment that is “%(state)s” cannot become “%(target)s”.")
        % {
            "state": submission.get_state_display(),
            "target": SubmissionState(min(targets)).label,
        }
    )


def _move(
    submission: Submission, action: str, *, by, now, reason: str = "", fields=()
) -> Transition:
    """Take the locked submission along the action's edge (checked by the caller with
    _check_transition) and record the step."""
    from_state = submission.state
    submission.state = TRANSITIONS[action][from_state]
    submission.version = F("version") + 1
    submission.save(update_fields=["state", "version", "updated_at", *fields])
    submission.refresh_from_db(fields=["version"])
    return Transition.objects.create(
        submission=submission,
        action=action,
        from_state=from_state,
        to_state=submission.state,
        by=by,
        at=now,
        reason=reason,
    )


def _scores(submission: Submission, field: str = "self_score"):
    criteria = list(
        Criterion.objects.filter(
            campaign_id=submission.period.campaign_id, subject=Subject.COLLECTIVE
        ).only("id", "parent_id", "kind", "max_points", "evidence_required", "code", "text")
    )
    answers = Answer.objects.filter(submission=submission).annotate(n_evidence=Count("evidence"))
    scores, evidence = {}, {}
    for answer in answers:
        if field == "reviewer_score":
            scores[answer.criterion_id] = scoring.reviewed_score(
                answer.self_score, answer.reviewer_score
            )
        else:
            scores[answer.criterion_id] = getattr(answer, field)
        evidence[answer.criterion_id] = answer.n_evidence
    return criteria, scores, evidence


def reviewed_total(submission: Submission) -> Decimal:
    """The reviewed total as accept() stores it: the reviewer's score where given,
    else the unit's. The review page shows it as it runs, before the accept."""
    criteria, scores, _evidence = _scores(submission, field="reviewer_score")
    return scoring.total(criteria, scores)


def missing_for_submit(submission: Submission) -> list[scoring.Missing]:
    """What the unit must still complete before submit() takes the self-assessment
    (reads only; submit() checks again under the lock). Everything, for a sheet the
    unit has not saved yet."""
    if submission.pk is None:
        criteria = Criterion.objects.filter(
            campaign_id=submission.period.campaign_id, subject=Subject.COLLECTIVE
        )
        return scoring.missing_for_submit(criteria, {}, {})
    return scoring.missing_for_submit(*_scores(submission))


def submit(submission: Submission, *, by, now) -> Submission:
    """The unit sends its self-assessment for review. Refused while anything is missing
    (IncompleteSubmission lists it); marked late after the due date."""
    with transaction.atomic():
        submission = lock(submission)
        _require(by, "campaigns.submit_submission", submission)
        _check_transition(submission, TransitionAction.SUBMITTED)
        if not submission.is_editable(timezone.localdate(now)):
            raise WorkflowError(
                _("The period closed on %(date)s; ask the emulation officers to reopen it.")
                % {"date": submission.period.closes_on.strftime("%d/%m/%Y")}
            )
        criteria, scores, evidence = _scores(submission)
        missing = scoring.missing_for_submit(criteria, scores, evidence)
        if missing:
            raise IncompleteSubmission(missing)
        submission.self_total = scoring.total(criteria, scores)
        if submission.submitted_at is None:
            # Lateness is the first submission's: a unit that sent on time and was
            # returned after the due date is not late for sending its revision.
            submission.is_late = timezone.localdate(now) > submission.period.due_on
        submission.submitted_at = now
        submission.review_started_at = None  # a new sheet to review
        _move(
            submission,
            TransitionAction.SUBMITTED,
            by=by,
            now=now,
            fields=["self_total", "submitted_at", "is_late", "review_started_at"],
        )
        total = submission.self_total
        transaction.on_commit(lambda: notifications.submitted(submission.pk, total=total))
    return submission


def _withdraw_refusal(submission: Submission, today) -> str | None:
    """Why the unit may not withdraw its submitted sheet now (None if it may): the
    Department has started reviewing it, or the period has closed (the draft it
    would become could not be sent again)."""
    if submission.review_started:
        return _(
            "The Department has started reviewing this self-assessment: it can no longer "
            "be withdrawn. Ask the emulation officers to return it."
        )
    if today > submission.period.closes_on and submission.reopened_at is None:
        return _("The period has closed: this self-assessment can no longer be withdrawn.")
    return None


def can_withdraw(submission: Submission, user, *, today) -> bool:
    """Whether the withdraw button is offered (withdraw() checks again under the lock)."""
    return (
        submission.state == SubmissionState.SUBMITTED
        and user.has_perm("campaigns.withdraw_submission", submission)
        and _withdraw_refusal(submission, today) is None
    )


def withdraw(submission: Submission, *, by, now) -> Submission:
    """The unit takes back (thu hồi) the self-assessment it sent, to edit it again as a
    draft, until the Department starts reviewing it. A first submission withdrawn is
    as if never sent (its lateness is decided again); the officers are told."""
    with transaction.atomic():
        submission = lock(submission)
        _require(by, "campaigns.withdraw_submission", submission)
        _check_transition(submission, TransitionAction.WITHDRAWN)
        refusal = _withdraw_refusal(submission, timezone.localdate(now))
        if refusal:
            raise WorkflowError(refusal)
        fields = []
        last_submit = (
            submission.transitions.filter(action=TransitionAction.SUBMITTED)
            .order_by("at", "id")
            .last()
        )
        if last_submit is None or last_submit.from_state == SubmissionState.DRAFT:
            submission.submitted_at, submission.is_late = None, False
            fields = ["submitted_at", "is_late"]
        _move(submission, TransitionAction.WITHDRAWN, by=by, now=now, fields=fields)
        transaction.on_commit(lambda: notifications.withdrawn(submission.pk))
    return submission


def return_for_revision(
    submission: Submission,
    *,
    by,
    reason: str,
    comments: dict[int, str] | None = None,
    now,
) -> Submission:
    """An emulation officer sends the self-assessment back with a reason, and may
    leave a comment on each criterion (keyed by criterion id). Returned on the
    period's last day or after it, it is reopened for the unit at the same time: a
    return the unit could not act on (or only until midnight) would leave it stuck."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for returning the self-assessment."))
    with transaction.atomic():
        submission = lock(submission)
        _require(by, "campaigns.review_submission", submission)
        _check_transition(submission, TransitionAction.RETURNED)
        for answer in _answers_to_comment(submission, list(comments or {})):
            comment = comments[answer.criterion_id].strip()
            if comment != answer.reviewer_comment:
                AnswerChange.objects.create(
                    answer=answer,
                    field=AnswerField.REVIEWER_COMMENT,
                    old_value=answer.reviewer_comment,
                    new_value=comment,
                    changed_by=by,
                )
                answer.reviewer_comment = comment
                answer.version = F("version") + 1
                answer.save(update_fields=["reviewer_comment", "version", "updated_at"])
        fields = []
        if (
            timezone.localdate(now) >= submission.period.closes_on
            and submission.reopened_at is None
        ):
            submission.reopened_at = now
            fields.append("reopened_at")
        _move(submission, TransitionAction.RETURNED, by=by, now=now, reason=reason, fields=fields)
        transaction.on_commit(lambda: notifications.returned(submission.pk, reason))
    return submission


def _answers_to_comment(submission: Submission, criterion_ids: list[int]) -> list[Answer]:
    """The answers to these criteria of the (locked) submission, made for a leaf the
    unit left without one (a bonus it did not claim): the comment is kept too."""
    if not criterion_ids:
        return []
    found = list(Answer.objects.filter(submission=submission, criterion_id__in=criterion_ids))
    unanswered = set(criterion_ids) - {answer.criterion_id for answer in found}
    if unanswered:
        table = Criterion.objects.filter(
            campaign_id=submission.period.campaign_id, subject=Subject.COLLECTIVE
        )
        for criterion in criteria_tree.leaves(table):
            if criterion.pk in unanswered:
                found.append(Answer.objects.create(submission=submission, criterion=criterion))
    return found


def accept(submission: Submission, *, by, now) -> Submission:
    """An emulation officer accepts the self-assessment; it is locked from then on.
    The reviewed total takes the reviewer's score where given, else the unit's."""
    with transaction.atomic():
        submission = lock(submission)
        _require(by, "campaigns.review_submission", submission)
        _check_transition(submission, TransitionAction.ACCEPTED)
        submission.reviewer_total = reviewed_total(submission)
        submission.accepted_at = now
        _move(
            submission,
            TransitionAction.ACCEPTED,
            by=by,
            now=now,
            fields=["reviewer_total", "accepted_at"],
        )
        transaction.on_commit(lambda: notifications.accepted(submission.pk))
    return submission


def can_reopen(submission: Submission, *, today) -> bool:
    """Whether reopen() takes this self-assessment on `today` (its actor aside): once
    the period has closed, whatever the state; before, only an accepted one."""
    return today > submission.period.closes_on or submission.state == SubmissionState.ACCEPTED


def reopen(submission: Submission, *, by, reason: str, now) -> Submission:
    """An emulation officer lets one unit edit again: after the period has closed
    (whatever the state), or to unlock an accepted self-assessment. A reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason for reopening the self-assessment."))
    with transaction.atomic():
        submission = lock(submission)
        _require(by, "campaigns.reopen_submission", submission)
        today = timezone.localdate(now)
        closed = today > submission.period.closes_on
        if closed and submission.is_editable(today):
            # A second click, or a second officer: the first reopening is enough.
            raise AlreadyDone(
                _("This self-assessment was already reopened on %(date)s: the unit can edit it.")
                % {"date": timezone.localtime(submission.reopened_at).strftime("%d/%m/%Y")}
            )
        if not can_reopen(submission, today=today):
            raise WorkflowError(
                _("The period is still open: the unit can already edit or be returned.")
            )
        _check_transition(submission, TransitionAction.REOPENED)
        submission.reopened_at = now
        _move(
            submission,
            TransitionAction.REOPENED,
            by=by,
            now=now,
            reason=reason,
            fields=["reopened_at"],
        )
        transaction.on_commit(lambda: notifications.reopened(submission.pk, reason))
    return submission


def reopen_unit(period, unit, *, by, reason: str, now) -> Submission:
    """reopen() for a unit that never saved anything before the period closed: its
    empty self-assessment is created and reopened in one transaction, so a refusal
    leaves nothing behind. Two at once make one row (the unique constraint: the
    second insert waits for the first and then finds its row) and one reopening."""
    if not period.campaign.participants.filter(pk=unit.pk).exists():
        raise WorkflowError(_("This unit does not take part in the movement."))
    with transaction.atomic():
        submission, _created = Submission.objects.get_or_create(period=period, unit=unit)
        return reopen(submission, by=by, reason=reason, now=now)


def submission_for_saving(period, unit, by, *, today) -> Submission:
    """The unit's self-assessment for the period, locked and checked editable by
    `by`; created by the unit's first save (opening the page creates nothing), which
    must then be made while the period is open. Call inside a transaction: a refusal
    rolls the creation back."""
    submission = Submission.objects.filter(period=period, unit=unit).first()
    if submission is None:
        check_editable(Submission(period=period, unit=unit), by, today=today)
        if period.campaign.status != CampaignStatus.LAUNCHED or not period.is_open(today):
            raise WorkflowError(_("The self-assessment of this period is not open."))
        submission, _created = Submission.objects.get_or_create(period=period, unit=unit)
    submission = lock_for_editing(submission, by, today=today)
    return submission


def submit_unit(period, unit, *, by, now) -> Submission:
    """submit() for the unit's self-assessment of the period, which the unit may not
    have started yet: then it is incomplete (nothing is created)."""
    submission = Submission.objects.filter(period=period, unit=unit).first()
    if submission is None:
        probe = Submission(period=period, unit=unit)
        _require(by, "campaigns.submit_submission", probe)
        missing = missing_for_submit(probe)
        if missing:
            raise IncompleteSubmission(missing)
        with transaction.atomic():
            submission = submission_for_saving(period, unit, by, today=timezone.localdate(now))
    return submit(submission, by=by, now=now)


@dataclass(frozen=True)
class PastStep:
    """One workflow step of a past self-assessment, as a loader of records gives it."""

    action: str
    at: dt.datetime
    by: object = None
    reason: str = ""


def record_past(
    sheets: list[tuple[Submission, list[PastStep]]], *, batch_size: int | None = None
) -> list[Submission]:
    """The one bulk path, for loaders of past records only (the demo's results,
    seed_scale), never a view: each unsaved submission is saved in the state its steps
    lead to along the TRANSITIONS table (ValueError for a step off it), with
    submitted_at and accepted_at taken from its steps and one Transition per step,
    in two bulk inserts. Nothing is checked or sent: the scores, totals and lateness
    are the loader's data, recorded as they stand."""
    walks = []
    for submission, steps in sheets:
        state, edges = SubmissionState.DRAFT, []
        for step in steps:
            target = TRANSITIONS[step.action].get(state)
            if target is None:
                raise ValueError(f"{step.action} does not start from {state}")
            if step.action == TransitionAction.SUBMITTED:
                submission.submitted_at = step.at
            elif step.action == TransitionAction.ACCEPTED:
                submission.accepted_at = step.at
            edges.append((step, state, target))
            state = target
        submission.state = state
        walks.append(edges)
    saved = Submission.objects.bulk_create([s for s, _steps in sheets], batch_size=batch_size)
    Transition.objects.bulk_create(
        (
            Transition(
                submission=submission,
                action=step.action,
                from_state=source,
                to_state=target,
                by=step.by,
                at=step.at,
                reason=step.reason,
            )
            for submission, edges in zip(saved, walks, strict=True)
            for step, source, target in edges
        ),
        batch_size=batch_size,
    )
    return saved
