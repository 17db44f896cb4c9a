import secrets
from decimal import Decimal

import rules
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.enums import AnswerField, ReminderKind, SubmissionState, TransitionAction
from units.enums import UNIT_MANAGING_ROLES

from .campaign import Campaign, Criterion, Period, Title

ZERO = Decimal("0")


class Registration(models.Model):
    """A unit's emulation registration at the start of the year. Informative only:
    the 2022 Law removed registration as a ground for titles, so nothing checks it."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="registrations"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="registrations"
    )
    commitments = models.TextField(_("commitments"), blank=True)
    target_title = models.ForeignKey(
        Title,
        verbose_name=_("collective title aimed for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("emulation registration")
        verbose_name_plural = _("emulation registrations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="registration_unique_unit"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.campaign}"


class RegistrationEntry(models.Model):
    """A person registering for an individual title."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    person = models.ForeignKey(
        "units.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    target_title = models.ForeignKey(
        Title, verbose_name=_("title aimed for"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("individual registration")
        verbose_name_plural = _("individual registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "person"], name="registration_entry_unique_person"
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.target_title}"


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """All for those who may view every submission (campaigns.rules: officers,
        leadership, admins); a unit sees its own; the managers of a block or
        cluster's head unit see its members' for the group's year, and the managers of
        its deputy unit the head unit's sheet, which they score for the group."""
        if not user.is_authenticated:
            return self.none()
        if rules.has_perm("campaigns.view_every_submission", user):
            return self.all()
        from units.models import GroupMembership, Membership

        # Two semi-joins rather than joins across memberships with DISTINCT: the
        # database can answer each from its indexes, and a submission is never
        # repeated, so counts and pages need no DISTINCT.
        own = Q(unit_id__in=Membership.objects.filter(user=user).values("unit_id"))
        headed = models.Exists(
            GroupMembership.objects.filter(
                unit_id=models.OuterRef("unit_id"),
                year=models.OuterRef("period__campaign__year"),
                group__head_unit__memberships__user=user,
                group__head_unit__memberships__role__in=UNIT_MANAGING_ROLES,
            )
        )
        deputy_of = models.Exists(
            GroupMembership.objects.filter(
                unit_id=models.OuterRef("unit_id"),
                year=models.OuterRef("period__campaign__year"),
                group__head_unit_id=models.OuterRef("unit_id"),
                group__deputy_unit__memberships__user=user,
                group__deputy_unit__memberships__role__in=UNIT_MANAGING_ROLES,
            )
        )
        return self.filter(own | headed | deputy_of)


class Submission(models.Model):
    """A unit's self-assessment for one period.

    State changes must go through campaigns.sheets.workflow (submit, withdraw,
    return_for_revision, accept, reopen): it checks the transition and permission,
    records a Transition and sends the notifications."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="submissions"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="submissions"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    self_total = models.DecimalField(
        _("self-assessed total"), max_digits=7, decimal_places=2, default=ZERO
    )
    reviewer_total = models.DecimalField(
        _("reviewed total"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    block_total = models.DecimalField(
        _("block total"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The sheet's total with the block's verified scores (the unit's own where the "
            "block gave none), before the adjustments; empty until the block scores."
        ),
    )
    block_scored_count = models.PositiveIntegerField(_("criteria scored by the block"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reopened_at = models.DateTimeField(
        _("reopened at"),
        null=True,
        blank=True,
        help_text=_("Set when an emulation officer reopens it after the period closed."),
    )
    review_started_at = models.DateTimeField(
        _("review started at"),
        null=True,
        blank=True,
        help_text=_("When an emulation officer first scored or commented on it since it was sent."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["period", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="submission_unique_unit"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.period}"

    @property
    def review_started(self) -> bool:
        """The Department has started reviewing the sheet it was sent: an officer saved
        a score or a comment on it since (review_started_at, set by the first such
        save and cleared by each submit). From then on the unit cannot withdraw it."""
        return self.state == SubmissionState.SUBMITTED and self.review_started_at is not None

    def is_editable(self, today) -> bool:
        """Answers may change in draft or returned, until the period closes (or after,
        once an emulation officer reopened it)."""
        if self.state not in SubmissionState.editable_states:
            return False
        return today <= self.period.closes_on or self.reopened_at is not None


class Answer(models.Model):
    """A unit's answer to one criterion. version guards against lost updates."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="answers"
    )
    self_score = models.DecimalField(
        _("self score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    narrative = models.TextField(_("narrative"), blank=True)
    reviewer_score = models.DecimalField(
        _("reviewer score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    reviewer_comment = models.TextField(_("reviewer comment"), blank=True)
    block_score = models.DecimalField(
        _("block score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The score verified by the head unit of the unit's block or cluster."),
    )
    block_comment = models.TextField(_("block comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["submission", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "criterion"], name="answer_unique"),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0),
                name="answer_self_score_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(reviewer_score__isnull=True) | Q(reviewer_score__gte=0),
                name="answer_reviewer_score_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(block_score__isnull=True) | Q(block_score__gte=0),
                name="answer_block_score_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.submission} – {self.criterion.code}"

    @property
    def evidence_files(self):
        """The files attached (none for an answer not saved yet, which a sheet shows
        for a criterion the unit has not answered)."""
        return self.evidence.all() if self.pk else Evidence.objects.none()


class AnswerChange(models.Model):
    """One field of one answer changed, or one evidence file added or removed: who,
    when, old and new value (a file by its name)."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="changes"
    )
    field = models.CharField(_("field"), max_length=32, choices=AnswerField.choices)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Why the Department changed a block's score (required for that change)."),
    )

    class Meta:
        verbose_name = _("answer change")
        verbose_name_plural = _("answer changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.answer} {self.field}"

    @property
    def is_score(self) -> bool:
        """Its values are scores (shown as the sheet shows them: 14, not 14.00)."""
        return self.field in AnswerField.scores


def evidence_upload_to(instance, filename: str) -> str:
    # A name nobody can guess; the original name is kept in the row, never on disk.
    return f"evidence/{secrets.token_hex(2)}/{secrets.token_urlsafe(24)}"


class Evidence(models.Model):
    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["answer", "uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Transition(models.Model):
    """Every workflow step of a submission, shown as its timeline: what was done
    (action), from which state to which, by whom, when and why."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_state = models.CharField(_("from"), max_length=16, choices=SubmissionState.choices)
    to_state = models.CharField(_("to"), max_length=16, choices=SubmissionState.choices)
    action = models.CharField(_("action"), max_length=16, choices=TransitionAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["submission", "at", "id"]

    def __str__(self):
        return f"{self.submission}: {self.action} ({self.from_state} → {self.to_state})"


class Reminder(models.Model):
    """A reminder email sent to a unit for a period; the record keeps it from going
    twice on the same day."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reminders"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "sent_on"],
                condition=~Q(kind=ReminderKind.MANUAL),
                name="reminder_once_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.sent_on}"
