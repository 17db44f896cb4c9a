"""A unit's emulation registration, and the officers' list of all registrations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from campaigns.enums import PeriodKind
from campaigns.models import Campaign, Registration, Title
from campaigns.movement.forms import RegistrationForm
from campaigns.movement.registration import (
    current_entries,
    export_registrations,
    filtered_participants,
    registration_counts,
    registration_for,
    registration_rows,
    save_registration,
)
from spreadsheets.specs import XLSX_CONTENT_TYPE
from units.forms import removed_controls_notice
from units.models import Unit
from units.scope import get_visible_or_404, require, visible_or_404

LIST_PER_PAGE = 100


def load_registration(request, campaign_pk: int, unit_pk: int) -> Registration:
    """The unit's registration (unsaved when there is none yet), or 404 when the unit
    does not take part in the campaign or the user may not see it."""
    # The campaign is a part: the registration's scope is checked once it is built
    # (a block head sees a member's registration in a movement their unit is not in).
    campaign = get_object_or_404(Campaign, pk=campaign_pk)
    unit = get_visible_or_404(Unit, request.user, pk=unit_pk, campaigns=campaign)
    registration = registration_for(campaign, unit)
    return visible_or_404(request.user, "campaigns.view_registration", registration)


class RegistrationView(LoginRequiredMixin, View):
    """The unit's registration: editable by its managers while the movement runs,
    read-only for everyone else who may see it."""

    template_name = "campaigns/registration_detail.html"

    def get(self, request, campaign_pk: int, unit_pk: int):
        registration = load_registration(request, campaign_pk, unit_pk)
        return self._render(registration, self._form(registration))

    def post(self, request, campaign_pk: int, unit_pk: int):
        registration = load_registration(request, campaign_pk, unit_pk)
        require(request.user, "campaigns.change_registration", registration)
        form = self._form(registration, data=request.POST)
        if form.is_valid():
            try:
                save_registration(
                    registration,
                    by=request.user,
                    commitments=form.cleaned_data["commitments"],
                    target_title=form.cleaned_data["target_title"],
                    entries=form.entries(),
                )
            except ValidationError as exc:
                form.add_domain_errors(exc)
            else:
                messages.success(request, _("The registration is saved."))
                notice = removed_controls_notice(form)
                if notice:
                    messages.info(request, notice)
                return redirect(reverse("campaigns:registration", args=[campaign_pk, unit_pk]))
        return self._render(registration, form)

    def _form(self, registration: Registration, data=None) -> RegistrationForm:
        people = registration.unit.people.filter(active=True).order_by(
            "-is_leader", "full_name", "pk"
        )
        entries = current_entries(registration)
        initial = {"commitments": registration.commitments}
        initial["target_title"] = registration.target_title_id
        initial.update({f"person_{pk}": title for pk, title in entries.items()})
        form = RegistrationForm(
            data, people=people, titles=list(Title.objects.all()), initial=initial
        )
        form.saved_entries = entries
        return form

    def _render(self, registration: Registration, form: RegistrationForm):
        can_edit = self.request.user.has_perm("campaigns.change_registration", registration)
        chosen = form.saved_entries
        registered = [
            (person, form.titles_by_id.get(chosen[person.pk]))
            for person in form.people
            if person.pk in chosen
        ]
        context = {
            "registration": registration,
            "campaign": registration.campaign,
            "unit": registration.unit,
            "form": form,
            "can_edit": can_edit,
            "registered": registered,
            "year_end": year_end_of(registration.campaign),
        }
        return render(self.request, self.template_name, context)


class RegistrationListView(LoginRequiredMixin, TemplateView):
    """The participating units of a campaign with their registration, for officers:
    a hundred to a page, searchable by name or code, filtered by registered or not."""

    template_name = "campaigns/registration_list.html"

    def get_context_data(self, **kwargs):
        campaign = load_campaign_for_list(self.request, kwargs["campaign_pk"])
        search = self.request.GET.get("q", "").strip()[:100]
        registered = self.request.GET.get("registered", "")
        registered = registered if registered in ("yes", "no") else ""
        units = filtered_participants(campaign, search=search, registered=registered)
        page = Paginator(units, LIST_PER_PAGE).get_page(self.request.GET.get("page"))
        registered_count, participant_count = registration_counts(campaign)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            campaign=campaign,
            rows=registration_rows(campaign, page.object_list),
            page_obj=page,
            querystring=query.urlencode(),
            search=search,
            registered=registered,
            filtered=bool(search or registered),
            registered_count=registered_count,
            participant_count=participant_count,
            year_end=year_end_of(campaign),
            **kwargs,
        )


def year_end_of(campaign: Campaign):
    """The campaign's year-end period (for links to the assessments), or None."""
    return campaign.periods.filter(kind=PeriodKind.YEAR_END).first()


def load_campaign_for_list(request, campaign_pk: int) -> Campaign:
    """404 outside the user's campaigns, 403 without the right to list registrations."""
    campaign = get_visible_or_404(Campaign, request.user, pk=campaign_pk)
    require(request.user, "campaigns.list_registrations", campaign)
    return campaign


@login_required
def registrations_export(request, campaign_pk: int):
    campaign = load_campaign_for_list(request, campaign_pk)
    content = export_registrations(registration_rows(campaign))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"registrations-{campaign.year}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
