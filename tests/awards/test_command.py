"""`manage.py eligibility` as eligibility.md §1: JSON verdicts on standard output, exit 2
with the field named and nothing printed on a malformed record, and --batch."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.awards.law import person, unit

# The rule set in force is read from the RuleSet rows (awards.rulesets).
pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("eligibility", *args, stdout=out, stderr=err)
    return json.loads(out.getvalue())


@pytest.fixture
def write(tmp_path):
    def write(data, name="records.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return write


def test_one_record_one_verdict(write):
    verdict = run(write(person()), "--title", "CSTDCS", "--year", "2024", "--as-of", "2025-01-20")
    assert list(verdict) == [
        "record",
        "title",
        "year",
        "eligible",
        "rule_set",
        "parameters_overridden",
        "reasons",
    ]
    assert verdict["record"] == "P-1"
    assert verdict["eligible"] is True
    assert verdict["rule_set"] == "RS-2024"
    assert verdict["parameters_overridden"] == {}
    first = verdict["reasons"][0]
    assert list(first) == ["rule", "met", "text", "legal_basis"]
    assert first["rule"] == "CSTDCS_BASE_LDTT"
    assert first["legal_basis"] == "Luật Thi đua, khen thưởng 06/2022/QH15, Điều 23"


def test_a_list_gives_a_list_and_overrides_are_recorded(write):
    records = [
        person(),
        person(person_id="P-2", unit_context={"ldtt_recipients": 20, "cstdcs_rank": 4}),
    ]
    verdicts = run(
        write(records),
        "--title",
        "CSTDCS",
        "--year",
        "2024",
        "--as-of",
        "2025-01-20",
        "--set",
        "cstdcs_cap_share=0.2",
        "--set",
        "cstdcs_cap_rounding=round",
    )
    assert [v["record"] for v in verdicts] == ["P-1", "P-2"]
    assert [v["eligible"] for v in verdicts] == [True, True]
    assert verdicts[0]["parameters_overridden"] == {
        "cstdcs_cap_share": 0.2,
        "cstdcs_cap_rounding": "round",
    }
    verdicts = run(write(records), "--title", "CSTDCS", "--year", "2024", "--as-of", "2025-01-20")
    assert [v["eligible"] for v in verdicts] == [True, False]


def test_the_rule_set_in_force_or_named(write):
    path = write(unit())
    assert (
        run(path, "--title", "TTLDXS", "--year", "2025", "--as-of", "2025-12-20")["rule_set"]
        == "RS-2025-07"
    )
    named = run(
        path,
        "--title",
        "TTLDXS",
        "--year",
        "2025",
        "--as-of",
        "2025-12-20",
        "--rule-set",
        "RS-2024",
    )
    assert named["rule_set"] == "RS-2024"


def test_a_malformed_record_exits_2_naming_the_field(write):
    records = [person(), person(person_id="P-2", discipline=[{"level": "nhac_nho"}])]
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "eligibility",
            write(records),
            "--title",
            "LDTT",
            "--year",
            "2024",
            "--as-of",
            "2025-01-20",
            stdout=out,
        )
    assert error.value.returncode == 2
    assert str(error.value).startswith("Hồ sơ không hợp lệ: [1].discipline[0].level")
    assert "khien_trach" in str(error.value)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "NOPE", "--year", "2024", "--as-of", "2025-01-20"], "Không có danh hiệu NOPE"),
        (
            ["--title", "LDTT", "--year", "2024", "--as-of", "2025-01-20", "--set", "nope=1"],
            "unknown parameter: nope",
        ),
        (
            [
                "--title",
                "LDTT",
                "--year",
                "2024",
                "--as-of",
                "2025-01-20",
                "--set",
                "cstdcs_cap_share=2",
            ],
            "between 0 and 1",
        ),
        (
            ["--title", "LDTT", "--year", "2024", "--as-of", "2025-01-20", "--rule-set", "RS-1990"],
            "no rule set RS-1990",
        ),
        (["--title", "LDTT", "--year", "2024", "--as-of", "20/01/2025"], "YYYY-MM-DD"),
        (["--title", "LDTT", "--year", "2024"], "Cần có tham số --as-of"),
    ],
)
def test_unknown_title_parameter_or_rule_set_exits_2(write, args, message):
    out = io.StringIO()
    with pytest.raises(CommandError, match=message) as error:
        call_command("eligibility", write(person()), *args, stdout=out)
    assert error.value.returncode == 2
    assert out.getvalue() == ""


def test_not_json_exits_2(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON hợp lệ") as error:
        call_command(
            "eligibility", str(path), "--title", "LDTT", "--year", "2024", "--as-of", "2025-01-20"
        )
    assert error.value.returncode == 2


def test_batch_judges_each_request_and_reports_those_it_cannot(write):
    requests = [
        {"record": person(), "title": "LDTT", "year": 2024, "as_of": "2025-01-20"},
        {
            "record": person(grades={"2024": "HTXS"}),
            "title": "LDTT",
            "year": 2024,
            "as_of": "2025-01-20",
        },
        {
            "record": unit(),
            "title": "CO_CP",
            "year": 2024,
            "as_of": "2025-01-20",
            "set": {"co_cp_quota_share": 0.1},
        },
        {"record": person(), "title": "XYZ", "year": 2024, "as_of": "2025-01-20"},
        {
            "record": person(),
            "title": "LDTT",
            "year": 2024,
            "as_of": "2025-01-20",
            "set": {"bogus": 1},
        },
    ]
    verdicts = run("--batch", write(requests, "requests.json"))
    assert len(verdicts) == 5
    assert verdicts[0]["eligible"] is True
    assert "record.grades.2024" in verdicts[1]["error"]
    assert verdicts[2]["eligible"] is False
    assert verdicts[2]["parameters_overridden"] == {"co_cp_quota_share": 0.1}
    assert "Không có danh hiệu XYZ" in verdicts[3]["error"]
    assert "bogus" in verdicts[4]["error"]


def test_the_command_line_exits_2_with_the_message_on_stderr(write, capsys):
    """From the command line (run_from_argv): exit status 2, the message on stderr."""
    from django.core.management import ManagementUtility

    argv = [
        "manage.py",
        "eligibility",
        write({"person_id": 5, "is_leader": 1}),
        "--title",
        "LDTT",
        "--year",
        "2024",
        "--as-of",
        "2025-01-20",
    ]
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(argv).execute()
    assert exit_.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "is_leader: expected true or false" in captured.err


EXAMPLE = {
    "person_id": "P-017",
    "name": "Nguyễn Văn A",
    "position": "chuyên viên",
    "unit": "Cục …",
    "start_date": "2016-03-01",
    "prior_contract_same_agency_from": None,
    "unit_join_date": None,
    "is_leader": False,
    "leader_of": None,
    "grades": {"2023": "HTTNV", "2024": "HTXSNV"},
    "conduct_ok": {"2024": True},
    "titles": [{"year": 2023, "title": "LDTT", "decision": "12/QĐ-…", "date": "2024-01-18"}],
    "awards": [
        {
            "form": "BK_BO",
            "achievement_year": 2021,
            "kind": "regular",
            "decision": "…",
            "date": "2022-04-10",
        }
    ],
    "initiatives": [
        {
            "id": "SK-1",
            "type": "initiative",
            "scope": "co_so",
            "recognized": "2024-05-08",
            "decision": "…",
            "used_for": [{"code": "CSTDCS", "year": 2024}],
        }
    ],
    "discipline": [
        {
            "level": "khien_trach",
            "decided": "2023-10-01",
            "decision": "…",
            "effective_from": "2023-10-01",
            "effective_to": "2024-09-30",
        }
    ],
    "open_processes": [{"type": "disciplinary_review", "opened": "2024-12-10", "closed": None}],
    "leave": [{"type": "maternity", "from": "2024-06-01", "to": "2024-11-30", "statutory": True}],
    "training": [
        {
            "course": "…",
            "from": "2023-09-01",
            "to": "2024-08-31",
            "compliant": True,
            "completed": True,
            "result": "kha",
        }
    ],
    "transfer": {"from_unit": "…", "date": "2024-09-01", "old_unit_comments": True},
    "unit_titles": {"2024": ["TTLDXS"]},
    "unit_context": {"ldtt_recipients": 24, "cstdcs_rank": 3},
}


def test_the_example_record_of_eligibility_md(write):
    """The record of eligibility.md §2 for CSTĐCS 2024: the excellent grade and the cap
    (15% of 24 is 3, floor) are met; the khiển trách ending 30/09/2024 leaves 3 months of
    the year (Decree 98/2023 Art 4) and the disciplinary review opened 10/12/2024 is still
    open on 20/01/2025, so not eligible."""
    verdict = run(write(EXAMPLE), "--title", "CSTDCS", "--year", "2024", "--as-of", "2025-01-20")
    assert verdict["eligible"] is False
    failing = {r["rule"] for r in verdict["reasons"] if not r["met"]}
    assert failing == {"DISCIPLINE", "OPEN_PROCESS"}
    met = {r["rule"] for r in verdict["reasons"] if r["met"]}
    assert {
        "CSTDCS_BASE_LDTT",
        "CSTDCS_ACHIEVEMENT",
        "CSTDCS_CAP",
        "TENURE",
        "WORKING_TIME",
        "TRAINING_RESULT",
        "TRANSFER_COMMENTS",
    } <= met
    discipline = next(r for r in verdict["reasons"] if r["rule"] == "DISCIPLINE")
    assert "hết hiệu lực ngày 30/09/2024" in discipline["text"]
    later = run(
        write(EXAMPLE),
        "--title",
        "LDTT",
        "--year",
        "2024",
        "--as-of",
        "2025-01-20",
        "--set",
        "open_process_bars_award=false",
        "--set",
        'disc_partial_year="none"',
    )
    assert [r["rule"] for r in later["reasons"] if not r["met"]] == ["DISCIPLINE"]
