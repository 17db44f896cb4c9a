"""The forms of the self-assessment and its review. They only read what was typed
(units.forms.FreeTextField: NUL refused, invisible controls removed, a length
limit); scores are parsed and checked by campaigns.sheets.scoring, the rules of each step
live in campaigns.sheets.answers and campaigns.sheets.workflow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from units.forms import COMMENT_MAX_LENGTH, NARRATIVE_MAX_LENGTH, FreeTextField

SCORE_MAX_LENGTH = 20


class AnswerForm(forms.Form):
    self_score = FreeTextField(label=_("Self score"), max_length=SCORE_MAX_LENGTH)
    narrative = FreeTextField(label=_("What the unit did"), max_length=NARRATIVE_MAX_LENGTH)


class ReviewForm(forms.Form):
    reviewer_score = FreeTextField(label=_("Reviewer score"), max_length=SCORE_MAX_LENGTH)
    reviewer_comment = FreeTextField(label=_("Comment to the unit"), max_length=COMMENT_MAX_LENGTH)


class ReasonForm(forms.Form):
    """A reason given for a step (reopening a unit from the urging page)."""

    reason = FreeTextField(label=_("Reason"), max_length=COMMENT_MAX_LENGTH)


class ReopenForm(forms.Form):
    reopen_reason = FreeTextField(label=_("Reason for reopening"), max_length=COMMENT_MAX_LENGTH)


class ReturnForm(ReasonForm):
    """The reason for returning a self-assessment and, optionally, a comment on
    single criteria (fields comment-<criterion id>, checked by the workflow)."""

    COMMENT_PREFIX = "comment-"

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for key in data or ():
            if key.startswith(self.COMMENT_PREFIX):
                criterion_id = key.removeprefix(self.COMMENT_PREFIX)
                if criterion_id.isascii() and criterion_id.isdigit() and len(criterion_id) <= 18:
                    self.fields[key] = FreeTextField(
                        label=_("Comment on a criterion"), max_length=COMMENT_MAX_LENGTH
                    )

    def comments(self) -> dict[int, str]:
        """The non-empty comments, by criterion id."""
        return {
            int(name.removeprefix(self.COMMENT_PREFIX)): value
            for name, value in self.cleaned_data.items()
            if name.startswith(self.COMMENT_PREFIX) and value
        }


class BlockScoreForm(forms.Form):
    """The block's score and comment on one criterion; the reason of a change, which
    the Department must give (checked by campaigns.blocks.scoring)."""

    block_score = FreeTextField(label=_("Block score"), max_length=SCORE_MAX_LENGTH)
    block_comment = FreeTextField(label=_("Block comment"), max_length=COMMENT_MAX_LENGTH)
    reason = FreeTextField(label=_("Reason for the change"), max_length=COMMENT_MAX_LENGTH)
