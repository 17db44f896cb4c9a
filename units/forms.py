"""The form field every text a user types goes through, in every app.

A NUL character is refused (PostgreSQL cannot store it, so it used to end in a
500); bidirectional and zero-width controls are removed (units.text) and the form
can say so; line breaks are counted as one character, as the browser counts them
for the maxlength attribute and its counter, although a form posts them as CR LF;
every text has a length limit."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.text import without_invisible_controls

NARRATIVE_MAX_LENGTH = 20_000
COMMENT_MAX_LENGTH = 5_000

NUL_MESSAGE = _(
    "The text contains a null character (often pasted from another program), which "
    "cannot be saved. Nothing was saved: retype the text or paste it as plain text."
)


def length_message(limit: int, length: int) -> str:
    return gettext(
        "The text is too long: %(length)s characters, at most %(limit)s are allowed. "
        "Nothing was saved; shorten it and save again."
    ) % {
        "length": number_format(length, force_grouping=True),
        "limit": number_format(limit, force_grouping=True),
    }


class FreeTextField(forms.CharField):
    """Text typed by a user: at most max_length characters, NUL refused, invisible
    controls removed (field.removed_controls tells whether any were). Optional by
    default; surrounding whitespace is stripped."""

    def __init__(self, *, max_length: int, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        # CharField's own NUL and length checks, replaced by clearer messages below.
        self.validators = []
        self.removed_controls = False

    def to_python(self, value):
        value = super().to_python(value)
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        cleaned = without_invisible_controls(value)
        self.removed_controls = cleaned != value
        return cleaned.strip() if self.strip else cleaned

    def validate(self, value):
        if "\x00" in value:
            raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
        if len(value) > self.max_length:
            raise ValidationError(length_message(self.max_length, len(value)), code="max_length")
        super().validate(value)


def removed_controls_notice(form: forms.Form) -> str:
    """What to tell the user when invisible controls were removed from some of the
    form's fields, or ""."""
    labels = [
        str(field.label or name)
        for name, field in form.fields.items()
        if isinstance(field, FreeTextField) and field.removed_controls
    ]
    if not labels:
        return ""
    return gettext(
        "Invisible control characters (text direction or zero-width) were removed from: %(fields)s."
    ) % {"fields": ", ".join(labels)}


def first_error(form: forms.Form) -> str:
    """The form's errors as one sentence (for a row's status line)."""
    return " ".join(message for errors in form.errors.values() for message in errors)
