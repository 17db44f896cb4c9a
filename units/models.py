import datetime as dt
import secrets

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import (
    UNIT_MANAGING_ROLES,
    Gender,
    GroupKind,
    ImportStatus,
    MinistryRole,
    PersonCategory,
    Role,
    UnitKind,
)


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def visible_to(self, user):
        """Units a user may look at (units.rules): all for those who may view every
        unit; else their own and, for the managers of a block or cluster's head unit,
        its members."""
        if not user.is_authenticated:
            return self.none()
        if rules.has_perm("units.view_every_unit", user):
            return self.all()
        headed = GroupMembership.objects.filter(
            group__head_unit__memberships__user=user,
            group__head_unit__memberships__role__in=UNIT_MANAGING_ROLES,
        ).values("unit_id")
        return self.filter(Q(memberships__user=user) | Q(pk__in=headed)).distinct()


class Unit(models.Model):
    """An organisational unit: the ministry, a unit under it, or a provincial department."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    province = models.CharField(_("province"), max_length=80, blank=True)
    has_legal_personality = models.BooleanField(_("has legal personality"), default=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self):
        super().clean()
        ancestor = self.parent
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            ancestor = ancestor.parent


class User(AbstractUser):
    """A person who signs in. Ministry-wide roles are flags; unit roles are Memberships."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_emulation_officer = models.BooleanField(
        _("emulation officer"),
        default=False,
        help_text=_("Staff of the Department of Organization and Personnel: reviews and reports."),
    )
    is_council_member = models.BooleanField(
        _("council member"),
        default=False,
        help_text=_("Member of the Emulation and Commendation Council."),
    )
    is_leadership = models.BooleanField(
        _("leadership"), default=False, help_text=_("Minister or vice minister: reads reports.")
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    @property
    def ministry_roles(self) -> list[MinistryRole]:
        """The user's ministry-wide roles, from the flags (no query)."""
        flags = (
            (self.is_superuser, MinistryRole.ADMIN),
            (self.is_emulation_officer, MinistryRole.OFFICER),
            (self.is_leadership, MinistryRole.LEADERSHIP),
            (self.is_council_member, MinistryRole.COUNCIL),
        )
        return [role for flag, role in flags if flag]

    @property
    def ministry_role_label(self) -> str:
        return ", ".join(str(role.label) for role in self.ministry_roles)


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__order", "unit__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit"),
        ]

    def __str__(self):
        return f"{self.user} – {self.unit} ({self.role_label})"

    @property
    def manages_unit(self) -> bool:
        return self.role in UNIT_MANAGING_ROLES

    @property
    def role_label(self) -> str:
        """The role as shown (load the user with the membership): the officer
        membership of one of the Department's emulation officers names the
        Department's role, not a unit's delegated officer."""
        if self.role == Role.OFFICER and self.user.is_emulation_officer:
            return str(MinistryRole.OFFICER.label)
        return self.get_role_display()


class Person(models.Model):
    """A staff record; it may exist without a login."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        User,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=PersonCategory.choices)
    is_leader = models.BooleanField(_("unit leader"), default=False)
    employee_code = models.CharField(_("employee code"), max_length=40, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit__order", "-is_leader", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee_code"],
                condition=~Q(employee_code=""),
                name="person_unique_employee_code",
            ),
        ]

    def __str__(self):
        return self.full_name


class EmulationGroupQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class EmulationGroup(models.Model):
    """An emulation block (units under the ministry) or cluster (provincial departments)."""

    kind = models.CharField(_("kind"), max_length=8, choices=GroupKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    head_unit = models.ForeignKey(
        Unit,
        verbose_name=_("head unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_groups",
    )
    deputy_unit = models.ForeignKey(
        Unit,
        verbose_name=_("deputy head unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputy_groups",
    )
    members = models.ManyToManyField(
        Unit,
        verbose_name=_("member units"),
        through="GroupMembership",
        related_name="emulation_groups",
        blank=True,
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = EmulationGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("emulation block or cluster")
        verbose_name_plural = _("emulation blocks and clusters")
        ordering = ["year", "kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="group_unique_year_code"),
            models.CheckConstraint(
                condition=Q(head_unit__isnull=True)
                | Q(deputy_unit__isnull=True)
                | ~Q(head_unit=models.F("deputy_unit")),
                name="group_head_differs_from_deputy",
            ),
            models.CheckConstraint(condition=Q(year__gte=2000), name="group_year_plausible"),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def clean(self):
        super().clean()
        if self.head_unit_id and self.head_unit_id == self.deputy_unit_id:
            raise ValidationError(
                {"deputy_unit": _("The deputy head unit must differ from the head unit.")}
            )


class GroupMembership(models.Model):
    """A unit's place in one block or cluster. Year and kind are copied from the group
    so that the database itself refuses a second block (or cluster) for a unit in a year."""

    group = models.ForeignKey(
        EmulationGroup,
        verbose_name=_("block or cluster"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="group_memberships"
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=GroupKind.choices, editable=False)

    class Meta:
        verbose_name = _("block or cluster member")
        verbose_name_plural = _("block or cluster members")
        ordering = ["group", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year"], name="one_group_per_unit_kind_year"
            ),
            models.UniqueConstraint(fields=["group", "unit"], name="group_member_unique"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.group}"

    def save(self, *args, **kwargs):
        self.year = self.group.year
        self.kind = self.group.kind
        super().save(*args, **kwargs)

    def clean(self):
        # The form leaves out year and kind, so Django skips the database constraint
        # while validating; check it here to answer with a message instead of an error.
        super().clean()
        if not (self.group_id and self.unit_id):
            return
        clash = (
            GroupMembership.objects.filter(
                unit_id=self.unit_id, year=self.group.year, kind=self.group.kind
            )
            .exclude(pk=self.pk)
            .select_related("group")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                {
                    "unit": _("{unit} already belongs to {group} in {year}.").format(
                        unit=self.unit, group=clash.group.name, year=self.group.year
                    )
                }
            )


# A job running for longer than its task's hard time limit (units.tasks) has lost its
# worker: the page says so, and a redelivery of the task may run it again.
STALLED_AFTER = dt.timedelta(minutes=16)


def _stalled_import(now: dt.datetime) -> Q:
    """The stalled-import rule, stated once: still running past the task's time limit."""
    return Q(status=ImportStatus.RUNNING, started_at__lt=now - STALLED_AFTER)


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is seen only by whoever sent its file, administrators included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(created_by=user)

    def claimable(self, now: dt.datetime):
        """What a delivery of the task may run: a queued job, or a stalled one (its
        worker saved nothing: the import is one transaction)."""
        return self.filter(Q(status=ImportStatus.QUEUED) | _stalled_import(now))

    def with_stalled(self, now: dt.datetime):
        """Each job with is_stalled, for its page."""
        return self.annotate(
            is_stalled=Case(When(_stalled_import(now), then=Value(True)), default=Value(False))
        )


def import_upload_to(instance, filename: str) -> str:
    # Read only by the worker, deleted once the import ends; the name is not guessable.
    return f"imports/{secrets.token_urlsafe(18)}.xlsx"


class ImportJob(models.Model):
    """A large import run by a worker (units.imports): the uploaded file, who sent it
    and when, where it stands and what came out (counts, or the file's problem and
    every bad row). Like an import in the request, it saves every row or none."""

    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=255)
    back_url = models.CharField(_("back to"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=16, default=settings.LANGUAGE_CODE)
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    problem = models.TextField(_("problem"), blank=True)
    errors = models.JSONField(_("rows to correct"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of problems"), default=0)
    created_by = models.ForeignKey(
        User, verbose_name=_("sent by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.file_name})"

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def more_errors(self) -> int:
        """Problems found beyond those stored in `errors`."""
        return max(self.error_count - len(self.errors), 0)


class AccountUnlock(models.Model):
    """A lifted login lockout (units/lockout.py): which username or client address,
    how many failures were forgotten, who lifted it and when."""

    username = models.CharField(_("username"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failed logins"))
    unlocked_by = models.ForeignKey(
        User,
        verbose_name=_("unlocked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unlocked_at = models.DateTimeField(_("unlocked at"), default=timezone.now)
    by_password_reset = models.BooleanField(
        _("by a password reset"),
        default=False,
        help_text=_("The account's owner reset the password by email."),
    )

    class Meta:
        verbose_name = _("login unlock")
        verbose_name_plural = _("login unlocks")
        ordering = ["-unlocked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(username="") & Q(ip_address__isnull=False))
                | (~Q(username="") & Q(ip_address__isnull=True)),
                name="unlock_username_or_address",
            ),
        ]

    def __str__(self):
        return self.username or str(self.ip_address)
