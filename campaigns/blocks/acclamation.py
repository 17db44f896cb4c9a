"""The acclamation (suy tôn) of a block or cluster at its year-end conference: the
head unit opens the vote with its candidates, every member unit's head casts one
secret ballot, the head unit closes it and the votes are counted into the block's
proposals. The only writer of Acclamation.state and of the counts.

Secrecy: a Voter row says which unit voted (and who, when), a Ballot row what was
chosen; nothing links the two. Nothing here returns a candidate's votes before the
vote is closed: an open vote tells only how many units voted and which.

Each function is one transaction that locks the acclamation row (open_vote, which
creates it, locks the group's) before it checks and writes, so two clicks at once
are one vote, one ballot, one close.
"""

from collections import Counter
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.blocks import options
from campaigns.blocks.standings import block_standings
from campaigns.enums import AcclamationState, PeriodKind, ProposalKind
from campaigns.models import Acclamation, Ballot, Candidate, Proposal, Title, Voter
from units.enums import Role
from units.models import EmulationGroup
from units.rules import unit_roles

# The titles the proposals are for (campaigns/data/titles.py).
FLAG_TITLE, MERIT_TITLE = "CO_BO", "BK_BO_TT"  # the collective forms
MINUTES_FIELDS = (
    "minutes_number",
    "meeting_date",
    "meeting_place",
    "chair_name",
    "secretary_name",
    "attendees",
    "notes",
)


class AcclamationError(Exception):
    """A step of the vote refused for a reason the user can act on; str() is the
    message."""


class StaleMinutes(AcclamationError):
    """The minutes were saved by someone else since the form was loaded."""


def _require(user, perm: str, group, message: str) -> None:
    if not user.has_perm(perm, group):
        raise PermissionDenied(message)


def _lock(acclamation: Acclamation) -> Acclamation:
    return (
        Acclamation.objects.select_for_update()
        .select_related("group", "period__campaign")
        .get(pk=acclamation.pk)
    )


def default_candidates(group, period, *, table=None) -> list:
    """The ranking's top units (Standing rows): the first flag_places + merit_places
    ranked members of the movement's block rules."""
    rules = options.rules_for(period.campaign)
    table = table or block_standings(group, period)
    ranked = [s for s in table.standings if s.ranked]
    return ranked[: rules.flag_places + rules.merit_places]


def open_vote(
    group,
    period,
    *,
    by,
    now,
    candidate_unit_ids=None,
    flag_places=None,
    merit_places=None,
) -> Acclamation:
    """Open the block's acclamation for the year-end period with its candidates (by
    default the ranking's top units), each with its rank and block total now."""
    _require(by, "campaigns.manage_block", group, _("Only the block's head unit opens its vote."))
    if period.kind != PeriodKind.YEAR_END:
        raise AcclamationError(_("The acclamation is held at the year-end review only."))
    if period.campaign.year != group.year:
        raise AcclamationError(_("This block or cluster is not one of the movement's year."))
    rules = options.rules_for(period.campaign)
    flag_places = rules.flag_places if flag_places is None else flag_places
    merit_places = rules.merit_places if merit_places is None else merit_places
    if flag_places < 1:
        raise AcclamationError(_("Propose at least one unit for the Ministry Emulation Flag."))
    if merit_places < 0:
        raise AcclamationError(_("The Certificate of Merit proposals cannot be fewer than 0."))
    with transaction.atomic():
        EmulationGroup.objects.select_for_update().filter(pk=group.pk).values_list("pk").get()
        if Acclamation.objects.filter(group=group, period=period).exists():
            raise AcclamationError(
                _("The acclamation of this block for this period has already been opened.")
            )
        table = block_standings(group, period)
        ranked = {s.unit.pk: s for s in table.standings if s.ranked}
        if candidate_unit_ids is None:
            chosen = default_candidates(group, period, table=table)
        else:
            chosen = _chosen_candidates(table, ranked, candidate_unit_ids)
        if not chosen:
            raise AcclamationError(_("Choose at least one candidate."))
        acclamation = Acclamation.objects.create(
            group=group,
            period=period,
            state=AcclamationState.OPEN,
            flag_places=flag_places,
            merit_places=merit_places,
            share=rules.acclamation_share,
            voter_count=len(table.standings),
            opened_by=by,
            opened_at=now,
        )
        Candidate.objects.bulk_create(
            Candidate(
                acclamation=acclamation,
                unit=standing.unit,
                rank=standing.rank,
                block_total=standing.total,
                order=order,
            )
            for order, standing in enumerate(chosen, start=1)
        )
    return acclamation


def _chosen_candidates(table, ranked: dict, unit_ids) -> list:
    """The standings of the units ticked, in ranking order; a unit that is not a
    member that sent its sheet is refused by name."""
    wanted = set()
    names = {s.unit.pk: s.unit.name for s in table.standings}
    for unit_id in unit_ids:
        if unit_id not in ranked:
            if unit_id in names:
                raise AcclamationError(
                    _("%(unit)s did not send its self-assessment: it cannot be a candidate.")
                    % {"unit": names[unit_id]}
                )
            raise AcclamationError(_("A candidate must be a member of the block."))
        wanted.add(unit_id)
    return [s for s in table.standings if s.unit.pk in wanted]


def voting_units(user, group) -> list[int]:
    """The ids of the group's member units whose head the user is: the ballots the
    user casts (one query)."""
    headed = [unit_id for unit_id, role in unit_roles(user).items() if role == Role.HEAD]
    if not headed:
        return []
    return list(
        group.memberships.filter(unit_id__in=headed)
        .order_by("unit__order", "unit__name")
        .values_list("unit_id", flat=True)
    )


def cast_ballot(acclamation, *, by, unit, candidate_ids, now) -> Voter:
    """Cast the ballot of `unit`, whose head `by` is: up to flag_places + merit_places
    of the vote's candidates, none for an abstention. Writes who voted (Voter) and,
    apart, what was chosen (Ballot)."""
    group = acclamation.group
    _require(by, "campaigns.vote_in_block", group, _("Only a member unit's head votes."))
    if unit.pk not in voting_units(by, group):
        raise PermissionDenied(_("You vote only for the member unit you head."))
    with transaction.atomic():
        locked = _lock(acclamation)
        if not locked.is_open:
            raise AcclamationError(_("The vote is closed."))
        voted = Voter.objects.filter(acclamation=locked, unit=unit).first()
        if voted is not None:
            raise AcclamationError(
                _("%(unit)s already voted on %(at)s; a unit casts one ballot.")
                % {"unit": unit.name, "at": _when(voted.voted_at)}
            )
        choices = _checked_choices(locked, candidate_ids)
        voter = Voter.objects.create(acclamation=locked, unit=unit, voted_by=by)
        # voted_at is auto_now_add: set it to the caller's clock.
        Voter.objects.filter(pk=voter.pk).update(voted_at=now)
        voter.voted_at = now
        # Sorted, so not even the order the boxes were ticked in is kept.
        Ballot.objects.create(acclamation=locked, choices=sorted(choices))
    return voter


def _checked_choices(acclamation, candidate_ids) -> list[int]:
    ids = list(candidate_ids)
    if len(set(ids)) != len(ids):
        raise AcclamationError(_("A candidate is chosen at most once on a ballot."))
    most = acclamation.flag_places + acclamation.merit_places
    if len(ids) > most:
        raise AcclamationError(
            _("Choose at most %(count)s candidate(s); %(chosen)s were chosen.")
            % {"count": most, "chosen": len(ids)}
        )
    known = set(acclamation.candidates.values_list("pk", flat=True))
    if not set(ids) <= known:
        raise AcclamationError(_("Choose among the candidates of this vote."))
    return ids


def is_acclaimed(votes: int, voter_count: int, share: Decimal) -> bool:
    """More than `share` per cent of the member units' votes (exactly the share is
    not enough)."""
    return Decimal(votes) * 100 > share * voter_count


def close_vote(acclamation, *, by, now) -> Acclamation:
    """Close the vote, count the ballots into each candidate's votes and record the
    block's proposals: among the acclaimed, by votes then rank, the first flag_places
    for the Ministry Emulation Flag, the next merit_places for the Minister's
    Certificate of Merit."""
    _require(
        by,
        "campaigns.manage_block",
        acclamation.group,
        _("Only the block's head unit closes its vote."),
    )
    with transaction.atomic():
        locked = _lock(acclamation)
        if not locked.is_open:
            raise AcclamationError(_("The vote has already been closed."))
        counts = Counter()
        for choices in Ballot.objects.filter(acclamation=locked).values_list("choices", flat=True):
            counts.update(choices)
        candidates = list(locked.candidates.select_related("unit"))
        for candidate in candidates:
            candidate.votes = counts.get(candidate.pk, 0)
            candidate.acclaimed = is_acclaimed(candidate.votes, locked.voter_count, locked.share)
        Candidate.objects.bulk_update(candidates, ["votes", "acclaimed"])
        _propose(locked, [c for c in candidates if c.acclaimed])
        locked.state = AcclamationState.CLOSED
        locked.closed_by, locked.closed_at = by, now
        locked.save(update_fields=["state", "closed_by", "closed_at"])
    return locked


def _propose(acclamation, acclaimed: list[Candidate]) -> None:
    ordered = sorted(
        acclaimed, key=lambda c: (-c.votes, c.rank if c.rank is not None else 10**6, c.order)
    )
    titles = Title.objects.in_bulk([FLAG_TITLE, MERIT_TITLE], field_name="code")
    if len(titles) < 2:
        raise AcclamationError(
            _("The catalogue of titles lacks %(codes)s: ask the Department to restore it.")
            % {"codes": ", ".join(sorted({FLAG_TITLE, MERIT_TITLE} - set(titles)))}
        )
    rows = []
    for order, candidate in enumerate(
        ordered[: acclamation.flag_places + acclamation.merit_places], start=1
    ):
        flag = order <= acclamation.flag_places
        rows.append(
            Proposal(
                acclamation=acclamation,
                unit=candidate.unit,
                kind=ProposalKind.MINISTRY_FLAG if flag else ProposalKind.MINISTER_MERIT,
                title=titles[FLAG_TITLE if flag else MERIT_TITLE],
                votes=candidate.votes,
                rank=candidate.rank,
                order=order,
            )
        )
    Proposal.objects.bulk_create(rows)


def save_minutes(acclamation, *, by, data: dict, expected_version: int) -> Acclamation:
    """Save the conference minutes' fields typed by the head unit (open or closed),
    refused when someone saved them since `expected_version`."""
    _require(
        by,
        "campaigns.manage_block",
        acclamation.group,
        _("Only the block's head unit writes its minutes."),
    )
    with transaction.atomic():
        locked = _lock(acclamation)
        if locked.version != expected_version:
            raise StaleMinutes(
                _(
                    "Someone saved the minutes since you opened the page: reload it to "
                    "see their version, then type your changes again."
                )
            )
        for name in MINUTES_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.version += 1
        locked.save(update_fields=[*MINUTES_FIELDS, "version"])
    return locked


def _when(at) -> str:
    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M")
