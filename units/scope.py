"""Fetching one object in the user's scope: the pair every view calls.

`get_visible_or_404` answers 404 for an object outside the user's scope, exactly as
for one that does not exist, so a URL never reveals what another unit has.
`require` answers 403 for an object the user may see but not act on (a leader on
the review page, a block head on a member's sheet).

A model declares its scope once: a `visible_to(user)` method on its queryset (the
same rule as a filter, for lists) and a view permission in its app's rules module,
named as Django names it, `<app>.view_<model>`. A model that declares neither (a
period, a criterion) is looked up as it is; it is then only a part of an object
whose scope is checked next, with `visible_or_404` (a unit's sheet, built unsaved
until the unit's first save).
"""

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404


def view_permission(model) -> str | None:
    """The model's view permission, when a rules module defines one."""
    name = f"{model._meta.app_label}.view_{model._meta.model_name}"
    return name if rules.perm_exists(name) else None


def get_visible_or_404(queryset_or_model, user, /, **lookup):
    """The one object matching `lookup` that `user` may see; Http404 otherwise (none,
    several, a lookup value of the wrong type, or outside the user's scope)."""
    if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, models.Model):
        queryset = queryset_or_model._default_manager.all()
    else:
        queryset = queryset_or_model.all()
    if hasattr(queryset, "visible_to"):
        queryset = queryset.visible_to(user)
    try:
        obj = queryset.get(**lookup)
    except (
        queryset.model.DoesNotExist,
        queryset.model.MultipleObjectsReturned,
        TypeError,
        ValueError,
        ValidationError,
    ):
        raise Http404 from None
    perm = view_permission(queryset.model)
    return visible_or_404(user, perm, obj) if perm else obj


def visible_or_404(user, perm: str, obj):
    """`obj` when `user` holds the view permission `perm` on it; Http404 otherwise."""
    if not user.has_perm(perm, obj):
        raise Http404
    return obj


def require(user, perm: str, obj=None, *, message: str = "") -> None:
    """PermissionDenied (403, with `message` if given) unless `user` holds `perm`
    (on `obj`, if given)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(message)


class VisibleObjectMixin(LoginRequiredMixin):
    """A page about one object (a DetailView's get_object): anonymous visitors go to
    the login page; the object comes from get_queryset() through get_visible_or_404
    (404 outside the user's scope); then `permission_required`, when set, is required
    on it (403)."""

    permission_required: str = ""
    _object = None

    def dispatch(self, request, *args, **kwargs):
        # The object's scope first, whatever the method: a POST to a page of an
        # object outside the user's scope is 404 too, not 405.
        if request.user.is_authenticated:
            self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        if self._object is None:
            queryset = self.get_queryset() if queryset is None else queryset
            obj = get_visible_or_404(queryset, self.request.user, pk=self.kwargs[self.pk_url_kwarg])
            if self.permission_required:
                require(self.request.user, self.permission_required, obj)
            self._object = obj
        return self._object
