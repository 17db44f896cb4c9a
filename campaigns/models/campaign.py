from decimal import Decimal

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from campaigns.enums import (
    CampaignKind,
    CampaignStatus,
    CriterionKind,
    PeriodKind,
    Subject,
    TitleCategory,
    TitleLevel,
    TitleSubject,
)


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The campaigns the user may see (campaigns.rules): every launched or closed
        one for the ministry-wide roles and the council, drafts too for those who
        prepare them; for everyone else the launched or closed campaigns their units
        take part in."""
        if not user.is_authenticated:
            return self.none()
        public = Q(status__in=[CampaignStatus.LAUNCHED, CampaignStatus.CLOSED])
        if rules.has_perm("campaigns.view_every_campaign", user):
            if rules.has_perm("campaigns.view_draft_campaigns", user):
                return self.all()
            return self.filter(public)
        return self.filter(public, participants__memberships__user=user).distinct()


class Campaign(models.Model):
    """An emulation movement (phong trào thi đua) launched for a year or a theme.

    Status changes must go through campaigns.movement.lifecycle (launch, close, reopen): it
    checks the change and the permission and records a CampaignTransition."""

    name = models.CharField(_("name"), max_length=255)
    theme = models.CharField(_("theme"), max_length=500)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.ANNUAL
    )
    organizer = models.ForeignKey(
        "units.Unit",
        verbose_name=_("organizing body"),
        on_delete=models.PROTECT,
        related_name="organized_campaigns",
    )
    document_number = models.CharField(_("issuing document number"), max_length=60, blank=True)
    document_date = models.DateField(_("issuing document date"), null=True, blank=True)
    launched_by = models.CharField(
        _("launched by"),
        max_length=200,
        blank=True,
        help_text=_("Who launched the movement, e.g. the Minister."),
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    participants = models.ManyToManyField(
        "units.Unit",
        verbose_name=_("participating units"),
        related_name="campaigns",
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000), name="campaign_year_plausible"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date must not be before the start date.")})


class CampaignTransition(models.Model):
    """Every change of a movement's status: who, when, from which to which. Written
    by campaigns.movement.lifecycle, the only writer of Campaign.status."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=CampaignStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=CampaignStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("movement status change")
        verbose_name_plural = _("movement status changes")
        ordering = ["campaign", "at", "id"]

    def __str__(self):
        return f"{self.campaign}: {self.from_status} → {self.to_status}"


class NumberedItem(models.Model):
    """A numbered content or task of a campaign."""

    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        abstract = True
        ordering = ["campaign", "number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Content(NumberedItem):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="contents"
    )

    class Meta(NumberedItem.Meta):
        verbose_name = _("emulation content")
        verbose_name_plural = _("emulation contents")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="content_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="content_number_positive"),
        ]


class Task(NumberedItem):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="tasks"
    )

    class Meta(NumberedItem.Meta):
        verbose_name = _("task and solution")
        verbose_name_plural = _("tasks and solutions")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="task_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_number_positive"),
        ]


class Criterion(models.Model):
    """A row of a scoring table. A criterion with children is a section heading; its
    points are the sum of its children's and only leaves are answered."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="criteria"
    )
    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices)
    content = models.ForeignKey(
        Content,
        verbose_name=_("content"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="criteria",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=20, help_text=_('For example "2.1".'))
    text = models.TextField(_("criterion"))
    guidance = models.TextField(_("guidance"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=CriterionKind.choices, default=CriterionKind.SCORED
    )
    max_points = models.DecimalField(
        _("maximum points"), max_digits=6, decimal_places=2, default=Decimal("0")
    )
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["campaign", "subject", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subject", "code"], name="criterion_unique_code"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="criterion_points_not_negative"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="criterion_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.code} {self.text[:80]}"

    @property
    def is_yes_no(self) -> bool:
        return self.kind == CriterionKind.YES_NO

    def clean(self):
        super().clean()
        errors = {}
        if self.parent_id:
            if self.parent.campaign_id != self.campaign_id:
                errors["parent"] = _("The section must belong to the same movement.")
            elif self.parent.subject != self.subject:
                errors["parent"] = _("The section must have the same subject.")
            elif self.parent.is_yes_no:
                errors["parent"] = _(
                    "“{code}” is a yes/no criterion: no criterion can be put under it."
                ).format(code=self.parent.code)
        if self.is_yes_no and self.pk and self.children.exists():
            errors["kind"] = _(
                "A criterion with criteria under it cannot be yes/no: its points are its "
                "criteria's."
            )
        if self.content_id and self.content.campaign_id != self.campaign_id:
            errors["content"] = _("The content must belong to the same movement.")
        if errors:
            raise ValidationError(errors)


class Period(models.Model):
    """A reporting period of a campaign: the six-monthly review or the year-end review."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="periods"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PeriodKind.choices)
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["campaign", "opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="period_unique_kind"),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")) & Q(closes_on__gte=F("due_on")),
                name="period_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.campaign.year}"

    def clean(self):
        super().clean()
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            raise ValidationError(
                {"due_on": _("The due date must not be before the opening date.")}
            )
        if self.due_on and self.closes_on and self.closes_on < self.due_on:
            raise ValidationError(
                {"closes_on": _("The closing date must not be before the due date.")}
            )

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class Title(models.Model):
    """The catalogue of emulation titles and forms of commendation (Law 06/2022)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=TitleCategory.choices,
        default=TitleCategory.EMULATION_TITLE,
    )
    subject = models.CharField(_("subject"), max_length=16, choices=TitleSubject.choices)
    level = models.CharField(_("level"), max_length=16, choices=TitleLevel.choices)
    deciding_authority = models.CharField(_("deciding authority"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    reward_multiple = models.DecimalField(
        _("reward (multiple of the base salary)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("title or form of commendation")
        verbose_name_plural = _("titles and forms of commendation")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reward_multiple__isnull=True) | Q(reward_multiple__gte=0),
                name="title_reward_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        language = get_language() or settings.LANGUAGE_CODE
        return self.name_en if language.startswith("en") else self.name_vi
