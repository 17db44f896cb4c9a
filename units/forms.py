"""The login forms (with the lockout message), the password reset form (the email in
the working language) and the officers' unlock form."""

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from units.lockout import LockoutMessageMixin


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
