"""The texts of a movement that still name another year, and their replacement.

Copying a movement to a new year replaces the year in its name and theme only: its
description, contents, tasks and criteria (texts and guidance, leader criteria too)
keep "năm 2024". After a copy the admin lists them here, each with the text as it is
and as it would be, and replaces the ones the user keeps ticked.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Content, Criterion, Task
from campaigns.movement import criteria_tree
from campaigns.movement.copying import copied_name

# The fields that hold free text, by model, in the order the page lists them.
FIELDS = {
    Campaign: ("name", "theme", "launched_by", "description"),
    Content: ("title", "text"),
    Task: ("title", "text"),
    Criterion: ("text", "guidance"),
}


@dataclass(frozen=True)
class YearText:
    """One field naming the old year: where it is, the text now and the proposal."""

    key: str
    label: str
    field_label: str
    old: str
    new: str


def texts_naming_year(campaign: Campaign, year: int) -> list[YearText]:
    """Every text of the movement, its contents, tasks and criteria that names `year`,
    with the year replaced by the movement's own. Four queries, whatever the size."""
    found = []
    for obj in _objects(campaign):
        for name in FIELDS[type(obj)]:
            old = getattr(obj, name)
            new = copied_name(old, year, campaign.year)
            if new != old:
                found.append(
                    YearText(
                        key=_key(obj, name),
                        label=_label(obj),
                        field_label=str(obj._meta.get_field(name).verbose_name),
                        old=old,
                        new=new,
                    )
                )
    return found


@transaction.atomic
def replace_year_in_texts(campaign: Campaign, year: int, *, keys: set[str]) -> int:
    """Replace `year` by the movement's year in the texts of `keys` (YearText.key) and
    return how many fields changed. The rows are locked and read again, so the
    replacement applies to the text as it is now; a key that no longer names the
    year, or is not one of this movement's texts, is left alone. All or nothing."""
    changed = 0
    for obj in _objects(campaign, lock=True):
        names = []
        for name in FIELDS[type(obj)]:
            new = copied_name(getattr(obj, name), year, campaign.year)
            if _key(obj, name) in keys and new != getattr(obj, name):
                setattr(obj, name, new)
                names.append(name)
        if names:
            obj.save(update_fields=names)
            changed += len(names)
    return changed


def _objects(campaign: Campaign, *, lock: bool = False) -> list:
    def rows(queryset):
        return list(queryset.select_for_update() if lock else queryset)

    return [
        *rows(Campaign.objects.filter(pk=campaign.pk)),
        *rows(Content.objects.filter(campaign=campaign).order_by("number")),
        *rows(Task.objects.filter(campaign=campaign).order_by("number")),
        *(
            row.criterion
            for row in criteria_tree.rows(
                rows(
                    Criterion.objects.filter(campaign=campaign).order_by(
                        "subject", *criteria_tree.SIBLING_ORDER
                    )
                )
            )
        ),
    ]


def _key(obj, name: str) -> str:
    return f"{obj._meta.model_name}:{obj.pk}:{name}"


def _label(obj) -> str:
    if isinstance(obj, Campaign):
        return _("The movement")
    if isinstance(obj, Content):
        return _("Content {number}").format(number=obj.number)
    if isinstance(obj, Task):
        return _("Task {number}").format(number=obj.number)
    return _("Criterion {code} ({subject})").format(
        code=obj.code, subject=obj.get_subject_display()
    )
