"""Properties of the engine over many records (hypothesis): a discipline, an open process
or a worse grade never turns a verdict of not eligible into eligible (Decree 98/2023 Art 4:
these only ever bar); every verdict lists at least one reason, each with a legal basis."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from awards.eligibility import COLLECTIVE, INDIVIDUAL
from awards.records import GRADES
from tests.awards.law import person, unit, verdict

YEARS = list(range(2018, 2025))
CHECK = settings(max_examples=150, deadline=None, database=None)

day = st.builds(
    lambda y, m, d: f"{y}-{m:02d}-{d:02d}",
    st.sampled_from(YEARS),
    st.integers(1, 12),
    st.integers(1, 28),
)
titles = st.lists(
    st.fixed_dictionaries(
        {"year": st.sampled_from(YEARS), "title": st.sampled_from(["LDTT", "CSTDCS", "CSTD_BO"])}
    ),
    max_size=10,
)
awards = st.lists(
    st.fixed_dictionaries(
        {
            "form": st.sampled_from(["BK_BO", "BK_TTG", "GK"]),
            "achievement_year": st.sampled_from(YEARS),
            "kind": st.sampled_from(["regular", "thematic", "extraordinary"]),
        }
    ),
    max_size=3,
)
initiatives = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["SK-1", "SK-2", "SK-3", "DT-1"]),
            "type": st.sampled_from(["initiative", "sci_work"]),
            "scope": st.sampled_from(["co_so", "bo", "toan_quoc"]),
            "recognized": day,
            "used_for": st.lists(
                st.fixed_dictionaries(
                    {"code": st.sampled_from(["CSTDCS", "BK_BO"]), "year": st.sampled_from(YEARS)}
                ),
                max_size=1,
            ),
        }
    ),
    max_size=4,
)
people = st.builds(
    lambda grades, titles, awards, initiatives, start, leader, rank: person(
        grades=grades,
        titles=titles,
        awards=awards,
        initiatives=initiatives,
        start_date=start,
        is_leader=leader,
        unit_context={"ldtt_recipients": 20, "cstdcs_rank": rank},
    ),
    st.dictionaries(st.sampled_from([str(y) for y in YEARS]), st.sampled_from(GRADES)),
    titles,
    awards,
    initiatives,
    st.sampled_from(["2010-01-01", "2024-03-01", "2024-08-15"]),
    st.booleans(),
    st.integers(1, 5),
)
discipline = st.fixed_dictionaries(
    {
        "level": st.sampled_from(["khien_trach", "canh_cao", "giang_chuc"]),
        "decided": day,
        "effective_from": day,
        "effective_to": day,
    }
)
process = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            ["disciplinary_review", "inspection", "investigation", "complaint"]
        ),
        "opened": day,
        "closed": st.none() | st.just("2025-06-01"),
    }
)


def worse(grade: str) -> str:
    return GRADES[min(GRADES.index(grade) + 1, len(GRADES) - 1)]


@CHECK
@given(people, discipline, st.sampled_from(INDIVIDUAL))
def test_a_discipline_never_makes_eligible(record, added, title):
    after = copy.deepcopy(record)
    after["discipline"].append(added)
    assert verdict(record, title).eligible or not verdict(after, title).eligible


@CHECK
@given(people, process, st.sampled_from(INDIVIDUAL))
def test_an_open_process_never_makes_eligible(record, added, title):
    after = copy.deepcopy(record)
    after["open_processes"].append(added)
    assert verdict(record, title).eligible or not verdict(after, title).eligible


@CHECK
@given(people, st.sampled_from(YEARS), st.sampled_from(INDIVIDUAL))
def test_a_worse_grade_never_makes_eligible(record, year, title):
    after = copy.deepcopy(record)
    grade = after["grades"].get(str(year))
    if grade is not None:
        after["grades"][str(year)] = worse(grade)
    assert verdict(record, title).eligible or not verdict(after, title).eligible


@CHECK
@given(people, st.sampled_from(INDIVIDUAL))
def test_every_individual_verdict_gives_based_reasons(record, title):
    v = verdict(record, title)
    assert v.reasons
    assert all(r.legal_basis and r.text for r in v.reasons)
    assert v.eligible == all(r.met for r in v.reasons)


member_lists = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.sampled_from(["M1", "M2", "M3", "M4", "M5"]),
            "grade": st.sampled_from(GRADES),
            "titles": st.sampled_from([[], ["LDTT"], ["LDTT", "CSTDCS"]]),
        }
    ),
    min_size=1,
    max_size=8,
)


@CHECK
@given(member_lists, st.integers(0, 7), discipline, st.sampled_from(COLLECTIVE))
def test_a_member_discipline_or_worse_grade_never_makes_a_collective_eligible(
    people_, which, added, title
):
    record = unit(members=people_)
    disciplined = copy.deepcopy(record)
    disciplined["members"][which % len(people_)]["discipline"] = [added]
    graded = copy.deepcopy(record)
    member = graded["members"][which % len(people_)]
    member["grade"] = worse(member["grade"])
    before = verdict(record, title)
    assert before.eligible or not verdict(disciplined, title).eligible
    assert before.eligible or not verdict(graded, title).eligible
    assert before.reasons
    assert all(r.legal_basis for r in before.reasons)


@CHECK
@given(member_lists, process, st.sampled_from(COLLECTIVE))
def test_an_open_process_never_makes_a_collective_eligible(people_, added, title):
    record = unit(members=people_)
    after = unit(members=people_, open_processes=[added])
    assert verdict(record, title).eligible or not verdict(after, title).eligible
