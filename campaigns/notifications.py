"""Emails of the self-assessment workflow and its reminders.

Each function takes ids (they run after the commit), loads what it needs and sends
in the working language. Recipients are the unit's head, deputies and delegated
officers with an email address; submissions also go to the emulation officers."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from units import links
from units.enums import UNIT_MANAGING_ROLES
from units.models import User

from .models import Submission

logger = logging.getLogger(__name__)


def unit_recipients(unit_id: int) -> list[str]:
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__unit_id=unit_id,
                memberships__role__in=UNIT_MANAGING_ROLES,
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def officer_recipients() -> list[str]:
    return sorted(
        set(
            User.objects.filter(is_active=True, is_emulation_officer=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def send(template: str, recipients: list[str], context: dict) -> int:
    """The one sender of the product's emails: template is "<app>/email/<name>", whose
    <name>_subject.txt and <name>.txt are rendered in the working language."""
    if not recipients:
        logger.info("No recipient for %s", template)
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_name": settings.SITE_NAME, "site_url": links.site_url()}
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    subject = f"[{settings.SITE_NAME}] " + " ".join(subject.split())
    return send_mail(subject, body, None, recipients)


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
