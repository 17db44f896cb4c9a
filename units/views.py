from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, TemplateView, View
from rules.contrib.views import PermissionRequiredMixin

from units import links, lockout
from units.current_year import current_year
from units.forms import PasswordResetForm, UnlockForm
from units.models import (
    AccountUnlock,
    EmulationGroup,
    GroupMembership,
    ImportJob,
    Membership,
    Unit,
)
from units.scope import VisibleObjectMixin, get_visible_or_404

IMPORT_JOB_TEMPLATE = "units/import_job.html"


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
        """The year asked for, else the current year (units.current_year) or, with no
        blocks that year, the latest year before it; years come newest first."""
        raw = self.request.GET.get("year", "")
        if raw.isascii() and raw.isdigit() and len(raw) <= 4 and int(raw) in years:
            return int(raw)
        if not years:
            return None
        current = current_year(timezone.localdate())
        return next((year for year in years if year <= current), years[0])


class UnitDetailView(VisibleObjectMixin, DetailView):
    """A unit: where it sits, its people (paginated), and its accounts and roles."""

    model = Unit
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
    return get_visible_or_404(ImportJob.objects.with_stalled(timezone.now()), request.user, pk=pk)


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


class LockedAccountsView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Usernames and addresses whose logins are paused now, each with an unlock
    button, and the latest unlocks."""

    permission_required = "units.unlock_accounts"
    template_name = "units/locked_accounts.html"
    recent_unlocks = 20

    def get_context_data(self, **kwargs):
        recent = AccountUnlock.objects.select_related("unlocked_by")[: self.recent_unlocks]
        now = timezone.now()
        return super().get_context_data(
            usernames=lockout.locked_usernames(now=now),
            addresses=lockout.locked_addresses(now=now),
            recent_unlocks=recent,
            list_limit=lockout.LIST_LIMIT,
            account_limit=settings.AXES_FAILURE_LIMIT,
            address_limit=settings.LOGIN_FAILURES_PER_ADDRESS,
            cool_off_minutes=lockout.cool_off_minutes(),
            **kwargs,
        )


class UnlockView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """POST one username or address: its failures are forgotten, the unlock recorded."""

    permission_required = "units.unlock_accounts"
    http_method_names = ["post"]

    def post(self, request):
        form = UnlockForm(request.POST)
        if not form.is_valid():
            reasons = [str(e) for errors in form.errors.values() for e in errors]
            messages.error(request, " ".join(reasons))
            return redirect("units:locked_accounts")
        username = form.cleaned_data["username"]
        address = form.cleaned_data["ip_address"]
        done = lockout.unlock(by=request.user, username=username, ip_address=address or None)
        what = username or address
        if done is None:
            messages.info(request, _("%(what)s was not locked (any more).") % {"what": what})
        else:
            messages.success(
                request, _("%(what)s is unlocked: logging in works again.") % {"what": what}
            )
        return redirect("units:locked_accounts")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view; the email's link starts with THIDUA_SITE_URL when it is set, else
    with the address the request came in on (units.links)."""

    form_class = PasswordResetForm

    @property
    def extra_email_context(self):
        return {"site_url": links.site_url(), "site_name": settings.SITE_NAME}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password set by the emailed link also lifts a lockout of
    that username, since the owner has proved they read the account's email."""

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        lockout.unlock(by=user, username=user.get_username(), by_password_reset=True)
        return response
