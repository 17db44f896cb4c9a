"""The unit's self-assessment: filling answers (each saves on its own through htmx),
evidence files, the workflow buttons and the timeline.

Views parse input, call campaigns.sheets.answers or campaigns.sheets.workflow, and render. A
refused input answers with the message and the values the user typed."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.enums import CampaignStatus, Subject, SubmissionState, TransitionAction
from campaigns.models import Answer, Criterion, Period, Submission
from campaigns.sheets import answers as answer_service
from campaigns.sheets import workflow
from campaigns.sheets.evidence import ALLOWED_TYPES, download_name
from campaigns.sheets.forms import AnswerForm
from campaigns.sheets.queries import (
    answer_queryset,
    answered_counter,
    evidence_queryset,
    load_sheet,
    submission_queryset,
)
from campaigns.sheets.scoring import score_text
from campaigns.views.common import parse_id
from units.forms import first_error, removed_controls_notice
from units.models import Unit
from units.rules import managed_unit_ids
from units.scope import get_visible_or_404, require, visible_or_404

SHEET_TEMPLATE = "campaigns/submission_detail.html"
EXTENSION_OF = {mime: extension for extension, mime in ALLOWED_TYPES.items()}


def missing_version_message() -> str:
    return _("The form is missing its version: copy your text, reload the page and paste it again.")


def scored_save(request, answer: Answer, form, save) -> dict:
    """Run one scorer's save of a row (the reviewer's, the block's) and say what
    happened, as the row's status partial shows it: `save(cleaned_data, version)`
    is called with the form's data and the version the page had loaded; a missing
    version, an invalid form, a stale answer or a refusal become the row's error."""
    expected = parse_id(request.POST.get("force_version") or request.POST.get("version", ""))
    context = {"answer": answer, "status": "", "error": "", "stale": None, "notice": ""}
    try:
        if expected is None:
            raise workflow.WorkflowError(missing_version_message())
        if not form.is_valid():
            raise workflow.WorkflowError(first_error(form))
        saved = save(form.cleaned_data, expected)
        context.update(
            answer=saved, status=_("Saved"), saved=True, notice=removed_controls_notice(form)
        )
    except answer_service.StaleAnswer as stale:
        context.update(error=str(stale), stale=stale.current)
    except ValidationError as error:
        context["error"] = answer_service.validation_message(error)
    except workflow.WorkflowError as error:
        context["error"] = str(error)
    return context


def _unit_sheet(request, period_pk: int, unit_pk: int) -> Submission:
    """The unit's self-assessment of the period, or an unsaved one when the unit has
    saved nothing yet (404 unless the user may see it)."""
    period = get_visible_or_404(
        Period.objects.select_related("campaign"),
        request.user,
        pk=period_pk,
        campaign__status__in=(CampaignStatus.LAUNCHED, CampaignStatus.CLOSED),
    )
    unit = get_visible_or_404(Unit, request.user, pk=unit_pk, campaigns=period.campaign_id)
    submission = Submission.objects.filter(period=period, unit=unit).first()
    submission = submission or Submission(period=period, unit=unit)
    submission.period, submission.unit = period, unit
    return visible_or_404(request.user, "campaigns.view_submission", submission)


def _get_row(request, period_pk: int, unit_pk: int, criterion_pk: int) -> Answer:
    """The unit's answer to a criterion, or an unsaved one when it has none yet."""
    submission = _unit_sheet(request, period_pk, unit_pk)
    criterion = get_visible_or_404(
        Criterion,
        request.user,
        pk=criterion_pk,
        campaign_id=submission.period.campaign_id,
        subject=Subject.COLLECTIVE,
    )
    answer = None
    if submission.pk:
        answer = (
            Answer.objects.filter(submission=submission, criterion=criterion)
            .select_related("updated_by")
            .first()
        )
    answer = answer or Answer(criterion=criterion)
    answer.submission, answer.criterion = submission, criterion
    return answer


def sheet_urls(submission: Submission) -> dict:
    """Where the sheet's total and submit button go: by the unit and the period until
    the unit's first save makes its self-assessment, so they work before and after."""
    if submission.pk:
        return {
            "total_url": reverse("campaigns:submission_total", args=[submission.pk]),
            "submit_url": reverse("campaigns:submission_submit", args=[submission.pk]),
        }
    args = [submission.period_id, submission.unit_id]
    return {
        "total_url": reverse("campaigns:unit_total", args=args),
        "submit_url": reverse("campaigns:unit_submit", args=args),
    }


def sheet_context(request, submission: Submission, **extra) -> dict:
    """What the sheet shows. `?incomplete=1` (where a refused submit leads) lists
    what is missing, while the unit may still submit."""
    user = request.user
    today = timezone.localdate()
    sheet = load_sheet(submission)
    can_submit = user.has_perm("campaigns.submit_submission", submission) and (
        submission.is_editable(today)
    )
    if can_submit and request.GET.get("incomplete") and "missing" not in extra:
        extra["missing"] = workflow.missing_for_submit(submission)
    row_typed, row_error = extra.pop("row_typed", {}), extra.pop("row_error", {})
    row_kept = extra.pop("row_kept", {})
    for answer in sheet.answers:  # typed text and errors by criterion id
        typed = row_typed.get(answer.criterion_id)
        answer.score_text = typed["self_score"] if typed else score_text(answer.self_score)
        answer.max_text = score_text(answer.criterion.max_points)
        answer.narrative_value = typed["narrative"] if typed else answer.narrative
        answer.row_error = row_error.get(answer.criterion_id, "")
        answer.row_kept = row_kept.get(answer.criterion_id)
    return {
        "submission": submission,
        "sheet": sheet,
        "period": submission.period,
        "campaign": submission.period.campaign,
        "can_edit": user.has_perm("campaigns.change_submission", submission)
        and submission.is_editable(today),
        "can_submit": can_submit,
        "can_withdraw": submission.pk is not None
        and workflow.can_withdraw(submission, user, today=today),
        "can_review": user.has_perm("campaigns.review_submission", submission)
        and submission.pk is not None,
        "can_view_block_scoring": submission.pk is not None
        and submission.state in SubmissionState.done_states
        and user.has_perm("campaigns.view_block_scoring", submission),
        "today": today,
        "SubmissionState": SubmissionState,
        "TransitionAction": TransitionAction,
        **sheet_urls(submission),
        **extra,
    }


@login_required
@require_GET
def my_submission(request, period_pk: int):
    """The self-assessment of the user's unit for a period: the sheet with empty
    answers until the unit saves something (looking creates nothing)."""
    period = get_visible_or_404(
        Period.objects.select_related("campaign"),
        request.user,
        pk=period_pk,
        campaign__status__in=(CampaignStatus.LAUNCHED, CampaignStatus.CLOSED),
    )
    units = period.campaign.participants.filter(pk__in=managed_unit_ids(request.user))
    unit_id = request.GET.get("unit")
    if unit_id:
        units = units.filter(pk=parse_id(unit_id) or 0)
    unit = units.order_by("order", "name").first()
    if unit is None:
        raise Http404
    submission = Submission.objects.filter(period=period, unit=unit).first()
    if submission is None:
        today = timezone.localdate()
        if today < period.opens_on:
            messages.info(
                request,
                _("The self-assessment for this period opens on %(date)s.")
                % {"date": period.opens_on.strftime("%d/%m/%Y")},
            )
            return redirect("campaigns:detail", pk=period.campaign_id)
        if not period.is_open(today) or period.campaign.status != CampaignStatus.LAUNCHED:
            # Opening an empty self-assessment nobody can fill would only add a
            # draft to the review queue.
            messages.info(
                request,
                _(
                    "%(unit)s made no self-assessment for this period, which closed on "
                    "%(date)s. Ask the emulation officers if it must be reopened."
                )
                % {"unit": unit.name, "date": period.closes_on.strftime("%d/%m/%Y")},
            )
            return redirect("campaigns:detail", pk=period.campaign_id)
        submission = Submission(period=period, unit=unit)
        return TemplateResponse(request, SHEET_TEMPLATE, sheet_context(request, submission))
    return redirect("campaigns:submission_detail", pk=submission.pk)


@login_required
@require_GET
def submission_detail(request, pk: int):
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    return TemplateResponse(request, SHEET_TEMPLATE, sheet_context(request, submission))


def _render_row(
    request, answer: Answer, *, status="", notice="", error="", stale=None, typed=None, kept=None
):
    submission = answer.submission
    context = {
        "answer": answer,
        "submission": submission,
        "status": status,
        "notice": notice,
        "error": error,
        "stale": stale,
        "typed": typed or {},
        "kept": kept,
        "total_oob": True,
    }
    return render(request, f"{SHEET_TEMPLATE}#answer_status", context)


@login_required
@require_GET
def submission_total(request, pk: int):
    """The running total of a self-assessment (htmx fragment)."""
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    return _render_total(request, submission)


@login_required
@require_GET
def unit_total(request, period_pk: int, unit_pk: int):
    """The running total of the unit's self-assessment, 0 before its first save."""
    return _render_total(request, _unit_sheet(request, period_pk, unit_pk))


def _render_total(request, submission):
    """The running total, and the answered counter swapped out of band with it."""
    context = {
        "submission": submission,
        "counter": answered_counter(submission),
        **sheet_urls(submission),
    }
    return render(request, f"{SHEET_TEMPLATE}#total_update", context)


@login_required
@require_POST
def answer_save(request, pk: int):
    """Save one answer's score and narrative. With htmx, answers the row's status
    (and the running total); without, goes back to the page."""
    answer = get_visible_or_404(answer_queryset(), request.user, pk=pk)
    return _save_row(request, answer, partial(answer_service.save_answer, answer))


@login_required
@require_POST
def criterion_answer_save(request, period_pk: int, unit_pk: int, criterion_pk: int):
    """answer_save() by unit, period and criterion: what the sheet posts to, so the
    unit's first save makes its self-assessment and the answer."""
    answer = _get_row(request, period_pk, unit_pk, criterion_pk)
    submission = answer.submission
    save = partial(
        answer_service.save_answer_for, submission.period, submission.unit, answer.criterion
    )
    return _save_row(request, answer, save)


def _save_row(request, answer: Answer, save):
    # Only the unit's managers change its answers: anyone else who may see the
    # self-assessment is refused (403) before the form is read.
    require(request.user, "campaigns.change_submission", answer.submission)
    typed = {
        "self_score": request.POST.get("self_score", ""),
        "narrative": request.POST.get("narrative", ""),
    }
    expected = parse_id(request.POST.get("force_version") or request.POST.get("version", ""))
    if expected is None:
        return _refused(request, answer, missing_version_message(), typed)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _refused(request, answer, first_error(form), typed)
    # Only the fields sent are saved: a score alone leaves the narrative as it is.
    fields = {k: form.cleaned_data[k] for k in typed if k in request.POST}
    notice = removed_controls_notice(form)
    try:
        saved = save(by=request.user, now=timezone.now(), expected_version=expected, **fields)
    except answer_service.StaleAnswer as stale:
        return _refused(request, answer, str(stale), typed, stale=stale.current)
    except ValidationError as error:
        return _refused(request, answer, answer_service.validation_message(error), typed)
    except workflow.WorkflowError as error:
        # Submitted or accepted meanwhile: the row is no longer a form after a
        # reload, so the refusal itself shows what was typed, to copy.
        return _refused(request, answer, str(error), typed, kept=True)
    if request.htmx:
        response = _render_row(request, saved, status=_("Saved"), notice=notice)
        # The running total asks for itself after every save, so responses that
        # arrive out of order never show an older total.
        response["HX-Trigger"] = "answer-saved"
        return response
    messages.success(request, _("Saved."))
    if notice:
        messages.info(request, notice)
    return redirect(_row_url(saved))


def _refused(request, answer, message, typed, stale=None, kept=False):
    if request.htmx:
        response = _render_row(
            request, answer, error=message, stale=stale, typed=typed, kept=typed if kept else None
        )
        response.status_code = 200
        return response
    # Without JavaScript: the whole page again, this row showing what was typed.
    key = answer.criterion_id
    context = sheet_context(
        request,
        answer.submission,
        row_error={key: message},
        row_typed={key: typed},
        row_kept={key: typed} if kept else {},
    )
    messages.error(request, message)
    return TemplateResponse(request, SHEET_TEMPLATE, context, status=400)


def _sheet_url(submission: Submission, *, incomplete: bool = False) -> str:
    """The sheet's address; with `incomplete`, the sheet listing what is missing."""
    query = {"incomplete": "1"} if incomplete else {}
    if submission.pk:
        page = reverse("campaigns:submission_detail", kwargs={"pk": submission.pk})
    else:
        page = reverse("campaigns:my_submission", args=[submission.period_id])
        query = {"unit": submission.unit_id, **query}
    return f"{page}?{urlencode(query)}" if query else page


def _row_url(answer: Answer) -> str:
    return f"{_sheet_url(answer.submission)}#answer-{answer.criterion_id}"


@login_required
@require_POST
def evidence_upload(request, pk: int):
    answer = get_visible_or_404(answer_queryset(), request.user, pk=pk)
    return _upload(request, answer, partial(answer_service.attach_evidence, answer))


@login_required
@require_POST
def criterion_evidence_upload(request, period_pk: int, unit_pk: int, criterion_pk: int):
    """evidence_upload() by unit, period and criterion (the sheet's upload form)."""
    answer = _get_row(request, period_pk, unit_pk, criterion_pk)
    submission = answer.submission
    attach = partial(
        answer_service.attach_evidence_for, submission.period, submission.unit, answer.criterion
    )
    return _upload(request, answer, attach)


def _upload(request, answer: Answer, attach):
    require(request.user, "campaigns.change_submission", answer.submission)
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = _("Choose a file to upload.")
    else:
        try:
            answer = attach(upload, by=request.user, now=timezone.now()).answer
        except ValidationError as exc:
            error = answer_service.validation_message(exc)
        except workflow.WorkflowError as exc:
            error = str(exc)
    if request.htmx:
        return _render_evidence(request, answer, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("File attached."))
    return redirect(_row_url(answer))


def _render_evidence(request, answer: Answer, *, error=""):
    submission = answer.submission
    context = {
        "answer": answer,
        "submission": submission,
        "can_edit": request.user.has_perm("campaigns.change_submission", submission)
        and submission.is_editable(timezone.localdate()),
        "evidence_error": error,
    }
    return render(request, f"{SHEET_TEMPLATE}#evidence", context)


@login_required
@require_GET
def evidence_download(request, pk: int):
    """Evidence is served only through this view, to those who may see the submission."""
    evidence = get_visible_or_404(evidence_queryset(), request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = EXTENSION_OF.get(evidence.content_type, "")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(evidence.original_name, extension)
        if extension
        else evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = get_visible_or_404(evidence_queryset(), request.user, pk=pk)
    answer = evidence.answer
    error = ""
    try:
        answer_service.remove_evidence(evidence, by=request.user, now=timezone.now())
    except workflow.WorkflowError as exc:
        error = str(exc)
    if request.htmx:
        return _render_evidence(request, answer, error=error)
    if error:
        messages.error(request, error)
    return redirect(_row_url(answer))


@login_required
@require_POST
def submission_submit(request, pk: int):
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    return _submit(request, submission, partial(workflow.submit, submission))


@login_required
@require_POST
def unit_submit(request, period_pk: int, unit_pk: int):
    """submission_submit() by unit and period: the button of a sheet opened before
    the unit's first save."""
    submission = _unit_sheet(request, period_pk, unit_pk)
    return _submit(
        request, submission, partial(workflow.submit_unit, submission.period, submission.unit)
    )


def _submit(request, submission: Submission, submit):
    try:
        submission = submit(by=request.user, now=timezone.now())
    except workflow.IncompleteSubmission as incomplete:
        # Back to the sheet's own address, which lists what is missing: a reload
        # there shows the list again instead of posting the submit a second time.
        messages.error(request, str(incomplete))
        return redirect(_sheet_url(submission, incomplete=True))
    except workflow.AlreadyDone as done:
        messages.info(request, str(done))
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your self-assessment has been submitted for review."))
    return redirect(_sheet_url(submission))


@login_required
@require_POST
def submission_withdraw(request, pk: int):
    """The unit takes back its submitted self-assessment, until the review starts."""
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    try:
        workflow.withdraw(submission, by=request.user, now=timezone.now())
    except workflow.AlreadyDone as done:
        messages.info(request, str(done))
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your self-assessment was withdrawn: edit it and submit it again."),
        )
    return redirect(_sheet_url(submission))
