"""The criteria tree of a movement: the one place that says how criteria are ordered,
how deep a criterion sits, which criteria are answered (the leaves), in which order a
tree is written (parents first: copying, importing) and what a cycle is.

A criterion's section is its `parent`; a criterion with children is a section
heading, the others are leaves. Depth is the number of sections above a criterion
(a root is 0); it is never read from the code ("2.1" is only a label). Siblings come
by SIBLING_ORDER, in SQL; the functions here keep the order they are given, so a
list loaded with `ordered()` comes out in tree order without sorting in Python.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, CharField, F, IntegerField, QuerySet, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Criterion
from spreadsheets.specs import cyclic_keys

ZERO = Decimal("0")

# Siblings by their order, then code; the id only breaks a tie of two equal codes.
SIBLING_ORDER = ("order", "code", "pk")


def ordered(queryset: QuerySet) -> QuerySet:
    """The criteria of a queryset with siblings in SIBLING_ORDER."""
    return queryset.order_by(*SIBLING_ORDER)


@dataclass(frozen=True)
class TreeRow:
    criterion: object
    depth: int
    is_section: bool


def leaves(criteria: Iterable) -> list:
    """The criteria that are answered: those no other criterion has as its section."""
    criteria = list(criteria)
    parents = {c.parent_id for c in criteria if c.parent_id}
    return [c for c in criteria if c.pk not in parents]


def rows(criteria: Iterable) -> list[TreeRow]:
    """The criteria in tree pre-order (each section followed by its children), with
    their depth. A criterion whose section is not among them counts as a root;
    siblings keep the order they come in."""
    criteria = list(criteria)
    ids = {c.pk for c in criteria}
    children: dict[object, list] = {}
    for criterion in criteria:
        parent = criterion.parent_id if criterion.parent_id in ids else None
        children.setdefault(parent, []).append(criterion)
    result: list[TreeRow] = []
    # A stack instead of recursion; a cycle cannot be saved (see `cycle`), but the
    # walk still visits each criterion once.
    stack = [(root, 0) for root in reversed(children.get(None, []))]
    seen = set()
    while stack:
        node, depth = stack.pop()
        if node.pk in seen:
            continue
        seen.add(node.pk)
        below = children.get(node.pk, [])
        result.append(TreeRow(node, depth, bool(below)))
        stack.extend((child, depth + 1) for child in reversed(below))
    return result


def depths[K: Hashable](parent_of: Mapping[K, K | None]) -> dict[K, int]:
    """The depth of each key of a {key: parent key} map: 0 for a key without a parent
    or whose parent is not in the map, one more than its parent otherwise. Keys on a
    cycle get the length of the chain walked before it came back."""
    result: dict[K, int] = {}
    for start in parent_of:
        chain, node = [], start
        while node in parent_of and node not in result and node not in chain:
            chain.append(node)
            node = parent_of[node]
        depth = -1 if node in chain else result.get(node, -1)
        for key in reversed(chain):
            depth += 1
            result[key] = depth
    return result


def levels[K: Hashable](parent_of: Mapping[K, K | None]) -> list[list[K]]:
    """The keys by depth, roots first, so that each key's parent (when in the map)
    is written before it. Keys keep their order within a level."""
    by_depth: dict[int, list[K]] = {}
    depth = depths(parent_of)
    for key in parent_of:
        by_depth.setdefault(depth[key], []).append(key)
    return [by_depth[index] for index in sorted(by_depth)]


def cycle[K: Hashable](parent_of: Mapping[K, K | None]) -> set[K]:
    """The keys whose chain of parents comes back to themselves (a key that is its
    own parent included): the shared spreadsheet layer's check, which the units'
    import uses too."""
    return cyclic_keys(parent_of)


@dataclass(frozen=True)
class OverMaximum:
    """A section whose criteria can reach more points than its own maximum."""

    section: object
    children_total: Decimal


def over_maximum(criteria: Iterable) -> list[OverMaximum]:
    """The sections (with a maximum set) whose children's maxima add up to more than
    it, in the given order. Only direct children count: a sub-section counts its own
    maximum."""
    criteria = list(criteria)
    totals: dict[object, Decimal] = {}
    for criterion in criteria:
        if criterion.parent_id is not None:
            totals[criterion.parent_id] = totals.get(criterion.parent_id, ZERO) + (
                criterion.max_points or ZERO
            )
    return [
        OverMaximum(section=c, children_total=totals[c.pk])
        for c in criteria
        if c.pk in totals and c.max_points and totals[c.pk] > c.max_points
    ]


def over_maximum_message(item: OverMaximum) -> str:
    return _(
        "The criteria under “{code}” ({subject}) can reach {total} points, more than its "
        "maximum of {maximum}: check the maxima."
    ).format(
        code=item.section.code,
        subject=item.section.get_subject_display(),
        total=number_format(item.children_total.normalize()),
        maximum=number_format(item.section.max_points.normalize()),
    )


def over_maximum_near(criterion: Criterion) -> list[OverMaximum]:
    """over_maximum for the criterion's own section and for the criterion as a
    section, after it was saved (one query)."""
    table = Criterion.objects.filter(
        campaign_id=criterion.campaign_id, subject=criterion.subject
    ).only("id", "parent_id", "subject", "code", "max_points")
    near = {criterion.pk, criterion.parent_id}
    return [item for item in over_maximum(table) if item.section.pk in near]


def parent_map(criteria: Iterable) -> dict:
    return {c.pk: c.parent_id for c in criteria}


def with_ancestors(criteria: Iterable, pks: Iterable) -> list:
    """The criteria of `pks` and every section above them, in the given order."""
    criteria = list(criteria)
    by_pk = {c.pk: c for c in criteria}
    keep = set()
    for pk in pks:
        while pk is not None and pk not in keep and pk in by_pk:
            keep.add(pk)
            pk = by_pk[pk].parent_id
    return [c for c in criteria if c.pk in keep]


def copy_criteria(source: Campaign, *, to: Campaign, contents: Mapping[int, object]) -> int:
    """Copy every criterion of `source` into `to`, a level of the tree at a time so
    each section exists before its children; `contents` maps the source's content ids
    to the copy's contents. Returns how many were copied."""
    by_pk = {c.pk: c for c in Criterion.objects.filter(campaign=source).order_by("pk")}
    copies: dict[int, Criterion] = {}
    for level in levels(parent_map(by_pk.values())):
        made = [
            Criterion(
                campaign=to,
                subject=item.subject,
                content=contents.get(item.content_id),
                parent=copies.get(item.parent_id),
                code=item.code,
                text=item.text,
                guidance=item.guidance,
                kind=item.kind,
                max_points=item.max_points,
                evidence_required=item.evidence_required,
                order=item.order,
            )
            for item in (by_pk[pk] for pk in level)
        ]
        Criterion.objects.bulk_create(made)
        copies.update(zip(level, made, strict=True))
    return len(copies)


def move(criterion: Criterion, *, up: bool) -> bool:
    """Swap the criterion's order with its previous (up) or next sibling: same
    campaign, subject and section. Returns False when it is already first (or last).
    Siblings sharing one order value are first numbered in their shown order."""
    with transaction.atomic():
        siblings = list(
            Criterion.objects.select_for_update()
            .filter(
                campaign_id=criterion.campaign_id,
                subject=criterion.subject,
                parent_id=criterion.parent_id,
            )
            .order_by(*SIBLING_ORDER)
        )
        index = next(i for i, item in enumerate(siblings) if item.pk == criterion.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(siblings):
            return False
        if len({item.order for item in siblings}) < len(siblings):
            for position, item in enumerate(siblings, start=1):
                item.order = position
        siblings[index].order, siblings[other].order = siblings[other].order, siblings[index].order
        Criterion.objects.bulk_update(siblings, ["order"])
    criterion.order = siblings[index].order
    return True


# The same order in SQL, for a list that paginates in the database (the admin's):
# how many levels of sections it follows. A movement's tables use two or three
# ("2", "2.1", "2.1.3"); deeper criteria sort under their fifth-level ancestor.
SQL_LEVELS = 5
_SQL_KEYS = (("order", IntegerField, -1), ("code", CharField, ""), ("id", IntegerField, -1))


def _ancestor(distance: int) -> str:
    return "parent__" * distance


def tree_ordered(queryset: QuerySet) -> QuerySet:
    """Annotate `tree_depth` and sort keys so that `order_by(*TREE_ORDERING)` gives
    tree pre-order: by movement and subject, then each section followed by its
    children, siblings by SIBLING_ORDER. One query with a join per level."""
    depth = Case(
        *(
            When(**{f"{_ancestor(level)}isnull": False}, then=Value(level))
            for level in range(SQL_LEVELS - 1, 0, -1)
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    queryset = queryset.annotate(tree_depth=depth)
    for position in range(SQL_LEVELS):
        # Key `position` from the root is the ancestor `depth - position` up; a missing
        # level sorts first, so a section comes before its children.
        for part, field, missing in _SQL_KEYS:
            queryset = queryset.annotate(
                **{
                    f"tree_{position}_{part}": Case(
                        *(
                            When(tree_depth=level, then=F(f"{_ancestor(level - position)}{part}"))
                            for level in range(position, SQL_LEVELS)
                        ),
                        default=Value(missing),
                        output_field=field(),
                    )
                }
            )
    return queryset


TREE_ORDERING = (
    "-campaign__year",
    "campaign__name",
    "campaign_id",
    "subject",
    *(f"tree_{position}_{part}" for position in range(SQL_LEVELS) for part, *_ in _SQL_KEYS),
)
