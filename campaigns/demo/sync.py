"""Create-or-update by natural key, writing only what differs, so that loading the
demo a second time creates nothing and leaves every value as it was."""

from collections.abc import Iterable
from typing import Any

from django.db import models


def index(rows: Iterable[models.Model], key) -> dict:
    """Existing rows by natural key, loaded in one query by the caller."""
    return {key(row): row for row in rows}


def sync_row(
    model: type[models.Model],
    found: models.Model | None,
    lookup: dict[str, Any],
    values: dict[str, Any],
) -> tuple[models.Model, bool]:
    """Create the row from lookup + values when found is None; otherwise set only the
    values that differ and save only when something did. Returns (row, created)."""
    if found is None:
        row = model(**lookup, **values)
        row.save()
        return row, True
    changed = False
    for name, value in values.items():
        attname = model._meta.get_field(name).attname
        raw = value.pk if isinstance(value, models.Model) else value
        if getattr(found, attname) != raw:
            setattr(found, name, value)
            changed = True
    if changed:
        # A full save: some models (GroupMembership) derive fields in save().
        found.save()
    return found, False
