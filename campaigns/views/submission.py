"""The unit's self-assessment: filling answers (each saves on its own through htmx),
evidence files, the workflow buttons and the timeline.

Views parse input, call campaigns.answers or campaigns.workflow, and render. A
refused input answers with the message and the values the user typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns import answers as answer_service
from campaigns import workflow
from campaigns.enums import CampaignStatus
from campaigns.evidence import ALLOWED_TYPES, download_name
from campaigns.models import Answer, Evidence, Period, Submission
from campaigns.queries import load_answer, load_sheet, load_submission
from campaigns.views.common import parse_id
from units.rules import managed_unit_ids

SHEET_TEMPLATE = "campaigns/submission_detail.html"
EXTENSION_OF = {mime: extension for extension, mime in ALLOWED_TYPES.items()}


def missing_version_message() -> str:
    return _("The form is missing its version: copy your text, reload the page and paste it again.")


def _get_submission(request, pk: int) -> Submission:
    try:
        submission = load_submission(pk, request.user)
    except Submission.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("campaigns.view_submission", submission):
        raise Http404
    return submission


def _get_answer(request, pk: int) -> Answer:
    try:
        answer = load_answer(pk, request.user)
    except Answer.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("campaigns.view_submission", answer.submission):
        raise Http404
    return answer


def _require_manager(request, submission: Submission) -> None:
    """Only the unit's managers change its answers and files: anyone else who may see
    the self-assessment is refused (403) before the form is read."""
    if not request.user.has_perm("campaigns.change_submission", submission):
        raise PermissionDenied


def score_text(value) -> str:
    """A score as the user would type it: no trailing zeros, the locale's separator."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


def sheet_context(request, submission: Submission, **extra) -> dict:
    user = request.user
    today = timezone.localdate()
    sheet = load_sheet(submission)
    row_typed, row_error = extra.pop("row_typed", {}), extra.pop("row_error", {})
    for answer in sheet.answers:
        typed = row_typed.get(answer.pk)
        answer.score_text = typed["self_score"] if typed else score_text(answer.self_score)
        answer.max_text = score_text(answer.criterion.max_points)
        answer.narrative_value = typed["narrative"] if typed else answer.narrative
        answer.row_error = row_error.get(answer.pk, "")
    return {
        "submission": submission,
        "sheet": sheet,
        "period": submission.period,
        "campaign": submission.period.campaign,
        "can_edit": user.has_perm("campaigns.change_submission", submission)
        and submission.is_editable(today),
        "can_submit": user.has_perm("campaigns.submit_submission", submission)
        and submission.is_editable(today),
        "can_review": user.has_perm("campaigns.review_submission", submission),
        "today": today,
        **extra,
    }


@login_required
@require_GET
def my_submission(request, period_pk: int):
    """Open (or create) the self-assessment of the user's unit for a period."""
    period = get_object_or_404(
        Period.objects.select_related("campaign"),
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
        submission = answer_service.open_submission(period, unit)
    return redirect("campaigns:submission_detail", pk=submission.pk)


@login_required
@require_GET
def submission_detail(request, pk: int):
    submission = _get_submission(request, pk)
    return TemplateResponse(request, SHEET_TEMPLATE, sheet_context(request, submission))


def _render_row(request, answer: Answer, *, status="", error="", stale=None, typed=None):
    submission = answer.submission
    context = {
        "answer": answer,
        "submission": submission,
        "status": status,
        "error": error,
        "stale": stale,
        "typed": typed or {},
        "total_oob": True,
    }
    return render(request, f"{SHEET_TEMPLATE}#answer_status", context)


@login_required
@require_GET
def submission_total(request, pk: int):
    """The running total of a self-assessment (htmx fragment)."""
    submission = _get_submission(request, pk)
    return render(request, f"{SHEET_TEMPLATE}#running_total", {"submission": submission})


@login_required
@require_POST
def answer_save(request, pk: int):
    """Save one answer's score and narrative. With htmx, answers the row's status
    (and the running total); without, goes back to the page."""
    answer = _get_answer(request, pk)
    _require_manager(request, answer.submission)
    typed = {
        "self_score": request.POST.get("self_score", ""),
        "narrative": request.POST.get("narrative", ""),
    }
    expected = parse_id(request.POST.get("force_version") or request.POST.get("version", ""))
    if expected is None:
        return _refused(request, answer, missing_version_message(), typed)
    fields = {k: v for k, v in typed.items() if k in request.POST}
    try:
        saved = answer_service.save_answer(
            answer, by=request.user, expected_version=expected, **fields
        )
    except answer_service.StaleAnswer as stale:
        return _refused(request, answer, str(stale), typed, stale=stale.current)
    except ValidationError as error:
        return _refused(request, answer, answer_service.validation_message(error), typed)
    except workflow.WorkflowError as error:
        return _refused(request, answer, str(error), typed)
    if request.htmx:
        response = _render_row(request, saved, status=_("Saved"))
        # The running total asks for itself after every save, so responses that
        # arrive out of order never show an older total.
        response["HX-Trigger"] = "answer-saved"
        return response
    messages.success(request, _("Saved."))
    return redirect(_row_url(saved))


def _refused(request, answer, message, typed, stale=None):
    if request.htmx:
        response = _render_row(request, answer, error=message, stale=stale, typed=typed)
        response.status_code = 200
        return response
    # Without JavaScript: the whole page again, this row showing what was typed.
    context = sheet_context(
        request, answer.submission, row_error={answer.pk: message}, row_typed={answer.pk: typed}
    )
    messages.error(request, message)
    return TemplateResponse(request, SHEET_TEMPLATE, context, status=400)


def _row_url(answer: Answer) -> str:
    return reverse("campaigns:submission_detail", kwargs={"pk": answer.submission_id}) + (
        f"#answer-{answer.pk}"
    )


@login_required
@require_POST
def evidence_upload(request, pk: int):
    answer = _get_answer(request, pk)
    _require_manager(request, answer.submission)
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = _("Choose a file to upload.")
    else:
        try:
            answer_service.attach_evidence(answer, upload, by=request.user)
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


def _get_evidence(request, pk: int) -> Evidence:
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "answer__criterion", "answer__submission__period__campaign", "answer__submission__unit"
        ),
        pk=pk,
        answer__submission__in=Submission.objects.visible_to(request.user),
    )
    if not request.user.has_perm("campaigns.view_submission", evidence.answer.submission):
        raise Http404
    return evidence


@login_required
@require_GET
def evidence_download(request, pk: int):
    """Evidence is served only through this view, to those who may see the submission."""
    evidence = _get_evidence(request, pk)
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
    evidence = _get_evidence(request, pk)
    answer = evidence.answer
    error = ""
    try:
        answer_service.remove_evidence(evidence, by=request.user)
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
    submission = _get_submission(request, pk)
    try:
        workflow.submit(submission, by=request.user)
    except workflow.IncompleteSubmission as incomplete:
        messages.error(request, str(incomplete))
        context = sheet_context(request, submission, missing=incomplete.missing)
        return TemplateResponse(request, SHEET_TEMPLATE, context, status=400)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        return redirect("campaigns:submission_detail", pk=submission.pk)
    messages.success(request, _("Your self-assessment has been submitted for review."))
    return redirect("campaigns:submission_detail", pk=submission.pk)
