import logging

from celery import shared_task
from django.utils import timezone

from campaigns.sheets.reminders import send_due_reminders

logger = logging.getLogger(__name__)


@shared_task(name="campaigns.send_reminders")
def task_send_reminders() -> int:
    """Daily tick: remind the units still missing for periods due soon or just overdue."""
    sent = send_due_reminders(timezone.localdate())
    logger.info("Sent %d reminder(s)", sent)
    return sent
