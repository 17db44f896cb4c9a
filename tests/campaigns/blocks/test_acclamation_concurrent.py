"""The acclamation clicked twice at once, on PostgreSQL (its row locks are what is
tested): one ballot per unit, one vote per block and period, one count. Run by
.ci/run. The interleaving is forced as in tests/campaigns/test_concurrent_workflow.py:
the test holds the row's lock until both calls are seen waiting for it."""

import pytest
from django.db import connection
from django.test import Client

from campaigns.blocks import acclamation as domain
from campaigns.data.titles import load_titles
from campaigns.enums import AcclamationState
from campaigns.models import Acclamation, Ballot, Proposal, Title, Voter
from tests.campaigns.test_concurrent_workflow import run_twice_while_locked
from units.models import EmulationGroup

from .test_acclamation import NOW, candidate, opened, url
from .test_acclamation import world as world  # noqa: PLC0414 — a fixture

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("english"),
]


@pytest.fixture(autouse=True)
def _on_postgresql():
    assert connection.vendor == "postgresql", "run with DATABASE_URL on PostgreSQL"


def test_a_ballot_cast_twice_at_once_counts_once(world):
    w = world
    vote = opened(w)
    ids = [candidate(vote, w.units.head).pk]

    results = run_twice_while_locked(
        Acclamation,
        vote.pk,
        lambda: domain.cast_ballot(
            vote, by=w.member_head, unit=w.units.a, candidate_ids=ids, now=NOW
        ),
    )

    voters = [r for r in results if isinstance(r, Voter)]
    refused = [r for r in results if isinstance(r, domain.AcclamationError)]
    assert (len(voters), len(refused)) == (1, 1)
    assert "already voted" in str(refused[0])
    assert Voter.objects.filter(acclamation=vote).count() == 1
    assert list(Ballot.objects.filter(acclamation=vote).values_list("choices", flat=True)) == [ids]


def test_a_ballot_posted_twice_at_once_from_the_page_counts_once(world):
    w = world
    vote = opened(w)
    data = {"candidate": [str(candidate(vote, w.units.head).pk)]}

    def post():
        client = Client()
        client.force_login(w.member_head)
        return client.post(url(w, "acclamation_vote"), data).status_code

    statuses = run_twice_while_locked(Acclamation, vote.pk, post)

    assert sorted(statuses) == [302, 400]
    assert Voter.objects.filter(acclamation=vote).count() == 1
    assert Ballot.objects.filter(acclamation=vote).count() == 1


def test_a_vote_opened_twice_at_once_is_opened_once(world):
    w = world

    results = run_twice_while_locked(
        EmulationGroup,
        w.group.pk,
        lambda: domain.open_vote(w.group, w.period, by=w.block_head, now=NOW),
    )

    assert sorted(type(r).__name__ for r in results) == ["Acclamation", "AcclamationError"]
    assert Acclamation.objects.filter(group=w.group, period=w.period).count() == 1


def test_a_vote_closed_twice_at_once_is_counted_once(world):
    w = world
    # A transactional test empties the tables the migrations filled.
    load_titles(Title)
    vote = opened(w)
    for user, unit in (
        (w.block_head, w.units.head),
        (w.deputy_head, w.units.deputy),
        (w.member_head, w.units.a),
    ):
        domain.cast_ballot(
            vote, by=user, unit=unit, candidate_ids=[candidate(vote, w.units.head).pk], now=NOW
        )

    results = run_twice_while_locked(
        Acclamation, vote.pk, lambda: domain.close_vote(vote, by=w.block_head, now=NOW)
    )

    assert sorted(type(r).__name__ for r in results) == ["Acclamation", "AcclamationError"]
    vote.refresh_from_db()
    assert vote.state == AcclamationState.CLOSED
    assert list(Proposal.objects.filter(acclamation=vote).values_list("unit", "votes")) == [
        (w.units.head.pk, 3)
    ]
