"""units.scope: an object outside the user's scope is 404, like one that does not
exist; one in scope but beyond the user's role is 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from campaigns.models import Answer, Period, Submission
from units.enums import ImportStatus
from units.models import ImportJob, Unit
from units.scope import get_visible_or_404, require, view_permission, visible_or_404

from ..campaigns.sheet import make_sheet
from ..factories import PeriodFactory

pytestmark = pytest.mark.django_db


def test_an_object_in_scope_is_returned(head_a, unit_a):
    assert get_visible_or_404(Unit, head_a, pk=unit_a.pk) == unit_a


@pytest.mark.parametrize("lookup", ["other unit", "missing", "not a number"])
def test_outside_the_scope_is_404_like_a_missing_object(head_a, unit_a, unit_b, lookup):
    pk = {"other unit": unit_b.pk, "missing": unit_b.pk + 1000, "not a number": "abc"}[lookup]

    with pytest.raises(Http404):
        get_visible_or_404(Unit, head_a, pk=pk)


def test_several_matches_are_404_not_an_error(officer, unit_a, unit_b):
    with pytest.raises(Http404):
        get_visible_or_404(Unit, officer, parent=unit_a.parent)


def test_a_queryset_keeps_its_own_filters(officer, unit_a, unit_b):
    with pytest.raises(Http404):
        get_visible_or_404(Unit.objects.filter(code="unit-a"), officer, pk=unit_b.pk)

    assert get_visible_or_404(Unit.objects.filter(code="unit-a"), officer, pk=unit_a.pk) == unit_a


def test_the_view_rule_is_asked_when_the_queryset_has_no_visible_to(head_a, unit_a, unit_b):
    sheet = make_sheet([unit_a, unit_b])
    theirs = Answer.objects.create(
        submission=Submission.objects.create(period=sheet.period, unit=unit_b),
        criterion=sheet.scored,
    )
    ours = Answer.objects.create(
        submission=Submission.objects.create(period=sheet.period, unit=unit_a),
        criterion=sheet.scored,
    )

    with pytest.raises(Http404):
        get_visible_or_404(Answer, head_a, pk=theirs.pk)
    assert get_visible_or_404(Answer, head_a, pk=ours.pk) == ours


def test_the_queryset_scope_binds_administrators_too(admin_user, head_a):
    job = ImportJob.objects.create(
        kind="individuals", title="Nhập", created_by=head_a, status=ImportStatus.DONE
    )

    with pytest.raises(Http404):
        get_visible_or_404(ImportJob, admin_user, pk=job.pk)
    assert get_visible_or_404(ImportJob, head_a, pk=job.pk) == job


def test_a_model_without_a_declared_scope_is_a_plain_lookup(head_a):
    period = PeriodFactory()

    assert view_permission(Period) is None
    assert get_visible_or_404(Period, head_a, pk=period.pk) == period


def test_view_permission_follows_djangos_naming():
    assert (view_permission(Unit), view_permission(Submission)) == (
        "units.view_unit",
        "campaigns.view_submission",
    )


def test_an_unsaved_object_is_checked_with_visible_or_404(head_a, unit_a, unit_b):
    period = make_sheet([unit_a, unit_b]).period

    mine = visible_or_404(
        head_a, "campaigns.view_submission", Submission(period=period, unit=unit_a)
    )
    with pytest.raises(Http404):
        visible_or_404(head_a, "campaigns.view_submission", Submission(period=period, unit=unit_b))

    assert mine.unit == unit_a


def test_require_refuses_what_the_role_does_not_allow(block_head, head_a, unit_a):
    submission = Submission(period=make_sheet([unit_a]).period, unit=unit_a)
    visible_or_404(block_head, "campaigns.view_submission", submission)  # the block head sees it

    with pytest.raises(PermissionDenied):
        require(block_head, "campaigns.change_submission", submission)
    require(head_a, "campaigns.change_submission", submission)  # the unit's head may


def test_require_carries_its_message(head_a):
    with pytest.raises(PermissionDenied) as refused:
        require(head_a, "campaigns.review_submission", message="Không được thẩm định.")

    assert str(refused.value) == "Không được thẩm định."


# The mixin, on the unit page


@pytest.mark.parametrize(
    ("method", "who", "expected"),
    [
        ("get", "head_a", 200),
        ("get", "head_b", 404),
        ("post", "head_b", 404),  # the scope before the method: not 405
        ("post", "head_a", 405),
        ("get", None, 302),
    ],
)
def test_the_mixin_answers_the_scope_first(request, client_for, unit_a, method, who, expected):
    user = request.getfixturevalue(who) if who else None

    response = getattr(client_for(user), method)(reverse("units:detail", args=[unit_a.pk]))

    assert response.status_code == expected
