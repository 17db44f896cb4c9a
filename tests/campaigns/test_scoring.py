from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from campaigns.enums import CriterionKind
from campaigns.models import Criterion
from campaigns.sheets import scoring

# Messages are asserted as written in the code (English).
pytestmark = pytest.mark.usefixtures("english")


def _criterion(pk, kind=CriterionKind.SCORED, max_points="10", parent_id=None, evidence=False):
    return Criterion(
        pk=pk,
        code=str(pk),
        text=f"C{pk}",
        kind=kind,
        max_points=Decimal(max_points),
        parent_id=parent_id,
        evidence_required=evidence,
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", Decimal("7.00")), ("7,5", Decimal("7.50")), (" 10 ", Decimal("10.00")), ("", None)],
)
def test_parse_score_accepts_numbers_up_to_the_maximum(raw, expected):
    assert scoring.parse_score(_criterion(1), raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [("10.5", "over_max"), ("-1", "negative"), ("abc", "invalid"), ("nan", "invalid")],
)
def test_parse_score_refuses_bad_input(raw, code):
    with pytest.raises(ValidationError) as excinfo:
        scoring.parse_score(_criterion(1), raw)

    assert excinfo.value.code == code


def test_parse_score_over_maximum_names_the_maximum():
    with pytest.raises(ValidationError) as excinfo:
        scoring.parse_score(_criterion(1, max_points="5"), "6")

    assert excinfo.value.messages == ["The score cannot exceed the maximum of 5 points."]


def test_yes_no_score_is_zero_or_maximum():
    criterion = _criterion(1, kind=CriterionKind.YES_NO, max_points="5")

    assert scoring.parse_score(criterion, "5") == Decimal("5.00")
    with pytest.raises(ValidationError):
        scoring.parse_score(criterion, "3")


def test_total_adds_bonus_and_subtracts_penalty():
    criteria = [
        _criterion(1),
        _criterion(2),
        _criterion(3, kind=CriterionKind.BONUS, max_points="5"),
        _criterion(4, kind=CriterionKind.PENALTY, max_points="5"),
    ]
    scores = {1: Decimal("8"), 2: None, 3: Decimal("2"), 4: Decimal("3")}

    assert scoring.total(criteria, scores) == Decimal("7.00")


def test_maximum_counts_scored_and_yes_no_leaves_only():
    criteria = [
        _criterion(1, max_points="60"),
        _criterion(2, kind=CriterionKind.YES_NO, max_points="40"),
        _criterion(3, kind=CriterionKind.BONUS, max_points="10"),
    ]

    assert scoring.maximum(criteria) == Decimal("100")


def test_missing_for_submit_lists_unanswered_and_missing_evidence():
    criteria = [
        _criterion(1),
        _criterion(2, evidence=True),
        _criterion(3, kind=CriterionKind.BONUS, evidence=True),
        _criterion(4, kind=CriterionKind.BONUS, evidence=True),
    ]
    scores = {1: None, 2: Decimal("5"), 3: Decimal("0"), 4: Decimal("2")}

    missing = scoring.missing_for_submit(criteria, scores, evidence_counts={})

    assert [(m.criterion.pk, m.reason) for m in missing] == [
        (1, "not answered"),
        (2, "evidence required but none attached"),
        (4, "evidence required but none attached"),
    ]


def test_rank_gives_equal_totals_the_same_rank():
    totals = {"A": Decimal("90"), "B": Decimal("95"), "C": Decimal("90"), "D": Decimal("80")}

    assert scoring.rank(totals) == {"B": 1, "A": 2, "C": 2, "D": 4}


@pytest.mark.parametrize("raw", ["1e30", "1e999", "9" * 40])
def test_parse_score_refuses_huge_numbers_as_over_maximum(raw):
    with pytest.raises(ValidationError) as excinfo:
        scoring.parse_score(_criterion(1), raw)

    assert excinfo.value.code == "over_max"


@pytest.mark.parametrize(
    ("self_score", "reviewer_score", "expected"),
    [("8", "6", "6"), ("8", None, "8"), (None, None, None), ("8", "0", "0")],
)
def test_reviewed_score_is_the_reviewers_where_given_else_the_units(
    self_score, reviewer_score, expected
):
    as_decimal = lambda v: None if v is None else Decimal(v)  # noqa: E731

    assert scoring.reviewed_score(as_decimal(self_score), as_decimal(reviewer_score)) == (
        as_decimal(expected)
    )


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (Decimal("7.50"), "vi", "7,5"),
        (Decimal("7.50"), "en", "7.5"),
        (Decimal("10.00"), "vi", "10"),
        (Decimal("100"), "vi", "100"),
        (None, "vi", ""),
    ],
)
def test_score_text_drops_trailing_zeros_with_the_languages_separator(value, language, expected):
    with translation.override(language):
        assert scoring.score_text(value) == expected
