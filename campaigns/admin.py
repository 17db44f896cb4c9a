from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.movement import criteria_tree, lifecycle
from campaigns.movement.copying import CopyRefused, copy_campaign, plan_copy
from campaigns.movement.criteria_sheet import CriterionSheet
from campaigns.movement.year_texts import replace_year_in_texts, texts_naming_year
from campaigns.sheets.workflow import WorkflowError
from units.admin import SpreadsheetAdmin

from .enums import Subject
from .models import (
    Answer,
    Band,
    BlockRules,
    Campaign,
    CampaignTransition,
    Content,
    Criterion,
    Evidence,
    IndividualAssessment,
    Period,
    Proposal,
    Registration,
    Reminder,
    Submission,
    Task,
    Title,
    Transition,
    UnitTitle,
)


class ContentInline(admin.TabularInline):
    model = Content
    extra = 0


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0


class BlockRulesInline(admin.StackedInline):
    """How the movement's blocks and clusters score, adjust and acclaim (without a
    row, the defaults of campaigns.blocks.options apply)."""

    model = BlockRules
    extra = 0
    max_num = 1
    can_delete = True
    verbose_name_plural = _("block rules (the defaults apply without a row)")


class BandInline(admin.TabularInline):
    model = Band
    extra = 0
    verbose_name_plural = _(
        "classification bands (without any: excellent ≥ 95, good ≥ 80, fair ≥ 65)"
    )


class CampaignTransitionInline(admin.TabularInline):
    model = CampaignTransition
    fields = ("at", "from_status", "to_status", "by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class CopyCampaignForm(forms.Form):
    year = forms.IntegerField(label=_("Target year"), min_value=2000, max_value=2100)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "year",
        "kind",
        "status",
        "organizer",
        "starts_on",
        "ends_on",
        "criteria_link",
    )
    list_filter = ("year", "kind", "status")
    search_fields = ("name", "theme", "document_number")
    list_select_related = ("organizer",)
    autocomplete_fields = ("organizer", "participants")
    inlines = (
        ContentInline,
        TaskInline,
        PeriodInline,
        BlockRulesInline,
        BandInline,
        CampaignTransitionInline,
    )
    # The status changes only through campaigns.movement.lifecycle: the actions below.
    readonly_fields = ("status",)
    actions = ("copy_to_new_year", "launch", "close", "reopen")

    def has_change_status_permission(self, request):
        return request.user.has_perm(lifecycle.PERMISSION)

    @admin.action(description=_("Launch the selected movements"), permissions=["change_status"])
    def launch(self, request, queryset):
        self._change_status(request, queryset, lifecycle.launch, _("Launched: {names}."))

    @admin.action(description=_("Close the selected movements"), permissions=["change_status"])
    def close(self, request, queryset):
        self._change_status(request, queryset, lifecycle.close, _("Closed: {names}."))

    @admin.action(description=_("Reopen the selected movements"), permissions=["change_status"])
    def reopen(self, request, queryset):
        self._change_status(request, queryset, lifecycle.reopen, _("Reopened: {names}."))

    def _change_status(self, request, queryset, change, done: str) -> None:
        """Each movement through the lifecycle function; the refused ones are said with
        their reason, the others changed all the same."""
        changed = []
        now = timezone.now()
        for campaign in queryset.order_by("-year", "name"):
            try:
                change(campaign, by=request.user, now=now)
            except (WorkflowError, PermissionDenied) as refusal:
                self.message_user(request, f"{campaign.name}: {refusal}", messages.WARNING)
            else:
                self.log_change(request, campaign, [{"changed": {"fields": ["status"]}}])
                changed.append(campaign.name)
        if changed:
            self.message_user(request, done.format(names=", ".join(changed)), messages.SUCCESS)

    @admin.action(description=_("Copy this campaign to a new year"), permissions=["add"])
    def copy_to_new_year(self, request, queryset):
        """Ask for the year on a confirmation page, then copy and open the copy."""
        if len(queryset) != 1:
            self.message_user(request, _("Select exactly one movement to copy."), messages.WARNING)
            return None
        campaign = queryset[0]
        # "preview" shows the plan for the year typed in; "confirm" copies.
        bound = "confirm" in request.POST or "preview" in request.POST
        form = CopyCampaignForm(
            request.POST if bound else None, initial={"year": campaign.year + 1}
        )
        year = campaign.year + 1
        if form.is_valid():
            year = form.cleaned_data["year"]
            if "confirm" in request.POST:
                try:
                    result = copy_campaign(campaign, year=year, by=request.user)
                except CopyRefused as refusal:
                    form.add_error(None, str(refusal))
                else:
                    self.log_addition(request, result.campaign, [{"added": {}}])
                    self.message_user(request, copy_message(result), messages.SUCCESS)
                    return HttpResponseRedirect(_after_copy(result.campaign, campaign.year))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Copy a movement to a new year"),
            "campaign": campaign,
            "form": form,
            "plan": plan_copy(campaign, year=year),
            "year": year,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/campaigns/campaign/copy_confirmation.html", context)

    def get_urls(self):
        year_texts = self.admin_site.admin_view(
            require_http_methods(["GET", "POST"])(self.year_texts_view)
        )
        return [
            path(
                "<int:pk>/year-texts/<int:year>/",
                year_texts,
                name="campaigns_campaign_year_texts",
            ),
            *super().get_urls(),
        ]

    def year_texts_view(self, request, pk: int, year: int):
        """The movement's texts that still name `year`, each with the proposed text;
        POST replaces the ticked ones, all at once."""
        campaign = get_object_or_404(Campaign, pk=pk)
        if not self.has_change_permission(request, campaign):
            raise PermissionDenied
        if request.method == "POST":
            keys = set(request.POST.getlist("key"))
            changed = replace_year_in_texts(campaign, year, keys=keys)
            self.message_user(
                request,
                ngettext(
                    "{count} text now names {year} instead of {old}.",
                    "{count} texts now name {year} instead of {old}.",
                    changed,
                ).format(count=changed, year=campaign.year, old=year),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(
                reverse("admin:campaigns_campaign_change", args=[campaign.pk])
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Texts that name {year}").format(year=year),
            "campaign": campaign,
            "year": year,
            "texts": texts_naming_year(campaign, year),
        }
        return TemplateResponse(request, "admin/campaigns/campaign/year_texts.html", context)

    @admin.display(description=_("criteria"))
    def criteria_link(self, obj):
        url = reverse("admin:campaigns_criterion_changelist")
        return format_html('<a href="{}?campaign__id__exact={}">{}</a>', url, obj.pk, _("Criteria"))


def _after_copy(copy: Campaign, source_year: int) -> str:
    """Where a copy goes next: the texts still naming the old year, if any."""
    if texts_naming_year(copy, source_year):
        return reverse("admin:campaigns_campaign_year_texts", args=[copy.pk, source_year])
    return reverse("admin:campaigns_campaign_change", args=[copy.pk])


def copy_message(result) -> str:
    message = _(
        "“{name}” was created as a draft with {participants} participating units, "
        "{contents} contents, {tasks} tasks, {criteria} criteria and {periods} periods; "
        "{groups} blocks and clusters were copied with {members} members."
    ).format(
        name=result.campaign.name,
        participants=result.participants,
        contents=result.contents,
        tasks=result.tasks,
        criteria=result.criteria,
        periods=result.periods,
        groups=result.groups,
        members=result.group_members,
    )
    if result.groups_skipped:
        message += " " + _("Already in {year}, not copied: {codes}.").format(
            year=result.campaign.year, codes=", ".join(result.groups_skipped)
        )
    if result.members_skipped:
        message += " " + _(
            "{count} member units already in a block or cluster that year were left out."
        ).format(count=result.members_skipped)
    return message


@admin.register(UnitTitle)
class UnitTitleAdmin(admin.ModelAdmin):
    """The titles units received: the flag bonuses of the next year read them."""

    list_display = ("unit", "year", "title", "decision_number", "decision_date", "issuer")
    list_filter = ("year", "title")
    search_fields = ("unit__code", "unit__name", "unit__short_name", "decision_number")
    list_select_related = ("unit", "title")
    autocomplete_fields = ("unit",)
    ordering = ("-year", "unit__order", "unit__name")


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_vi",
        "name_en",
        "category",
        "subject",
        "level",
        "deciding_authority",
        "reward_multiple",
        "active",
    )
    list_filter = ("category", "subject", "level", "active")
    search_fields = ("code", "name_vi", "name_en")


class CriterionTreeChangeList(ChangeList):
    """Criteria in tree order whatever else asks; the columns do not sort."""

    def get_ordering(self, request, queryset):
        return list(criteria_tree.TREE_ORDERING)


class CriterionForm(forms.ModelForm):
    """Offers the sections and contents of the criterion's own movement once it is
    known (the criterion's, or the list's filter on the add page); until then every
    movement's, each labelled with its movement."""

    class Meta:
        model = Criterion
        fields = (
            "campaign",
            "subject",
            "content",
            "parent",
            "code",
            "text",
            "guidance",
            "kind",
            "max_points",
            "evidence_required",
            "order",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.instance.campaign_id or self.initial.get("campaign")
        contents = Content.objects.select_related("campaign")
        sections = Criterion.objects.select_related("campaign").order_by(
            "-campaign__year", "campaign__name", "subject", "order", "code"
        )
        if campaign:
            contents = contents.filter(campaign_id=campaign)
            sections = sections.filter(campaign_id=campaign).exclude(pk=self.instance.pk)
            subject = self.instance.subject if self.instance.pk else self.initial.get("subject")
            if subject:
                sections = sections.filter(subject=subject)
        else:
            self.fields["content"].label_from_instance = _in_movement
            self.fields["parent"].label_from_instance = _in_movement
        self.fields["content"].queryset = contents
        self.fields["parent"].queryset = sections


def _in_movement(obj) -> str:
    return f"{obj.campaign} – {obj}"


@admin.register(Criterion)
class CriterionAdmin(SpreadsheetAdmin):
    sheet = CriterionSheet()
    form = CriterionForm
    list_display = (
        "tree_code",
        "short_text",
        "subject",
        "kind",
        "max_points",
        "evidence_required",
        "order",
        "move_buttons",
    )
    list_display_links = ("tree_code",)
    list_editable = ("order",)
    list_filter = ("campaign", "subject")
    search_fields = ("code", "text", "guidance")
    list_select_related = ("campaign", "content", "parent")
    sortable_by = ()
    # One page holds a few years' tables: Django's editable list re-orders its
    # queryset after slicing, which the tree order cannot survive across pages.
    list_per_page = 2000

    class Media:
        css = {"all": ("admin-extra/admin.css",)}

    def get_queryset(self, request):
        return criteria_tree.tree_ordered(super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for item in criteria_tree.over_maximum_near(obj):
            self.message_user(request, criteria_tree.over_maximum_message(item), messages.WARNING)

    def get_changelist(self, request, **kwargs):
        return CriterionTreeChangeList

    def get_list_display(self, request):
        # Codes repeat from movement to movement: name it unless the list shows one.
        if request.GET.get("campaign__id__exact"):
            return self.list_display
        return ("campaign", *self.list_display)

    def get_changeform_initial_data(self, request):
        """Adding from a list filtered by movement (and subject) starts in it."""
        initial = super().get_changeform_initial_data(request)
        filters = QueryDict(request.GET.get("_changelist_filters", ""))
        if filters.get("campaign__id__exact", "").isdigit():
            initial.setdefault("campaign", int(filters["campaign__id__exact"]))
        if filters.get("subject__exact") in Subject.values:
            initial.setdefault("subject", filters["subject__exact"])
        return initial

    @admin.display(description=_("code"))
    def tree_code(self, obj):
        return format_html('<span class="criterion-depth-{}">{}</span>', obj.tree_depth, obj.code)

    @admin.display(description=_("criterion"))
    def short_text(self, obj):
        text = obj.text if len(obj.text) <= 120 else obj.text[:119] + "…"
        return format_html('<span class="criterion-depth-{}">{}</span>', obj.tree_depth, text)

    @admin.display(description=_("move"))
    def move_buttons(self, obj):
        # The buttons submit the change list's own form (it carries the CSRF token)
        # to the move URL, since a form cannot sit inside that form.
        return format_html(
            '<button type="submit" class="button criterion-move" formaction="{}" '
            'formmethod="post" title="{}" aria-label="{}">↑</button>'
            '<button type="submit" class="button criterion-move" formaction="{}" '
            'formmethod="post" title="{}" aria-label="{}">↓</button>',
            reverse("admin:campaigns_criterion_move", args=[obj.pk, "up"]),
            _("Move up"),
            _("Move up"),
            reverse("admin:campaigns_criterion_move", args=[obj.pk, "down"]),
            _("Move down"),
            _("Move down"),
        )

    def get_urls(self):
        move = self.admin_site.admin_view(require_POST(self.move_view))
        return [
            path("<int:pk>/move/<str:direction>/", move, name="campaigns_criterion_move"),
            *super().get_urls(),
        ]

    def move_view(self, request, pk: int, direction: str):
        if direction not in ("up", "down"):
            raise Http404
        criterion = get_object_or_404(Criterion, pk=pk)
        if not self.has_change_permission(request, criterion):
            raise PermissionDenied
        if not criteria_tree.move(criterion, up=direction == "up"):
            self.message_user(request, _("It is already at the edge of its section."))
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("admin:campaigns_criterion_changelist")
        return HttpResponseRedirect(back)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("unit", "campaign", "target_title", "registered_by", "updated_at")
    list_filter = ("campaign",)
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit", "campaign", "target_title", "registered_by")
    autocomplete_fields = ("unit", "registered_by")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("criterion", "self_score", "reviewer_score", "narrative", "reviewer_comment")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = ("at", "action", "from_state", "to_state", "by", "reason")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """The state is read-only: it changes only through campaigns.sheets.workflow."""

    list_display = (
        "unit",
        "period",
        "state",
        "self_total",
        "reviewer_total",
        "submitted_at",
        "is_late",
    )
    list_filter = ("state", "period__campaign", "period__kind", "is_late")
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit", "period__campaign")
    autocomplete_fields = ("unit",)
    readonly_fields = (
        "state",
        "version",
        "self_total",
        "reviewer_total",
        "submitted_at",
        "is_late",
        "accepted_at",
        "reopened_at",
    )
    inlines = (AnswerInline, TransitionInline)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return ("period", "unit", *self.readonly_fields)

    def has_change_permission(self, request, obj=None):
        # A saved self-assessment is only shown: its answers, totals and state are
        # written by campaigns.sheets.answers and campaigns.sheets.workflow, under its row lock;
        # saving the form would write back the row as it was loaded.
        return obj is None and super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            kwargs["queryset"] = Period.objects.select_related("campaign")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Read-only: files come in through the self-assessment pages, which check them."""

    list_display = ("original_name", "answer", "content_type", "size", "uploaded_by", "uploaded_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "sha256")
    list_select_related = (
        "answer__submission__unit",
        "answer__submission__period__campaign",
        "answer__criterion",
        "uploaded_by",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndividualAssessment)
class IndividualAssessmentAdmin(admin.ModelAdmin):
    list_display = ("person", "period", "grade", "months_worked", "discipline_level")
    list_filter = ("period__campaign", "grade", "discipline_level")
    search_fields = ("person__full_name", "person__employee_code")
    list_select_related = ("person", "period__campaign")
    autocomplete_fields = ("person", "updated_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            kwargs["queryset"] = Period.objects.select_related("campaign")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("unit", "period", "kind", "sent_on", "sent_by")
    list_filter = ("kind", "period__campaign")
    search_fields = ("unit__code", "unit__name", "recipients")
    list_select_related = ("unit", "period__campaign", "sent_by")
    autocomplete_fields = ("unit", "sent_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            kwargs["queryset"] = Period.objects.select_related("campaign")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Read-only: a block's proposals are the result of its acclamation
    (campaigns.blocks.acclamation.close_vote); commendation starts from them."""

    list_display = ("unit", "kind", "title", "votes", "rank", "acclamation")
    list_filter = ("kind", "acclamation__period__campaign", "acclamation__group__kind")
    search_fields = ("unit__code", "unit__name", "acclamation__group__name")
    list_select_related = ("unit", "title", "acclamation__group", "acclamation__period__campaign")
    ordering = ("-acclamation__period__campaign__year", "acclamation__group__order", "order")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
