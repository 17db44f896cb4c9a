"""Forms of the people's year-end assessments: one row per person, and the import.

The forms only read what was typed (numbers, dates, a title from the list); the
rules (which titles fit, months 0–12, discipline dates) live in
campaigns.individuals.assessments, whose ValidationErrors the forms show field by field.
"""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.enums import (
    DisciplineLevel,
    PerformanceGrade,
    RecognitionLevel,
    TitleSubject,
)
from campaigns.individuals.assessments import FIELDS
from campaigns.models import Criterion, IndividualAssessment, Title
from campaigns.movement.forms import EMPTY_CHOICE, TitleField, titles_of
from units.forms import COMMENT_MAX_LENGTH, FreeTextField
from units.models import Person

DATE_PLACEHOLDER = _("dd/mm/yyyy")


class YesNoScoreField(forms.ChoiceField):
    """A yes/no criterion's score picked as Có (its maximum) or Không (0): the values
    are the scores as stored, so the domain reads them as any typed score."""

    def __init__(self, *, criterion: Criterion, **kwargs):
        points = _score_text(criterion.max_points)
        choices = [EMPTY_CHOICE, (points, _("Yes")), (_score_text(Decimal("0")), _("No"))]
        super().__init__(choices=choices, required=False, **kwargs)

    def prepare_value(self, value):
        # A score saved as "10" or "10.0" still shows as Có.
        try:
            return _score_text(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return value


def _score_text(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def score_field(criterion: Criterion) -> forms.Field:
    """The input of a leader criterion: a Có/Không select for a yes/no criterion, a
    short number box otherwise."""
    if criterion.is_yes_no:
        return YesNoScoreField(criterion=criterion, label=criterion.code)
    return FreeTextField(
        label=criterion.code,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "input--short"}),
    )


class AssessmentRowForm(forms.Form):
    """One row of the assessment table: one person. Field names carry the person's
    prefix so that fifty rows live on one page."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    grade = forms.ChoiceField(
        label=_("Performance grade"),
        required=False,
        choices=[EMPTY_CHOICE, *PerformanceGrade.choices],
    )
    initiatives = FreeTextField(
        label=_("Initiatives or scientific works"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    initiative_level = forms.ChoiceField(
        label=_("Recognition level"), required=False, choices=RecognitionLevel.choices
    )
    initiative_decision = FreeTextField(label=_("Recognition decision"), max_length=200)
    discipline_level = forms.ChoiceField(
        label=_("Discipline"), required=False, choices=DisciplineLevel.choices
    )
    discipline_from = forms.DateField(
        label=_("Discipline from"),
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_PLACEHOLDER}),
    )
    discipline_to = forms.DateField(
        label=_("Discipline to"),
        required=False,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": DATE_PLACEHOLDER}),
    )
    months_worked = forms.IntegerField(
        label=_("Months worked"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
    )
    notes = FreeTextField(
        label=_("Notes"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args,
        person: Person,
        criteria: Sequence[Criterion],
        titles: Sequence[Title],
        **kwargs,
    ):
        kwargs.setdefault("prefix", f"p{person.pk}")
        super().__init__(*args, **kwargs)
        self.person = person
        self.criteria = list(criteria) if person.is_leader else []
        self.fields["proposed_title"] = TitleField(
            label=_("Proposed title"),
            titles={t.pk: t for t in titles},
            choices=titles_of(titles, TitleSubject.INDIVIDUAL),
        )
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = score_field(criterion)
        # The row's <form> sits in its first cell; the inputs in the other cells of
        # the <tr> join it through the form attribute.
        self.form_id = f"row-form-{person.pk}"
        for field in self.fields.values():
            field.widget.attrs["form"] = self.form_id

    @classmethod
    def initial_for(cls, assessment: IndividualAssessment | None) -> dict:
        """The form's initial values from a saved row (or the defaults)."""
        if assessment is None:
            return {"version": 0, "months_worked": 12}
        initial = {name: getattr(assessment, name) for name in FIELDS}
        initial["version"] = assessment.version
        initial.update({f"score_{key}": value for key, value in assessment.leader_scores.items()})
        return initial

    def score_fields(self):
        """(criterion, bound field) for each leader criterion of a leader's row."""
        return [(c, self[f"score_{c.pk}"]) for c in self.criteria]

    def to_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in FIELDS}
        data["leader_scores"] = {
            str(c.pk): self.cleaned_data.get(f"score_{c.pk}", "") for c in self.criteria
        }
        return data

    def add_domain_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            field = key.replace("leader_scores.", "score_", 1)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def with_version(self, version: int) -> "AssessmentRowForm":
        """The same typed values bound again with another version: after a refused
        save, saving again knowingly overwrites the newer row."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        return type(self)(data, person=self.person, criteria=self.criteria, titles=self._titles())

    def _titles(self) -> list[Title]:
        return list(self.fields["proposed_title"].titles.values())


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("The columns of the export. Nothing is saved unless every row is correct."),
    )
