"""The unit's registration for the movement: its commitments, the collective title it
aims for and each person's individual title; and the title picker the people's
assessments use too (campaigns.individuals.forms).

The form only reads what was typed (a title from the list); which titles fit is
campaigns.movement.registration's rule, whose ValidationErrors the form shows field by
field.
"""

from collections.abc import Iterable, Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.enums import TitleSubject
from campaigns.models import Title
from campaigns.movement.registration import EntryChoice
from units.forms import NARRATIVE_MAX_LENGTH, FreeTextField
from units.models import Person

EMPTY_CHOICE = ("", "—")


class TitleField(forms.Field):
    """A title picked from a list; any title in `titles` is accepted here so that the
    domain says why a wrong one does not fit (collective, no longer awarded)."""

    def __init__(self, *, titles: dict[int, Title], choices: Sequence[Title], **kwargs):
        self.titles = titles
        kwargs.setdefault("required", False)
        widget = forms.Select(choices=[EMPTY_CHOICE, *((t.pk, t.name) for t in choices)])
        super().__init__(widget=widget, **kwargs)

    def to_python(self, value) -> Title | None:
        if value in self.empty_values:
            return None
        try:
            return self.titles[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("Choose a title from the list."), code="invalid") from None

    def prepare_value(self, value):
        return value.pk if isinstance(value, Title) else value


def titles_of(titles: Iterable[Title], subject: str) -> list[Title]:
    return [t for t in titles if t.subject == subject and t.active]


class RegistrationForm(forms.Form):
    """The unit's commitments, its target collective title and, for each person of
    the unit, the individual title they register for (or none)."""

    commitments = FreeTextField(
        label=_("Commitments"),
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the unit commits to achieve in the movement this year."),
    )

    def __init__(self, *args, people: Sequence[Person], titles: Sequence[Title], **kwargs):
        super().__init__(*args, **kwargs)
        by_id = {t.pk: t for t in titles}
        self.titles_by_id = by_id
        self.people = list(people)
        self.fields["target_title"] = TitleField(
            label=_("Collective title aimed for"),
            titles=by_id,
            choices=titles_of(titles, TitleSubject.COLLECTIVE),
        )
        individual = titles_of(titles, TitleSubject.INDIVIDUAL)
        for person in self.people:
            self.fields[f"person_{person.pk}"] = TitleField(
                label=person.full_name, titles=by_id, choices=individual
            )

    def person_fields(self):
        """(person, bound field) for each person, in table order."""
        return [(person, self[f"person_{person.pk}"]) for person in self.people]

    def entries(self) -> list[EntryChoice]:
        return [
            EntryChoice(person, self.cleaned_data[f"person_{person.pk}"]) for person in self.people
        ]

    def add_domain_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            field = key.replace("entries.", "person_", 1)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
