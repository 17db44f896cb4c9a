"""Reminders to units whose self-assessment is not yet submitted.

The daily tick (campaigns.tasks.task_send_reminders) calls send_due_reminders with
today's date: it writes to every unit still missing 7, 3 and 1 days before the due
date and the day after it. A Reminder row is written first, so a second tick on the
same day (a retry, a second beat) sends nothing twice."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.enums import CampaignStatus, ReminderKind, SubmissionState
from campaigns.models import Period, Reminder, Submission
from campaigns.notifications import send, unit_recipients
from units.models import Unit

OFFSETS = {
    -7: ReminderKind.DAYS_7,
    -3: ReminderKind.DAYS_3,
    -1: ReminderKind.DAYS_1,
    1: ReminderKind.OVERDUE,
}
DONE_STATES = (SubmissionState.SUBMITTED, SubmissionState.ACCEPTED)


def missing_units(period: Period):
    """Participating active units with no submitted or accepted self-assessment."""
    done = Submission.objects.filter(period=period, state__in=DONE_STATES).values("unit_id")
    return (
        Unit.objects.filter(campaigns=period.campaign_id, active=True)
        .exclude(pk__in=done)
        .order_by("order", "name")
    )


def _remind(period: Period, unit: Unit, *, kind: str, today: dt.date, by=None) -> bool:
    recipients = unit_recipients(unit.pk)
    try:
        with transaction.atomic():
            Reminder.objects.create(
                period=period,
                unit=unit,
                kind=kind,
                sent_on=today,
                recipients=", ".join(recipients),
                sent_by=by,
            )
    except IntegrityError:
        return False  # already reminded today
    link = settings.SITE_URL + reverse("campaigns:my_submission", kwargs={"period_pk": period.pk})
    send(
        "reminder",
        recipients,
        {"period": period, "unit": unit, "overdue": today > period.due_on, "link": link},
    )
    return True


def send_due_reminders(today: dt.date) -> int:
    """Remind the missing units of every period whose due date is 7, 3 or 1 day(s)
    away or was yesterday. Returns the number of reminders sent."""
    sent = 0
    for offset, kind in OFFSETS.items():
        periods = Period.objects.filter(
            due_on=today - dt.timedelta(days=offset),
            campaign__status=CampaignStatus.LAUNCHED,
        ).select_related("campaign")
        for period in periods:
            for unit in missing_units(period):
                sent += _remind(period, unit, kind=kind, today=today)
    return sent


def remind_now(period: Period, units, *, by, today: dt.date) -> int:
    """An emulation officer's "remind them now" for the listed units."""
    return sum(
        _remind(period, unit, kind=ReminderKind.MANUAL, today=today, by=by) for unit in units
    )
