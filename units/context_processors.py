"""`perms` for templates, answered by the project's rules.

Django's own `perms` asks every authentication backend: when a rule says no, the
model backend then reads the user's permission rows (two queries), so a menu asking
"may review?" would cost a unit's head two queries on every page. A permission
named in a rules module (units.rules, campaigns.rules, reports.rules) is answered
by its rule alone, from the role facts the rules cache on the user; any other name
(a model permission of the admin) goes to Django as before.
"""

import rules
from django.contrib.auth.context_processors import PermLookupDict, PermWrapper


def allows(user, perm: str) -> bool:
    """Whether the user holds the permission, not about any one object."""
    if rules.perm_exists(perm):
        return rules.has_perm(perm, user)
    return user.has_perm(perm)


class RulePermLookupDict(PermLookupDict):
    def __init__(self, user, app_label, answers: dict):
        super().__init__(user, app_label)
        self.answers = answers

    def __getitem__(self, perm_name):
        perm = f"{self.app_label}.{perm_name}"
        if perm not in self.answers:
            self.answers[perm] = allows(self.user, perm)
        return self.answers[perm]


class RulePermWrapper(PermWrapper):
    """Each answer is worked out once per template rendering."""

    def __init__(self, user):
        super().__init__(user)
        self.answers: dict[str, bool] = {}

    def __getitem__(self, app_label):
        return RulePermLookupDict(self.user, app_label, self.answers)

    def __contains__(self, perm_name):
        if "." not in perm_name:
            return bool(self[perm_name])
        app_label, name = perm_name.split(".", 1)
        return self[app_label][name]


def rule_perms(request) -> dict:
    """Replaces the `perms` of django.contrib.auth's context processor (listed after it)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"perms": RulePermWrapper(user)}
