from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from units.models import EmulationGroup, GroupMembership, ImportJob, Membership, Unit

IMPORT_JOB_TEMPLATE = "units/import_job.html"


class ObjectPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """A page about one object.

    Anonymous visitors go to the login page. An object outside the user's scope
    (not in get_queryset(), or failing `view_permission`) does not exist: 404.
    In scope but without the role the page needs (`permission_required`): 403.
    """

    view_permission: str = ""
    _object = None

    def get_permission_required(self):
        return (self.permission_required or self.view_permission,)

    def get_object(self, queryset=None):
        if self._object is None:
            obj = super().get_object(queryset)
            if self.view_permission and not self.request.user.has_perm(self.view_permission, obj):
                raise Http404
            self._object = obj
        return self._object


class GroupListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Emulation blocks and clusters of one year, with head, deputy and member units."""

    permission_required = "units.view_groups"
    template_name = "units/emulationgroup_list.html"

    def get_context_data(self, **kwargs):
        years = list(
            EmulationGroup.objects.order_by("-year").values_list("year", flat=True).distinct()
        )
        year = self._selected_year(years)
        members = GroupMembership.objects.select_related("unit").order_by(
            "unit__order", "unit__name"
        )
        groups = (
            EmulationGroup.objects.for_year(year)
            .select_related("head_unit", "deputy_unit")
            .prefetch_related(Prefetch("memberships", queryset=members))
            if year is not None
            else EmulationGroup.objects.none()
        )
        user = self.request.user
        groups = list(groups)
        units = {m.unit for g in groups for m in g.memberships.all()}
        units |= {u for g in groups for u in (g.head_unit, g.deputy_unit) if u is not None}
        viewable = {u.pk for u in units if user.has_perm("units.view_unit", u)}
        return super().get_context_data(
            years=years, year=year, groups=groups, viewable_unit_ids=viewable, **kwargs
        )

    def _selected_year(self, years: list[int]) -> int | None:
        raw = self.request.GET.get("year", "")
        if raw.isascii() and raw.isdigit() and len(raw) <= 4 and int(raw) in years:
            return int(raw)
        return years[0] if years else None


class UnitDetailView(ObjectPermissionMixin, DetailView):
    """A unit: where it sits, its people (paginated), and its accounts and roles."""

    model = Unit
    view_permission = "units.view_unit"
    people_per_page = 25

    def get_queryset(self):
        return Unit.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        unit = self.object
        user = self.request.user
        people = Paginator(unit.people.filter(active=True), self.people_per_page)
        can_view_accounts = user.has_perm("units.view_unit_accounts", unit)
        accounts = (
            Membership.objects.filter(unit=unit)
            .select_related("user")
            .order_by("role", "user__username")
            if can_view_accounts
            else Membership.objects.none()
        )
        groups = GroupMembership.objects.filter(unit=unit).select_related("group").order_by("-year")
        return super().get_context_data(
            people_page=people.get_page(self.request.GET.get("page")),
            can_view_accounts=can_view_accounts,
            accounts=accounts,
            group_memberships=groups,
            **kwargs,
        )


def _own_job(request, pk: int) -> ImportJob:
    """The job, when the user sent it; anybody else's does not exist (404)."""
    return get_object_or_404(ImportJob.objects.select_related(None), pk=pk, created_by=request.user)


@login_required
@require_GET
def import_job(request, pk: int):
    """A background import: its file, progress and outcome (polled while it runs)."""
    return TemplateResponse(request, IMPORT_JOB_TEMPLATE, {"job": _own_job(request, pk)})


@login_required
@require_GET
def import_job_status(request, pk: int):
    """The status fragment the job page polls every 2 s; once the job has ended it
    holds the outcome and stops the polling."""
    return TemplateResponse(
        request, f"{IMPORT_JOB_TEMPLATE}#status", {"job": _own_job(request, pk)}
    )
