"""The sheets of units and people: which columns, and how rows find their unit."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from spreadsheets.specs import Column, Row, RowError, SheetSpec, Text, cyclic_keys, field_column

from .models import Person, Unit


class UnitSheet(SheetSpec):
    """Units by code; the parent is a unit code, of a saved unit or of a row above or
    below in the same file."""

    model = Unit
    title = gettext_lazy("Units")
    key_columns = ("code",)
    select_related = ("parent",)
    related_fields = ("parent",)
    columns = (
        field_column(Unit, "code", required=True),
        field_column(Unit, "name", required=True),
        field_column(Unit, "short_name"),
        field_column(Unit, "kind", required=True),
        field_column(Unit, "province"),
        Column(
            "parent_code",
            gettext_lazy("Parent unit code"),
            Text(40),
            source="parent.code",
            assign=False,
        ),
        field_column(Unit, "has_legal_personality"),
        field_column(Unit, "active"),
        field_column(Unit, "order"),
    )

    def check(self, rows: list[Row], present: set[str]) -> list[RowError]:
        if "parent_code" not in present:
            return []
        # The whole tree is small (a ministry has hundreds of units): read it once.
        parents = dict(Unit.objects.values_list("code", "parent__code"))
        in_file = {row.values["code"] for row in rows}
        errors = []
        for row in rows:
            parent = row.values["parent_code"]
            if parent and parent not in parents and parent not in in_file:
                errors.append(
                    self._error(row, _("no unit with code '{code}'.").format(code=parent))
                )
            elif parent == row.values["code"]:
                errors.append(self._error(row, _("a unit cannot be its own parent.")))
            parents[row.values["code"]] = parent or None
        outside = {row.values["parent_code"] for row in rows} - in_file - {None, ""}
        found = {unit.code: unit for unit in Unit.objects.filter(code__in=outside)}
        for row in rows:
            row.related["parent"] = found.get(row.values["parent_code"])
        cyclic = cyclic_keys(parents)
        errors.extend(
            self._error(row, _("the parent units form a cycle."))
            for row in rows
            if row.values["code"] in cyclic and row.values["parent_code"] != row.values["code"]
        )
        return errors

    def _error(self, row: Row, message: str) -> RowError:
        return RowError(row.number, self.header("parent_code"), message)

    def existing(self, keys: set[tuple]) -> dict[tuple, Unit]:
        codes = [code for (code,) in keys]
        return {(unit.code,): unit for unit in Unit.objects.filter(code__in=codes)}

    def parent_key(self, row: Row) -> tuple | None:
        parent = row.values.get("parent_code")
        return (parent,) if parent else None

    def apply(self, obj, row, saved):
        super().apply(obj, row, saved)
        if "parent_code" in row.values:
            parent_key = self.parent_key(row)
            obj.parent = (saved.get(parent_key) or row.related["parent"]) if parent_key else None


class PersonSheet(SheetSpec):
    """People by employee code; the unit is a unit code."""

    model = Person
    title = gettext_lazy("People")
    key_columns = ("employee_code",)
    select_related = ("unit",)
    related_fields = ("unit",)
    columns = (
        field_column(Person, "employee_code", required=True),
        field_column(Person, "full_name", required=True),
        Column(
            "unit_code",
            gettext_lazy("Unit code"),
            Text(40),
            required=True,
            source="unit.code",
            assign=False,
        ),
        field_column(Person, "gender"),
        field_column(Person, "position"),
        field_column(Person, "category", required=True),
        field_column(Person, "is_leader"),
        field_column(Person, "start_date"),
        field_column(Person, "active"),
    )

    def check(self, rows: list[Row], present: set[str]) -> list[RowError]:
        codes = {row.values["unit_code"] for row in rows}
        units = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
        errors = []
        for row in rows:
            unit = units.get(row.values["unit_code"])
            if unit is None:
                errors.append(
                    RowError(
                        row.number,
                        self.header("unit_code"),
                        _("no unit with code '{code}'.").format(code=row.values["unit_code"]),
                    )
                )
            row.related["unit"] = unit
        return errors

    def existing(self, keys: set[tuple]) -> dict[tuple, Person]:
        codes = [code for (code,) in keys]
        people = Person.objects.filter(employee_code__in=codes)
        return {(person.employee_code,): person for person in people}

    def apply(self, obj, row, saved):
        super().apply(obj, row, saved)
        obj.unit = row.related["unit"]
