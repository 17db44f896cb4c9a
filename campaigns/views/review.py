"""Review by the Department of Organization and Personnel: the queue, the review
page with the unit's answers beside the reviewer's scores, the workflow actions,
the urging list of units still missing, and the history of every answer."""

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from campaigns.enums import AnswerField, SubmissionState
from campaigns.models import Answer, Campaign, Criterion, Period
from campaigns.sheets import answers as answer_service
from campaigns.sheets import reminders, workflow
from campaigns.sheets.forms import ReasonForm, ReopenForm, ReturnForm, ReviewForm
from campaigns.sheets.queries import (
    answer_history,
    answer_queryset,
    load_sheet,
    review_queue,
    state_counts,
    submission_queryset,
)
from campaigns.views.common import parse_id
from campaigns.views.submission import score_text, scored_save
from units.forms import first_error, removed_controls_notice
from units.models import EmulationGroup, Unit
from units.scope import get_visible_or_404, require

REVIEW_TEMPLATE = "campaigns/submission_review.html"


class CountedPaginator(Paginator):
    """A paginator told its count (the queue already counted each state), so the
    page costs one query fewer."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


class QueueFilter(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Movement"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="—",
    )
    period = forms.ModelChoiceField(
        label=gettext_lazy("Period"),
        queryset=Period.objects.none(),
        required=False,
        empty_label="—",
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        choices=[("", "—"), *SubmissionState.choices],
        required=False,
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("Block or cluster"),
        queryset=EmulationGroup.objects.none(),
        required=False,
        empty_label="—",
    )
    late = forms.ChoiceField(
        label=gettext_lazy("Lateness"),
        choices=[
            ("", "—"),
            ("1", gettext_lazy("Late only")),
            ("0", gettext_lazy("On time only")),
        ],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.visible_to(user).order_by("-year", "name")
        self.fields["campaign"].queryset = campaigns
        self.fields["period"].queryset = Period.objects.filter(
            campaign__in=campaigns
        ).select_related("campaign")
        self.fields["group"].queryset = EmulationGroup.objects.order_by("-year", "kind", "order")


@login_required
@require_GET
def queue(request):
    """Submissions to review, filtered, with the count in each state. Officers see
    all; a block or cluster head sees its members' (read-only); units see their own."""
    form = QueueFilter(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    late = filters.get("late")
    queryset = review_queue(
        request.user,
        campaign=filters.get("campaign"),
        period=filters.get("period"),
        group=filters.get("group"),
        late=None if late in (None, "") else late == "1",
    )
    counts = state_counts(queryset)
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
        total = counts[filters["state"]]
    else:
        total = sum(counts.values())
    page = CountedPaginator(queryset, 50, count=total).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "campaigns/review_queue.html",
        {
            "form": form,
            "page_obj": page,
            "submissions": page.object_list,
            "counts": [(state, label, counts[state]) for state, label in SubmissionState.choices],
            "querystring": query.urlencode(),
            "can_review": rules.has_perm("campaigns.review_submission", request.user),
        },
    )


def _review_context(request, submission, **extra):
    sheet = load_sheet(submission)
    for answer in sheet.answers:
        answer.reviewer_text = score_text(answer.reviewer_score)
    today = timezone.localdate()
    user = request.user
    return {
        "submission": submission,
        "sheet": sheet,
        "period": submission.period,
        "campaign": submission.period.campaign,
        "can_review": user.has_perm("campaigns.review_submission", submission)
        and submission.state == SubmissionState.SUBMITTED,
        "can_reopen": user.has_perm("campaigns.reopen_submission", submission)
        and workflow.can_reopen(submission, today=today),
        "show_history": user.has_perm("campaigns.review_submission", submission),
        "reviewed_total": _running_reviewed_total(submission),
        **extra,
    }


def _running_reviewed_total(submission):
    """While the review is under way, the total it would be accepted with."""
    if submission.state != SubmissionState.SUBMITTED:
        return None
    return workflow.reviewed_total(submission)


def _get_reviewed(request, pk: int):
    """The self-assessment for its review page: 404 outside the user's scope, 403
    for a unit or a block head, who see it on the sheet instead."""
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    require(request.user, "campaigns.view_review", submission)
    return submission


@login_required
@require_GET
def review(request, pk: int):
    submission = _get_reviewed(request, pk)
    return TemplateResponse(request, REVIEW_TEMPLATE, _review_context(request, submission))


@login_required
@require_GET
def review_total(request, pk: int):
    """The running reviewed total of the review page (htmx fragment), asked for after
    each criterion's review is saved."""
    submission = _get_reviewed(request, pk)
    context = {"submission": submission, "reviewed_total": _running_reviewed_total(submission)}
    return render(request, f"{REVIEW_TEMPLATE}#reviewed_total", context)


@login_required
@require_POST
def answer_review(request, pk: int):
    """Save the reviewer's score and comment on one criterion (htmx)."""
    return _review_row(request, get_visible_or_404(answer_queryset(), request.user, pk=pk))


@login_required
@require_POST
def criterion_review(request, pk: int, criterion_pk: int):
    """answer_review() by submission and criterion: what the review page posts to,
    so a criterion the unit has no answer row for can be scored too."""
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    criterion = get_visible_or_404(
        Criterion, request.user, pk=criterion_pk, campaign_id=submission.period.campaign_id
    )
    answer = (
        Answer.objects.filter(submission=submission, criterion=criterion)
        .select_related("updated_by")
        .first()
    ) or Answer(criterion=criterion)
    answer.submission, answer.criterion = submission, criterion
    return _review_row(request, answer)


def _review_row(request, answer):
    require(
        request.user,
        "campaigns.review_submission",
        answer.submission,
        message=_("You are not allowed to review this self-assessment."),
    )
    context = scored_save(
        request,
        answer,
        ReviewForm(request.POST),
        lambda data, version: answer_service.save_review_for(
            answer.submission,
            answer.criterion,
            by=request.user,
            now=timezone.now(),
            expected_version=version,
            reviewer_score=data["reviewer_score"],
            comment=data["reviewer_comment"],
        ),
    )
    if not request.htmx:
        if context["error"]:
            messages.error(request, context["error"])
        elif context["notice"]:
            messages.info(request, context["notice"])
        return redirect("campaigns:review", pk=answer.submission_id)
    response = render(request, f"{REVIEW_TEMPLATE}#review_status", context)
    if context.get("saved"):
        # The running reviewed total asks for itself, as the sheet's total does.
        response["HX-Trigger"] = "review-saved"
    return response


@login_required
@require_POST
def submission_return(request, pk: int):
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    require(request.user, "campaigns.review_submission", submission)  # before the reason
    typed = request.POST.get("reason", "")
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise workflow.WorkflowError(first_error(form))
        workflow.return_for_revision(
            submission,
            by=request.user,
            reason=form.cleaned_data["reason"],
            comments=form.comments(),
            now=timezone.now(),
        )
    except workflow.AlreadyDone as done:
        messages.info(request, str(done))
        return redirect("campaigns:review", pk=submission.pk)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        context = _review_context(request, submission, typed_reason=typed, return_error=str(error))
        return TemplateResponse(request, REVIEW_TEMPLATE, context, status=400)
    messages.success(request, _("The self-assessment was returned to the unit."))
    _tell_removed(request, form)
    return redirect("campaigns:review", pk=submission.pk)


def _tell_removed(request, form) -> None:
    notice = removed_controls_notice(form)
    if notice:
        messages.info(request, notice)


@login_required
@require_POST
def submission_accept(request, pk: int):
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    try:
        workflow.accept(submission, by=request.user, now=timezone.now())
    except workflow.AlreadyDone as done:
        messages.info(request, str(done))
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The self-assessment was accepted."))
    return redirect("campaigns:review", pk=submission.pk)


@login_required
@require_POST
def submission_reopen(request, pk: int):
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    require(request.user, "campaigns.reopen_submission", submission)  # before the reason
    typed = request.POST.get("reopen_reason", "")
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise workflow.WorkflowError(first_error(form))
        workflow.reopen(
            submission,
            by=request.user,
            reason=form.cleaned_data["reopen_reason"],
            now=timezone.now(),
        )
    except workflow.AlreadyDone as done:
        messages.info(request, str(done))
        return redirect("campaigns:review", pk=submission.pk)
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
        context = _review_context(request, submission, typed_reopen=typed, reopen_error=str(error))
        return TemplateResponse(request, REVIEW_TEMPLATE, context, status=400)
    messages.success(request, _("The self-assessment was reopened for the unit."))
    _tell_removed(request, form)
    return redirect("campaigns:review", pk=submission.pk)


class HistoryFilter(forms.Form):
    field = forms.ChoiceField(
        label=gettext_lazy("Show"),
        choices=[("", gettext_lazy("Every change")), *AnswerField.choices],
        required=False,
    )


@login_required
@require_GET
def history(request, pk: int):
    """Every change of every answer of a submission: who, when, old and new value."""
    submission = get_visible_or_404(submission_queryset(), request.user, pk=pk)
    require(request.user, "campaigns.review_submission", submission)
    form = HistoryFilter(request.GET or None)
    kind = form.cleaned_data["field"] if form.is_valid() else ""
    page = Paginator(answer_history(submission, kind=kind), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "campaigns/submission_history.html",
        {
            "submission": submission,
            "form": form,
            "page_obj": page,
            "changes": page.object_list,
            # The reasons column, when a change on the page has one (the
            # Department's changes of a block's score must).
            "has_reasons": any(change.reason for change in page.object_list),
            "querystring": query.urlencode(),
        },
    )


def _urging_period(request, pk: int) -> Period:
    period = get_visible_or_404(Period.objects.select_related("campaign"), request.user, pk=pk)
    require(request.user, "campaigns.review_submission")
    return period


def _urging_context(period: Period, **extra) -> dict:
    today = timezone.localdate()
    units = list(reminders.missing_units(period))
    last_sent = {}
    for reminder in period.reminders.filter(unit__in=[u.pk for u in units]).order_by("sent_at"):
        last_sent[reminder.unit_id] = reminder
    for unit in units:
        unit.last_reminder = last_sent.get(unit.pk)
    can_reopen = today > period.closes_on
    if can_reopen:
        # A unit already reopened can edit and submit: no second reopening is offered.
        reopened = reminders.reopened_at(period, units)
        for unit in units:
            unit.reopened_at = reopened.get(unit.pk)
    return {
        "period": period,
        "campaign": period.campaign,
        "units": units,
        "today": today,
        "cannot_remind": reminders.why_not_remind(period, today),
        # After the close, a unit that never started can only be reopened.
        "can_reopen": can_reopen,
        **extra,
    }


@login_required
@require_GET
def urging(request, pk: int):
    """The units still missing for a period, with the reminders already sent."""
    period = _urging_period(request, pk)
    return TemplateResponse(request, "campaigns/period_urging.html", _urging_context(period))


@login_required
@require_POST
def remind(request, pk: int):
    period = _urging_period(request, pk)
    chosen = [pk for pk in map(parse_id, request.POST.getlist("unit")) if pk is not None]
    if not chosen:
        messages.error(request, _("Tick the units to remind."))
        return redirect("campaigns:urging", pk=period.pk)
    today = timezone.localdate()
    refusal = reminders.why_not_remind(period, today)
    if refusal:
        messages.error(request, refusal)
        return redirect("campaigns:urging", pk=period.pk)
    sent = reminders.remind_now(period, chosen, by=request.user, today=today)
    if not sent:
        messages.info(request, _("These units were already reminded today, or have submitted."))
        return redirect("campaigns:urging", pk=period.pk)
    messages.success(request, _("Reminder sent to %(count)d unit(s).") % {"count": sent})
    return redirect("campaigns:urging", pk=period.pk)


@login_required
@require_POST
def reopen_unit(request, pk: int, unit_pk: int):
    """Reopen the self-assessment of a unit still missing after the period closed."""
    period = _urging_period(request, pk)
    require(request.user, "campaigns.reopen_submission")
    unit = get_visible_or_404(Unit, request.user, pk=unit_pk)
    typed = request.POST.get("reason", "")
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise workflow.WorkflowError(first_error(form))
        submission = workflow.reopen_unit(
            period, unit, by=request.user, reason=form.cleaned_data["reason"], now=timezone.now()
        )
    except workflow.AlreadyDone as done:
        messages.info(request, f"{unit.name}: {done}")
        return redirect("campaigns:urging", pk=period.pk)
    except workflow.WorkflowError as error:
        messages.error(request, f"{unit.name}: {error}")
        context = _urging_context(
            period, reopen_unit=unit.pk, typed_reason=typed, reopen_error=str(error)
        )
        return TemplateResponse(request, "campaigns/period_urging.html", context, status=400)
    messages.success(
        request,
        _("The self-assessment of %(unit)s was reopened; the unit has been told.")
        % {"unit": unit.name},
    )
    _tell_removed(request, form)
    return redirect("campaigns:review", pk=submission.pk)
