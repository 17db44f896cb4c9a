"""Chiến sĩ thi đua cơ sở (Law 06/2022/QH15 Art 23): LĐTT and an excellent grade or an
initiative or scientific work; the unit's cap on CSTĐCS with its rounding; an initiative
already used is not used again."""

from tests.awards.law import met, person, reason, verdict

SK = {"id": "SK-1", "type": "initiative", "scope": "co_so", "recognized": "2024-05-08"}


def test_cstdcs_eligible_on_an_excellent_grade():
    """Law Art 23: LĐTT and graded Hoàn thành xuất sắc nhiệm vụ."""
    v = verdict(person(), "CSTDCS")
    assert v.eligible, [r.text for r in v.failing]
    assert reason(v, "CSTDCS_ACHIEVEMENT").text == "Năm 2024 xếp loại Hoàn thành xuất sắc nhiệm vụ."


def test_cstdcs_base_ldtt():
    """Law Art 23: only a person who meets LĐTT (Art 24) can be CSTĐCS."""
    assert met(person(), "CSTDCS", "CSTDCS_BASE_LDTT")
    assert not met(person(conduct_ok={"2024": False}), "CSTDCS", "CSTDCS_BASE_LDTT")


def test_cstdcs_achievement_initiative_route():
    """Law Art 23: graded HTTNV, with an initiative recognised in the year."""
    good = {"2024": "HTTNV"}
    assert met(person(grades=good, initiatives=[SK]), "CSTDCS", "CSTDCS_ACHIEVEMENT")
    v = verdict(person(grades=good), "CSTDCS")
    assert not reason(v, "CSTDCS_ACHIEVEMENT").met
    assert "không có sáng kiến" in reason(v, "CSTDCS_ACHIEVEMENT").text


def test_cstdcs_initiative_in_eval_year():
    """cstdcs_initiative_in_eval_year: an initiative of 2023 does not serve 2024 unless off."""
    old = person(grades={"2024": "HTTNV"}, initiatives=[{**SK, "recognized": "2023-11-20"}])
    assert not met(old, "CSTDCS", "CSTDCS_ACHIEVEMENT")
    assert met(old, "CSTDCS", "CSTDCS_ACHIEVEMENT", cstdcs_initiative_in_eval_year=False)


def test_initiative_reuse():
    """Decree 98/2023 Art 4, MOHA: an initiative used for one award is not used again."""
    good = {"2024": "HTTNV"}
    assert met(person(grades=good, initiatives=[SK]), "CSTDCS", "INITIATIVE_REUSE")
    used = {**SK, "used_for": [{"code": "BK_BO", "year": 2024}]}
    v = verdict(person(grades=good, initiatives=[used]), "CSTDCS")
    assert not v.eligible
    assert "SK-1 cho Bằng khen của Bộ trưởng năm 2024" in reason(v, "INITIATIVE_REUSE").text
    assert verdict(
        person(grades=good, initiatives=[used]), "CSTDCS", initiative_reuse_ban=False
    ).eligible


def test_cstdcs_used_for_itself_is_not_reuse():
    """An initiative recorded as used for this very CSTĐCS is that use, not another."""
    own = {**SK, "used_for": [{"code": "CSTDCS", "year": 2024}]}
    assert met(person(grades={"2024": "HTTNV"}, initiatives=[own]), "CSTDCS", "INITIATIVE_REUSE")


def test_cstdcs_cap():
    """Unit policy after Decree 91/2017: CSTĐCS at most 15% of the unit's LĐTT (floor)."""
    assert met(
        person(unit_context={"ldtt_recipients": 20, "cstdcs_rank": 3}), "CSTDCS", "CSTDCS_CAP"
    )
    v = verdict(person(unit_context={"ldtt_recipients": 20, "cstdcs_rank": 4}), "CSTDCS")
    assert not v.eligible
    assert "chỉ tiêu Chiến sĩ thi đua cơ sở là 3" in reason(v, "CSTDCS_CAP").text


def test_cstdcs_cap_rounding():
    """cstdcs_cap_rounding: 15% of 10 is 1.5, one by floor and two rounded."""
    second = person(unit_context={"ldtt_recipients": 10, "cstdcs_rank": 2})
    assert not met(second, "CSTDCS", "CSTDCS_CAP")
    assert met(second, "CSTDCS", "CSTDCS_CAP", cstdcs_cap_rounding="round")


def test_cstdcs_cap_share_and_switch():
    """cstdcs_cap_share and cstdcs_cap_enabled change who is within the cap."""
    fourth = person(unit_context={"ldtt_recipients": 20, "cstdcs_rank": 4})
    assert met(fourth, "CSTDCS", "CSTDCS_CAP", cstdcs_cap_share=0.2)
    v = verdict(fourth, "CSTDCS", cstdcs_cap_enabled=False)
    assert v.eligible
    assert "CSTDCS_CAP" not in {r.rule for r in v.reasons}
    assert v.parameters_overridden == {"cstdcs_cap_enabled": False}


def test_cstdcs_cap_unknown_context():
    """Without the unit's count of LĐTT the cap cannot be verified."""
    assert not met(person(unit_context={"ldtt_recipients": 20}), "CSTDCS", "CSTDCS_CAP")


def test_cstdcs_leader_gate():
    """A leader's CSTĐCS needs the unit's TTLĐXS of the year."""
    assert verdict(person(is_leader=True), "CSTDCS").eligible
    assert not met(person(is_leader=True, unit_titles={}), "CSTDCS", "LEADER_GATE")
