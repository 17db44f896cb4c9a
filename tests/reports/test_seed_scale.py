import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from campaigns.models import IndividualAssessment, Submission
from units.models import EmulationGroup, Person, Unit

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def _seed_and_fingerprint() -> tuple:
    fingerprint = None
    try:
        with transaction.atomic():
            call_command("seed_scale", scale=1, years=1, stdout=io.StringIO())
            fingerprint = (
                Unit.objects.filter(code__startswith="scale-").count(),
                EmulationGroup.objects.count(),
                Person.objects.count(),
                list(
                    Submission.objects.order_by("period__kind", "unit__code").values_list(
                        "unit__code",
                        "period__kind",
                        "state",
                        "is_late",
                        "self_total",
                        "reviewer_total",
                    )
                ),
                sorted(IndividualAssessment.objects.values_list("grade").annotate(n=Count("id"))),
            )
            raise Rollback
    except Rollback:
        pass
    return fingerprint


def test_seed_scale_is_deterministic_at_real_size():
    first = _seed_and_fingerprint()
    second = _seed_and_fingerprint()

    assert first[:3] == (101, 4, 10_000)
    assert first == second


def test_seed_scale_scores_ranks_and_acclaims_in_every_block():
    from campaigns.enums import AcclamationState, PeriodKind, ProposalKind
    from campaigns.models import Acclamation, Ballot, Proposal, Voter

    try:
        with transaction.atomic():
            call_command("seed_scale", scale=1, years=2, stdout=io.StringIO())
            year_end = Submission.objects.filter(
                period__kind=PeriodKind.YEAR_END, state__in=["submitted", "accepted"]
            )
            scored = year_end.filter(block_total__isnull=False)
            assert 0.7 < scored.count() / year_end.count() < 1
            assert not Submission.objects.filter(
                period__kind=PeriodKind.SIX_MONTHLY, block_total__isnull=False
            ).exists()
            groups = EmulationGroup.objects.count()
            assert Acclamation.objects.filter(state=AcclamationState.CLOSED).count() == groups
            assert Voter.objects.count() == Ballot.objects.count() == 2 * 101 - 2
            flags = Proposal.objects.filter(kind=ProposalKind.MINISTRY_FLAG)
            assert flags.count() <= groups
            assert flags.exists()
            raise Rollback
    except Rollback:
        pass
