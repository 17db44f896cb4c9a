"""Block scoring of a member's sent sheet: the page with the unit's answers beside the
reviewer's and the block's scores, each criterion's block score and comment saved as
typed (htmx, as the review page), and the running block total.

Who sees the page: whoever may score the sheet for its block or change its scores,
the ministry-wide roles and the block's head unit on its own sheet (read-only);
404 outside the user's scope (units.scope), 403 for a unit on its own sheet, which
shows the block's scores itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.blocks import scoring as block_scoring
from campaigns.enums import Subject
from campaigns.models import Answer, Criterion
from campaigns.sheets import workflow
from campaigns.sheets.forms import BlockScoreForm
from campaigns.sheets.queries import load_sheet, submission_queryset
from campaigns.sheets.scoring import score_text
from campaigns.views.submission import scored_save
from units.scope import get_visible_or_404, require

TEMPLATE = "campaigns/block_scoring.html"


def _get_scored(request, pk: int):
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    require(request.user, "campaigns.view_block_scoring", submission)
    return submission


def _context(request, submission, *, typed=None, errors=None) -> dict:
    """The page's context; `typed` and `errors` (by criterion id) keep what a refused
    save without JavaScript had typed, with its message beside the field."""
    user = request.user
    typed, errors = typed or {}, errors or {}
    sheet = load_sheet(submission)
    scorer = block_scoring.may_score(user, submission)
    refusal = block_scoring.why_not_scored(submission) if scorer else ""
    for answer in sheet.answers:
        kept = typed.get(answer.criterion_id)
        answer.block_text = kept["block_score"] if kept else score_text(answer.block_score)
        answer.block_comment_value = kept["block_comment"] if kept else answer.block_comment
        answer.reason_value = kept["reason"] if kept else ""
        answer.row_error = errors.get(answer.criterion_id, "")
    return {
        "submission": submission,
        "sheet": sheet,
        "period": submission.period,
        "campaign": submission.period.campaign,
        "can_score": scorer and not refusal,
        "refusal": refusal,
        "needs_reason": block_scoring.needs_reason(user, submission),
        "show_history": user.has_perm("campaigns.review_submission", submission),
        "show_review": user.has_perm("campaigns.view_review", submission),
    }


@login_required
@require_GET
def block_scoring_page(request, pk: int):
    submission = _get_scored(request, pk)
    return TemplateResponse(request, TEMPLATE, _context(request, submission))


@login_required
@require_GET
def block_total(request, pk: int):
    """The running block total of the page (htmx fragment), asked for after each save."""
    submission = _get_scored(request, pk)
    return render(request, f"{TEMPLATE}#block_total", {"submission": submission})


@login_required
@require_POST
def criterion_block_score(request, pk: int, criterion_pk: int):
    """Save the block's score and comment on one criterion (htmx; without JavaScript,
    back to the page, or the page again with the message and the typed text)."""
    user = request.user
    submission = get_visible_or_404(submission_queryset(), user, pk=pk)
    criterion = get_visible_or_404(
        Criterion,
        user,
        pk=criterion_pk,
        campaign_id=submission.period.campaign_id,
        subject=Subject.COLLECTIVE,
    )
    if not block_scoring.may_score(user, submission):
        raise PermissionDenied(_("You are not allowed to score this self-assessment."))
    answer = (
        Answer.objects.filter(submission=submission, criterion=criterion)
        .select_related("updated_by")
        .first()
    ) or Answer(criterion=criterion)
    answer.submission, answer.criterion = submission, criterion
    context = scored_save(
        request,
        answer,
        BlockScoreForm(request.POST),
        lambda data, version: block_scoring.save_block_score_for(
            submission,
            criterion,
            by=user,
            now=timezone.now(),
            expected_version=version,
            block_score=data["block_score"],
            comment=data["block_comment"],
            reason=data["reason"],
        ),
    )
    if not request.htmx:
        return _without_htmx(request, submission, criterion, context)
    response = render(request, f"{TEMPLATE}#block_status", context)
    if context.get("saved"):
        response["HX-Trigger"] = "block-saved"
    return response


def _without_htmx(request, submission, criterion, context):
    if not context["error"]:
        if context["notice"]:
            messages.info(request, context["notice"])
        url = reverse("campaigns:block_scoring", args=[submission.pk])
        return redirect(f"{url}#answer-{criterion.pk}")
    typed = {
        criterion.pk: {
            "block_score": request.POST.get("block_score", ""),
            "block_comment": request.POST.get("block_comment", ""),
            "reason": request.POST.get("reason", ""),
        }
    }
    page = _context(request, submission, typed=typed, errors={criterion.pk: context["error"]})
    return TemplateResponse(request, TEMPLATE, page, status=400)


@login_required
@require_POST
def block_confirm_remaining(request, pk: int):
    """The block agrees with the unit on every criterion it has not scored yet."""
    submission = _get_scored(request, pk)
    require(
        request.user,
        "campaigns.score_in_block",
        submission,
        message=_("Only the block's head unit (or, for its own sheet, the deputy unit) confirms."),
    )
    try:
        count = block_scoring.confirm_remaining(submission, by=request.user, now=timezone.now())
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        if count:
            messages.success(
                request,
                _("The unit's own score now stands as the block's on %(count)s criteria.")
                % {"count": count},
            )
        else:
            messages.info(request, _("Every criterion the unit answered is already scored."))
    return redirect("campaigns:block_scoring", pk=submission.pk)
