from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaigns.enums import DisciplineLevel, PerformanceGrade, RecognitionLevel

from .campaign import Period, Title


class IndividualAssessment(models.Model):
    """A person's year-end assessment by their unit, the input to individual titles.
    Leaders also carry their scores against the leader criteria (criterion id → points)."""

    period = models.ForeignKey(
        Period,
        verbose_name=_("period"),
        on_delete=models.CASCADE,
        related_name="individual_assessments",
    )
    person = models.ForeignKey(
        "units.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    grade = models.CharField(
        _("performance grade"), max_length=16, choices=PerformanceGrade.choices, blank=True
    )
    initiatives = models.TextField(_("initiatives or scientific works"), blank=True)
    initiative_level = models.CharField(
        _("recognition level"), max_length=16, choices=RecognitionLevel.choices, blank=True
    )
    initiative_decision = models.CharField(_("recognition decision"), max_length=200, blank=True)
    discipline_level = models.CharField(
        _("discipline"), max_length=24, choices=DisciplineLevel.choices, blank=True
    )
    discipline_from = models.DateField(_("discipline from"), null=True, blank=True)
    discipline_to = models.DateField(_("discipline to"), null=True, blank=True)
    months_worked = models.PositiveSmallIntegerField(_("months worked"), default=12)
    notes = models.TextField(_("notes"), blank=True)
    proposed_title = models.ForeignKey(
        Title,
        verbose_name=_("proposed title"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader_scores = models.JSONField(_("leader criteria scores"), default=dict, blank=True)
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
        verbose_name = _("individual assessment")
        verbose_name_plural = _("individual assessments")
        ordering = ["period", "person__unit__order", "-person__is_leader", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "person"], name="assessment_unique_person"),
            models.CheckConstraint(
                condition=Q(months_worked__lte=12), name="assessment_months_at_most_12"
            ),
            models.CheckConstraint(
                condition=Q(discipline_from__isnull=True)
                | Q(discipline_to__isnull=True)
                | Q(discipline_to__gte=F("discipline_from")),
                name="assessment_discipline_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.period}"
