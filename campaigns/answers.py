"""Filling in a self-assessment: answers, their history and evidence files.

Views call these functions; each checks the actor's permission on the object and
that the submission is editable, and writes in one transaction. Saving over a newer
version raises StaleAnswer carrying the current row, so the view can show both the
text the user typed and what is stored now."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import scoring
from campaigns.enums import Subject, SubmissionState
from campaigns.evidence import check_upload
from campaigns.models import Answer, AnswerChange, Criterion, Evidence, Period, Submission
from campaigns.workflow import WorkflowError

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
        Criterion.objects.filter(campaign_id=campaign_id, subject=Subject.COLLECTIVE).order_by(
            "order", "code"
        )
    )


def open_submission(period: Period, unit) -> Submission:
    """The unit's self-assessment for the period, created with one empty answer per
    criterion to answer the first time it is opened."""
    submission, created = Submission.objects.get_or_create(period=period, unit=unit)
    if created or not submission.answers.exists():
        leaves = scoring.leaves(collective_criteria(period.campaign_id))
        Answer.objects.bulk_create(
            [Answer(submission=submission, criterion=c) for c in leaves],
            ignore_conflicts=True,
        )
    return submission


def _require_editable(answer: Answer, by) -> None:
    submission = answer.submission
    if not by.has_perm("campaigns.change_submission", submission):
        raise PermissionDenied(_("You are not allowed to change this self-assessment."))
    if not submission.is_editable(timezone.localdate()):
        if submission.state == SubmissionState.ACCEPTED:
            raise WorkflowError(_("This self-assessment has been accepted and is locked."))
        if submission.state == SubmissionState.SUBMITTED:
            raise WorkflowError(_("This self-assessment has been submitted and waits for review."))
        raise WorkflowError(_("The period has closed; ask the emulation officers to reopen it."))


def _record_changes(answer: Answer, values: dict, by) -> list[str]:
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
        )
        setattr(answer, field, new)
        changed.append(field)
    return changed


def _save(answer: Answer, values: dict, *, by, expected_version: int) -> Answer:
    with transaction.atomic():
        current = (
            Answer.objects.select_for_update(of=("self",))
            .select_related("submission__period", "criterion", "updated_by")
            .get(pk=answer.pk)
        )
        if current.version != expected_version:
            raise StaleAnswer(current)
        changed = _record_changes(current, values, by)
        if changed:
            current.version = F("version") + 1
            current.updated_by = by
            current.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
            current.refresh_from_db(fields=["version", "updated_at"])
        return current


def save_answer(
    answer: Answer, *, by, expected_version: int, self_score=UNSET, narrative=UNSET
) -> Answer:
    """Save the unit's score and/or narrative for one criterion. The score is parsed
    and checked against the criterion (ValidationError says what is allowed); the
    submission's running total is updated."""
    _require_editable(answer, by)
    values = {}
    if self_score is not UNSET:
        values["self_score"] = scoring.parse_score(answer.criterion, self_score)
    if narrative is not UNSET:
        values["narrative"] = (narrative or "").strip()
    with transaction.atomic():
        saved = _save(answer, values, by=by, expected_version=expected_version)
        if "self_score" in values:
            refresh_self_total(saved.submission)
    return saved


def save_review(
    answer: Answer, *, by, expected_version: int, reviewer_score=UNSET, comment=UNSET
) -> Answer:
    """An emulation officer's score and comment on one criterion of a submitted
    self-assessment."""
    submission = answer.submission
    if not by.has_perm("campaigns.review_submission", submission):
        raise PermissionDenied(_("You are not allowed to review this self-assessment."))
    if submission.state != SubmissionState.SUBMITTED:
        raise WorkflowError(_("Only a submitted self-assessment can be reviewed."))
    values = {}
    if reviewer_score is not UNSET:
        values["reviewer_score"] = scoring.parse_score(answer.criterion, reviewer_score)
    if comment is not UNSET:
        values["reviewer_comment"] = (comment or "").strip()
    return _save(answer, values, by=by, expected_version=expected_version)


def refresh_self_total(submission: Submission) -> Decimal:
    """Recompute the running total, inside the transaction saving an answer. The
    submission row is locked first: two answers saved at once (fast typing, two
    people of the unit) then compute their totals one after the other, the second
    seeing the first's score, instead of the later write keeping a total that missed
    the other's score."""
    list(Submission.objects.select_for_update().filter(pk=submission.pk).values_list("pk"))
    criteria = collective_criteria(submission.period.campaign_id)
    scores = dict(
        Answer.objects.filter(submission=submission).values_list("criterion_id", "self_score")
    )
    submission.self_total = scoring.total(criteria, scores)
    Submission.objects.filter(pk=submission.pk).update(self_total=submission.self_total)
    return submission.self_total


def attach_evidence(answer: Answer, upload, *, by) -> Evidence:
    """Check the file (type from its content, size) and store it under an unguessable
    name with its size and SHA-256. ValidationError says why a file is refused."""
    _require_editable(answer, by)
    checked = check_upload(upload)
    return Evidence.objects.create(
        answer=answer,
        file=upload,
        original_name=upload.name[:255],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )


def remove_evidence(evidence: Evidence, *, by) -> None:
    _require_editable(evidence.answer, by)
    with transaction.atomic():
        storage, name = evidence.file.storage, evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name))


def validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)
