"""The parameters of a rule set (eligibility.md §5), with their defaults: a frozen
value the pure eligibility engine reads. A RuleSet row of the database and the
command's --set overrides both end as one of these.

The defaults are those of the set in force from 1 January 2024 (Law 06/2022/QH15,
Decree 98/2023/NĐ-CP, Circular 01/2024/TT-BNV); a rule set states where it differs."""

import dataclasses
import json
from dataclasses import dataclass, field
from decimal import Decimal

ROUNDINGS = ("floor", "round")
COMPARATORS = ("gt", "ge")
TRAINING_RESULTS = ("xuat_sac", "gioi", "kha", "trung_binh")
TASK_COMPLETIONS = ("excellent", "good", "complete", "incomplete")
DISCIPLINE_LEVELS = (
    "khien_trach",
    "canh_cao",
    "ha_bac_luong",
    "giang_chuc",
    "cach_chuc",
    "buoc_thoi_viec",
)
LEADER_GATE_TITLES = ("TTLDTT", "TTLDXS", None)


@dataclass(frozen=True)
class Parameters:
    min_months_employed: int = 6
    tenure_counts_prior_contract_same_agency: bool = True
    training_long_min_months: int = 12
    training_min_result: str = "kha"
    absence_exclusion_working_days: int | None = None
    transfer_old_unit_comment_min_months: int = 6
    disc_partial_year: str = "min_months"
    leader_gate_required_unit_title: str | None = "TTLDXS"
    leader_gate_applies_to: tuple[str, ...] = ("LDTT", "CSTDCS", "CSTD_BO", "CSTD_TQ")
    cstdcs_cap_enabled: bool = True
    cstdcs_cap_share: Decimal = Decimal("0.15")
    cstdcs_cap_rounding: str = "floor"
    cstdcs_initiative_in_eval_year: bool = True
    cstd_bo_consecutive_cstdcs: int = 3
    cstd_bo_streak_ends_in_eval_year: bool = True
    no_double_count: bool = True
    cstd_tq_consecutive_cstd_bo: int = 2
    cstd_tq_consecutive_definition: str = "unbroken_chain"
    cstd_tq_timing: str = "eval_year_is_second_bo_year"
    bk_bo_consecutive_cstdcs: int = 2
    bk_bo_min_htxsnv_years: int = 2
    bk_bo_initiatives_required: int = 2
    bk_bo_initiatives_on_cstdcs_route: bool = True
    bk_bo_mix_initiative_and_sci_work: bool = False
    bk_ttg_min_run_years: int = 5
    bk_ttg_cstdcs_in_run: int = 3
    hcld3_min_run_years: int = 5
    hcld3_htxsnv_years_in_run: int = 1
    hcld3_cstdcs_in_run: int = 3
    thematic_or_extraordinary_not_basis: bool = True
    initiative_reuse_ban: bool = True
    open_process_bars_award: bool = True
    discipline_reset: bool = True
    maternity_counts_as_working_time: bool = True
    ttldtt_min_share_ldtt: Decimal = Decimal("0.5")
    ttldtt_share_comparator: str = "gt"
    ttldtt_discipline_bar: str = "canh_cao"
    ttldtt_min_task_completion: str = "good"
    ttldxs_members_complete_share: Decimal = Decimal("1.0")
    ttldxs_min_share_ldtt: Decimal = Decimal("0.7")
    ttldxs_min_cstdcs: int = 1
    ttldxs_discipline_bar: str = "canh_cao"
    collective_share_denominator: str = "graded_members"
    collective_discipline_year_basis: str = "decided_in_year"
    collective_dissolved_not_commended: bool = True
    co_cp_quota_share: Decimal = Decimal("0.2")
    co_cp_quota_rounding: str = "floor"
    # Not a parameter of the Law: which overrides produced this value (for the verdict).
    overridden: dict = field(default_factory=dict, compare=False, repr=False)

    def override(self, values: dict) -> "Parameters":
        """A copy with `values` (parameter name → value, as JSON gives them) applied and
        recorded in .overridden; ParameterError names a parameter that does not
        exist or a value of the wrong kind."""
        changes = {name: coerce(name, value) for name, value in values.items()}
        return dataclasses.replace(self, **changes, overridden={**self.overridden, **values})


class ParameterError(ValueError):
    """A parameter that does not exist, or a value it cannot take."""


CHOICES = {
    "training_min_result": TRAINING_RESULTS,
    "disc_partial_year": ("min_months", "none"),
    "leader_gate_required_unit_title": LEADER_GATE_TITLES,
    "cstdcs_cap_rounding": ROUNDINGS,
    "cstd_tq_consecutive_definition": ("unbroken_chain", "strict_windows"),
    "cstd_tq_timing": ("eval_year_is_second_bo_year", "any"),
    "ttldtt_share_comparator": COMPARATORS,
    "ttldtt_discipline_bar": DISCIPLINE_LEVELS,
    "ttldtt_min_task_completion": TASK_COMPLETIONS,
    "ttldxs_discipline_bar": DISCIPLINE_LEVELS,
    "collective_share_denominator": ("graded_members", "all_members"),
    "collective_discipline_year_basis": ("decided_in_year", "effective_in_year"),
    "co_cp_quota_rounding": ROUNDINGS,
}
NAMES = tuple(f.name for f in dataclasses.fields(Parameters) if f.name != "overridden")


def coerce(name: str, value):
    """The value, as JSON or a form gives it, in the parameter's own type."""
    if name not in NAMES:
        raise ParameterError(f"unknown parameter: {name}")
    default = getattr(Parameters(), name)
    if isinstance(value, str) and not isinstance(default, str) and name not in CHOICES:
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ParameterError(f"{name}: not a JSON value: {value!r}") from None
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ParameterError(f"{name}: expected true or false, got {value!r}")
        return value
    if isinstance(default, Decimal):
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ParameterError(f"{name}: expected a number, got {value!r}")
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise ParameterError(f"{name}: expected a number, got {value!r}") from None
        if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
            raise ParameterError(f"{name}: expected a share between 0 and 1, got {value!r}")
        return number
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ParameterError(f"{name}: expected a list of title codes, got {value!r}")
        return tuple(value)
    if name in CHOICES:
        if value not in CHOICES[name]:
            allowed = ", ".join("null" if c is None else c for c in CHOICES[name])
            raise ParameterError(f"{name}: expected one of {allowed}, got {value!r}")
        return value
    if name == "absence_exclusion_working_days" and value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError(f"{name}: expected a whole number ≥ 0, got {value!r}")
    return value
