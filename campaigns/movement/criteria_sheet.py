"""The sheet of criteria: a movement's scoring tables, one row per criterion."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.enums import CriterionKind
from campaigns.models import Campaign, Content, Criterion
from campaigns.movement import criteria_tree
from spreadsheets.specs import (
    Column,
    Integer,
    Row,
    RowError,
    SheetSpec,
    Text,
    field_column,
)


@dataclass
class _Tree:
    by_key: dict[tuple, Criterion]
    parents: dict[tuple, tuple | None]
    kinds: dict[tuple, str]


class CriterionSheet(SheetSpec):
    """Criteria by (movement, subject, code). The movement is its id, or its year and
    name (to import last year's export into a new movement, clear the id and write
    the new year and name). The section is the code of another criterion of the same
    movement and subject; the content is its number."""

    model = Criterion
    title = gettext_lazy("Criteria")
    key_columns = ("campaign", "subject", "code")
    select_related = ("campaign", "content", "parent")
    related_fields = ("campaign", "parent", "content")
    columns = (
        Column(
            "campaign",
            gettext_lazy("Movement id"),
            Integer(min_value=1),
            source="campaign_id",
            assign=False,
        ),
        Column("year", gettext_lazy("Year"), Integer(), source="campaign.year", assign=False),
        Column(
            "campaign_name",
            gettext_lazy("Movement"),
            Text(255),
            source="campaign.name",
            assign=False,
        ),
        field_column(Criterion, "subject", required=True),
        field_column(Criterion, "code", required=True),
        Column(
            "parent_code",
            gettext_lazy("Section code"),
            Text(20),
            source="parent.code",
            assign=False,
        ),
        Column(
            "content_number",
            gettext_lazy("Content number"),
            Integer(min_value=1),
            source="content.number",
            assign=False,
        ),
        field_column(Criterion, "text", required=True),
        field_column(Criterion, "guidance"),
        field_column(Criterion, "kind"),
        field_column(Criterion, "max_points"),
        field_column(Criterion, "evidence_required"),
        field_column(Criterion, "order"),
    )

    def missing_columns(self, found: set[str]) -> list[str]:
        missing = super().missing_columns(found)
        if "campaign" not in found and not {"year", "campaign_name"} <= found:
            missing.insert(
                0,
                _("{id} (or {year} and {name})").format(
                    id=self.header("campaign"),
                    year=self.header("year"),
                    name=self.header("campaign_name"),
                ),
            )
        return missing

    def prepare(self, rows: list[Row], present: set[str]) -> list[RowError]:
        """Find each row's movement, by id or by year and name; the natural key
        holds its id from here on."""
        ids = {row.values.get("campaign") for row in rows} - {None}
        names = {(row.values.get("year"), row.values.get("campaign_name")) for row in rows}
        found = Campaign.objects.filter(
            Q(pk__in=ids)
            | Q(year__in={year for year, _name in names}, name__in={name for _y, name in names})
        )
        by_id = {campaign.pk: campaign for campaign in found}
        by_name: dict[tuple, list[Campaign]] = {}
        for campaign in by_id.values():
            by_name.setdefault((campaign.year, campaign.name), []).append(campaign)
        errors = []
        for row in rows:
            campaign, message = self._campaign(row, by_id, by_name)
            if campaign is None:
                errors.append(RowError(row.number, self.header("campaign"), message))
            else:
                row.values["campaign"] = campaign.pk
                row.related["campaign"] = campaign
        return errors

    def _campaign(self, row: Row, by_id: dict, by_name: dict) -> tuple[Campaign | None, str]:
        pk, year, name = (row.values.get(key) for key in ("campaign", "year", "campaign_name"))
        if pk is not None:
            campaign = by_id.get(pk)
            if campaign is None:
                return None, _("no movement with id {id}.").format(id=pk)
            # An id left over from last year's export must not silently win over the
            # year and name written beside it.
            if (year is not None and year != campaign.year) or (name and name != campaign.name):
                return None, _(
                    "movement {id} is '{name}' ({year}), not the year and name of this row."
                ).format(id=pk, name=campaign.name, year=campaign.year)
            return campaign, ""
        if year is None or not name:
            return None, _("give the movement id, or its year and name.")
        matches = by_name.get((year, name), [])
        if len(matches) == 1:
            return matches[0], ""
        if not matches:
            return None, _("no movement named '{name}' in {year}.").format(name=name, year=year)
        return None, _(
            "several movements are named '{name}' in {year}; give the movement id."
        ).format(name=name, year=year)

    def check(self, rows: list[Row], present: set[str]) -> list[RowError]:
        errors = []
        if "content_number" in present:
            errors.extend(self._check_contents(rows))
        if present & {"parent_code", "kind"}:
            tree = self._tree(rows, present)
            if "parent_code" in present:
                errors.extend(self._check_parents(rows, tree))
            errors.extend(self._check_yes_no(rows, tree))
        return errors

    def _check_contents(self, rows: list[Row]) -> list[RowError]:
        ids = {row.values["campaign"] for row in rows}
        contents = {
            (content.campaign_id, content.number): content
            for content in Content.objects.filter(campaign_id__in=ids)
        }
        errors = []
        for row in rows:
            number = row.values["content_number"]
            row.related["content"] = contents.get((row.values["campaign"], number))
            if number and row.related["content"] is None:
                errors.append(
                    RowError(
                        row.number,
                        self.header("content_number"),
                        _("the movement has no content number {number}.").format(number=number),
                    )
                )
        return errors

    def _tree(self, rows: list[Row], present: set[str]) -> "_Tree":
        """The movements' criteria as they would be after the import: saved ones by
        natural key, each key's section and kind, the file's rows over the saved."""
        saved = Criterion.objects.filter(campaign_id__in={row.values["campaign"] for row in rows})
        by_id = {
            c.pk: c for c in saved.only("id", "campaign_id", "subject", "code", "parent_id", "kind")
        }
        by_key = {(c.campaign_id, c.subject, c.code): c for c in by_id.values()}
        parents = {
            key: (key[0], key[1], by_id[c.parent_id].code) if c.parent_id else None
            for key, c in by_key.items()
        }
        kinds = {key: c.kind for key, c in by_key.items()}
        for row in rows:
            key = self.key(row)
            if "parent_code" in present:
                parents[key] = self.parent_key(row)
            else:
                parents.setdefault(key, None)
            if "kind" in present or key not in kinds:
                kinds[key] = row.values.get("kind") or CriterionKind.SCORED
        return _Tree(by_key=by_key, parents=parents, kinds=kinds)

    def _check_parents(self, rows: list[Row], tree: "_Tree") -> list[RowError]:
        in_file = {self.key(row) for row in rows}
        errors = []
        for row in rows:
            parent_key = self.parent_key(row)
            if parent_key and parent_key not in tree.by_key and parent_key not in in_file:
                errors.append(
                    self._parent_error(
                        row,
                        _("no criterion with code '{code}' in this movement and subject.").format(
                            code=parent_key[2]
                        ),
                    )
                )
            elif parent_key == self.key(row):
                errors.append(self._parent_error(row, _("a criterion cannot be its own section.")))
            row.related["parent"] = tree.by_key.get(parent_key)
        cyclic = criteria_tree.cycle(tree.parents)
        errors.extend(
            self._parent_error(row, _("the sections form a cycle."))
            for row in rows
            if self.key(row) in cyclic and self.parent_key(row) != self.key(row)
        )
        return errors

    def _check_yes_no(self, rows: list[Row], tree: "_Tree") -> list[RowError]:
        """A yes/no criterion is a leaf: nothing goes under it (as Criterion.clean)."""
        with_children = {parent for parent in tree.parents.values() if parent is not None}
        errors = []
        for row in rows:
            key, parent = self.key(row), tree.parents.get(self.key(row))
            if parent is not None and tree.kinds.get(parent) == CriterionKind.YES_NO:
                errors.append(
                    self._parent_error(
                        row,
                        _(
                            "“{code}” is a yes/no criterion: no criterion can be put under it."
                        ).format(code=parent[2]),
                    )
                )
            elif tree.kinds[key] == CriterionKind.YES_NO and key in with_children:
                errors.append(
                    RowError(
                        row.number,
                        self.header("kind"),
                        _(
                            "A criterion with criteria under it cannot be yes/no: its points are "
                            "its criteria's."
                        ),
                    )
                )
        return errors

    def _parent_error(self, row: Row, message: str) -> RowError:
        return RowError(row.number, self.header("parent_code"), message)

    def existing(self, keys: set[tuple]) -> dict[tuple, Criterion]:
        campaigns = {campaign for campaign, _subject, _code in keys}
        found = Criterion.objects.filter(campaign_id__in=campaigns)
        return {
            key: criterion
            for criterion in found
            if (key := (criterion.campaign_id, criterion.subject, criterion.code)) in keys
        }

    def warnings(self, rows: list[Row]) -> list[str]:
        """The sections of the imported tables whose criteria can reach more than
        their maximum: allowed (a table may cap a section), but usually a typo."""
        tables = {(row.values["campaign"], row.values["subject"]) for row in rows}
        saved = criteria_tree.ordered(
            Criterion.objects.filter(campaign_id__in={campaign for campaign, _s in tables})
        ).only("id", "campaign_id", "subject", "parent_id", "code", "max_points")
        return [
            criteria_tree.over_maximum_message(item)
            for item in criteria_tree.over_maximum(
                c for c in saved if (c.campaign_id, c.subject) in tables
            )
        ]

    def parent_key(self, row: Row) -> tuple | None:
        code = row.values.get("parent_code")
        return (row.values["campaign"], row.values["subject"], code) if code else None

    def apply(self, obj, row, saved):
        super().apply(obj, row, saved)
        obj.campaign = row.related["campaign"]
        if "content_number" in row.values:
            obj.content = row.related["content"]
        if "parent_code" in row.values:
            parent_key = self.parent_key(row)
            obj.parent = (saved.get(parent_key) or row.related["parent"]) if parent_key else None
