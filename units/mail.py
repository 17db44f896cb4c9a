"""Who the product emails, and the one way it sends.

`unit_recipients` are a unit's head, deputies and delegated officers, and
`officer_recipients` the emulation officers of the Department of Organization and
Personnel: active users with an email address, each address once. `send` renders
"<app>/email/<name>" in the working language and prefixes the site's name. The
emails themselves (which template, which link, when) belong to the apps that send
them (the notifications modules of campaigns and reports)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from . import links
from .enums import UNIT_MANAGING_ROLES
from .models import User

logger = logging.getLogger(__name__)


def _addresses(users) -> list[str]:
    return sorted(
        set(users.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    )


def unit_recipients(unit_id: int) -> list[str]:
    return _addresses(
        User.objects.filter(memberships__unit_id=unit_id, memberships__role__in=UNIT_MANAGING_ROLES)
    )


def officer_recipients() -> list[str]:
    return _addresses(User.objects.filter(is_emulation_officer=True))


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
