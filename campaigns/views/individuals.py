"""The year-end assessments of a unit's people: a paged table whose rows save one by
one through htmx, and the same columns as an XLSX export and import."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from campaigns.enums import PeriodKind
from campaigns.individuals.assessments import (
    IMPORT_KIND,
    PER_PAGE,
    PersonRow,
    StaleAssessment,
    UnitPeriod,
    export_assessments,
    export_filename,
    import_assessments,
    import_params,
    leader_criteria,
    leader_total,
    people_of,
    rows_for,
    save_assessment,
)
from campaigns.individuals.forms import AssessmentRowForm, ImportForm
from campaigns.models import Criterion, IndividualAssessment, Period, Title
from spreadsheets.specs import XLSX_CONTENT_TYPE
from units.forms import removed_controls_notice
from units.imports import limits, start_import
from units.models import Person, Unit
from units.scope import get_visible_or_404, visible_or_404

VIEW = "campaigns.view_individual_assessments"
CHANGE = "campaigns.change_individual_assessments"
LIST_TEMPLATE = "campaigns/individual_list.html"


def load_scope(request, period_pk: int, unit_pk: int) -> UnitPeriod:
    """The unit in the year-end period, or 404 when either does not exist, the unit
    does not take part in the campaign, or the user may not see its people."""
    period = get_visible_or_404(
        Period.objects.select_related("campaign"),
        request.user,
        pk=period_pk,
        kind=PeriodKind.YEAR_END,
    )
    unit = get_visible_or_404(Unit, request.user, pk=unit_pk, campaigns=period.campaign_id)
    return visible_or_404(request.user, VIEW, UnitPeriod(unit, period, timezone.now()))


@dataclass
class RowView:
    """What the template needs for one row."""

    row: PersonRow
    form: AssessmentRowForm | None = None
    total: object = None
    saved: bool = False
    stale: IndividualAssessment | None = None
    refused: bool = False
    notice: str = ""


def _row_view(row: PersonRow, criteria, titles, can_edit: bool, **extra) -> RowView:
    form = extra.pop("form", None)
    if form is None and can_edit:
        form = AssessmentRowForm(
            person=row.person,
            criteria=criteria,
            titles=titles,
            initial=AssessmentRowForm.initial_for(row.assessment),
        )
    total = leader_total(row.assessment, criteria) if row.person.is_leader else None
    return RowView(row=row, form=form, total=total, **extra)


def _shared_context(request, scope: UnitPeriod, criteria: list[Criterion]) -> dict:
    return {
        "scope": scope,
        "campaign": scope.campaign,
        "period": scope.period,
        "unit": scope.unit,
        "criteria": criteria,
        "can_edit": request.user.has_perm(CHANGE, scope),
        "is_open": scope.period.is_open(scope.today),
    }


class IndividualListView(LoginRequiredMixin, TemplateView):
    """The unit's people, fifty to a page, leaders first; filters keep to leaders or
    to people not yet graded."""

    template_name = LIST_TEMPLATE

    def get_context_data(self, **kwargs):
        scope = load_scope(self.request, kwargs["period_pk"], kwargs["unit_pk"])
        criteria = leader_criteria(scope.campaign)
        titles = list(Title.objects.all())
        leaders_only = self.request.GET.get("leaders") == "1"
        ungraded_only = self.request.GET.get("ungraded") == "1"
        people = people_of(scope, leaders_only=leaders_only, ungraded_only=ungraded_only)
        page = Paginator(people, PER_PAGE).get_page(self.request.GET.get("page"))
        context = _shared_context(self.request, scope, criteria)
        rows = rows_for(scope, page.object_list)
        return super().get_context_data(
            **context,
            page_obj=page,
            items=[_row_view(row, criteria, titles, context["can_edit"]) for row in rows],
            leaders_only=leaders_only,
            ungraded_only=ungraded_only,
            **kwargs,
        )


@login_required
@require_http_methods(["GET", "POST"])
def individual_row(request, period_pk: int, unit_pk: int, person_pk: int):
    """One row: GET shows it, POST saves it. htmx gets the row back (with errors, or
    the refusal and the typed values when someone saved the row meanwhile); without
    htmx a saved row redirects to the table, anything else shows the row on its own."""
    scope = load_scope(request, period_pk, unit_pk)
    person = get_visible_or_404(Person, request.user, pk=person_pk, unit=scope.unit, active=True)
    person.unit = scope.unit
    context = _shared_context(request, scope, leader_criteria(scope.campaign))
    if request.method == "POST" and not context["can_edit"]:
        raise PermissionDenied
    criteria, titles = context["criteria"], list(Title.objects.all())
    assessment = (
        IndividualAssessment.objects.filter(period=scope.period, person=person)
        .select_related("proposed_title", "updated_by")
        .first()
    )
    if request.method == "GET":
        item = _row_view(PersonRow(person, assessment), criteria, titles, context["can_edit"])
        return _render_row(request, context, item)
    form = AssessmentRowForm(request.POST, person=person, criteria=criteria, titles=titles)
    item = _save_row(request, scope, person, assessment, form, criteria, titles)
    if item.saved and not request.htmx:
        messages.success(request, _("Saved: {person}.").format(person=person))
        if item.notice:
            messages.info(request, item.notice)
        return redirect(reverse("campaigns:individuals", args=[period_pk, unit_pk]))
    return _render_row(request, context, item)


def _save_row(request, scope, person, assessment, form, criteria, titles) -> RowView:
    if not form.is_valid():
        return _row_view(PersonRow(person, assessment), criteria, titles, True, form=form)
    try:
        saved = save_assessment(
            assessment,
            period=scope.period,
            person=person,
            by=request.user,
            now=scope.now,
            expected_version=form.cleaned_data["version"],
            data=form.to_data(),
            criteria=criteria,
        )
    except ValidationError as exc:
        form.add_domain_errors(exc)
        return _row_view(PersonRow(person, assessment), criteria, titles, True, form=form)
    except StaleAssessment as exc:
        version = exc.current.version if exc.current else 0
        return _row_view(
            PersonRow(person, exc.current),
            criteria,
            titles,
            True,
            form=form.with_version(version),
            stale=exc.current,
            refused=True,
        )
    notice = removed_controls_notice(form)
    return _row_view(PersonRow(person, saved), criteria, titles, True, saved=True, notice=notice)


def _render_row(request, context: dict, item: RowView) -> HttpResponse:
    context = {**context, "item": item}
    if request.htmx:
        return render(request, f"{LIST_TEMPLATE}#row", context)
    return render(request, "campaigns/individual_edit.html", context)


@login_required
def individuals_export(request, period_pk: int, unit_pk: int):
    """The unit's people and their assessments as an .xlsx, same columns as the import."""
    scope = load_scope(request, period_pk, unit_pk)
    content = export_assessments(scope, leader_criteria(scope.campaign))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = export_filename(scope, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def individuals_import(request, period_pk: int, unit_pk: int):
    """Upload a sheet: every row saved, or none and the list of bad rows."""
    scope = load_scope(request, period_pk, unit_pk)
    criteria = leader_criteria(scope.campaign)
    context = _shared_context(request, scope, criteria)
    if not context["can_edit"]:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        back = reverse("campaigns:individuals", args=[period_pk, unit_pk])
        started = start_import(
            form.cleaned_data["file"],
            kind=IMPORT_KIND,
            params=import_params(scope),
            by=request.user,
            title=_("Import the assessments {year} of {unit}").format(
                year=scope.campaign.year, unit=scope.unit.name
            ),
            back_url=back,
            now=lambda file: import_assessments(
                file, scope=scope, by=request.user, criteria=criteria
            ),
        )
        if started.job is not None:
            messages.info(
                request,
                _(
                    "The file has {rows} rows: it is imported in the background. "
                    "This page shows its progress."
                ).format(rows=started.job.rows),
            )
            return redirect(reverse("units:import_job", args=[started.job.pk]))
        result = started.result
        if result.ok:
            messages.success(
                request,
                _("Imported: {created} assessments created, {updated} updated.").format(
                    created=result.created, updated=result.updated
                ),
            )
            return redirect(reverse("campaigns:individuals", args=[period_pk, unit_pk]))
    return render(
        request,
        "campaigns/individual_import.html",
        {**context, **limits(), "form": form, "result": result},
    )
