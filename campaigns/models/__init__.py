from .assessment import IndividualAssessment
from .campaign import Campaign, CampaignTransition, Content, Criterion, Period, Task, Title
from .submission import (
    Answer,
    AnswerChange,
    Evidence,
    Registration,
    RegistrationEntry,
    Reminder,
    Submission,
    Transition,
)

__all__ = [
    "Answer",
    "AnswerChange",
    "Campaign",
    "CampaignTransition",
    "Content",
    "Criterion",
    "Evidence",
    "IndividualAssessment",
    "Period",
    "Registration",
    "RegistrationEntry",
    "Reminder",
    "Submission",
    "Task",
    "Title",
    "Transition",
]
