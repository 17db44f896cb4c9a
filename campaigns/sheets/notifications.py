"""Emails of the self-assessment workflow and its reminders.

Each function takes ids (they run after the commit), loads what it needs and sends
in the working language. Recipients are the unit's head, deputies and delegated
officers with an email address; submissions also go to the emulation officers
(units.mail finds them and sends)."""

import logging

from django.urls import reverse

from campaigns.models import Submission
from units import links
from units.mail import officer_recipients, send, unit_recipients

logger = logging.getLogger(__name__)


def _submission(submission_id: int) -> Submission | None:
    submission = (
        Submission.objects.select_related("unit", "period__campaign")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        logger.warning("Submission %s is gone; no email sent", submission_id)
    return submission


def _link(name: str, submission: Submission) -> str:
    return links.absolute(reverse(name, kwargs={"pk": submission.pk}))


def submitted(submission_id: int, total=None) -> None:
    """`total` is the total submit() stored: the emails show it, whatever happened
    to the row between the commit and this send."""
    submission = _submission(submission_id)
    if submission is None:
        return
    if total is not None:
        submission.self_total = total
    context = {"submission": submission}
    send(
        "campaigns/email/submitted",
        unit_recipients(submission.unit_id),
        {**context, "link": _link("campaigns:submission_detail", submission)},
    )
    send(
        "campaigns/email/submitted_officers",
        officer_recipients(),
        {**context, "link": _link("campaigns:review", submission)},
    )


def withdrawn(submission_id: int) -> None:
    """The unit took back what it sent: the officers it was sent to are told."""
    submission = _submission(submission_id)
    if submission is not None:
        send(
            "campaigns/email/withdrawn_officers",
            officer_recipients(),
            {"submission": submission, "link": _link("campaigns:review", submission)},
        )


def returned(submission_id: int, reason: str) -> None:
    submission = _submission(submission_id)
    if submission is not None:
        send(
            "campaigns/email/returned",
            unit_recipients(submission.unit_id),
            {
                "submission": submission,
                "reason": reason,
                "link": _link("campaigns:submission_detail", submission),
            },
        )


def accepted(submission_id: int) -> None:
    submission = _submission(submission_id)
    if submission is not None:
        send(
            "campaigns/email/accepted",
            unit_recipients(submission.unit_id),
            {"submission": submission, "link": _link("campaigns:submission_detail", submission)},
        )


def reopened(submission_id: int, reason: str) -> None:
    submission = _submission(submission_id)
    if submission is not None:
        send(
            "campaigns/email/reopened",
            unit_recipients(submission.unit_id),
            {
                "submission": submission,
                "reason": reason,
                "link": _link("campaigns:submission_detail", submission),
            },
        )
