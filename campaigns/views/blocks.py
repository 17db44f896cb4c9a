"""A block's or cluster's year in a period: the list of the blocks a user may see,
the block's page (members' progress, scoring progress, the ranking with its chart,
the acclamation's state, the documents) and the override of an adjustment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.blocks import adjustments, options
from campaigns.blocks.chart import standing_bars
from campaigns.blocks.standings import Progress, block_standings, progress_of
from campaigns.enums import AcclamationState, AdjustmentKind, Subject
from campaigns.models import Acclamation, Criterion, Period, Submission
from campaigns.movement import criteria_tree
from campaigns.sheets.queries import submission_queryset
from units.models import EmulationGroup, GroupMembership

BLOCK_TEMPLATE = "campaigns/blocks/block_detail.html"


def _period_or_404(request, period_pk: int) -> Period:
    """The period, when the user sees its movement (404 otherwise, as for none)."""
    try:
        period = Period.objects.select_related("campaign").get(pk=period_pk)
    except Period.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("campaigns.view_campaign", period.campaign):
        raise Http404
    return period


def _groups_of(period: Period):
    return (
        EmulationGroup.objects.filter(year=period.campaign.year)
        .select_related("head_unit", "deputy_unit")
        .order_by("kind", "order", "code")
    )


def _group_or_404(request, period: Period, group_pk: int) -> EmulationGroup:
    group = _groups_of(period).filter(pk=group_pk).first()
    if group is None or not request.user.has_perm("campaigns.view_block", group):
        raise Http404
    return group


@login_required
@require_GET
def block_list(request, period_pk: int):
    """The period's blocks and clusters the user may view, each with its members'
    progress (a constant number of queries)."""
    period = _period_or_404(request, period_pk)
    groups = [g for g in _groups_of(period) if request.user.has_perm("campaigns.view_block", g)]
    _attach_progress(groups, period)
    return TemplateResponse(
        request,
        "campaigns/blocks/block_list.html",
        {
            "period": period,
            "campaign": period.campaign,
            "groups": groups,
            "progress_labels": [(key, Progress.labels[key]) for key in Progress.order],
            "blocks_score": options.blocks_score(period, options.rules_for(period.campaign)),
        },
    )


def _attach_progress(groups: list[EmulationGroup], period: Period) -> None:
    """On each group: .member_count, .progress (count per Progress, in order) and
    .to_score (sent sheets not fully scored by the block)."""
    if not groups:
        return
    leaf_count = len(
        criteria_tree.leaves(
            list(
                criteria_tree.ordered(
                    Criterion.objects.filter(
                        campaign_id=period.campaign_id, subject=Subject.COLLECTIVE
                    )
                )
            )
        )
    )
    members = list(
        GroupMembership.objects.filter(group__in=groups)
        .order_by()
        .values_list("group_id", "unit_id")
    )
    sheets = {
        unit_id: (state, scored)
        for unit_id, state, scored in Submission.objects.filter(
            period=period, unit_id__in={unit_id for _g, unit_id in members}
        )
        .order_by()
        .values_list("unit_id", "state", "block_scored_count")
    }
    by_group: dict[int, dict[str, int]] = {}
    for group_id, unit_id in members:
        state, scored = sheets.get(unit_id, (None, 0))
        counts = by_group.setdefault(group_id, dict.fromkeys(Progress.order, 0))
        counts[progress_of(state, scored, leaf_count)] += 1
    for group in groups:
        counts = by_group.get(group.pk, dict.fromkeys(Progress.order, 0))
        group.member_count = sum(counts.values())
        group.progress = [(key, Progress.labels[key], counts[key]) for key in Progress.order]
        group.to_score = counts[Progress.SUBMITTED]


@login_required
@require_GET
def block_detail(request, period_pk: int, group_pk: int):
    period = _period_or_404(request, period_pk)
    group = _group_or_404(request, period, group_pk)
    return TemplateResponse(request, BLOCK_TEMPLATE, _block_context(request, period, group))


def _block_context(request, period: Period, group: EmulationGroup, **extra) -> dict:
    user = request.user
    table = block_standings(group, period)
    acclamation = (
        Acclamation.objects.filter(group=group, period=period)
        .annotate(voted=Count("voters"))
        .first()
    )
    closed = acclamation is not None and acclamation.state == AcclamationState.CLOSED
    error = extra.get("override_error") or {}
    for standing in table.standings:
        standing.can_override = (
            standing.ranked
            and not closed
            and user.has_perm("campaigns.override_adjustment", standing.submission)
        )
        if standing.can_override:
            standing.override_forms = _override_forms(standing, error)
    counts = table.progress_counts()
    scored, to_score = table.scoring_progress
    return {
        "period": period,
        "campaign": period.campaign,
        "group": group,
        "table": table,
        "ranked": [s for s in table.standings if s.rank is not None],
        "unranked": [s for s in table.standings if s.rank is None],
        "progress": [(key, Progress.labels[key], counts[key]) for key in Progress.order],
        "scored_criteria": scored,
        "criteria_to_score": to_score,
        "bars": standing_bars(table),
        "acclamation": acclamation,
        "acclamation_closed": closed,
        "blocks_score": options.blocks_score(period, table.rules),
        "can_manage": user.has_perm("campaigns.manage_block", group),
        **extra,
    }


def _override_forms(standing, error: dict) -> list[dict]:
    """One form per kind of adjustment: what it stands at, and what was typed when
    the last post of that form was refused."""
    current = {a.kind: a for a in standing.adjustments}
    forms = []
    for kind, label in AdjustmentKind.choices:
        adjustment = current.get(kind)
        refused = error.get("submission_id") == standing.submission.pk and error.get("kind") == kind
        forms.append(
            {
                "kind": kind,
                "label": label,
                "adjustment": adjustment,
                "points": error["points"] if refused else _typed(adjustment),
                "reason": error["reason"] if refused else "",
                "error": error["message"] if refused else "",
            }
        )
    return forms


def _typed(adjustment) -> str:
    if adjustment is None:
        return ""
    text = f"{adjustment.points:f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",")


def _group_of(submission: Submission) -> EmulationGroup | None:
    return (
        EmulationGroup.objects.filter(
            year=submission.period.campaign.year, memberships__unit_id=submission.unit_id
        )
        .select_related("head_unit", "deputy_unit")
        .order_by("kind")
        .first()
    )


@login_required
@require_POST
def adjustment_override(request, pk: int, kind: str):
    """Override one adjustment of a sent sheet with a reason, then back to the
    block's page; refused, the page again with what was typed and why."""
    user = request.user
    submission = submission_queryset().filter(pk=pk).first()
    if submission is None or not (
        user.has_perm("campaigns.view_submission", submission)
        or user.has_perm("campaigns.override_adjustment", submission)
    ):
        raise Http404
    group = _group_of(submission)
    if group is None or kind not in AdjustmentKind.values:
        raise Http404
    if not user.has_perm("campaigns.override_adjustment", submission):
        raise PermissionDenied(_("You are not allowed to change this sheet's adjustments."))
    points, reason = request.POST.get("points", ""), request.POST.get("reason", "")
    try:
        if request.POST.get("action") == "automatic":
            adjustments.clear_override(submission, kind, reason=reason, by=user, now=timezone.now())
        else:
            adjustments.override_adjustment(
                submission, kind, points=points, reason=reason, by=user, now=timezone.now()
            )
    except ValidationError as error:
        message = " ".join(error.messages)
        messages.error(request, message)
        refused = {
            "submission_id": submission.pk,
            "kind": kind,
            "points": points,
            "reason": reason,
            "message": message,
        }
        context = _block_context(request, submission.period, group, override_error=refused)
        return TemplateResponse(request, BLOCK_TEMPLATE, context, status=400)
    messages.success(
        request,
        _("The adjustment of %(unit)s was saved.") % {"unit": submission.unit.display_name},
    )
    url = redirect("campaigns:block", period_pk=submission.period_id, group_pk=group.pk).url
    return redirect(f"{url}#adjust-{submission.pk}")
