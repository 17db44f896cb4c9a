"""The record formats of eligibility.md §2–3: read, written back, and refused with the
field's path when a named field is of the wrong type or an unknown code."""

import pytest

from awards.records import RecordError, from_json, to_json
from tests.awards.law import person, unit

FULL_PERSON = person(
    prior_contract_same_agency_from="2015-01-01",
    conduct_ok={"2024": True},
    titles=[{"year": 2023, "title": "LDTT", "decision": "12/QĐ-X", "date": "2024-01-18"}],
    awards=[
        {
            "form": "BK_BO",
            "achievement_year": 2021,
            "kind": "thematic",
            "decision": "…",
            "date": "2022-04-10",
        }
    ],
    initiatives=[
        {
            "id": "SK-1",
            "type": "initiative",
            "scope": "co_so",
            "recognized": "2024-05-08",
            "decision": "…",
            "used_for": [{"code": "CSTDCS", "year": 2024}],
        }
    ],
    discipline=[
        {
            "level": "khien_trach",
            "decided": "2023-10-01",
            "decision": "…",
            "effective_from": "2023-10-01",
            "effective_to": "2024-09-30",
        }
    ],
    open_processes=[{"type": "disciplinary_review", "opened": "2024-12-10", "closed": None}],
    leave=[{"type": "maternity", "from": "2024-06-01", "to": "2024-11-30", "statutory": True}],
    training=[
        {
            "course": "…",
            "from": "2023-09-01",
            "to": "2024-08-31",
            "compliant": True,
            "completed": True,
            "result": "kha",
        }
    ],
    transfer={"from_unit": "Vụ X", "date": "2024-09-01", "old_unit_comments": True},
)


@pytest.mark.parametrize("data", [FULL_PERSON, person(), unit()])
def test_a_record_round_trips(data):
    record = from_json(data)
    assert from_json(to_json(record)) == record


def test_fields_not_named_are_ignored():
    data = person(
        notes="ghi chú",
        initiatives=[
            {
                "id": "SK-1",
                "type": "initiative",
                "scope": "co_so",
                "recognized": "2024-05-08",
                "name": "Cải tiến quy trình",
            }
        ],
    )
    record = from_json(data)
    assert record.initiatives[0].id == "SK-1"
    assert "notes" not in to_json(record)


def test_grades_are_read_by_year():
    record = from_json(person(grades={"2023": None, "2024": "HTTNV"}))
    assert record.grades == {2023: None, 2024: "HTTNV"}


@pytest.mark.parametrize(
    ("change", "path", "allowed"),
    [
        ({"grades": {"2024": "GOOD"}}, "grades.2024", "HTXSNV, HTTNV, HTNV, KHTNV"),
        ({"grades": {"năm": "HTTNV"}}, "grades.năm", "year"),
        ({"discipline": [{"level": "nhac_nho"}]}, "discipline[0].level", "khien_trach"),
        ({"start_date": "01/03/2016"}, "start_date", "YYYY-MM-DD"),
        ({"is_leader": "yes"}, "is_leader", "true or false"),
        ({"titles": [{"year": "2023", "title": "LDTT"}]}, "titles[0].year", "year"),
        (
            {"awards": [{"form": "BK_BO", "achievement_year": 2021, "kind": "special"}]},
            "awards[0].kind",
            "regular, thematic, extraordinary",
        ),
        (
            {"initiatives": [{"id": "S", "type": "initiative", "scope": "tinh"}]},
            "initiatives[0].scope",
            "co_so, bo, toan_quoc",
        ),
        ({"leave": [{"type": "maternity", "from": "2024-01-01"}]}, "leave[0].to", "required"),
        ({"open_processes": [{"type": "audit"}]}, "open_processes[0].type", "inspection"),
        (
            {"training": [{"from": "2023-01-01", "to": "2024-01-01", "result": "A"}]},
            "training[0].result",
            "kha",
        ),
        ({"unit_context": {"ldtt_recipients": -1}}, "unit_context.ldtt_recipients", "≥ 0"),
        ({"titles": "LDTT"}, "titles", "a list"),
    ],
)
def test_a_wrong_field_is_named_with_what_it_allows(change, path, allowed):
    with pytest.raises(RecordError) as error:
        from_json(person(**change))
    assert error.value.path == path
    assert allowed in str(error.value)


def test_a_collective_field_is_named():
    data = unit()
    data["members"][1]["grade"] = "excellent"
    with pytest.raises(RecordError) as error:
        from_json(data)
    assert error.value.path == "members[1].grade"
    data = unit(task_completion="great")
    with pytest.raises(RecordError, match=r"unit\.task_completion: expected one of excellent"):
        from_json(data)


def test_a_record_without_identity_is_refused():
    with pytest.raises(RecordError, match="person_id"):
        from_json({"grades": {}})
    with pytest.raises(RecordError, match="expected an object"):
        from_json([1], "[0]")
