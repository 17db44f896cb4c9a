"""Filling in a self-assessment: answers, their history and evidence files.

Views call these functions; each checks the actor's permission on the object and
that the submission is editable at `now` (the caller's moment: the request's, or
the test's; nothing here reads the clock), and writes in one transaction. Saving over a newer
version raises StaleAnswer carrying the current row, so the view can show both the
text the user typed and what is stored now."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.enums import AnswerField, Subject
from campaigns.models import Answer, AnswerChange, Criterion, Evidence, Period, Submission
from campaigns.movement import criteria_tree
from campaigns.sheets import scoring
from campaigns.sheets.evidence import check_upload
from campaigns.sheets.workflow import (
    WorkflowError,
    lock_for_editing,
    lock_for_review,
    mark_review_started,
    submission_for_saving,
)

UNSET = object()


@dataclass
class StaleAnswer(Exception):
    """Someone saved this answer after the user loaded it."""

    current: Answer

    def __str__(self):
        who = self.current.updated_by.display_name if self.current.updated_by else _("someone")
        return _(
            "%(who)s changed this answer at %(time)s, after you opened it. Your text is kept "
            "below: compare, then save again."
        ) % {
            "who": who,
            "time": timezone.localtime(self.current.updated_at).strftime("%H:%M %d/%m/%Y"),
        }


def collective_criteria(campaign_id: int) -> list[Criterion]:
    return list(
        criteria_tree.ordered(
            Criterion.objects.filter(campaign_id=campaign_id, subject=Subject.COLLECTIVE)
        )
    )


def open_submission(period: Period, unit) -> Submission:
    """The unit's self-assessment for the period with one empty answer per criterion,
    all made at once. The pages never call it (opening a page creates nothing; the
    first save does, see submission_for_saving); it is for loading data and tests."""
    submission, created = Submission.objects.get_or_create(period=period, unit=unit)
    if created or not submission.answers.exists():
        leaves = criteria_tree.leaves(collective_criteria(period.campaign_id))
        Answer.objects.bulk_create(
            [Answer(submission=submission, criterion=c) for c in leaves],
            ignore_conflicts=True,
        )
    return submission


def _record_changes(answer: Answer, values: dict, by, reason: str = "") -> list[str]:
    changed = []
    for field, new in values.items():
        old = getattr(answer, field)
        if old == new:
            continue
        AnswerChange.objects.create(
            answer=answer,
            field=field,
            old_value="" if old is None else str(old),
            new_value="" if new is None else str(new),
            changed_by=by,
            reason=reason,
        )
        setattr(answer, field, new)
        changed.append(field)
    return changed


def _answer_row(submission: Submission, criterion: Criterion) -> Answer:
    """The answer to the criterion, locked, made now if the unit never saved it. Call
    with the submission locked: every writer of an answer holds that lock first, so
    the answer is made once and its lock always comes second."""
    if criterion.campaign_id != submission.period.campaign_id or (
        criterion.subject != Subject.COLLECTIVE
    ):
        raise WorkflowError(_("This criterion is not part of this self-assessment."))
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(submission=submission, criterion=criterion)
        .first()
    )
    if answer is None:
        if criterion.children.exists():
            raise WorkflowError(_("This criterion is not part of this self-assessment."))
        answer = Answer.objects.create(submission=submission, criterion=criterion)
    answer.submission = submission
    answer.criterion = criterion
    return answer


def save_values(
    submission: Submission, criterion, values: dict, *, by, expected_version: int, reason=""
):
    """Write the values (answer field → new value) on the criterion's answer of the
    locked submission, each change in the history with the reason if given; StaleAnswer
    when the answer is no longer at expected_version. The one writer of answer fields:
    the unit's answers, the review and the block's scoring (campaigns.blocks.scoring)."""
    current = _answer_row(submission, criterion)
    if current.version != expected_version:
        raise StaleAnswer(current)
    changed = _record_changes(current, values, by, reason)
    if changed:
        current.version = F("version") + 1
        current.updated_by = by
        current.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
        current.refresh_from_db(fields=["version", "updated_at"])
    return current


def _answer_values(criterion: Criterion, self_score=UNSET, narrative=UNSET) -> dict:
    values = {}
    if self_score is not UNSET:
        values["self_score"] = scoring.parse_score(criterion, self_score)
    if narrative is not UNSET:
        values["narrative"] = (narrative or "").strip()
    return values


def save_answer(
    answer: Answer, *, by, now, expected_version: int, self_score=UNSET, narrative=UNSET
) -> Answer:
    """Save the unit's score and/or narrative for one criterion. The score is parsed
    and checked against the criterion (ValidationError says what is allowed); the
    submission's running total is updated. The submission is locked and checked
    first: a save arriving after the submit or the accept is refused (WorkflowError)."""
    values = _answer_values(answer.criterion, self_score, narrative)
    with transaction.atomic():
        submission = lock_for_editing(answer.submission, by, today=timezone.localdate(now))
        saved = save_values(
            submission, answer.criterion, values, by=by, expected_version=expected_version
        )
        if "self_score" in values:
            refresh_self_total(submission)
    return saved


def save_answer_for(
    period: Period,
    unit,
    criterion: Criterion,
    *,
    by,
    now,
    expected_version: int,
    self_score=UNSET,
    narrative=UNSET,
) -> Answer:
    """save_answer() addressed by the unit, the period and the criterion: the first
    save makes the self-assessment and the answer (opening the page makes nothing).
    A new answer is at version 1, the version the page shows for it."""
    values = _answer_values(criterion, self_score, narrative)
    with transaction.atomic():
        submission = submission_for_saving(period, unit, by, today=timezone.localdate(now))
        saved = save_values(submission, criterion, values, by=by, expected_version=expected_version)
        if "self_score" in values:
            refresh_self_total(submission)
    return saved


def save_review(
    answer: Answer, *, by, now, expected_version: int, reviewer_score=UNSET, comment=UNSET
) -> Answer:
    """An emulation officer's score and comment on one criterion of a submitted
    self-assessment (refused once it is accepted or returned, checked under the lock).
    The first one starts the review (the unit can no longer withdraw the sheet)."""
    return save_review_for(
        answer.submission,
        answer.criterion,
        by=by,
        now=now,
        expected_version=expected_version,
        reviewer_score=reviewer_score,
        comment=comment,
    )


def save_review_for(
    submission: Submission,
    criterion: Criterion,
    *,
    by,
    now,
    expected_version: int,
    reviewer_score=UNSET,
    comment=UNSET,
) -> Answer:
    if not by.has_perm("campaigns.review_submission", submission):
        raise PermissionDenied(_("You are not allowed to review this self-assessment."))
    values = {}
    if reviewer_score is not UNSET:
        values["reviewer_score"] = scoring.parse_score(criterion, reviewer_score)
    if comment is not UNSET:
        values["reviewer_comment"] = (comment or "").strip()
    with transaction.atomic():
        locked = lock_for_review(submission, by)
        saved = save_values(locked, criterion, values, by=by, expected_version=expected_version)
        mark_review_started(locked, now=now)
    return saved


def refresh_self_total(submission: Submission) -> Decimal:
    """Recompute the running total, inside the transaction saving an answer, with
    the submission row already locked (lock_for_editing): two answers saved at once
    (fast typing, two people of the unit) compute their totals one after the other,
    the second seeing the first's score."""
    criteria = collective_criteria(submission.period.campaign_id)
    scores = dict(
        Answer.objects.filter(submission=submission).values_list("criterion_id", "self_score")
    )
    submission.self_total = scoring.total(criteria, scores)
    Submission.objects.filter(pk=submission.pk).update(self_total=submission.self_total)
    if submission.block_total is not None:
        # Scored by its block before it was returned: the unit's own scores count
        # where the block gave none.
        refresh_block_total(submission)
    return submission.self_total


def block_score_or_self(self_score: Decimal | None, block_score: Decimal | None):
    """What an answer counts for in its block: the block's score where given, else the
    unit's own."""
    return self_score if block_score is None else block_score


def refresh_block_total(submission: Submission) -> Decimal | None:
    """Recompute the sheet's block total (campaigns.blocks.scoring) and the count of
    leaf criteria the block scored, with the submission row locked by the caller. The
    total stays empty while the block has scored nothing; once it has, the unit's own
    score of a criterion the block did not score counts, so a sheet returned and
    changed by the unit after the block scored it keeps its block total true."""
    criteria = collective_criteria(submission.period.campaign_id)
    leaves = {c.pk for c in criteria_tree.leaves(criteria)}
    scores, scored = {}, 0
    rows = Answer.objects.filter(submission=submission).values_list(
        "criterion_id", "self_score", "block_score"
    )
    for criterion_id, self_score, block_score in rows:
        scores[criterion_id] = block_score_or_self(self_score, block_score)
        if block_score is not None and criterion_id in leaves:
            scored += 1
    submission.block_total = scoring.total(criteria, scores) if scored else None
    submission.block_scored_count = scored
    Submission.objects.filter(pk=submission.pk).update(
        block_total=submission.block_total, block_scored_count=scored
    )
    return submission.block_total


def _store_evidence(answer: Answer, upload, checked, by) -> Evidence:
    """Store the file on the answer (its submission locked by the caller) and record
    it in the answer's history."""
    AnswerChange.objects.create(
        answer=answer, field=AnswerField.EVIDENCE, new_value=upload.name[:255], changed_by=by
    )
    return Evidence.objects.create(
        answer=answer,
        file=upload,
        original_name=upload.name[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )


def attach_evidence(answer: Answer, upload, *, by, now) -> Evidence:
    """Check the file (type from its content, size) and store it under an unguessable
    name with its size and SHA-256. ValidationError says why a file is refused."""
    checked = check_upload(upload)
    with transaction.atomic():
        submission = lock_for_editing(answer.submission, by, today=timezone.localdate(now))
        row = _answer_row(submission, answer.criterion)
        return _store_evidence(row, upload, checked, by)


def attach_evidence_for(period: Period, unit, criterion: Criterion, upload, *, by, now) -> Evidence:
    """attach_evidence() addressed by the unit, the period and the criterion; the
    first file may be the unit's first save, making the self-assessment and answer."""
    checked = check_upload(upload)
    with transaction.atomic():
        submission = submission_for_saving(period, unit, by, today=timezone.localdate(now))
        row = _answer_row(submission, criterion)
        return _store_evidence(row, upload, checked, by)


def remove_evidence(evidence: Evidence, *, by, now) -> None:
    """Remove the file, under the submission's lock, and record it in the answer's
    history (a second removal of the same file records nothing)."""
    with transaction.atomic():
        lock_for_editing(evidence.answer.submission, by, today=timezone.localdate(now))
        storage, name = evidence.file.storage, evidence.file.name
        deleted, _rows = Evidence.objects.filter(pk=evidence.pk).delete()
        if deleted:
            AnswerChange.objects.create(
                answer_id=evidence.answer_id,
                field=AnswerField.EVIDENCE,
                old_value=evidence.original_name,
                changed_by=by,
            )
            transaction.on_commit(lambda: storage.delete(name))


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)
