"""Rule sets as data (eligibility.md §5, domain.md §0): the parameters of the Law's
titles and forms, dated and per sector, editable in the admin, so that a change of
decree is a new row and not a change of code. A verdict records the set's code.

Every parameter is a field whose default is that of awards.parameters.Parameters;
RuleSet.parameters() gives the frozen value the pure engine reads."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.parameters import CHOICES, NAMES, Parameters

DEFAULTS = Parameters()
SHARES = tuple(name for name in NAMES if isinstance(getattr(DEFAULTS, name), Decimal))

# The labels of the values a choice parameter takes (awards.parameters.CHOICES).
LABELS = {
    "xuat_sac": _("Excellent"),
    "gioi": _("Very good"),
    "kha": _("Fairly good"),
    "trung_binh": _("Average"),
    "min_months": _("The rest of the year counts if long enough"),
    "none": _("The year does not count"),
    "TTLDTT": _("Advanced Labour Collective"),
    "TTLDXS": _("Excellent Labour Collective"),
    "floor": _("Round down"),
    "round": _("Round to the nearest"),
    "unbroken_chain": _("Successive windows, CSTĐCS unbroken between them"),
    "strict_windows": _("Strictly successive windows"),
    "eval_year_is_second_bo_year": _("In the year of the second CSTĐ Bộ"),
    "any": _("Any year"),
    "gt": _("More than"),
    "ge": _("At least"),
    "khien_trach": _("Reprimand"),
    "canh_cao": _("Warning"),
    "ha_bac_luong": _("Salary downgrade"),
    "giang_chuc": _("Demotion"),
    "cach_chuc": _("Dismissal from post"),
    "buoc_thoi_viec": _("Forced resignation"),
    "excellent": _("Excellent task completion"),
    "good": _("Good task completion"),
    "complete": _("Task completed"),
    "incomplete": _("Task not completed"),
    "graded_members": _("Members graded that year"),
    "all_members": _("All members"),
    "decided_in_year": _("The year it was decided"),
    "effective_in_year": _("The years it was in effect"),
}


def _choices(name: str) -> list[tuple[str, str]]:
    return [(value, LABELS[value]) for value in CHOICES[name] if value is not None]


def _yes_no(name, verbose_name, help_text):
    return models.BooleanField(verbose_name, default=getattr(DEFAULTS, name), help_text=help_text)


def _count(name, verbose_name, help_text, **options):
    return models.PositiveSmallIntegerField(
        verbose_name, default=getattr(DEFAULTS, name), help_text=help_text, **options
    )


def _share(name, verbose_name, help_text):
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=3,
        default=getattr(DEFAULTS, name),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=help_text,
    )


def _choice(name, verbose_name, help_text):
    return models.CharField(
        verbose_name,
        max_length=40,
        choices=_choices(name),
        default=getattr(DEFAULTS, name),
        help_text=help_text,
    )


def default_leader_gate_titles() -> list[str]:
    return list(DEFAULTS.leader_gate_applies_to)


def validate_title_codes(value) -> None:
    """A list of codes of the title catalogue (campaigns.Title)."""
    from campaigns.models import Title

    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_('Enter a list of title codes, such as ["LDTT", "CSTDCS"].'))
    unknown = sorted(
        set(value) - set(Title.objects.filter(code__in=value).values_list("code", flat=True))
    )
    if unknown:
        raise ValidationError(
            _("These codes are not in the title catalogue: {codes}.").format(
                codes=", ".join(unknown)
            )
        )


class RuleSet(models.Model):
    """The parameters of the Law for a sector over a period; the periods of one sector
    do not overlap, so one set is in force on any date (awards.rulesets.in_force)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(
        _("sector"),
        max_length=30,
        help_text=_(
            "The sector whose units this set judges (the ministry's: settings RULESET_SECTOR)."
        ),
    )
    legal_bases = models.TextField(
        _("legal bases"),
        help_text=_("The laws, decrees and circulars this set applies, one a line."),
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(
        _("effective to"), null=True, blank=True, help_text=_("Empty: in force until replaced.")
    )
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum (numerator)"),
        default=2,
        help_text=_(
            "The council deliberates when at least this fraction of its members is present "
            "(2/3: council regulation of the ministry, QĐ 2218/QĐ-BTNMT)."
        ),
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum (denominator)"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("The denominator of that fraction: 3 for two thirds."),
    )

    # Tenure and time worked
    min_months_employed = _count(
        "min_months_employed",
        _("minimum months employed"),
        _(
            "Newly recruited with fewer months in the year are not considered (Law 06/2022, Art "
            "24; Circular 01/2024/TT-BNV)."
        ),
    )
    tenure_counts_prior_contract_same_agency = _yes_no(
        "tenure_counts_prior_contract_same_agency",
        _("earlier contract counts toward tenure"),
        _(
            "A labour contract at the same agency before recruitment counts toward the months "
            "employed (Circular 01/2024/TT-BNV)."
        ),
    )
    training_long_min_months = _count(
        "training_long_min_months",
        _("long training (months)"),
        _(
            "Training this long or longer keeps the year countable only with the result below "
            "(Circular 01/2024/TT-BNV)."
        ),
    )
    training_min_result = _choice(
        "training_min_result",
        _("lowest training result"),
        _(
            "The lowest result of a long training that keeps the year countable (Circular "
            "01/2024/TT-BNV)."
        ),
    )
    absence_exclusion_working_days = models.PositiveSmallIntegerField(
        _("absence that excludes (working days)"),
        null=True,
        blank=True,
        default=DEFAULTS.absence_exclusion_working_days,
        help_text=_(
            "Optional: absence of this many working days or more excludes the year; empty: off "
            "(unit policy)."
        ),
    )
    transfer_old_unit_comment_min_months = _count(
        "transfer_old_unit_comment_min_months",
        _("transfer: months needing the old unit's comments"),
        _(
            "A person transferred after this many months at the old unit is judged with its "
            "comments (Circular 01/2024/TT-BNV)."
        ),
    )
    maternity_counts_as_working_time = _yes_no(
        "maternity_counts_as_working_time",
        _("maternity leave counts as time worked"),
        _(
            "Statutory maternity leave counts as time worked (Decree 98/2023/NĐ-CP and "
            "152/2025/NĐ-CP, Art 4)."
        ),
    )

    # The leader gate
    leader_gate_required_unit_title = models.CharField(
        _("leader gate: unit title required"),
        max_length=40,
        choices=_choices("leader_gate_required_unit_title"),
        null=True,
        blank=True,
        default=DEFAULTS.leader_gate_required_unit_title,
        help_text=_(
            "A unit leader's title needs the unit to hold this title that year; empty: no gate "
            "(Law 06/2022, Art 23–24)."
        ),
    )
    leader_gate_applies_to = models.JSONField(
        _("leader gate: titles it applies to"),
        default=default_leader_gate_titles,
        validators=[validate_title_codes],
        help_text=_(
            'The codes of the titles the leader gate applies to, as a list such as ["LDTT", '
            '"CSTDCS"].'
        ),
    )

    # Chiến sĩ thi đua cơ sở
    cstdcs_cap_enabled = _yes_no(
        "cstdcs_cap_enabled",
        _("CSTĐCS capped"),
        _(
            "CSTĐCS is capped as a share of the unit's LĐTT recipients (Decree 91/2017 set 15%; "
            "kept as unit policy)."
        ),
    )
    cstdcs_cap_share = _share(
        "cstdcs_cap_share", _("CSTĐCS cap share"), _("That share, between 0 and 1 (0.15 = 15%).")
    )
    cstdcs_cap_rounding = _choice(
        "cstdcs_cap_rounding",
        _("CSTĐCS cap rounding"),
        _("How the cap is rounded to a number of people."),
    )
    cstdcs_initiative_in_eval_year = _yes_no(
        "cstdcs_initiative_in_eval_year",
        _("CSTĐCS: initiative in the year judged"),
        _(
            "The initiative route needs an initiative recognised in the year judged (Law 06/2022, "
            "Art 23)."
        ),
    )

    # CSTĐ Bộ and CSTĐ toàn quốc
    cstd_bo_consecutive_cstdcs = _count(
        "cstd_bo_consecutive_cstdcs",
        _("CSTĐ Bộ: consecutive CSTĐCS years"),
        _(
            "Consecutive CSTĐCS years needed for the Ministry's Emulation Fighter (Law 06/2022, "
            "Art 22)."
        ),
    )
    cstd_bo_streak_ends_in_eval_year = _yes_no(
        "cstd_bo_streak_ends_in_eval_year",
        _("CSTĐ Bộ: streak ends in the year judged"),
        _("That streak must end in the year judged (Law 06/2022, Art 22)."),
    )
    cstd_tq_consecutive_cstd_bo = _count(
        "cstd_tq_consecutive_cstd_bo",
        _("CSTĐ toàn quốc: consecutive CSTĐ Bộ"),
        _(
            "Consecutive CSTĐ Bộ titles needed for the National Emulation Fighter (Law 06/2022, "
            "Art 21)."
        ),
    )
    cstd_tq_consecutive_definition = _choice(
        "cstd_tq_consecutive_definition",
        _("CSTĐ toàn quốc: meaning of consecutive"),
        _(
            "Consecutive: successive windows with CSTĐCS unbroken between them, or strictly "
            "successive windows (Law 06/2022, Art 21)."
        ),
    )
    cstd_tq_timing = _choice(
        "cstd_tq_timing",
        _("CSTĐ toàn quốc: when proposed"),
        _("Proposed in the year of the second CSTĐ Bộ, or any year after (Law 06/2022, Art 21)."),
    )

    # Bằng khen and Huân chương
    bk_bo_consecutive_cstdcs = _count(
        "bk_bo_consecutive_cstdcs",
        _("Minister's Bằng khen: consecutive CSTĐCS years"),
        _("Route 1: consecutive CSTĐCS years (Law 06/2022, Art 74; Circular 18/2023/TT-BTNMT)."),
    )
    bk_bo_min_htxsnv_years = _count(
        "bk_bo_min_htxsnv_years",
        _("Minister's Bằng khen: consecutive HTXSNV years"),
        _("Route 2: consecutive years of excellent task completion (Law 06/2022, Art 74)."),
    )
    bk_bo_initiatives_required = _count(
        "bk_bo_initiatives_required",
        _("Minister's Bằng khen: initiatives required"),
        _("Unused initiatives or scientific works needed in that window (Law 06/2022, Art 74)."),
    )
    bk_bo_initiatives_on_cstdcs_route = _yes_no(
        "bk_bo_initiatives_on_cstdcs_route",
        _("Minister's Bằng khen: initiatives on the CSTĐCS route"),
        _("Route 1 also needs those initiatives (Law 06/2022, Art 74)."),
    )
    bk_bo_mix_initiative_and_sci_work = _yes_no(
        "bk_bo_mix_initiative_and_sci_work",
        _("Minister's Bằng khen: initiative and scientific work mixed"),
        _("One initiative plus one scientific work counts as two (Law 06/2022, Art 74)."),
    )
    bk_ttg_min_run_years = _count(
        "bk_ttg_min_run_years",
        _("Prime Minister's Bằng khen: run of years"),
        _(
            "Consecutive years of task completion or better after the Minister's Bằng khen (Law "
            "06/2022, Art 73)."
        ),
    )
    bk_ttg_cstdcs_in_run = _count(
        "bk_ttg_cstdcs_in_run",
        _("Prime Minister's Bằng khen: CSTĐCS in the run"),
        _("CSTĐCS titles within that run (Law 06/2022, Art 73)."),
    )
    hcld3_min_run_years = _count(
        "hcld3_min_run_years",
        _("Labour Order, Third Class: run of years"),
        _(
            "Consecutive years of task completion or better after the Prime Minister's Bằng khen "
            "(Law 06/2022, Art 44)."
        ),
    )
    hcld3_htxsnv_years_in_run = _count(
        "hcld3_htxsnv_years_in_run",
        _("Labour Order, Third Class: HTXSNV years in the run"),
        _("Years of excellent task completion within that run (Law 06/2022, Art 44)."),
    )
    hcld3_cstdcs_in_run = _count(
        "hcld3_cstdcs_in_run",
        _("Labour Order, Third Class: CSTĐCS in the run"),
        _("CSTĐCS titles within that run (Law 06/2022, Art 44)."),
    )
    no_double_count = _yes_no(
        "no_double_count",
        _("no double counting of years"),
        _(
            "Years already used for an earlier award of the same title or form do not count again "
            "(Decree 98/2023/NĐ-CP and 152/2025/NĐ-CP, Art 4)."
        ),
    )
    thematic_or_extraordinary_not_basis = _yes_no(
        "thematic_or_extraordinary_not_basis",
        _("thematic and extraordinary awards are no ground"),
        _(
            "Thematic and extraordinary awards are not used as grounds for a higher award (Decree "
            "98/2023/NĐ-CP and 152/2025/NĐ-CP, Art 4)."
        ),
    )

    # Initiatives
    initiative_reuse_ban = _yes_no(
        "initiative_reuse_ban",
        _("an initiative is used once"),
        _(
            "An initiative already used for a title or form is not used again (Decree "
            "98/2023/NĐ-CP and 152/2025/NĐ-CP, Art 4)."
        ),
    )

    # Discipline and open processes
    disc_partial_year = _choice(
        "disc_partial_year",
        _("year in which a discipline ends"),
        _(
            "After a discipline ends, the rest of the year counts if at least the minimum months "
            "employed (Decree 98/2023/NĐ-CP and 152/2025/NĐ-CP, Art 4)."
        ),
    )
    discipline_reset = _yes_no(
        "discipline_reset",
        _("achievements count from the end of a discipline"),
        _(
            "Achievements count only from the end of a discipline (Decree 98/2023/NĐ-CP and "
            "152/2025/NĐ-CP, Art 4)."
        ),
    )
    open_process_bars_award = _yes_no(
        "open_process_bars_award",
        _("an open process bars the award"),
        _(
            "An open disciplinary review, inspection, investigation or complaint bars the award "
            "(Decree 98/2023/NĐ-CP and 152/2025/NĐ-CP, Art 4)."
        ),
    )

    # Collectives
    ttldtt_min_share_ldtt = _share(
        "ttldtt_min_share_ldtt",
        _("TTLĐTT: share holding LĐTT"),
        _("Share of the members holding LĐTT, between 0 and 1 (Law 06/2022, Art 28)."),
    )
    ttldtt_share_comparator = _choice(
        "ttldtt_share_comparator",
        _("TTLĐTT: comparison with that share"),
        _("More than, or at least, that share (Law 06/2022, Art 28: “more than 50%”)."),
    )
    ttldtt_discipline_bar = _choice(
        "ttldtt_discipline_bar",
        _("TTLĐTT: discipline bar"),
        _("No member disciplined at this level or above (Law 06/2022, Art 28)."),
    )
    ttldtt_min_task_completion = _choice(
        "ttldtt_min_task_completion",
        _("TTLĐTT: lowest task completion"),
        _("The collective's lowest task completion of the year (Law 06/2022, Art 28)."),
    )
    ttldxs_members_complete_share = _share(
        "ttldxs_members_complete_share",
        _("TTLĐXS: share who completed their tasks"),
        _("Share of the members who completed their tasks, between 0 and 1 (Law 06/2022, Art 27)."),
    )
    ttldxs_min_share_ldtt = _share(
        "ttldxs_min_share_ldtt",
        _("TTLĐXS: share holding LĐTT"),
        _("Share of the members holding LĐTT, between 0 and 1 (Law 06/2022, Art 27)."),
    )
    ttldxs_min_cstdcs = _count(
        "ttldxs_min_cstdcs",
        _("TTLĐXS: members holding CSTĐCS"),
        _("Members holding CSTĐCS that year (Law 06/2022, Art 27)."),
    )
    ttldxs_discipline_bar = _choice(
        "ttldxs_discipline_bar",
        _("TTLĐXS: discipline bar"),
        _("No member disciplined at this level or above (Law 06/2022, Art 27)."),
    )
    collective_share_denominator = _choice(
        "collective_share_denominator",
        _("collective shares: of whom"),
        _("The shares of a collective are of its members graded that year, or of all its members."),
    )
    collective_discipline_year_basis = _choice(
        "collective_discipline_year_basis",
        _("collective: year of a member's discipline"),
        _(
            "A member's discipline counts in the year it was decided, or in every year it was in "
            "effect."
        ),
    )
    collective_dissolved_not_commended = _yes_no(
        "collective_dissolved_not_commended",
        _("a dissolved collective is not commended"),
        _("A collective dissolved before the judgement is not commended."),
    )

    # Cờ thi đua của Chính phủ
    co_cp_quota_share = _share(
        "co_cp_quota_share",
        _("Government flag: quota share"),
        _(
            "At most this share of the collectives leading blocks and clusters, between 0 and 1 "
            "(Law 06/2022, Art 25)."
        ),
    )
    co_cp_quota_rounding = _choice(
        "co_cp_quota_rounding",
        _("Government flag: quota rounding"),
        _("How the quota is rounded to a number of collectives."),
    )

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["sector", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="ruleset_period_in_order",
            ),
            models.CheckConstraint(condition=Q(quorum_denominator__gte=1), name="ruleset_quorum"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{share}__gte": 0, f"{share}__lte": 1}),
                    name=f"ruleset_{share}_is_a_share",
                )
                for share in SHARES
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def parameters(self) -> Parameters:
        """The frozen parameters the engine reads."""
        values = {name: getattr(self, name) for name in NAMES}
        values["leader_gate_applies_to"] = tuple(values["leader_gate_applies_to"])
        values["leader_gate_required_unit_title"] = (
            values["leader_gate_required_unit_title"] or None
        )
        return Parameters(**values)

    def overlapping(self) -> models.QuerySet:
        """The other sets of the sector whose period meets this one's."""
        others = RuleSet.objects.filter(sector=self.sector).exclude(pk=self.pk)
        if self.effective_to is not None:
            others = others.filter(effective_from__lte=self.effective_to)
        return others.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )

    def clean(self):
        super().clean()
        if self.effective_from is None or not self.sector:
            return
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("The end of the period comes before its start.")}
            )
        clash = self.overlapping().first()
        if clash is not None:
            raise ValidationError(
                {
                    "effective_from": _(
                        "The period overlaps that of rule set {code} of the same sector "
                        "({start} – {end}): one set only may be in force on a date."
                    ).format(
                        code=clash.code,
                        start=clash.effective_from.strftime("%d/%m/%Y"),
                        end=clash.effective_to.strftime("%d/%m/%Y") if clash.effective_to else "…",
                    )
                }
            )

    def quorum_met(self, present: int, members: int) -> bool:
        """At least quorum_numerator/quorum_denominator of the members are present."""
        return present * self.quorum_denominator >= self.quorum_numerator * members


class CouncilLevel(models.TextChoices):
    MINISTRY = "ministry", _("Ministry's council")
    UNIT = "unit", _("Unit's council")


class VoteDenominator(models.TextChoices):
    ALL_MEMBERS = "all_members", _("All council members")
    ATTENDEES = "attendees", _("Members present")


class VotingThreshold(models.Model):
    """The council's vote a title needs under a rule set (domain.md §3.4)."""

    rule_set = models.ForeignKey(
        RuleSet,
        on_delete=models.CASCADE,
        related_name="voting_thresholds",
        verbose_name=_("rule set"),
    )
    title = models.ForeignKey(
        "campaigns.Title", on_delete=models.PROTECT, related_name="+", verbose_name=_("title")
    )
    council_level = models.CharField(
        _("council level"),
        max_length=16,
        choices=CouncilLevel.choices,
        default=CouncilLevel.MINISTRY,
    )
    denominator = models.CharField(
        _("share of"),
        max_length=16,
        choices=VoteDenominator.choices,
        default=VoteDenominator.ALL_MEMBERS,
    )
    threshold_pct = models.DecimalField(
        _("threshold (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("The votes in favour needed, at least this percentage."),
    )
    secret_ballot = models.BooleanField(_("secret ballot"), default=True)
    chair_must_agree = models.BooleanField(_("the chair must agree"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("voting threshold")
        verbose_name_plural = _("voting thresholds")
        ordering = ["rule_set", "council_level", "title__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "title", "council_level"], name="voting_threshold_once"
            ),
            models.CheckConstraint(
                condition=Q(threshold_pct__gte=0, threshold_pct__lte=100),
                name="voting_threshold_is_a_percentage",
            ),
        ]

    def __str__(self):
        return f"{self.title_id} ≥ {self.threshold_pct}%"

    def passes(self, in_favour: int, *, members: int, present: int, chair_agrees: bool) -> bool:
        """The vote carries: enough in favour of the denominator, and the chair if needed."""
        base = members if self.denominator == VoteDenominator.ALL_MEMBERS else present
        if self.chair_must_agree and not chair_agrees:
            return False
        return in_favour * 100 >= self.threshold_pct * base
