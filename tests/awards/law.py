"""Records for the tests that read as the Law: a person and a unit who meet every
criterion of the year 2024, and the verdict of the engine on a variation of them."""

import copy
import datetime as dt

from awards.eligibility import judge
from awards.parameters import Parameters
from awards.records import from_json

YEAR = 2024
AS_OF = dt.date(2025, 1, 20)


def person(**changes) -> dict:
    """A civil servant in post since 2016, graded HTXSNV, with an unused grassroots
    initiative of 2024, first in the unit's CSTĐCS ordering of 20 LĐTT."""
    record = {
        "person_id": "P-1",
        "name": "Nguyễn Văn A",
        "start_date": "2016-03-01",
        "is_leader": False,
        "grades": {
            "2020": "HTTNV",
            "2021": "HTTNV",
            "2022": "HTTNV",
            "2023": "HTTNV",
            "2024": "HTXSNV",
        },
        "titles": [],
        "awards": [],
        "initiatives": [],
        "discipline": [],
        "open_processes": [],
        "leave": [],
        "training": [],
        "unit_titles": {"2024": ["TTLDXS"]},
        "unit_context": {"ldtt_recipients": 20, "cstdcs_rank": 1},
    }
    record.update(copy.deepcopy(changes))
    return record


def unit(members=None, grouping=None, flag=None, **changes) -> dict:
    """A unit that completed its tasks excellently, all findings confirmed, ten members
    graded, eight with LĐTT of whom one CSTĐCS, leader of its block."""
    fields = {
        "unit_id": "U-1",
        "name": "Phòng Tổng hợp",
        "task_completion": "excellent",
        "emulation_active": True,
        "unity_compliance": True,
        "exceeded_targets": True,
        "new_model": True,
        "thrift_anticorruption": True,
        "party_mass_orgs_clean": True,
        "open_processes": [],
        "dissolved_on": None,
    }
    fields.update(changes)
    if members is None:
        members = [{"id": "M1", "grade": "HTXSNV", "titles": ["LDTT", "CSTDCS"]}]
        members += [{"id": f"M{i}", "grade": "HTTNV", "titles": ["LDTT"]} for i in range(2, 9)]
        members += [{"id": f"M{i}", "grade": "HTNV", "titles": []} for i in range(9, 11)]
    return {
        "unit": fields,
        "members": members,
        "grouping": grouping
        or {
            "type": "block",
            "name": "Khối thi đua số III",
            "members_count": 7,
            "rank": 1,
            "acclaimed_leader": True,
            "score": 96.5,
        },
        "ministry_flag_context": flag or {"block_cluster_leaders": 16, "cp_rank": 3},
    }


def verdict(record: dict, title: str, year: int = YEAR, as_of=AS_OF, rule_set="RS-2024", **params):
    parameters = Parameters().override(params) if params else Parameters()
    return judge(from_json(record), title, year, as_of, parameters, rule_set)


def reason(v, rule: str):
    found = [r for r in v.reasons if r.rule == rule]
    assert len(found) == 1, f"{rule} not checked once in {[r.rule for r in v.reasons]}"
    return found[0]


def met(record: dict, title: str, rule: str, **kwargs) -> bool:
    return reason(verdict(record, title, **kwargs), rule).met
