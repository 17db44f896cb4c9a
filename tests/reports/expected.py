"""The figures a report must show, computed independently from the raw numbers that
make_movement wrote (never through reports.context)."""

from collections import Counter
from decimal import Decimal

from campaigns.enums import SubmissionState

from .conftest import Movement, signed

TWO = Decimal("0.01")
ONE = Decimal("0.1")


def mean(values) -> Decimal | None:
    values = list(values)
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO) if values else None


def rate(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(ONE)


def self_points(data, criteria) -> Decimal:
    return sum((signed(c, data.self_scores[c.pk]) for c, _ in criteria), Decimal(0))


def reviewed_points(data, criteria) -> Decimal:
    return sum(
        (
            signed(
                c, s if (s := data.reviewer_scores[c.pk]) is not None else data.self_scores[c.pk]
            )
            for c, _ in criteria
        ),
        Decimal(0),
    )


def accepted(data) -> bool:
    return data.state == SubmissionState.ACCEPTED


def counts(m: Movement) -> dict:
    n = len(m.units)
    on_time = sum(1 for u in m.units if u.submitted and not u.is_late)
    late = sum(1 for u in m.units if u.submitted and u.is_late)
    return {
        "participants": n,
        "on_time": on_time,
        "late": late,
        "missing": n - on_time - late,
        "on_time_rate": rate(on_time, n),
        "late_rate": rate(late, n),
        "missing_rate": rate(n - on_time - late, n),
        "accepted": sum(1 for u in m.units if accepted(u)),
    }


def by_content(m: Movement) -> list[tuple[int, Decimal | None, Decimal | None]]:
    rows = []
    for content in m.contents:
        criteria = [(c, k) for c, k in m.criteria if k == content]
        own = mean(self_points(u, criteria) for u in m.units if u.submitted)
        reviewed = mean(reviewed_points(u, criteria) for u in m.units if accepted(u))
        rows.append((content.number, own, reviewed))
    return rows


def score(data, m: Movement) -> Decimal | None:
    if not data.submitted:
        return None
    if accepted(data):
        return reviewed_points(data, m.criteria)
    return self_points(data, m.criteria)


def ranks(m: Movement, group) -> dict[str, int]:
    """Competition ranks (1, 2, 2, 4) of the members of group by score."""
    scores = {
        u.unit.name: score(u, m)
        for u in m.units
        if (u.block == group or u.cluster == group) and u.submitted
    }
    return {
        name: 1 + sum(1 for other in scores.values() if other > s) for name, s in scores.items()
    }


def outstanding(m: Movement) -> list[str]:
    names = set()
    for group in [*m.blocks, *m.clusters]:
        for name, rank in ranks(m, group).items():
            data = next(u for u in m.units if u.unit.name == name)
            if rank == 1 and accepted(data):
                names.add(name)
    return sorted(names)


def grades(m: Movement) -> Counter:
    return Counter(g for u in m.units for g in u.grades)


def titles(m: Movement) -> Counter:
    return Counter(t for u in m.units for t in u.titles)
