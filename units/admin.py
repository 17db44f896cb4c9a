from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spreadsheets.specs import XLSX_CONTENT_TYPE, SheetSpec, export_workbook

from .forms import AdminLoginForm
from .importers import PersonSheet, UnitSheet
from .imports import limits, start_import
from .models import AccountUnlock, EmulationGroup, GroupMembership, Membership, Person, Unit, User
from .rotation import NextYear, RotationRefused, default_head, rotate

admin.site.site_header = _("Thi đua administration")
admin.site.site_title = _("Thi đua administration")
admin.site.index_title = _("Setup of movements, criteria and the organisation")
# The admin login says when a locked-out login may be tried again (units/lockout.py).
# Failed logins themselves are django-axes' "Access attempts": deleting one unlocks.
admin.site.login_form = AdminLoginForm


class SpreadsheetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("The first sheet is read; its first row holds the column names."),
    )


@admin.action(description=_("Export selected to Excel"), permissions=["view"])
def export_selected(modeladmin, request, queryset):
    return modeladmin.xlsx_response(queryset)


class SpreadsheetAdmin(admin.ModelAdmin):
    """A model admin with "Import from Excel" and "Export to Excel" by a SheetSpec."""

    sheet: SheetSpec
    change_list_template = "admin/spreadsheet_change_list.html"
    actions = [export_selected]

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=f"{name}_import"),
            path("export/", wrap(self.export_view), name=f"{name}_export"),
            *super().get_urls(),
        ]

    def xlsx_response(self, queryset) -> HttpResponse:
        # iterator(): a hundred thousand people are written without being held in memory.
        objects = self.sheet.export_queryset(queryset).iterator(chunk_size=2000)
        content = export_workbook(self.sheet, objects)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        filename = f"{self.opts.model_name}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def export_view(self, request):
        """The rows the change list shows, with its filters and search, as .xlsx."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            # A filter the list does not know: back to the list, which says so (?e=1).
            url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            return HttpResponseRedirect(f"{url}?{ERROR_FLAG}=1")
        return self.xlsx_response(changelist.queryset)

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = SpreadsheetImportForm(request.POST or None, request.FILES or None)
        result = None
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        if request.method == "POST" and form.is_valid():
            started = start_import(
                form.cleaned_data["file"],
                kind="admin",
                params={"model": self.opts.label_lower},
                by=request.user,
                title=str(_("Import {name} from Excel").format(name=self.opts.verbose_name_plural)),
                back_url=changelist,
            )
            if started.job is not None:
                self.message_user(
                    request,
                    _(
                        "The file has {rows} rows: it is imported in the background. "
                        "This page shows its progress."
                    ).format(rows=started.job.rows),
                    messages.INFO,
                )
                return HttpResponseRedirect(reverse("units:import_job", args=[started.job.pk]))
            result = started.result
            if result.ok:
                self.message_user(
                    request,
                    _(
                        "Import finished: {created} created, {updated} updated, "
                        "{unchanged} unchanged."
                    ).format(
                        created=result.created,
                        updated=result.updated,
                        unchanged=result.unchanged,
                    ),
                    messages.SUCCESS,
                )
                for warning in result.warnings:
                    self.message_user(request, warning, messages.WARNING)
                return HttpResponseRedirect(changelist)
            if result.problem:
                form.add_error("file", result.problem)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import {name} from Excel").format(name=self.opts.verbose_name_plural),
            "form": form,
            "result": result,
            "columns": self.sheet.columns,
            **limits(),
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/spreadsheet_import.html", context)


@admin.register(Unit)
class UnitAdmin(SpreadsheetAdmin):
    sheet = UnitSheet()
    list_display = (
        "code",
        "name",
        "short_name",
        "kind",
        "province",
        "parent",
        "has_legal_personality",
        "active",
        "order",
    )
    list_filter = ("kind", "active", "has_legal_personality")
    search_fields = ("code", "name", "short_name", "province")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "first_name", "last_name", "email")}),
        (
            _("Ministry-wide roles"),
            {"fields": ("is_emulation_officer", "is_council_member", "is_leadership")},
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
        (
            _("Ministry-wide roles"),
            {"fields": ("is_emulation_officer", "is_council_member", "is_leadership")},
        ),
    )
    list_display = (
        "username",
        "full_name",
        "email",
        "is_staff",
        "is_emulation_officer",
        "is_council_member",
        "is_leadership",
        "is_active",
    )
    list_filter = (
        "is_emulation_officer",
        "is_council_member",
        "is_leadership",
        *BaseUserAdmin.list_filter,
    )
    search_fields = ("username", "full_name", "first_name", "last_name", "email")
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role_label")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "unit__code", "unit__name")
    list_select_related = ("user", "unit")
    autocomplete_fields = ("user", "unit")

    @admin.display(description=_("role"), ordering="role")
    def role_label(self, membership: Membership) -> str:
        return membership.role_label


@admin.register(Person)
class PersonAdmin(SpreadsheetAdmin):
    sheet = PersonSheet()
    list_display = (
        "full_name",
        "employee_code",
        "unit",
        "position",
        "category",
        "is_leader",
        "active",
    )
    list_filter = ("category", "is_leader", "active", "gender")
    search_fields = ("full_name", "employee_code", "position", "unit__code", "unit__name")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit", "user")


class GroupMembershipFormSet(BaseInlineFormSet):
    def clean(self):
        """GroupMembership.clean checks a unit's other groups only once the group is
        saved; for a new group check here, so a clash is a message and not a 500."""
        super().clean()
        group = self.instance
        if group.pk or not group.year or not group.kind:
            return
        units = [
            form.cleaned_data["unit"]
            for form in self.forms
            if form.cleaned_data.get("unit") and not form.cleaned_data.get("DELETE")
        ]
        clashes = GroupMembership.objects.filter(
            unit__in=units, year=group.year, kind=group.kind
        ).select_related("unit", "group")
        if clashes:
            raise ValidationError(
                [
                    _("{unit} already belongs to {group} in {year}.").format(
                        unit=clash.unit, group=clash.group.name, year=group.year
                    )
                    for clash in clashes
                ]
            )


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    formset = GroupMembershipFormSet
    extra = 0
    autocomplete_fields = ("unit",)


class NextYearForm(forms.Form):
    """Next year's head and deputy units of one group, among its members."""

    head_unit = forms.ModelChoiceField(
        label=_("head unit"), queryset=Unit.objects.none(), required=False
    )
    deputy_unit = forms.ModelChoiceField(
        label=_("deputy head unit"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, data=None, *, group: EmulationGroup):
        head = default_head(group)
        super().__init__(
            data,
            prefix=f"group-{group.pk}",
            initial={"head_unit": head.pk if head else None},
        )
        units = Unit.objects.filter(
            Q(group_memberships__group=group) | Q(pk=group.deputy_unit_id)
        ).distinct()
        for name in ("head_unit", "deputy_unit"):
            self.fields[name].queryset = units.order_by("order", "name")

    def clean(self):
        data = super().clean()
        head, deputy = data.get("head_unit"), data.get("deputy_unit")
        if head and head == deputy:
            raise ValidationError(_("The deputy head unit must differ from the head unit."))
        return data


@admin.register(EmulationGroup)
class EmulationGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "year", "head_unit", "deputy_unit", "member_count")
    list_filter = ("year", "kind")
    search_fields = ("code", "name")
    list_select_related = ("head_unit", "deputy_unit")
    autocomplete_fields = ("head_unit", "deputy_unit")
    inlines = (GroupMembershipInline,)
    actions = ("create_next_year",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.action(
        description=_("Create next year's blocks and clusters from these"), permissions=["add"]
    )
    def create_next_year(self, request, queryset):
        """An intermediate page with next year's head and deputy of each selected
        group (the deputy becomes head by default), then all of them at once."""
        groups = list(
            queryset.select_related("head_unit", "deputy_unit").order_by(
                "year", "kind", "order", "code"
            )
        )
        confirmed = "confirm" in request.POST
        forms_ = [
            (group, NextYearForm(request.POST if confirmed else None, group=group))
            for group in groups
        ]
        refusal = ""
        if confirmed and all(form.is_valid() for _group, form in forms_):
            plans = [
                NextYear(group, form.cleaned_data["head_unit"], form.cleaned_data["deputy_unit"])
                for group, form in forms_
            ]
            try:
                created = rotate(plans)
            except RotationRefused as refused:
                refusal = str(refused)
            else:
                for group in created:
                    self.log_addition(request, group, [{"added": {}}])
                self.message_user(
                    request,
                    _("Created for next year: {names}.").format(
                        names=", ".join(f"{g.code} ({g.year})" for g in created)
                    ),
                    messages.SUCCESS,
                )
                return None
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Next year's blocks and clusters"),
            "rows": forms_,
            "refusal": refusal,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/units/emulationgroup/next_year.html", context)

    def save_related(self, request, form, formsets, change):
        """A member's year and kind are copies of its group's (so that the database
        holds a unit to one block a year); follow a change of the group's. The inline
        rows were checked against the new year and kind before anything was saved."""
        super().save_related(request, form, formsets, change)
        group = form.instance
        group.memberships.exclude(year=group.year, kind=group.kind).update(
            year=group.year, kind=group.kind
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(AccountUnlock)
class AccountUnlockAdmin(admin.ModelAdmin):
    """Read-only: who lifted which login lockout, and when."""

    list_display = [
        "unlocked_at",
        "username",
        "ip_address",
        "failures",
        "unlocked_by",
        "by_password_reset",
    ]
    list_filter = ["by_password_reset"]
    search_fields = ["username", "ip_address", "unlocked_by__username"]
    list_select_related = ["unlocked_by"]
    date_hierarchy = "unlocked_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
