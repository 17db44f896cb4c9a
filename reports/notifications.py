"""Emails about reports: the officers hear when a scheduled build is ready."""

import logging

from django.urls import NoReverseMatch, reverse

from units import links
from units.mail import officer_recipients, send

from .models import Report

logger = logging.getLogger(__name__)


def report_ready(report_id: int, *, base_url: str | None = None) -> int:
    """base_url: the address the build was asked from (units.links), if it was."""
    report = Report.objects.select_related("campaign", "period").filter(pk=report_id).first()
    if report is None:
        return 0
    try:
        link = links.absolute(reverse("reports:detail", kwargs={"pk": report.pk}), base_url)
    except NoReverseMatch:  # the reports URLs are not mounted
        link = links.site_url(base_url)
    return send("reports/email/ready", officer_recipients(), {"report": report, "link": link})
