from .assessment import IndividualAssessment
from .campaign import Campaign, Content, Criterion, Period, Task, Title
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
