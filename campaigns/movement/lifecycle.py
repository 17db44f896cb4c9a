"""The movement's own life, draft → launched → closed (and reopened): the only code
that changes Campaign.status, as campaigns.sheets.workflow is for a self-assessment.

launch(), close() and reopen() lock the campaign row, check the actor's permission
(campaigns.change_campaign_status) and the change against CAMPAIGN_TRANSITIONS,
write the status and record a CampaignTransition (who, when, from, to) in one
transaction. They take the moment (`now`) from their caller.

bring_to() is the one path for loaders of data (the demo, seed_scale, the test
factories): it walks the same edges, recording each step, with no user to check.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.enums import CAMPAIGN_TRANSITIONS, CampaignStatus
from campaigns.models import Campaign, CampaignTransition
from campaigns.sheets.workflow import AlreadyDone, WorkflowError

PERMISSION = "campaigns.change_campaign_status"


def lock(campaign: Campaign) -> Campaign:
    """Reload the campaign row under a lock: two changes of one movement run one
    after the other, the later seeing what the earlier did."""
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _check(campaign: Campaign, action: str) -> str:
    """The status `action` takes the (locked) campaign to; AlreadyDone when it is
    already there (a second click), WorkflowError when the action does not start
    from its status."""
    edges = CAMPAIGN_TRANSITIONS[action]
    target = edges.get(campaign.status)
    if target is not None:
        return target
    if campaign.status in edges.values():
        raise AlreadyDone(
            _("This movement is already “%(status)s”: nothing more was done.")
            % {"status": campaign.get_status_display()}
        )
    raise WorkflowError(
        _("A movement that is “%(status)s” cannot become “%(target)s”.")
        % {
            "status": campaign.get_status_display(),
            "target": CampaignStatus(min(edges.values())).label,
        }
    )


def _move(campaign: Campaign, to_status: str, *, by, now) -> CampaignTransition:
    from_status = campaign.status
    campaign.status = to_status
    campaign.save(update_fields=["status"])
    return CampaignTransition.objects.create(
        campaign=campaign, from_status=from_status, to_status=to_status, by=by, at=now
    )


def _change(campaign: Campaign, action: str, *, by, now) -> Campaign:
    with transaction.atomic():
        locked = lock(campaign)
        if not by.has_perm(PERMISSION, locked):
            raise PermissionDenied(_("You are not allowed to change the status of this movement."))
        _move(locked, _check(locked, action), by=by, now=now)
    campaign.status = locked.status
    return locked


def launch(campaign: Campaign, *, by, now) -> Campaign:
    """A drafted movement is launched: its units see it, register and self-assess in
    its open periods."""
    return _change(campaign, "launch", by=by, now=now)


def close(campaign: Campaign, *, by, now) -> Campaign:
    """A launched movement is closed: nothing more is registered or assessed in it."""
    return _change(campaign, "close", by=by, now=now)


def reopen(campaign: Campaign, *, by, now) -> Campaign:
    """A closed movement is launched again, to correct it."""
    return _change(campaign, "reopen", by=by, now=now)


def path_to(status: str, target: str) -> list[str]:
    """The statuses after `status` on the shortest way to `target` along the table's
    edges ([] when already there); ValueError when the table has no way there."""
    edges = [(a, b) for moves in CAMPAIGN_TRANSITIONS.values() for a, b in moves.items()]
    paths = {status: []}
    queue = [status]
    for current in queue:  # breadth first: the queue grows as it is read
        for source, following in edges:
            if source == current and following not in paths:
                paths[following] = [*paths[current], following]
                queue.append(following)
    if target not in paths:
        raise ValueError(f"no way from {status} to {target}")
    return paths[target]


def bring_to(campaign: Campaign, status: str, *, now, by=None) -> Campaign:
    """For loaders of data only (the demo, seed_scale, the test factories), never a
    view: the saved campaign taken from its status to `status` along the table's
    edges, each step recorded at `now`. No permission is checked: the loader acts,
    `by` (if any) is whom the steps name."""
    with transaction.atomic():
        for step in path_to(campaign.status, status):
            _move(campaign, step, by=by, now=now)
    return campaign
