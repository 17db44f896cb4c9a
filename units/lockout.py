"""Login throttling on django-axes: the two limits, what the login page says, and
the officers' unlock.

axes records each failed login as an AccessAttempt row (username, address,
browser, failure count, time of the last failure). A username is locked out when
its failures over the cool-off reach settings.AXES_FAILURE_LIMIT, a client
address when they reach settings.LOGIN_FAILURES_PER_ADDRESS; the lock lifts by
itself once the cool-off has passed since the last failure, or when an officer
unlocks it here (the rows are deleted with axes' own reset, and AccountUnlock keeps
who did it and when).

The username counted is the one typed, whether or not an account has it, so a
lockout says nothing about which accounts exist.

The functions take the moment (`now`) from their caller; the glue axes calls
with the request (the login form's error, the lockout response) reads it once.
"""

from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.forms.forms import NON_FIELD_ERRORS
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from units.models import AccountUnlock, User

LOCKED_OUT = "locked_out"
LIST_LIMIT = 100


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with one limit per lockout parameter.

    axes compares a single failure count with AXES_FAILURE_LIMIT. get_failures
    returns the larger of the username's count and the address's count scaled to
    that limit, so each reaches it exactly at its own limit: with 5 and 20,
    floor(20 * 5 / 20) = 5 and floor(19 * 5 / 20) = 4.
    """

    def get_failures(self, request, credentials=None) -> int:
        # One queryset per AXES_LOCKOUT_PARAMETERS entry, in its order.
        by_username, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = get_failure_limit(request, credentials)
        scaled = by_address * account_limit // settings.LOGIN_FAILURES_PER_ADDRESS
        return max(by_username, scaled)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login, forget that username's failures only.

        axes would also clear the address's failures, letting anyone with one
        account reset the count of an address trying other people's passwords."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        return reset(username=username)


@dataclass(frozen=True)
class Lockout:
    account: bool
    address: bool
    until: datetime


@dataclass(frozen=True)
class LockedEntry:
    """A locked username or address on the officers' page."""

    key: str
    failures: int
    last_failure: datetime
    until: datetime
    known: bool = False  # a username some account has
    full_name: str = ""


def cool_off_minutes() -> int:
    return int(get_cool_off().total_seconds() // 60)


def _window_start(now: datetime) -> datetime:
    return now - get_cool_off()


def _failures(now: datetime, **lookup) -> tuple[int, datetime | None]:
    row = AccessAttempt.objects.filter(attempt_time__gte=_window_start(now), **lookup).aggregate(
        total=Sum("failures_since_start"), last=Max("attempt_time")
    )
    return row["total"] or 0, row["last"]


def lockout_for(username: str | None, ip_address: str | None, *, now: datetime) -> Lockout | None:
    """Whether logins as `username` or from `ip_address` are paused at `now`, and
    until when at the latest (the cool-off after the last failure that counts)."""
    by_username, username_last = _failures(now, username=username) if username else (0, None)
    by_address, address_last = _failures(now, ip_address=ip_address) if ip_address else (0, None)
    account = by_username >= settings.AXES_FAILURE_LIMIT
    address = by_address >= settings.LOGIN_FAILURES_PER_ADDRESS
    if not (account or address):
        return None
    last = max(t for t, locked in ((username_last, account), (address_last, address)) if locked)
    return Lockout(account=account, address=address, until=last + get_cool_off())


def _local_time(moment: datetime, *, now: datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate(now):
        return date_format(local, "H:i")
    return date_format(local, "H:i d/m/Y")


def lockout_message(lockout: Lockout | None, *, now: datetime) -> str:
    minutes = cool_off_minutes()
    if lockout is None:
        # Unlocked between the refusal and this message: say what happened anyway.
        return _(
            "Too many failed logins: logging in is paused for %(minutes)d minutes. Try again later."
        ) % {"minutes": minutes}
    if lockout.account:
        what = _(
            "Too many wrong passwords were typed for this username, so logging in with it "
            "is paused until %(time)s (%(minutes)d minutes after the last failed attempt)."
        )
    else:
        what = _(
            "Too many failed logins came from your network address, so logging in from it "
            "is paused until %(time)s (%(minutes)d minutes after the last failed attempt)."
        )
    what %= {"time": _local_time(lockout.until, now=now), "minutes": minutes}
    how = _(
        "Try again after that time, even with the right password. To get in sooner, "
        "reset your password by email or ask an emulation officer of the "
        "Department of Organization and Personnel to unlock it."
    )
    return f"{what} {how}"


class LockoutMessageMixin:
    """For an AuthenticationForm: when axes refused the login, the form's error says
    so and when to retry, instead of "wrong username or password"."""

    def get_invalid_login_error(self):
        request = self.request
        if request is not None and getattr(request, "axes_locked_out", False):
            now = timezone.now()
            lockout = lockout_for(
                self.cleaned_data.get("username"),
                getattr(request, "axes_ip_address", None),
                now=now,
            )
            return ValidationError(lockout_message(lockout, now=now), code=LOCKED_OUT)
        return super().get_invalid_login_error()


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page as it was rendered, form and message,
    with status 429; any other page axes refuses gets a page with the message."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if (
        isinstance(original_response, TemplateResponse)
        and form is not None
        and form.has_error(NON_FIELD_ERRORS, code=LOCKED_OUT)
    ):
        original_response.status_code = status
        return original_response
    username = get_client_username(request, credentials)
    now = timezone.now()
    lockout = lockout_for(username, getattr(request, "axes_ip_address", None), now=now)
    message = lockout_message(lockout, now=now)
    return render(request, "registration/locked_out.html", {"message": message}, status)


def locked_usernames(*, now: datetime) -> list[LockedEntry]:
    """Usernames locked out at `now`, the most recent first (at most LIST_LIMIT)."""
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=_window_start(now), username__isnull=False)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last", "username")[:LIST_LIMIT]
    )
    rows = list(rows)
    names = dict(
        User.objects.filter(username__in=[r["username"] for r in rows]).values_list(
            "username", "full_name"
        )
    )
    cool_off = get_cool_off()
    return [
        LockedEntry(
            key=r["username"],
            failures=r["failures"],
            last_failure=r["last"],
            until=r["last"] + cool_off,
            known=r["username"] in names,
            full_name=names.get(r["username"]) or "",
        )
        for r in rows
    ]


def locked_addresses(*, now: datetime) -> list[LockedEntry]:
    """Client addresses locked out at `now`, the most recent first (at most LIST_LIMIT)."""
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=_window_start(now), ip_address__isnull=False)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.LOGIN_FAILURES_PER_ADDRESS)
        .order_by("-last", "ip_address")[:LIST_LIMIT]
    )
    cool_off = get_cool_off()
    return [
        LockedEntry(
            key=r["ip_address"],
            failures=r["failures"],
            last_failure=r["last"],
            until=r["last"] + cool_off,
        )
        for r in rows
    ]


def unlock(
    *, by, username: str = "", ip_address: str | None = None, by_password_reset: bool = False
) -> AccountUnlock | None:
    """Forget every recorded failure of one username or one address (axes' reset)
    and record who did it. None when there was nothing to forget (already unlocked,
    e.g. by a second click or another officer): nothing is recorded then."""
    if bool(username) == bool(ip_address):
        raise ValueError("Unlock exactly one of a username or an address.")
    lookup = {"username": username} if username else {"ip_address": ip_address}
    with transaction.atomic():
        # Lock the rows first, so two officers unlocking at once record it once.
        failures = list(
            AccessAttempt.objects.select_for_update()
            .filter(**lookup)
            .values_list("failures_since_start", flat=True)
        )
        if not failures:
            return None
        reset(username=username or None, ip=ip_address or None)
        return AccountUnlock.objects.create(
            username=username,
            ip_address=ip_address or None,
            failures=sum(failures),
            unlocked_by=by,
            by_password_reset=by_password_reset,
        )
