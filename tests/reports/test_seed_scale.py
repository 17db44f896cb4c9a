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
