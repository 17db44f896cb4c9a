"""Collective titles: Tập thể lao động tiên tiến (Law Art 28), Tập thể lao động xuất sắc
(Art 27), Cờ thi đua của Bộ (Art 26), Cờ thi đua của Chính phủ (Art 25) with the quota of
MOHA letter 5007/BNV-TĐKT; shared: members' discipline, open processes, dissolution."""

import pytest

from tests.awards.law import met, person, reason, unit, verdict

TITLES = ("TTLDTT", "TTLDXS", "CO_BO", "CO_CP")


def members(ldtt: int, plain: int, ungraded: int = 0, cstdcs: int = 1):
    people = [
        {"id": f"C{i}", "grade": "HTXSNV", "titles": ["LDTT", "CSTDCS"]} for i in range(cstdcs)
    ]
    people += [{"id": f"L{i}", "grade": "HTTNV", "titles": ["LDTT"]} for i in range(ldtt - cstdcs)]
    people += [{"id": f"P{i}", "grade": "HTNV", "titles": []} for i in range(plain)]
    people += [{"id": f"N{i}", "grade": None, "titles": []} for i in range(ungraded)]
    return people


@pytest.mark.parametrize("title", TITLES)
def test_the_model_unit_is_eligible(title):
    """The unit of the examples meets every criterion of each collective title."""
    v = verdict(unit(), title)
    assert v.eligible, [r.text for r in v.failing]
    assert v.record == "U-1"


def test_ttldtt_task_completion():
    """Law Art 28: completes its tasks well (ttldtt_min_task_completion)."""
    assert met(unit(task_completion="good"), "TTLDTT", "TTLDTT_TASK_COMPLETION")
    assert not met(unit(task_completion="complete"), "TTLDTT", "TTLDTT_TASK_COMPLETION")
    assert met(
        unit(task_completion="complete"),
        "TTLDTT",
        "TTLDTT_TASK_COMPLETION",
        ttldtt_min_task_completion="complete",
    )


def test_ttldtt_emulation_and_unity():
    """Law Art 28: emulation regular and effective; unity and compliance."""
    assert not met(unit(emulation_active=False), "TTLDTT", "TTLDTT_EMULATION")
    assert not met(unit(unity_compliance=False), "TTLDTT", "TTLDTT_UNITY")


def test_ttldtt_share_ldtt_comparator():
    """Law Art 28 and the sector: more than 50% of members LĐTT (gt), or at least (ge)."""
    half = unit(members=members(ldtt=5, plain=5))
    assert not met(half, "TTLDTT", "TTLDTT_SHARE_LDTT")
    assert met(half, "TTLDTT", "TTLDTT_SHARE_LDTT", ttldtt_share_comparator="ge")
    assert met(unit(members=members(ldtt=6, plain=4)), "TTLDTT", "TTLDTT_SHARE_LDTT")
    assert not met(
        unit(members=members(ldtt=6, plain=4)),
        "TTLDTT",
        "TTLDTT_SHARE_LDTT",
        ttldtt_min_share_ldtt=0.7,
    )


def test_share_of_graded_members():
    """collective_share_denominator: members not graded that year are left out."""
    record = unit(members=members(ldtt=6, plain=2, ungraded=4))
    assert met(record, "TTLDTT", "TTLDTT_SHARE_LDTT")
    assert not met(
        record, "TTLDTT", "TTLDTT_SHARE_LDTT", collective_share_denominator="all_members"
    )


def test_collective_discipline_bar():
    """Sector circulars: no member disciplined at cảnh cáo or above in the year."""
    people = members(ldtt=8, plain=2)
    people[3]["discipline"] = [{"level": "khien_trach", "decided": "2024-03-01"}]
    assert met(unit(members=people), "TTLDTT", "COLLECTIVE_DISCIPLINE")
    people[3]["discipline"] = [{"level": "canh_cao", "decided": "2024-03-01"}]
    v = verdict(unit(members=people), "TTLDTT")
    assert not v.eligible
    assert "L2 (cảnh cáo" in reason(v, "COLLECTIVE_DISCIPLINE").text
    assert met(
        unit(members=people),
        "TTLDTT",
        "COLLECTIVE_DISCIPLINE",
        ttldtt_discipline_bar="ha_bac_luong",
    )


def test_collective_discipline_year_basis():
    """collective_discipline_year_basis: decided in 2023, in force into 2024."""
    people = members(ldtt=8, plain=2)
    people[0]["discipline"] = [
        {
            "level": "canh_cao",
            "decided": "2023-11-01",
            "effective_from": "2023-11-01",
            "effective_to": "2024-10-31",
        }
    ]
    assert met(unit(members=people), "TTLDXS", "COLLECTIVE_DISCIPLINE")
    assert not met(
        unit(members=people),
        "TTLDXS",
        "COLLECTIVE_DISCIPLINE",
        collective_discipline_year_basis="effective_in_year",
    )


@pytest.mark.parametrize("title", TITLES)
def test_collective_open_process(title):
    """Decree 98/2023 Art 4: no award to a unit under inspection on the as-of date."""
    closed = unit(
        open_processes=[{"type": "inspection", "opened": "2024-11-01", "closed": "2025-01-05"}]
    )
    assert met(closed, title, "COLLECTIVE_OPEN_PROCESS")
    still = unit(open_processes=[{"type": "inspection", "opened": "2024-11-01", "closed": None}])
    assert not verdict(still, title).eligible


@pytest.mark.parametrize("title", TITLES)
def test_dissolved_collective(title):
    """Decree 98/2023 Art 4 (collective_dissolved_not_commended): a unit dissolved before
    the judgement is not commended."""
    assert met(unit(dissolved_on="2025-03-01"), title, "DISSOLVED")
    assert not met(unit(dissolved_on="2025-01-01"), title, "DISSOLVED")
    assert met(
        unit(dissolved_on="2025-01-01"),
        title,
        "DISSOLVED",
        collective_dissolved_not_commended=False,
    )


def test_ttldxs_task_completion():
    """Law Art 27(a): completes its tasks excellently."""
    assert not met(unit(task_completion="good"), "TTLDXS", "TTLDXS_TASK_COMPLETION")


def test_ttldxs_members_complete():
    """Law Art 27(c): all members complete their tasks."""
    people = members(ldtt=8, plain=2)
    assert met(unit(members=people), "TTLDXS", "TTLDXS_MEMBERS_COMPLETE")
    people[-1]["grade"] = "KHTNV"
    assert not met(unit(members=people), "TTLDXS", "TTLDXS_MEMBERS_COMPLETE")
    assert met(
        unit(members=people), "TTLDXS", "TTLDXS_MEMBERS_COMPLETE", ttldxs_members_complete_share=0.9
    )


def test_ttldxs_share_ldtt():
    """Law Art 27(c): at least 70% of members LĐTT."""
    assert met(unit(members=members(ldtt=7, plain=3)), "TTLDXS", "TTLDXS_SHARE_LDTT")
    assert not met(unit(members=members(ldtt=6, plain=4)), "TTLDXS", "TTLDXS_SHARE_LDTT")
    assert met(
        unit(members=members(ldtt=6, plain=4)),
        "TTLDXS",
        "TTLDXS_SHARE_LDTT",
        ttldxs_min_share_ldtt=0.6,
    )


def test_ttldxs_cstdcs():
    """Law Art 27(d): at least one member CSTĐCS."""
    assert met(unit(members=members(ldtt=8, plain=2, cstdcs=1)), "TTLDXS", "TTLDXS_CSTDCS")
    assert not met(unit(members=members(ldtt=8, plain=2, cstdcs=0)), "TTLDXS", "TTLDXS_CSTDCS")
    assert not met(
        unit(members=members(ldtt=8, plain=2, cstdcs=1)),
        "TTLDXS",
        "TTLDXS_CSTDCS",
        ttldxs_min_cstdcs=2,
    )


def test_ttldxs_discipline_bar_parameter():
    """ttldxs_discipline_bar: a khiển trách bars when the sector sets the bar there."""
    people = members(ldtt=8, plain=2)
    people[0]["discipline"] = [{"level": "khien_trach", "decided": "2024-03-01"}]
    assert met(unit(members=people), "TTLDXS", "COLLECTIVE_DISCIPLINE")
    assert not met(
        unit(members=people), "TTLDXS", "COLLECTIVE_DISCIPLINE", ttldxs_discipline_bar="khien_trach"
    )


def test_co_bo_block_leader_acclaimed():
    """Law Art 26: the flag goes to the collective the block acclaimed as its leader."""
    second = {
        "type": "block",
        "name": "Khối thi đua số III",
        "members_count": 7,
        "rank": 2,
        "acclaimed_leader": False,
    }
    v = verdict(unit(grouping=second), "CO_BO")
    assert not v.eligible
    assert (
        "Không được Khối thi đua “Khối thi đua số III” suy tôn"
        in reason(v, "CO_BO_BLOCK_LEADER").text
    )
    assert met(unit(grouping={**second, "acclaimed_leader": True}), "CO_BO", "CO_BO_BLOCK_LEADER")


@pytest.mark.parametrize(
    ("finding", "rule"),
    [
        ("exceeded_targets", "CO_BO_EXCEEDED_TARGETS"),
        ("new_model", "CO_BO_NEW_MODEL"),
        ("thrift_anticorruption", "CO_BO_THRIFT"),
        ("unity_compliance", "CO_BO_UNITY"),
    ],
)
def test_co_bo_findings(finding, rule):
    """Law Art 26: exceeds targets, new models, unity, thrift and anti-corruption."""
    assert met(unit(), "CO_BO", rule)
    assert not met(unit(**{finding: False}), "CO_BO", rule)


def test_co_cp_party_clean():
    """Law Art 25 cl.1: clean and strong Party and mass organisations."""
    assert met(unit(), "CO_CP", "CO_CP_PARTY_CLEAN")
    assert not met(unit(party_mass_orgs_clean=False), "CO_CP", "CO_CP_PARTY_CLEAN")


def test_co_cp_quota():
    """MOHA letter 5007/BNV-TĐKT: proposals at most 20% of the block and cluster leaders."""
    assert met(unit(flag={"block_cluster_leaders": 16, "cp_rank": 3}), "CO_CP", "CO_CP_QUOTA")
    v = verdict(unit(flag={"block_cluster_leaders": 16, "cp_rank": 4}), "CO_CP")
    assert not v.eligible
    assert "chỉ tiêu đề nghị Cờ thi đua của Chính phủ là 3" in reason(v, "CO_CP_QUOTA").text


def test_co_cp_quota_rounding_and_share():
    """co_cp_quota_rounding and co_cp_quota_share: 20% of 13 is 2.6."""
    third = unit(flag={"block_cluster_leaders": 13, "cp_rank": 3})
    assert not met(third, "CO_CP", "CO_CP_QUOTA")
    assert met(third, "CO_CP", "CO_CP_QUOTA", co_cp_quota_rounding="round")
    assert met(third, "CO_CP", "CO_CP_QUOTA", co_cp_quota_share=0.25)


def test_a_collective_title_on_a_person_is_refused_with_a_reason():
    """A person's record is not judged for a collective title."""
    v = verdict(person(), "TTLDTT")
    assert not v.eligible
    assert v.reasons[0].rule == "RECORD_KIND"


def test_collective_discipline_without_decision_date_uses_its_start():
    """A member's discipline known only by its effective dates counts in the year it began."""
    people = members(ldtt=8, plain=2)
    people[0]["discipline"] = [{"level": "canh_cao", "effective_from": "2024-04-01"}]
    assert not met(unit(members=people), "TTLDTT", "COLLECTIVE_DISCIPLINE")
    people[0]["discipline"] = [{"level": "canh_cao", "effective_from": "2023-04-01"}]
    assert met(unit(members=people), "TTLDTT", "COLLECTIVE_DISCIPLINE")
