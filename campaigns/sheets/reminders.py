"""Reminders to units whose self-assessment is not yet submitted.

The daily tick (campaigns.tasks.task_send_reminders) calls send_due_reminders with
today's date: it writes to every unit still missing 7, 3 and 1 days before the due
date and the day after it. A Reminder row is written first, so a second tick on the
same day (a retry, a second beat) sends nothing twice."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.enums import CampaignStatus, ReminderKind, SubmissionState
from campaigns.models import Period, Reminder, Submission
from units import links
from units.mail import send, unit_recipients
from units.models import Unit

OFFSETS = {
    -7: ReminderKind.DAYS_7,
    -3: ReminderKind.DAYS_3,
    -1: ReminderKind.DAYS_1,
    1: ReminderKind.OVERDUE,
}


def missing_units(period: Period):
    """Participating active units with no submitted or accepted self-assessment."""
    done = Submission.objects.filter(period=period, state__in=SubmissionState.done_states).values(
        "unit_id"
    )
    return (
        Unit.objects.filter(campaigns=period.campaign_id, active=True)
        .exclude(pk__in=done)
        .order_by("order", "name")
    )


def reopened_at(period: Period, units) -> dict:
    """When each of these missing units was reopened after the close, for those whose
    self-assessment is reopened and still being edited: unit id → datetime."""
    return dict(
        Submission.objects.filter(
            period=period,
            unit__in=[unit.pk for unit in units],
            reopened_at__isnull=False,
            state__in=SubmissionState.editable_states,
        ).values_list("unit_id", "reopened_at")
    )


def why_not_remind(period: Period, today: dt.date) -> str:
    """Why units cannot be reminded for this period today ("" when they can): a
    reminder is only useful while the unit can open and submit its self-assessment."""
    if period.campaign.status != CampaignStatus.LAUNCHED:
        return _("The movement is not running (%(status)s): there is nothing to remind.") % {
            "status": period.campaign.get_status_display()
        }
    if today < period.opens_on:
        return _("The self-assessment opens on %(date)s; remind the units from then.") % {
            "date": period.opens_on.strftime("%d/%m/%Y")
        }
    if today > period.closes_on:
        return _(
            "The period closed on %(date)s: units can no longer submit, so they are not "
            "reminded. Reopen a unit's self-assessment if it must still be sent."
        ) % {"date": period.closes_on.strftime("%d/%m/%Y")}
    return ""


def _record(period: Period, unit: Unit, *, kind: str, today: dt.date, by=None):
    """Write the Reminder row; its recipients, or None if already reminded today."""
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
        return None  # already reminded today
    return recipients


def _send(period: Period, unit: Unit, recipients: list[str], today: dt.date) -> None:
    link = links.absolute(reverse("campaigns:my_submission", kwargs={"period_pk": period.pk}))
    send(
        "campaigns/email/reminder",
        recipients,
        {"period": period, "unit": unit, "overdue": today > period.due_on, "link": link},
    )


def _remind(period: Period, unit: Unit, *, kind: str, today: dt.date, by=None) -> bool:
    recipients = _record(period, unit, kind=kind, today=today, by=by)
    if recipients is None:
        return False
    _send(period, unit, recipients, today)
    return True


def send_due_reminders(today: dt.date) -> int:
    """Remind the missing units of every period whose due date is 7, 3 or 1 day(s)
    away or was yesterday, while it is open. Returns the number of reminders sent."""
    sent = 0
    for offset, kind in OFFSETS.items():
        periods = Period.objects.filter(
            due_on=today - dt.timedelta(days=offset),
            opens_on__lte=today,
            closes_on__gte=today,
            campaign__status=CampaignStatus.LAUNCHED,
        ).select_related("campaign")
        for period in periods:
            for unit in missing_units(period):
                sent += _remind(period, unit, kind=kind, today=today)
    return sent


def remind_now(period: Period, unit_ids, *, by, today: dt.date) -> int:
    """An emulation officer's "remind them now" for the listed units still missing
    and not reminded today. The period row is locked while it is decided and written,
    so two clicks at once remind each unit once; the emails go once it is committed."""
    with transaction.atomic():
        list(Period.objects.select_for_update().filter(pk=period.pk).values_list("pk"))
        already = period.reminders.filter(sent_on=today).values("unit_id")
        units = list(missing_units(period).filter(pk__in=unit_ids).exclude(pk__in=already))
        recorded = [
            (unit, _record(period, unit, kind=ReminderKind.MANUAL, today=today, by=by))
            for unit in units
        ]
    for unit, recipients in recorded:
        _send(period, unit, recipients, today)
    return len(recorded)
