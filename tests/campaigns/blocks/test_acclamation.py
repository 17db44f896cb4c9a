"""The acclamation (suy tôn) of a block: opening with the ranking's top units, one
secret ballot per member unit, the rule of more than half, the proposals, the
minutes, the pages and who may do what on them."""

import datetime as dt
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.blocks import acclamation as domain
from campaigns.enums import AcclamationState, PeriodKind, ProposalKind, SubmissionState
from campaigns.models import (
    Acclamation,
    Answer,
    Ballot,
    BlockRules,
    Proposal,
    Submission,
    Voter,
)
from tests.factories import (
    CampaignFactory,
    CriterionFactory,
    EmulationGroupFactory,
    GroupMembershipFactory,
    MembershipFactory,
    PeriodFactory,
    UnitFactory,
    UserFactory,
)
from units.enums import Role

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2025, 1, 8, 9, 30))


def sent(period, unit, criterion, score, *, day=15):
    at = timezone.make_aware(dt.datetime(2024, 12, day, 10))
    submission = Submission.objects.create(
        period=period,
        unit=unit,
        state=SubmissionState.SUBMITTED,
        submitted_at=at,
        is_late=False,
        self_total=D(score),
    )
    Answer.objects.create(submission=submission, criterion=criterion, self_score=D(score))
    return submission


def head_of(unit, name, role=Role.HEAD):
    return MembershipFactory(unit=unit, role=role, user__username=name).user


def make_block(period, criterion, scores, *, name):
    """A block of len(scores) members, the first the head unit, the second the
    deputy; a score of None is a member that did not send its sheet."""
    units = [UnitFactory(order=i, name=f"{name} {i}") for i in range(len(scores))]
    group = EmulationGroupFactory(year=2024, head_unit=units[0], deputy_unit=units[1])
    for unit, score in zip(units, scores, strict=True):
        GroupMembershipFactory(group=group, unit=unit)
        if score is not None:
            sent(period, unit, criterion, score)
    return group, units


@pytest.fixture
def world(db):
    """Block K (head H, deputy D, members A and B; B did not send) and another
    block whose vote is open already: what could leak exists first."""
    campaign = CampaignFactory(year=2024)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
        closes_on=dt.date(2025, 1, 10),
    )
    criterion = CriterionFactory(campaign=campaign, max_points=D(100))
    group, (h, d, a, b) = make_block(period, criterion, [90, 85, 80, None], name="Khối")
    other, (oh, om) = make_block(period, criterion, [70, 60], name="Khối khác")
    w = SimpleNamespace(
        campaign=campaign,
        period=period,
        criterion=criterion,
        group=group,
        units=SimpleNamespace(head=h, deputy=d, a=a, b=b),
        other=other,
        block_head=head_of(h, "block_head"),
        deputy_head=head_of(d, "deputy_head"),
        member_head=head_of(a, "member_head"),
        member_staff=head_of(a, "member_staff", Role.MEMBER),
        b_head=head_of(b, "b_head"),
        other_head=head_of(oh, "other_head"),
        other_member_head=head_of(om, "other_member_head"),
        officer=UserFactory(username="officer", is_emulation_officer=True),
        council=UserFactory(username="council", is_council_member=True),
        leader=UserFactory(username="leader", is_leadership=True),
    )
    w.other_vote = domain.open_vote(other, period, by=w.other_head, now=NOW)
    om_candidate = w.other_vote.candidates.get(unit=om)
    domain.cast_ballot(
        w.other_vote, by=w.other_member_head, unit=om, candidate_ids=[om_candidate.pk], now=NOW
    )
    return w


def opened(w, **kwargs):
    return domain.open_vote(w.group, w.period, by=w.block_head, now=NOW, **kwargs)


def candidate(vote, unit):
    return vote.candidates.get(unit=unit)


def ballot(vote, user, unit, units):
    ids = [candidate(vote, u).pk for u in units]
    return domain.cast_ballot(vote, by=user, unit=unit, candidate_ids=ids, now=NOW)


# ---------------------------------------------------------------------------
# Opening


def test_default_candidates_are_the_rankings_top_units(world):
    w = world
    BlockRules.objects.create(campaign=w.campaign, flag_places=1, merit_places=1)
    w.campaign.refresh_from_db()

    top = domain.default_candidates(w.group, w.period)

    assert [s.unit for s in top] == [w.units.head, w.units.deputy]


def test_open_vote_records_candidates_with_rank_and_total_and_the_rules(world):
    w = world

    vote = opened(w)

    assert (vote.state, vote.flag_places, vote.merit_places) == (AcclamationState.OPEN, 1, 2)
    assert vote.share == D(50)
    assert vote.voter_count == 4
    assert (vote.opened_by, vote.opened_at) == (w.block_head, NOW)
    rows = list(vote.candidates.values_list("unit", "rank", "block_total", "order", "votes"))
    assert rows == [
        (w.units.head.pk, 1, D(90), 1, None),
        (w.units.deputy.pk, 2, D(85), 2, None),
        (w.units.a.pk, 3, D(80), 3, None),
    ]


def test_open_vote_takes_the_units_ticked_and_the_numbers_given(world):
    w = world

    vote = opened(w, candidate_unit_ids=[w.units.a.pk, w.units.head.pk], merit_places=0)

    assert list(vote.candidates.values_list("unit", flat=True)) == [w.units.head.pk, w.units.a.pk]
    assert (vote.flag_places, vote.merit_places) == (1, 0)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"candidate_unit_ids": "b"}, "did not send its self-assessment"),
        ({"candidate_unit_ids": "other"}, "must be a member of the block"),
        ({"candidate_unit_ids": []}, "at least one candidate"),
        ({"flag_places": 0}, "at least one unit for the Ministry Emulation Flag"),
    ],
)
def test_open_vote_refuses_bad_candidates_and_numbers(world, kwargs, message):
    w = world
    if kwargs.get("candidate_unit_ids") == "b":
        kwargs = {"candidate_unit_ids": [w.units.b.pk]}
    elif kwargs.get("candidate_unit_ids") == "other":
        kwargs = {"candidate_unit_ids": [w.other.memberships.first().unit_id]}

    with pytest.raises(domain.AcclamationError, match=message):
        opened(w, **kwargs)

    assert not Acclamation.objects.filter(group=w.group).exists()


@pytest.mark.usefixtures("english")
def test_open_vote_twice_is_refused(world):
    w = world
    opened(w)

    with pytest.raises(domain.AcclamationError, match="already been opened"):
        opened(w)

    assert Acclamation.objects.filter(group=w.group).count() == 1


@pytest.mark.usefixtures("english")
def test_open_vote_only_at_the_year_end(world):
    w = world
    six = PeriodFactory(campaign=w.campaign, kind=PeriodKind.SIX_MONTHLY)
    BlockRules.objects.create(campaign=w.campaign, score_six_monthly=True)
    w.campaign.refresh_from_db()

    with pytest.raises(domain.AcclamationError, match="year-end review only"):
        domain.open_vote(w.group, six, by=w.block_head, now=NOW)


def test_only_the_head_unit_opens(world):
    w = world
    for user in (w.deputy_head, w.member_head, w.officer, w.other_head):
        with pytest.raises(PermissionDenied):
            domain.open_vote(w.group, w.period, by=user, now=NOW)
    assert not Acclamation.objects.filter(group=w.group).exists()


# ---------------------------------------------------------------------------
# Ballots


def test_a_ballot_records_who_voted_apart_from_what(world):
    w = world
    vote = opened(w)

    voter = ballot(vote, w.member_head, w.units.a, [w.units.deputy, w.units.head])

    assert voter.unit == w.units.a
    assert list(Voter.objects.filter(acclamation=vote).values_list("unit", "voted_by")) == [
        (w.units.a.pk, w.member_head.pk)
    ]
    assert Voter.objects.get(acclamation=vote).voted_at == NOW
    ids = sorted([candidate(vote, w.units.head).pk, candidate(vote, w.units.deputy).pk])
    assert list(Ballot.objects.filter(acclamation=vote).values_list("choices", flat=True)) == [ids]


def test_an_empty_ballot_is_an_abstention(world):
    w = world
    vote = opened(w)

    domain.cast_ballot(vote, by=w.b_head, unit=w.units.b, candidate_ids=[], now=NOW)

    assert Voter.objects.filter(acclamation=vote).count() == 1
    assert list(Ballot.objects.filter(acclamation=vote).values_list("choices", flat=True)) == [[]]


@pytest.mark.usefixtures("english")
def test_a_second_ballot_of_a_unit_is_refused_and_nothing_saved(world):
    w = world
    vote = opened(w)
    ballot(vote, w.member_head, w.units.a, [w.units.head])

    with pytest.raises(domain.AcclamationError, match="already voted on 08/01/2025 09:30"):
        ballot(vote, w.member_head, w.units.a, [w.units.deputy])

    assert Voter.objects.filter(acclamation=vote).count() == 1
    assert Ballot.objects.filter(acclamation=vote).count() == 1


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("too_many", "at most 1 candidate"),
        ("duplicate", "at most once"),
        ("foreign", "among the candidates of this vote"),
    ],
)
def test_a_bad_ballot_is_refused(world, choice, message):
    w = world
    vote = opened(w, merit_places=0, candidate_unit_ids=[w.units.head.pk, w.units.deputy.pk])
    ids = list(vote.candidates.values_list("pk", flat=True))
    if choice == "duplicate":
        ids = [ids[0], ids[0]]
    elif choice == "foreign":
        ids = [candidate(w.other_vote, w.other.head_unit).pk]

    with pytest.raises(domain.AcclamationError, match=message):
        domain.cast_ballot(vote, by=w.member_head, unit=w.units.a, candidate_ids=ids, now=NOW)

    assert not Voter.objects.filter(acclamation=vote).exists()
    assert not Ballot.objects.filter(acclamation=vote).exists()


def test_only_a_member_units_head_votes_for_that_unit(world):
    w = world
    vote = opened(w)
    refused = [
        (w.member_staff, w.units.a),
        (w.member_head, w.units.b),
        (w.other_head, w.units.a),
        (w.officer, w.units.a),
        (w.other_member_head, w.other.memberships.last().unit),
    ]
    for user, unit in refused:
        with pytest.raises(PermissionDenied):
            domain.cast_ballot(vote, by=user, unit=unit, candidate_ids=[], now=NOW)
    assert not Voter.objects.filter(acclamation=vote).exists()


@pytest.mark.usefixtures("english")
def test_no_ballot_after_the_close(world):
    w = world
    vote = opened(w)
    domain.close_vote(vote, by=w.block_head, now=NOW)

    with pytest.raises(domain.AcclamationError, match="closed"):
        ballot(vote, w.member_head, w.units.a, [w.units.head])


# ---------------------------------------------------------------------------
# Counting: more than the share, the proposals


@pytest.mark.parametrize(
    ("votes", "voter_count", "share", "acclaimed"),
    [
        (2, 4, D(50), False),  # exactly half is not more than half
        (3, 4, D(50), True),
        (3, 5, D(50), True),
        (2, 5, D(50), False),
        (3, 4, D(75), False),
        (4, 4, D(75), True),
        (0, 4, D(0), False),
        (1, 4, D(0), True),
    ],
)
def test_acclaimed_with_more_than_the_share(votes, voter_count, share, acclaimed):
    assert domain.is_acclaimed(votes, voter_count, share) is acclaimed


def test_close_counts_the_ballots_and_exactly_half_is_not_acclaimed(world):
    w = world
    u = w.units
    vote = opened(w)
    ballot(vote, w.block_head, u.head, [u.head, u.deputy])
    ballot(vote, w.deputy_head, u.deputy, [u.head, u.deputy, u.a])
    ballot(vote, w.member_head, u.a, [u.head, u.a])
    domain.cast_ballot(vote, by=w.b_head, unit=u.b, candidate_ids=[], now=NOW)

    closed = domain.close_vote(vote, by=w.block_head, now=NOW)

    assert (closed.state, closed.closed_by, closed.closed_at) == (
        AcclamationState.CLOSED,
        w.block_head,
        NOW,
    )
    rows = list(vote.candidates.values_list("unit", "votes", "acclaimed"))
    # 4 member units: 3 votes is more than half, 2 (exactly half) is not.
    assert rows == [(u.head.pk, 3, True), (u.deputy.pk, 2, False), (u.a.pk, 2, False)]
    proposals = list(Proposal.objects.filter(acclamation=vote).values_list("unit", "kind"))
    assert proposals == [(u.head.pk, ProposalKind.MINISTRY_FLAG)]


def test_the_share_setting_is_the_movements(world):
    w = world
    u = w.units
    BlockRules.objects.create(campaign=w.campaign, acclamation_share=D("25"))
    w.campaign.refresh_from_db()
    vote = opened(w)
    ballot(vote, w.member_head, u.a, [u.deputy, u.a])
    ballot(vote, w.b_head, u.b, [u.a])

    domain.close_vote(vote, by=w.block_head, now=NOW)

    assert vote.share == D(25)
    # 1 of 4 is exactly 25 %: not acclaimed; 2 of 4 is.
    assert list(vote.candidates.values_list("unit", "votes", "acclaimed")) == [
        (u.head.pk, 0, False),
        (u.deputy.pk, 1, False),
        (u.a.pk, 2, True),
    ]


def test_proposals_flag_first_then_merit_by_votes_then_rank(world):
    w = world
    u = w.units
    extra = UnitFactory(order=9, name="Khối 9")
    GroupMembershipFactory(group=w.group, unit=extra)
    sent(w.period, extra, w.criterion, 70)
    extra_head = head_of(extra, "extra_head")
    vote = opened(
        w,
        merit_places=2,
        flag_places=1,
        candidate_unit_ids=[u.head.pk, u.deputy.pk, u.a.pk, extra.pk],
    )
    # 5 members, 3 places: deputy, a and extra get 4 votes each, head 3 (all acclaimed).
    ballot(vote, w.block_head, u.head, [u.deputy, u.a, extra])
    ballot(vote, w.deputy_head, u.deputy, [u.deputy, u.a, extra])
    ballot(vote, w.member_head, u.a, [u.deputy, u.a, u.head])
    ballot(vote, w.b_head, u.b, [u.deputy, extra, u.head])
    ballot(vote, extra_head, extra, [u.a, extra, u.head])

    domain.close_vote(vote, by=w.block_head, now=NOW)

    rows = list(
        Proposal.objects.filter(acclamation=vote).values_list(
            "unit", "kind", "title__code", "votes", "rank", "order"
        )
    )
    # Equal votes go by rank: the deputy (rank 2) takes the flag; the head, ranked
    # first but with fewer votes, is acclaimed and left out of the three places.
    assert rows == [
        (u.deputy.pk, ProposalKind.MINISTRY_FLAG, "CO_BO", 4, 2, 1),
        (u.a.pk, ProposalKind.MINISTER_MERIT, domain.MERIT_TITLE, 4, 3, 2),
        (extra.pk, ProposalKind.MINISTER_MERIT, domain.MERIT_TITLE, 4, 4, 3),
    ]
    assert set(vote.candidates.values_list("unit", "acclaimed")) == {
        (u.head.pk, True),
        (u.deputy.pk, True),
        (u.a.pk, True),
        (extra.pk, True),
    }


@pytest.mark.usefixtures("english")
def test_close_twice_is_refused_and_counts_once(world):
    w = world
    vote = opened(w)
    ballot(vote, w.member_head, w.units.a, [w.units.a])
    domain.close_vote(vote, by=w.block_head, now=NOW)

    with pytest.raises(domain.AcclamationError, match="already been closed"):
        domain.close_vote(vote, by=w.block_head, now=NOW)

    assert candidate(vote, w.units.a).votes == 1
    assert Proposal.objects.filter(acclamation=vote).count() == 0


def test_only_the_head_unit_closes(world):
    w = world
    vote = opened(w)
    for user in (w.deputy_head, w.member_head, w.officer, w.other_head, w.council):
        with pytest.raises(PermissionDenied):
            domain.close_vote(vote, by=user, now=NOW)
    vote.refresh_from_db()
    assert vote.state == AcclamationState.OPEN


# ---------------------------------------------------------------------------
# Secrecy


def test_a_ballot_has_nothing_of_its_voter():
    fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(fields) == {"id", "acclamation", "choices"}
    assert isinstance(fields["id"], models.UUIDField)
    assert fields["id"].default.__name__ == "uuid4"
    relations = [f for f in Ballot._meta.get_fields() if f.is_relation]
    assert [f.related_model for f in relations] == [Acclamation]
    assert not [f for f in Ballot._meta.get_fields() if isinstance(f, models.DateTimeField)]
    assert Ballot._meta.ordering == []


def test_a_voter_has_nothing_of_the_choice():
    names = {f.name for f in Voter._meta.get_fields()}
    assert names == {"id", "acclamation", "unit", "voted_by", "voted_at"}


# ---------------------------------------------------------------------------
# Minutes


MINUTES = {
    "minutes_number": "01/BB-KTĐ",
    "meeting_date": dt.date(2025, 1, 8),
    "meeting_place": "Hội trường A",
    "chair_name": "Nguyễn Văn A",
    "secretary_name": "Trần Thị B",
    "attendees": "Đại diện 4 đơn vị thành viên",
    "notes": "",
}


def test_minutes_are_saved_open_and_closed_with_a_version_check(world):
    w = world
    vote = opened(w)
    saved = domain.save_minutes(vote, by=w.block_head, data=MINUTES, expected_version=1)
    domain.close_vote(vote, by=w.block_head, now=NOW)

    again = domain.save_minutes(
        vote, by=w.block_head, data={**MINUTES, "notes": "Bế mạc 11 giờ"}, expected_version=2
    )

    assert saved.version == 2
    vote.refresh_from_db()
    assert (vote.version, vote.chair_name, vote.notes) == (3, "Nguyễn Văn A", "Bế mạc 11 giờ")
    assert again.meeting_date == dt.date(2025, 1, 8)
    with pytest.raises(domain.StaleMinutes):
        domain.save_minutes(vote, by=w.block_head, data=MINUTES, expected_version=2)
    with pytest.raises(PermissionDenied):
        domain.save_minutes(vote, by=w.deputy_head, data=MINUTES, expected_version=3)


# ---------------------------------------------------------------------------
# Pages


def url(w, name="acclamation", group=None):
    group = group or w.group
    return reverse(f"campaigns:{name}", kwargs={"period_pk": w.period.pk, "group_pk": group.pk})


ROLES = (
    "block_head",
    "deputy_head",
    "member_head",
    "member_staff",
    "other_head",
    "officer",
    "council",
    "leader",
    "anonymous",
)


def user_of(w, role):
    return None if role == "anonymous" else getattr(w, role)


def is_login_redirect(response):
    return response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("block_head", 200),
        ("deputy_head", 200),
        ("member_head", 200),
        ("member_staff", 200),
        ("other_head", 404),
        ("officer", 200),
        ("council", 200),
        ("leader", 200),
        ("anonymous", 302),
    ],
)
@pytest.mark.parametrize("state", ["none", "open", "closed"])
def test_page_permissions(world, client_for, role, status, state):
    w = world
    if state != "none":
        vote = opened(w)
        if state == "closed":
            domain.close_vote(vote, by=w.block_head, now=NOW)

    response = client_for(user_of(w, role)).get(url(w))

    assert response.status_code == status
    if role == "anonymous":
        assert is_login_redirect(response)


def test_a_block_head_does_not_see_another_blocks_vote(world, client_for):
    w = world
    for user in (w.block_head, w.member_head, w.deputy_head):
        client = client_for(user)
        assert client.get(url(w, group=w.other)).status_code == 404
        for action in ("open", "vote", "close", "minutes"):
            response = client.post(url(w, f"acclamation_{action}", group=w.other), {})
            assert response.status_code == 404
    w.other_vote.refresh_from_db()
    assert w.other_vote.is_open
    assert Voter.objects.filter(acclamation=w.other_vote).count() == 1


OPEN_DATA = {"flag_places": "1", "merit_places": "2"}


def _prepare(w, action):
    """The state an action is tried on: no vote for open, an open vote otherwise."""
    if action == "open":
        return None
    return opened(w)


def _post_data(w, action, vote, role):
    if action == "open":
        return {**OPEN_DATA, "candidate": [str(w.units.head.pk), str(w.units.a.pk)]}
    if action == "vote":
        return {"candidate": [str(candidate(vote, w.units.head).pk)]}
    if action == "close":
        return {"confirm": "1"}
    return {**{k: "" for k in domain.MINUTES_FIELDS}, "chair_name": "Nguyễn Văn A", "version": "1"}


def _done(w, action, vote):
    """Whether the action took effect."""
    if action == "open":
        return Acclamation.objects.filter(group=w.group, period=w.period).exists()
    vote.refresh_from_db()
    if action == "vote":
        return Voter.objects.filter(acclamation=vote).exists()
    if action == "close":
        return vote.state == AcclamationState.CLOSED
    return vote.chair_name == "Nguyễn Văn A"


ALLOWED = {
    "open": {"block_head"},
    "vote": {"block_head", "deputy_head", "member_head"},
    "close": {"block_head"},
    "minutes": {"block_head"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["open", "vote", "close", "minutes"])
def test_action_permissions(world, client_for, role, action):
    w = world
    vote = _prepare(w, action)
    client = client_for(user_of(w, role))

    response = client.post(url(w, f"acclamation_{action}"), _post_data(w, action, vote, role))

    if role == "anonymous":
        assert is_login_redirect(response)
        assert not _done(w, action, vote)
    elif role in ALLOWED[action]:
        assert response.status_code == 302
        assert response["Location"] == url(w)
        assert _done(w, action, vote)
    else:
        assert response.status_code == (404 if role == "other_head" else 403)
        assert not _done(w, action, vote)


def test_a_get_on_an_action_writes_nothing(world, client_for):
    w = world
    client = client_for(w.block_head)
    for action in ("open", "vote", "close", "minutes"):
        assert client.get(url(w, f"acclamation_{action}")).status_code == 405
    assert not Acclamation.objects.filter(group=w.group).exists()


def test_the_open_form_ticks_the_rankings_top_units(world, client_for):
    w = world
    BlockRules.objects.create(campaign=w.campaign, flag_places=1, merit_places=1)

    html = client_for(w.block_head).get(url(w)).content.decode()

    assert 'data-testid="open-form"' in html
    assert f'value="{w.units.head.pk}" id="candidate-{w.units.head.pk}" checked' in html
    assert f'value="{w.units.deputy.pk}" id="candidate-{w.units.deputy.pk}" checked' in html
    assert f'value="{w.units.a.pk}" id="candidate-{w.units.a.pk}">' in html
    # B did not send: listed, without a box.
    assert w.units.b.name in html
    assert f'id="candidate-{w.units.b.pk}"' not in html
    assert (
        'name="flag_places" min="1" max="50" inputmode="numeric" class="input--short" value="1"'
        in html
    )
    assert (
        'name="merit_places" min="0" max="50" inputmode="numeric" class="input--short" value="1"'
        in html
    )


def test_the_open_form_is_only_the_head_units(world, client_for):
    w = world
    for user in (w.deputy_head, w.member_head, w.officer):
        html = client_for(user).get(url(w)).content.decode()
        assert 'data-testid="open-form"' not in html
        assert "Chưa mở biểu quyết" in html


def test_opening_a_non_sender_is_refused_with_the_typed_form_kept(world, client_for):
    w = world
    data = {
        "flag_places": "1",
        "merit_places": "3",
        "candidate": [str(w.units.b.pk), str(w.units.a.pk)],
    }

    response = client_for(w.block_head).post(url(w, "acclamation_open"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert f"{w.units.b.name} chưa gửi bản tự đánh giá" in html
    assert f'value="{w.units.a.pk}" id="candidate-{w.units.a.pk}" checked' in html
    assert f'value="{w.units.head.pk}" id="candidate-{w.units.head.pk}">' in html
    assert 'class="input--short" value="3"' in html
    assert not Acclamation.objects.filter(group=w.group).exists()


def test_opening_twice_from_the_page_says_so(world, client_for):
    w = world
    opened(w)

    response = client_for(w.block_head).post(url(w, "acclamation_open"), OPEN_DATA)

    assert response.status_code == 400
    assert "đã được mở" in response.content.decode()
    assert Acclamation.objects.filter(group=w.group).count() == 1


def test_the_ballot_form_and_then_the_voted_notice(world, client_for):
    w = world
    vote = opened(w)
    client = client_for(w.member_head)
    html = client.get(url(w)).content.decode()
    assert 'data-testid="ballot-form"' in html
    assert "Đánh dấu tối đa 3 đơn vị" in html

    response = client.post(
        url(w, "acclamation_vote"), {"candidate": [str(candidate(vote, w.units.head).pk)]}
    )
    assert response.status_code == 302
    html = client.get(url(w)).content.decode()

    local = timezone.localtime(Voter.objects.get(acclamation=vote).voted_at)
    assert f"Đơn vị của bạn đã biểu quyết lúc {local:%d/%m/%Y %H:%M}." in html
    assert 'data-testid="ballot-form"' not in html
    assert " checked" not in html


def test_too_many_choices_are_refused_with_the_boxes_kept(world, client_for):
    w = world
    vote = opened(w, merit_places=0)
    ids = [str(c) for c in vote.candidates.values_list("pk", flat=True)[:2]]

    response = client_for(w.member_head).post(url(w, "acclamation_vote"), {"candidate": ids})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Chỉ được chọn tối đa 1 đơn vị; đã chọn 2." in html
    for pk in ids:
        assert f'value="{pk}" id="ballot-{w.units.a.pk}-{pk}" checked' in html
    assert not Voter.objects.filter(acclamation=vote).exists()
    assert not Ballot.objects.filter(acclamation=vote).exists()


def test_a_second_ballot_from_the_page_says_when_the_unit_voted(world, client_for):
    w = world
    vote = opened(w)
    ballot(vote, w.member_head, w.units.a, [w.units.head])

    response = client_for(w.member_head).post(url(w, "acclamation_vote"), {"candidate": []})

    assert response.status_code == 400
    assert "đã biểu quyết lúc 08/01/2025 09:30" in response.content.decode()
    assert Ballot.objects.filter(acclamation=vote).count() == 1


def test_no_counts_before_the_close(world, client_for, english):
    w = world
    u = w.units
    vote = opened(w)
    ballot(vote, w.block_head, u.head, [u.head, u.deputy])
    ballot(vote, w.deputy_head, u.deputy, [u.head])
    ballot(vote, w.member_head, u.a, [u.head])

    for user in (w.block_head, w.deputy_head, w.member_head, w.officer, w.council, w.b_head):
        html = client_for(user).get(url(w)).content.decode()
        assert "Voting, opened on 08/01/2025 09:30: 3 of 4 member units have voted." in html
        assert 'data-testid="result"' not in html
        assert "Votes" not in html
        assert " vote)" not in html
        assert " votes)" not in html
        assert "Acclaimed" not in html
        assert " checked" not in html
    html = client_for(w.block_head).get(url(w)).content.decode()
    voted = '<td data-label="Ballot">Voted on 08/01/2025 09:30</td>'
    for unit in (u.head, u.deputy, u.a):
        assert f'<th scope="row">{unit.name}</th>\n              {voted}' in html
    assert f'<th scope="row">{u.b.name}</th>\n              <td data-label="Ballot">Not yet' in html
    assert "Not yet voted" in html
    # The candidates have no votes written before the close either.
    assert set(vote.candidates.values_list("votes", flat=True)) == {None}


def test_the_result_after_the_close(world, client_for, english):
    w = world
    u = w.units
    vote = opened(w)
    ballot(vote, w.block_head, u.head, [u.head, u.deputy])
    ballot(vote, w.deputy_head, u.deputy, [u.head])
    ballot(vote, w.member_head, u.a, [u.head])
    client = client_for(w.block_head)

    response = client.post(url(w, "acclamation_close"), {"confirm": "1"})
    assert response.status_code == 302

    for user in (w.block_head, w.member_head, w.officer, w.member_staff):
        html = client_for(user).get(url(w)).content.decode()
        assert 'data-testid="result"' in html
        assert f'<th scope="row">{u.head.name}</th>' in html
        for share in ("75,0 %", "25,0 %", "0,0 %"):
            assert f'<td class="num" data-label="Share of member units">{share}</td>' in html
        assert f"<li>{u.head.name}: Ministry Emulation Flag (3 votes)</li>" in html
        assert "3 of 4 member units voted." in html


def test_closing_needs_the_confirmation(world, client_for):
    w = world
    vote = opened(w)

    response = client_for(w.block_head).post(url(w, "acclamation_close"), {})

    assert response.status_code == 400
    assert "đánh dấu ô xác nhận" in response.content.decode()
    vote.refresh_from_db()
    assert vote.is_open


def test_minutes_from_the_page_keep_what_was_typed_on_error(world, client_for):
    w = world
    vote = opened(w)
    client = client_for(w.block_head)
    data = {
        **{k: "" for k in domain.MINUTES_FIELDS},
        "meeting_date": "31/02/2025",
        "meeting_place": "Hội trường A",
        "version": "1",
    }

    response = client.post(url(w, "acclamation_minutes"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="31/02/2025"' in html
    assert 'value="Hội trường A"' in html
    vote.refresh_from_db()
    assert (vote.meeting_place, vote.version) == ("", 1)

    data["meeting_date"] = "08/01/2025"
    assert client.post(url(w, "acclamation_minutes"), data).status_code == 302
    vote.refresh_from_db()
    assert (vote.meeting_date, vote.meeting_place, vote.version) == (
        dt.date(2025, 1, 8),
        "Hội trường A",
        2,
    )
    html = client.get(url(w)).content.decode()
    assert 'value="08/01/2025"' in html

    stale = client.post(url(w, "acclamation_minutes"), {**data, "meeting_place": "Phòng 2"})
    assert stale.status_code == 400
    assert "Có người đã lưu biên bản" in stale.content.decode()
    assert 'value="Phòng 2"' in stale.content.decode()
    vote.refresh_from_db()
    assert vote.meeting_place == "Hội trường A"


# ---------------------------------------------------------------------------
# Query counts: a block of 3 members costs what one of 30 costs.


def sized_block(size):
    campaign = CampaignFactory(year=2024)
    period = PeriodFactory(
        campaign=campaign,
        kind=PeriodKind.YEAR_END,
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
        closes_on=dt.date(2025, 1, 10),
    )
    criterion = CriterionFactory(campaign=campaign, max_points=D(100))
    group, units = make_block(period, criterion, [50 + i for i in range(size)], name=f"K{size}")
    heads = [head_of(unit, f"h{size}-{i}") for i, unit in enumerate(units)]
    return SimpleNamespace(period=period, group=group, units=units, heads=heads)


def page_queries(block, user, client_for):
    client = client_for(user)
    path = reverse(
        "campaigns:acclamation", kwargs={"period_pk": block.period.pk, "group_pk": block.group.pk}
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_block(db, client_for):
    counts = {}
    for size in (3, 30):
        block = sized_block(size)
        head, member = block.heads[0], block.heads[2]
        row = [page_queries(block, head, client_for)]
        vote = domain.open_vote(block.group, block.period, by=head, now=NOW)
        ids = list(vote.candidates.values_list("pk", flat=True)[:1])
        for user, unit in list(zip(block.heads, block.units, strict=True))[1:]:
            domain.cast_ballot(vote, by=user, unit=unit, candidate_ids=ids, now=NOW)
        row += [page_queries(block, head, client_for), page_queries(block, member, client_for)]
        domain.close_vote(vote, by=head, now=NOW)
        row += [page_queries(block, head, client_for), page_queries(block, member, client_for)]
        counts[size] = row
    assert counts[3] == counts[30]
    assert counts[3] == [15, 10, 11, 11, 12]


# ---------------------------------------------------------------------------
# The proposals in the Department's admin: listed, never written there.


def test_proposals_are_listed_read_only_in_the_admin(world, client_for, admin_user):
    w = world
    vote = opened(w)
    ballot(vote, w.member_head, w.units.a, [w.units.head])
    ballot(vote, w.b_head, w.units.b, [w.units.head])
    ballot(vote, w.block_head, w.units.head, [w.units.head])
    domain.close_vote(vote, by=w.block_head, now=NOW)
    proposal = Proposal.objects.get(acclamation=vote)
    client = client_for(admin_user)

    listing = client.get(reverse("admin:campaigns_proposal_changelist"))

    assert listing.status_code == 200
    assert [p.pk for p in listing.context["cl"].result_list] == [proposal.pk]
    assert w.units.head.name in listing.content.decode()
    assert client.get(reverse("admin:campaigns_proposal_add")).status_code == 403
    change = reverse("admin:campaigns_proposal_change", args=[proposal.pk])
    assert client.post(change, {"votes": "9"}).status_code == 403
    delete = reverse("admin:campaigns_proposal_delete", args=[proposal.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.votes == 3
