"""The forms of the lowest app, used by every app: the field every text a user types
goes through, the login forms (with the lockout message), the password reset form (the
email in the working language) and the officers' unlock form.

FreeTextField: a NUL character is refused (PostgreSQL cannot store it, so it used to
end in a 500); bidirectional and zero-width controls are removed (units.text) and the
form can say so; line breaks are counted as one character, as the browser counts them
for the maxlength attribute and its counter, although a form posts them as CR LF;
every text has a length limit."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.lockout import LockoutMessageMixin
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


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    pass


class PasswordResetForm(BasePasswordResetForm):
    """Django's form; the email is written in the working language whatever the
    language of the page it was asked from."""

    def send_mail(self, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            super().send_mail(*args, **kwargs)


class UnlockForm(forms.Form):
    """One username or one address, as listed on the locked accounts page."""

    username = forms.CharField(max_length=255, required=False, strip=False)
    ip_address = forms.GenericIPAddressField(required=False)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("username")) == bool(cleaned.get("ip_address")):
            raise forms.ValidationError(_("Choose one username or one address to unlock."))
        return cleaned
