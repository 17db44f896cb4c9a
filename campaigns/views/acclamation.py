"""The acclamation page of a block or cluster in a year-end period: the head unit
opens the vote, follows who voted, closes it and types the minutes; a member unit's
head casts the unit's ballot; whoever may see the block follows its state and, once
closed, the result. A candidate's votes never appear before the close."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from campaigns.blocks import acclamation as domain
from campaigns.blocks import options
from campaigns.blocks.standings import block_standings
from campaigns.enums import PeriodKind
from campaigns.models import Acclamation, Period, Proposal, Voter
from campaigns.views.common import parse_id
from units.forms import FreeTextField, first_error
from units.models import EmulationGroup
from units.scope import require, visible_or_404

TEMPLATE = "campaigns/blocks/acclamation.html"
DATE_PLACEHOLDER = gettext_lazy("dd/mm/yyyy")


class OpenForm(forms.Form):
    candidate = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Candidates"), coerce=int, required=False, choices=()
    )
    flag_places = forms.IntegerField(
        label=gettext_lazy("Ministry flag proposals"), min_value=1, max_value=50
    )
    merit_places = forms.IntegerField(
        label=gettext_lazy("Certificate of Merit proposals"), min_value=0, max_value=50
    )

    def __init__(self, *args, unit_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any member may be ticked; the domain refuses, by name, one that did not send.
        self.fields["candidate"].choices = [(pk, pk) for pk in unit_ids]


class MinutesForm(forms.Form):
    minutes_number = FreeTextField(label=gettext_lazy("Minutes number"), max_length=60)
    meeting_date = forms.DateField(
        label=gettext_lazy("Conference date"),
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_PLACEHOLDER}),
    )
    meeting_place = FreeTextField(label=gettext_lazy("Place"), max_length=255)
    chair_name = FreeTextField(label=gettext_lazy("Chaired by"), max_length=150)
    secretary_name = FreeTextField(label=gettext_lazy("Secretary"), max_length=150)
    attendees = FreeTextField(
        label=gettext_lazy("Attendees"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    notes = FreeTextField(
        label=gettext_lazy("Other matters"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _load(request, period_pk: int, group_pk: int):
    """The period, the group and its acclamation (or None): 404 for a user who may
    not see the group's acclamation, for a group of another year, for a period that
    is not one of a movement's."""
    period = Period.objects.select_related("campaign").filter(pk=period_pk).first()
    group = EmulationGroup.objects.filter(pk=group_pk).first()
    if period is None or group is None or group.year != period.campaign.year:
        raise Http404
    visible_or_404(request.user, "campaigns.view_acclamation", group)
    acclamation = (
        Acclamation.objects.select_related("opened_by", "closed_by")
        .filter(group=group, period=period)
        .first()
    )
    if acclamation is not None:
        acclamation.group, acclamation.period = group, period
    return period, group, acclamation


def _context(request, period, group, acclamation, **extra) -> dict:
    user = request.user
    can_manage = user.has_perm("campaigns.manage_block", group)
    my_units = domain.voting_units(user, group)
    context = {
        "period": period,
        "campaign": period.campaign,
        "group": group,
        "acclamation": acclamation,
        "can_manage": can_manage,
        "is_year_end": period.kind == PeriodKind.YEAR_END,
        **extra,
    }
    if acclamation is None:
        if can_manage and context["is_year_end"]:
            _open_context(context, group, period)
        return context
    candidates = list(acclamation.candidates.select_related("unit"))
    context["candidates"] = candidates
    context["places"] = acclamation.flag_places + acclamation.merit_places
    # Who voted, never what.
    voters = {v.unit_id: v for v in Voter.objects.filter(acclamation=acclamation).order_by()}
    memberships = list(
        group.memberships.select_related("unit").order_by("unit__order", "unit__name")
    )
    units = {m.unit_id: m.unit for m in memberships}
    context["members"] = [(m.unit, voters.get(m.unit_id)) for m in memberships]
    context["voted_count"] = len(voters)
    context["my_ballots"] = [(units[unit_id], voters.get(unit_id)) for unit_id in my_units]
    if acclamation.is_open:
        # A candidate's votes are not counted yet, and never shown before the close.
        for candidate in candidates:
            candidate.votes = None
    else:
        context["proposals"] = list(
            Proposal.objects.filter(acclamation=acclamation).select_related("unit", "title")
        )
        for candidate in candidates:
            candidate.share_text = _share(candidate.votes, acclamation.voter_count)
    if can_manage:
        context.setdefault(
            "minutes_form",
            MinutesForm(
                initial={name: getattr(acclamation, name) for name in domain.MINUTES_FIELDS}
            ),
        )
        context.setdefault("minutes_version", acclamation.version)
    return context


def _open_context(context, group, period) -> None:
    table = block_standings(group, period)
    rules = options.rules_for(period.campaign)
    defaults = {s.unit.pk for s in domain.default_candidates(group, period, table=table)}
    typed = context.get("open_typed")
    if typed is not None:
        defaults = set(typed["candidates"])
    context["standings"] = table.standings
    context["ticked"] = defaults
    context["open_flag_places"] = typed["flag_places"] if typed else rules.flag_places
    context["open_merit_places"] = typed["merit_places"] if typed else rules.merit_places
    context["share"] = rules.acclamation_share


def _share(votes, voter_count) -> str:
    if votes is None or not voter_count:
        return ""
    return f"{votes * 100 / voter_count:.1f}".replace(".", ",") + " %"


@login_required
@require_GET
def acclamation_page(request, period_pk: int, group_pk: int):
    period, group, acclamation = _load(request, period_pk, group_pk)
    return TemplateResponse(request, TEMPLATE, _context(request, period, group, acclamation))


def _refused(request, period, group, acclamation, message: str, **extra):
    messages.error(request, message)
    context = _context(request, period, group, acclamation, error=message, **extra)
    return TemplateResponse(request, TEMPLATE, context, status=400)


@login_required
@require_POST
def acclamation_open(request, period_pk: int, group_pk: int):
    period, group, acclamation = _load(request, period_pk, group_pk)
    require(request.user, "campaigns.manage_block", group)
    member_ids = list(group.memberships.values_list("unit_id", flat=True))
    form = OpenForm(request.POST, unit_ids=member_ids)
    typed = {
        "candidates": [parse_id(v) for v in request.POST.getlist("candidate")],
        "flag_places": request.POST.get("flag_places", ""),
        "merit_places": request.POST.get("merit_places", ""),
    }
    try:
        if not form.is_valid():
            if "candidate" in form.errors:
                raise domain.AcclamationError(_("A candidate must be a member of the block."))
            raise domain.AcclamationError(first_error(form))
        domain.open_vote(
            group,
            period,
            by=request.user,
            now=timezone.now(),
            candidate_unit_ids=form.cleaned_data["candidate"],
            flag_places=form.cleaned_data["flag_places"],
            merit_places=form.cleaned_data["merit_places"],
        )
    except domain.AcclamationError as error:
        acclamation = Acclamation.objects.filter(group=group, period=period).first()
        return _refused(request, period, group, acclamation, str(error), open_typed=typed)
    messages.success(request, _("The vote is open: the member units' heads can vote."))
    return redirect("campaigns:acclamation", period_pk=period.pk, group_pk=group.pk)


def _existing(acclamation):
    if acclamation is None:
        raise Http404
    return acclamation


@login_required
@require_POST
def acclamation_vote(request, period_pk: int, group_pk: int):
    period, group, acclamation = _load(request, period_pk, group_pk)
    my_units = domain.voting_units(request.user, group)
    unit_id = parse_id(request.POST.get("unit", ""))
    if unit_id is None and len(my_units) == 1:
        unit_id = my_units[0]
    if not request.user.has_perm("campaigns.vote_in_block", group) or unit_id not in my_units:
        raise PermissionDenied(_("You vote only for the member unit you head."))
    acclamation = _existing(acclamation)
    chosen = [parse_id(v) for v in request.POST.getlist("candidate")]
    typed = {"unit": unit_id, "candidates": set(chosen)}
    unit = group.members.get(pk=unit_id)
    try:
        if None in chosen:
            raise domain.AcclamationError(_("Choose among the candidates of this vote."))
        domain.cast_ballot(
            acclamation, by=request.user, unit=unit, candidate_ids=chosen, now=timezone.now()
        )
    except domain.AcclamationError as error:
        return _refused(request, period, group, acclamation, str(error), ballot_typed=typed)
    messages.success(
        request, _("The ballot of %(unit)s has been cast. Thank you.") % {"unit": unit.name}
    )
    return redirect("campaigns:acclamation", period_pk=period.pk, group_pk=group.pk)


@login_required
@require_POST
def acclamation_close(request, period_pk: int, group_pk: int):
    period, group, acclamation = _load(request, period_pk, group_pk)
    require(request.user, "campaigns.manage_block", group)
    acclamation = _existing(acclamation)
    if not request.POST.get("confirm"):
        return _refused(
            request, period, group, acclamation, _("Tick the box to confirm closing the vote.")
        )
    try:
        domain.close_vote(acclamation, by=request.user, now=timezone.now())
    except domain.AcclamationError as error:
        messages.info(request, str(error))
        return redirect("campaigns:acclamation", period_pk=period.pk, group_pk=group.pk)
    messages.success(request, _("The vote is closed and counted."))
    return redirect("campaigns:acclamation", period_pk=period.pk, group_pk=group.pk)


@login_required
@require_POST
def acclamation_minutes(request, period_pk: int, group_pk: int):
    period, group, acclamation = _load(request, period_pk, group_pk)
    require(request.user, "campaigns.manage_block", group)
    acclamation = _existing(acclamation)
    form = MinutesForm(request.POST)
    expected = parse_id(request.POST.get("version", ""))
    try:
        if expected is None:
            raise domain.AcclamationError(_("The form is incomplete: reload the page."))
        if not form.is_valid():
            raise domain.AcclamationError(first_error(form))
        domain.save_minutes(
            acclamation, by=request.user, data=form.cleaned_data, expected_version=expected
        )
    except domain.AcclamationError as error:
        return _refused(
            request,
            period,
            group,
            acclamation,
            str(error),
            minutes_form=form,
            minutes_version=expected or acclamation.version,
        )
    messages.success(request, _("The minutes have been saved."))
    return redirect("campaigns:acclamation", period_pk=period.pk, group_pk=group.pk)
