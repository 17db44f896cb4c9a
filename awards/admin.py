from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import RuleSet, VotingThreshold
from .rulesets import copy_rule_set


class VotingThresholdInline(admin.TabularInline):
    model = VotingThreshold
    extra = 0
    fields = (
        "title",
        "council_level",
        "denominator",
        "threshold_pct",
        "secret_ballot",
        "chair_must_agree",
        "legal_basis",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The catalogue's titles read once per page, not once per threshold row.
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "title":
            field.choices = list(field.choices)
        return field


class CopyRuleSetForm(forms.Form):
    code = forms.SlugField(label=_("code of the new set"), max_length=30)
    name = forms.CharField(label=_("name of the new set"), max_length=200)
    effective_from = forms.DateField(label=_("in force from"))


# The parameters grouped as an officer reads them (eligibility.md §5).
FIELDSETS = (
    (None, {"fields": ("code", "name", "sector", "legal_bases", "effective_from", "effective_to")}),
    (
        _("Tenure and time worked"),
        {
            "fields": (
                "min_months_employed",
                "tenure_counts_prior_contract_same_agency",
                "training_long_min_months",
                "training_min_result",
                "absence_exclusion_working_days",
                "transfer_old_unit_comment_min_months",
                "maternity_counts_as_working_time",
            )
        },
    ),
    (_("Leader gate"), {"fields": ("leader_gate_required_unit_title", "leader_gate_applies_to")}),
    (
        _("Grassroots Emulation Fighter (CSTĐCS)"),
        {
            "fields": (
                "cstdcs_cap_enabled",
                "cstdcs_cap_share",
                "cstdcs_cap_rounding",
                "cstdcs_initiative_in_eval_year",
            )
        },
    ),
    (
        _("Ministerial and National Emulation Fighter"),
        {
            "fields": (
                "cstd_bo_consecutive_cstdcs",
                "cstd_bo_streak_ends_in_eval_year",
                "cstd_tq_consecutive_cstd_bo",
                "cstd_tq_consecutive_definition",
                "cstd_tq_timing",
            )
        },
    ),
    (
        _("Certificates of merit and the Labour Order"),
        {
            "fields": (
                "bk_bo_consecutive_cstdcs",
                "bk_bo_min_htxsnv_years",
                "bk_bo_initiatives_required",
                "bk_bo_initiatives_on_cstdcs_route",
                "bk_bo_mix_initiative_and_sci_work",
                "bk_ttg_min_run_years",
                "bk_ttg_cstdcs_in_run",
                "hcld3_min_run_years",
                "hcld3_htxsnv_years_in_run",
                "hcld3_cstdcs_in_run",
                "no_double_count",
                "thematic_or_extraordinary_not_basis",
            )
        },
    ),
    (_("Initiatives"), {"fields": ("initiative_reuse_ban",)}),
    (
        _("Discipline and open processes"),
        {"fields": ("disc_partial_year", "discipline_reset", "open_process_bars_award")},
    ),
    (
        _("Collectives"),
        {
            "fields": (
                "ttldtt_min_share_ldtt",
                "ttldtt_share_comparator",
                "ttldtt_discipline_bar",
                "ttldtt_min_task_completion",
                "ttldxs_members_complete_share",
                "ttldxs_min_share_ldtt",
                "ttldxs_min_cstdcs",
                "ttldxs_discipline_bar",
                "collective_share_denominator",
                "collective_discipline_year_basis",
                "collective_dissolved_not_commended",
            )
        },
    ),
    (_("Government Emulation Flag"), {"fields": ("co_cp_quota_share", "co_cp_quota_rounding")}),
    (_("Council"), {"fields": ("quorum_numerator", "quorum_denominator")}),
)


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """The rule sets: one in force per sector on any date; a new decree is a copy."""

    list_display = ("code", "name", "sector", "effective_from", "effective_to")
    list_filter = ("sector",)
    search_fields = ("code", "name", "legal_bases")
    fieldsets = FIELDSETS
    inlines = (VotingThresholdInline,)
    actions = ("copy_as_new",)

    @admin.action(description=_("Copy as a new rule set"), permissions=["add"])
    def copy_as_new(self, request, queryset):
        """Ask for the new code, name and start on a confirmation page, then copy."""
        if len(queryset) != 1:
            self.message_user(request, _("Select exactly one rule set to copy."), messages.WARNING)
            return None
        source = queryset[0]
        form = CopyRuleSetForm(
            request.POST if "confirm" in request.POST else None,
            initial={"code": f"{source.code}-copy", "name": source.name},
        )
        if form.is_valid():
            try:
                copy = copy_rule_set(source, **form.cleaned_data)
            except ValidationError as refusal:
                for field, errors in refusal.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.log_addition(request, copy, [{"added": {}}])
                self.message_user(
                    request,
                    _("Rule set {code} copied as {new}.").format(code=source.code, new=copy.code),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:awards_ruleset_change", args=[copy.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Copy as a new rule set"),
            "source": source,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/awards/ruleset/copy_confirmation.html", context)
