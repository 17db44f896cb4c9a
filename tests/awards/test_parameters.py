"""The rule set's parameters (eligibility.md §5): the defaults of the table, and an
override (the command's --set) that names the parameter it cannot take."""

from decimal import Decimal

import pytest

from awards.parameters import NAMES, ParameterError, Parameters


def test_the_defaults_are_those_of_the_table():
    p = Parameters()
    assert len(NAMES) == 47
    assert p.min_months_employed == 6
    assert p.cstdcs_cap_share == Decimal("0.15")
    assert p.leader_gate_applies_to == ("LDTT", "CSTDCS", "CSTD_BO", "CSTD_TQ")
    assert p.absence_exclusion_working_days is None
    assert p.co_cp_quota_share == Decimal("0.2")


def test_an_override_is_applied_and_recorded():
    p = Parameters().override({"cstdcs_cap_enabled": False, "ttldtt_min_share_ldtt": 0.7})
    assert p.cstdcs_cap_enabled is False
    assert p.ttldtt_min_share_ldtt == Decimal("0.7")
    assert p.overridden == {"cstdcs_cap_enabled": False, "ttldtt_min_share_ldtt": 0.7}
    assert Parameters().overridden == {}


def test_a_command_line_value_is_read_as_json():
    p = Parameters().override({"cstdcs_cap_enabled": "false", "min_months_employed": "9"})
    assert p.cstdcs_cap_enabled is False
    assert p.min_months_employed == 9


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"no_such_rule": 1}, "no_such_rule"),
        ({"cstdcs_cap_enabled": 1}, "cstdcs_cap_enabled"),
        ({"cstdcs_cap_share": 1.5}, "cstdcs_cap_share"),
        ({"cstdcs_cap_rounding": "ceil"}, "cstdcs_cap_rounding"),
        ({"min_months_employed": -1}, "min_months_employed"),
        ({"leader_gate_applies_to": "LDTT"}, "leader_gate_applies_to"),
    ],
)
def test_a_bad_override_names_the_parameter(values, named):
    with pytest.raises(ParameterError, match=named):
        Parameters().override(values)
