"""What the content checks raise when a file of a known family cannot be accepted."""

from django.utils.translation import gettext_lazy

PASSWORD_REASON = gettext_lazy("it is protected by a password; save it without one")
MACROS_REASON = gettext_lazy("it contains macros; save it as a document without macros")


class Refused(Exception):
    """The content is of a family we know but cannot accept; str() says why."""
