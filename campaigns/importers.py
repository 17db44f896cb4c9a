"""The sheet of criteria: a movement's scoring tables, one row per criterion."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.spreadsheets import (
    Column,
    Integer,
    Row,
    RowError,
    SheetSpec,
    Text,
    cyclic_keys,
    field_column,
)

from .models import Campaign, Content, Criterion


class CriterionSheet(SheetSpec):
    """Criteria by (movement, subject, code). The section is the code of another
    criterion of the same movement and subject; the content is its number."""

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
            required=True,
            source="campaign_id",
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

    def check(self, rows: list[Row], present: set[str]) -> list[RowError]:
        campaigns = Campaign.objects.in_bulk({row.values["campaign"] for row in rows})
        errors = []
        for row in rows:
            row.related["campaign"] = campaigns.get(row.values["campaign"])
            if row.related["campaign"] is None:
                errors.append(
                    RowError(
                        row.number,
                        self.header("campaign"),
                        _("no movement with id {id}.").format(id=row.values["campaign"]),
                    )
                )
        rows = [row for row in rows if row.related["campaign"] is not None]
        if "content_number" in present:
            errors.extend(self._check_contents(rows))
        if "parent_code" in present:
            errors.extend(self._check_parents(rows))
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

    def _check_parents(self, rows: list[Row]) -> list[RowError]:
        saved = Criterion.objects.filter(campaign_id__in={row.values["campaign"] for row in rows})
        by_id = {c.pk: c for c in saved.only("id", "campaign_id", "subject", "code", "parent_id")}
        by_key = {(c.campaign_id, c.subject, c.code): c for c in by_id.values()}
        parents = {
            key: (key[0], key[1], by_id[c.parent_id].code) if c.parent_id else None
            for key, c in by_key.items()
        }
        in_file = {self.key(row) for row in rows}
        errors = []
        for row in rows:
            parent_key = self.parent_key(row)
            if parent_key and parent_key not in by_key and parent_key not in in_file:
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
            parents[self.key(row)] = parent_key
            row.related["parent"] = by_key.get(parent_key)
        cyclic = cyclic_keys(parents)
        errors.extend(
            self._parent_error(row, _("the sections form a cycle."))
            for row in rows
            if self.key(row) in cyclic and self.parent_key(row) != self.key(row)
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
