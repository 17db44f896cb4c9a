"""Emulation blocks and clusters at work in a movement: the movement's block rules
and bands, the adjustments a block head overrides, the collective titles a unit
received (the flag bonuses read them), the acclamation vote with its secret ballots,
and the proposals it results in.

The groups themselves (EmulationGroup, its head, deputy and members, per year) are
organisation and live in units; everything here hangs off a movement's period."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.enums import AcclamationState, AdjustmentKind, ProposalKind

from .campaign import Campaign, Period, Title
from .submission import Submission

ZERO = Decimal("0")


class BlockRules(models.Model):
    """How a movement's blocks and clusters score, adjust, band and acclaim their
    members: data of the movement, set by the Department in the admin. A movement
    without a row uses the defaults below (campaigns.blocks.settings.rules_for)."""

    campaign = models.OneToOneField(
        Campaign, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="block_rules"
    )
    score_six_monthly = models.BooleanField(
        _("blocks also score the six-monthly review"),
        default=False,
        help_text=_(
            "Blocks and clusters always score the year-end review; tick to score the "
            "six-monthly one as well."
        ),
    )
    late_points_per_day = models.DecimalField(
        _("points off per day late"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(ZERO)],
        help_text=_("Deducted for each day a sheet was sent after the due date."),
    )
    late_points_cap = models.DecimalField(
        _("most points off for lateness"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(ZERO)],
    )
    ministry_flag_bonus = models.DecimalField(
        _("bonus for the Ministry flag of the year before"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(ZERO)],
    )
    government_flag_bonus = models.DecimalField(
        _("bonus for the Government flag of the year before"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15"),
        validators=[MinValueValidator(ZERO)],
        help_text=_("A unit with both flags gets only this one, the higher."),
    )
    acclamation_share = models.DecimalField(
        _("share of member units' votes needed (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
        help_text=_(
            "A candidate is acclaimed with more than this share of the block's "
            "member units' votes (50: more than half)."
        ),
    )
    flag_places = models.PositiveSmallIntegerField(
        _("Ministry flag proposals per block"), default=1
    )
    merit_places = models.PositiveSmallIntegerField(
        _("Certificate of Merit proposals per block"), default=2
    )

    class Meta:
        verbose_name = _("block rules of a movement")
        verbose_name_plural = _("block rules of movements")

    def __str__(self):
        return str(self.campaign)


class Band(models.Model):
    """A classification band of block totals: a unit is in the highest band whose
    minimum its total reaches (excellent ≥ 95, good ≥ 80, fair ≥ 65…)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="bands"
    )
    name = models.CharField(_("name"), max_length=80)
    min_total = models.DecimalField(_("from (points)"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["campaign", "-min_total"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "min_total"], name="band_unique_minimum"),
        ]

    def __str__(self):
        return f"{self.name} (≥ {self.min_total})"


class AdjustmentOverride(models.Model):
    """A block head (or the Department) setting an automatic adjustment of one sheet
    to other points, with the reason. Rows are never changed: the latest one counts,
    the earlier ones are its history."""

    submission = models.ForeignKey(
        Submission,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="adjustment_overrides",
    )
    kind = models.CharField(_("adjustment"), max_length=20, choices=AdjustmentKind.choices)
    points = models.DecimalField(
        _("points"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Signed: a penalty is negative."),
    )
    automatic_points = models.DecimalField(_("automatic points"), max_digits=6, decimal_places=2)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adjustment override")
        verbose_name_plural = _("adjustment overrides")
        ordering = ["submission", "kind", "-at", "-id"]
        indexes = [models.Index(fields=["submission", "kind", "-at"], name="override_latest")]

    def __str__(self):
        return f"{self.submission} {self.kind}: {self.points}"


class UnitTitle(models.Model):
    """A title or form of commendation a unit (collective) received, with its
    decision: the flag bonuses of the next year read it, and the records of
    the titles engine."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="titles"
    )
    year = models.PositiveSmallIntegerField(_("achievement year"))
    title = models.ForeignKey(
        Title, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="+"
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("title received by a unit")
        verbose_name_plural = _("titles received by units")
        ordering = ["unit", "-year", "title__order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "title"], name="unit_title_unique"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.title} ({self.year})"


class Acclamation(models.Model):
    """The acclamation (suy tôn) of a block or cluster at its year-end conference:
    opened by the head unit with its candidates, a secret ballot per member unit,
    closed by the head unit; the result is the block's proposals. The fields of the
    conference's minutes are typed by the head unit.

    Changes go through campaigns.blocks.acclamation (open_vote, cast_ballot,
    close_vote), the only writer of state and of the counts."""

    group = models.ForeignKey(
        "units.EmulationGroup",
        verbose_name=_("block or cluster"),
        on_delete=models.CASCADE,
        related_name="acclamations",
    )
    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="acclamations"
    )
    state = models.CharField(
        _("state"), max_length=8, choices=AcclamationState.choices, default=AcclamationState.OPEN
    )
    flag_places = models.PositiveSmallIntegerField(_("Ministry flag proposals"), default=1)
    merit_places = models.PositiveSmallIntegerField(_("Certificate of Merit proposals"), default=2)
    share = models.DecimalField(
        _("share of votes needed (%)"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    voter_count = models.PositiveSmallIntegerField(
        _("member units"), help_text=_("The member units that may vote: the share's base.")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The minutes (biên bản họp khối, cụm), typed by the head unit.
    meeting_date = models.DateField(_("conference date"), null=True, blank=True)
    meeting_place = models.CharField(_("place"), max_length=255, blank=True)
    chair_name = models.CharField(_("chaired by"), max_length=150, blank=True)
    secretary_name = models.CharField(_("secretary"), max_length=150, blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    notes = models.TextField(_("other matters"), blank=True)
    minutes_number = models.CharField(_("minutes number"), max_length=60, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("acclamation vote")
        verbose_name_plural = _("acclamation votes")
        ordering = ["period", "group__kind", "group__order"]
        constraints = [
            models.UniqueConstraint(fields=["group", "period"], name="acclamation_unique"),
        ]

    def __str__(self):
        return f"{self.group} – {self.period}"

    @property
    def is_open(self) -> bool:
        return self.state == AcclamationState.OPEN


class Candidate(models.Model):
    """A unit on the ballot. Its votes are counted when the vote closes, never before."""

    acclamation = models.ForeignKey(
        Acclamation,
        verbose_name=_("acclamation vote"),
        on_delete=models.CASCADE,
        related_name="candidates",
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT)
    rank = models.PositiveSmallIntegerField(_("rank in the block"), null=True, blank=True)
    block_total = models.DecimalField(
        _("block total"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    votes = models.PositiveSmallIntegerField(_("votes"), null=True, blank=True)
    acclaimed = models.BooleanField(_("acclaimed"), default=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["acclamation", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["acclamation", "unit"], name="candidate_unique"),
        ]

    def __str__(self):
        return str(self.unit)


class Voter(models.Model):
    """Who voted: one row per member unit that cast its ballot, never what it chose."""

    acclamation = models.ForeignKey(
        Acclamation,
        verbose_name=_("acclamation vote"),
        on_delete=models.CASCADE,
        related_name="voters",
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT)
    voted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    voted_at = models.DateTimeField(_("voted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit that voted")
        verbose_name_plural = _("units that voted")
        ordering = ["acclamation", "voted_at"]
        constraints = [
            models.UniqueConstraint(fields=["acclamation", "unit"], name="voter_once_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.acclamation}"


class Ballot(models.Model):
    """One secret ballot: the candidates chosen, nothing about who chose them. Its key
    is random, it has no time, and its choices are a list on the row (a table of
    choices would number them in the order the ballots came), so nothing orders the
    ballots in the order of the voters."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    acclamation = models.ForeignKey(
        Acclamation,
        verbose_name=_("acclamation vote"),
        on_delete=models.CASCADE,
        related_name="ballots",
    )
    choices = models.JSONField(_("candidates chosen"), default=list, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self):
        return str(_("ballot"))


class Proposal(models.Model):
    """What a block proposes to the Department from its acclamation: the leader for
    the Ministry Emulation Flag, runners-up for the Minister's Certificate of Merit.
    Commendation (nominations, the council) starts from these rows."""

    acclamation = models.ForeignKey(
        Acclamation,
        verbose_name=_("acclamation vote"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="block_proposals",
    )
    kind = models.CharField(_("proposed for"), max_length=20, choices=ProposalKind.choices)
    title = models.ForeignKey(
        Title, verbose_name=_("title or form"), on_delete=models.PROTECT, related_name="+"
    )
    votes = models.PositiveSmallIntegerField(_("votes"))
    rank = models.PositiveSmallIntegerField(_("rank in the block"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("block proposal")
        verbose_name_plural = _("block proposals")
        ordering = ["acclamation", "order"]
        constraints = [
            models.UniqueConstraint(fields=["acclamation", "unit"], name="proposal_unique_unit"),
            models.CheckConstraint(
                condition=Q(kind__in=ProposalKind.values), name="proposal_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.get_kind_display()}"
