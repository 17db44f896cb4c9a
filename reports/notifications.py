"""Emails about reports: the officers hear when a scheduled build is ready."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from campaigns.notifications import officer_recipients

from .models import Report

logger = logging.getLogger(__name__)


def report_ready(report_id: int) -> int:
    report = Report.objects.select_related("campaign", "period").filter(pk=report_id).first()
    if report is None:
        return 0
    recipients = officer_recipients()
    if not recipients:
        logger.info("No officer to tell that report %s is ready", report_id)
        return 0
    try:
        link = settings.SITE_URL + reverse("reports:detail", kwargs={"pk": report.pk})
    except NoReverseMatch:  # the reports URLs are not mounted
        link = settings.SITE_URL
    with translation.override(settings.LANGUAGE_CODE):
        context = {"report": report, "link": link, "site_name": settings.SITE_NAME}
        subject = render_to_string("reports/email/ready_subject.txt", context)
        body = render_to_string("reports/email/ready.txt", context)
    subject = f"[{settings.SITE_NAME}] " + " ".join(subject.split())
    return send_mail(subject, body, None, recipients)
