from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignKind(models.TextChoices):
    ANNUAL = "annual", _("Annual (regular)")
    THEMATIC = "thematic", _("Thematic")
    SHORT_TERM = "short_term", _("Short-term")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign status", "Draft")
    LAUNCHED = "launched", pgettext_lazy("campaign status", "Launched")
    CLOSED = "closed", pgettext_lazy("campaign status", "Closed")


class Subject(models.TextChoices):
    """Whom a criterion assesses."""

    COLLECTIVE = "collective", _("Collective")
    INDIVIDUAL = "individual", _("Individual")
    LEADER = "leader", _("Unit leader")


class CriterionKind(models.TextChoices):
    SCORED = "scored", _("Scored")
    YES_NO = "yes_no", _("Yes / no")
    BONUS = "bonus", _("Bonus")
    PENALTY = "penalty", _("Penalty")


class PeriodKind(models.TextChoices):
    SIX_MONTHLY = "six_monthly", _("Six-monthly review")
    YEAR_END = "year_end", _("Year-end review")


class TitleSubject(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class TitleCategory(models.TextChoices):
    EMULATION_TITLE = "title", _("Emulation title")
    COMMENDATION = "commendation", _("Form of commendation")


class TitleLevel(models.TextChoices):
    STATE = "state", pgettext_lazy("title level", "State")
    MINISTRY = "ministry", _("Ministry / province")
    GRASSROOTS = "grassroots", _("Grassroots (unit)")


class SubmissionState(models.TextChoices):
    """State changes go through campaigns.sheets.workflow, the only writer of Submission.state."""

    DRAFT = "draft", pgettext_lazy("submission state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("submission state", "Submitted")
    RETURNED = "returned", pgettext_lazy("submission state", "Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("submission state", "Accepted")

    editable_states = nonmember(("draft", "returned"))
    reviewable_states = nonmember(("submitted",))
    # Sent in: the unit has done its part (the reminders, the urging list and the
    # reports count every other unit as missing).
    done_states = nonmember(("submitted", "accepted"))


class AnswerField(models.TextChoices):
    """What one AnswerChange changed: a field of the answer, or its evidence files
    (a file added has the new value, a file removed the old)."""

    SELF_SCORE = "self_score", _("Self score")
    NARRATIVE = "narrative", _("What the unit did")
    EVIDENCE = "evidence", _("Evidence")
    REVIEWER_SCORE = "reviewer_score", _("Reviewer score")
    REVIEWER_COMMENT = "reviewer_comment", _("Reviewer comment")
    BLOCK_SCORE = "block_score", _("Block score")
    BLOCK_COMMENT = "block_comment", _("Block comment")

    scores = nonmember(("self_score", "reviewer_score", "block_score"))


class TransitionAction(models.TextChoices):
    """What a workflow step did: the timeline shows it (a reopening and a return
    both end in "returned", a withdrawal and a reopened draft both in "draft")."""

    SUBMITTED = "submitted", pgettext_lazy("workflow action", "Submitted")
    RETURNED = "returned", pgettext_lazy("workflow action", "Returned for revision")
    ACCEPTED = "accepted", pgettext_lazy("workflow action", "Accepted")
    REOPENED = "reopened", pgettext_lazy("workflow action", "Reopened")
    WITHDRAWN = "withdrawn", pgettext_lazy("workflow action", "Withdrawn by the unit")


# The state machine in one screen: for each action, the state it leaves and the
# state it leads to. campaigns.sheets.workflow checks every step against this table.
# An accepted self-assessment is locked: only a reopening (an emulation officer,
# with a reason) moves it back to returned; after the period closes a reopening is
# also how one unit gets to edit again, whatever its state (a draft stays a draft).
# A unit withdraws its submitted sheet back to draft until the review starts.
TRANSITIONS: dict[str, dict[str, str]] = {
    TransitionAction.SUBMITTED: {
        SubmissionState.DRAFT: SubmissionState.SUBMITTED,
        SubmissionState.RETURNED: SubmissionState.SUBMITTED,
    },
    TransitionAction.RETURNED: {SubmissionState.SUBMITTED: SubmissionState.RETURNED},
    TransitionAction.ACCEPTED: {SubmissionState.SUBMITTED: SubmissionState.ACCEPTED},
    TransitionAction.REOPENED: {
        SubmissionState.DRAFT: SubmissionState.DRAFT,
        SubmissionState.SUBMITTED: SubmissionState.RETURNED,
        SubmissionState.RETURNED: SubmissionState.RETURNED,
        SubmissionState.ACCEPTED: SubmissionState.RETURNED,
    },
    TransitionAction.WITHDRAWN: {SubmissionState.SUBMITTED: SubmissionState.DRAFT},
}


# The movement's own life, by action: the status each starts from and the status it
# leads to. Drafted by the Department, launched by the Minister's decision, closed at
# the year's end; a closed movement may be reopened (launched again) to correct it.
# campaigns.movement.lifecycle checks every change against this table.
CAMPAIGN_TRANSITIONS: dict[str, dict[str, str]] = {
    "launch": {CampaignStatus.DRAFT: CampaignStatus.LAUNCHED},
    "close": {CampaignStatus.LAUNCHED: CampaignStatus.CLOSED},
    "reopen": {CampaignStatus.CLOSED: CampaignStatus.LAUNCHED},
}


class PerformanceGrade(models.TextChoices):
    """Annual performance grade of a civil servant or public employee."""

    EXCELLENT = "excellent", _("Excellent task completion")
    GOOD = "good", _("Good task completion")
    COMPLETED = "completed", _("Task completed")
    NOT_COMPLETED = "not_completed", _("Task not completed")


class RecognitionLevel(models.TextChoices):
    NONE = "", _("None")
    GRASSROOTS = "grassroots", _("Grassroots (unit)")
    MINISTRY = "ministry", _("Ministry / province")
    NATIONAL = "national", _("National")


class DisciplineLevel(models.TextChoices):
    NONE = "", _("None")
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    SALARY_DOWNGRADE = "salary_downgrade", _("Salary downgrade")
    DEMOTION = "demotion", _("Demotion")
    DISMISSAL_FROM_POST = "dismissal_from_post", _("Dismissal from post")
    FORCED_RESIGNATION = "forced_resignation", _("Forced resignation")


class ReminderKind(models.TextChoices):
    DAYS_7 = "before_7", _("7 days before the due date")
    DAYS_3 = "before_3", _("3 days before the due date")
    DAYS_1 = "before_1", _("1 day before the due date")
    OVERDUE = "after_1", _("The day after the due date")
    MANUAL = "manual", _("Sent by an emulation officer")


class AdjustmentKind(models.TextChoices):
    """An adjustment of a block total that the movement's block rules compute (a
    bonus or penalty criterion of the sheet is scored on the sheet itself)."""

    LATE = "late", _("Late submission")
    MINISTRY_FLAG = "ministry_flag", _("Ministry Emulation Flag received the year before")
    GOVERNMENT_FLAG = "government_flag", _("Government Emulation Flag received the year before")


class AcclamationState(models.TextChoices):
    OPEN = "open", pgettext_lazy("acclamation state", "Voting")
    CLOSED = "closed", pgettext_lazy("acclamation state", "Closed")


class ProposalKind(models.TextChoices):
    """What a block's acclamation proposes a unit for (domain.md §3.2 4b)."""

    MINISTRY_FLAG = "ministry_flag", _("Ministry Emulation Flag")
    MINISTER_MERIT = "minister_merit", _("Minister's Certificate of Merit")
