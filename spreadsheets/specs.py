"""XLSX import and export driven by a declarative column spec.

A `SheetSpec` lists its `Column`s; each column knows its translatable header, how to
read a cell (`Kind.parse`) and how to write one (`Kind.to_cell`). `import_workbook`
reads every row and validates all of them before it saves anything: if one row is bad,
nothing is saved and every bad row comes back with its number, column and reason.
When all rows are good it creates or updates by the spec's natural key in one
transaction. `export_workbook` writes the same columns, so an export imports back.

This module knows nothing of campaigns: the specs live next to their models
(units/importers.py, campaigns/movement/criteria_sheet.py).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from io import BytesIO
from typing import Any

from defusedxml import ElementTree as safe_xml
from django.conf import settings
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import from_excel

from .writer import append_row, cell, new_workbook, unescape

MAX_FILE_SIZE = 5 * 1024 * 1024
# Rows of data, counted from the first row of the sheet, blank rows included.
MAX_ROWS = 20_000
# A sheet is a few columns wide; cells past this column are never read.
MAX_COLUMNS = 100
# What the parts of the zip may unpack to: ten times a 5 MB file of real data.
# (openpyxl holds the shared strings in memory, so this bounds the memory too.)
MAX_UNPACKED_SIZE = 50 * 1024 * 1024
MAX_PARTS = 1_000
# Reading the rows is this share of an import's progress; checking and saving the rest.
READ_SHARE = 60
SAVE_STARTS = 80

Progress = Callable[[int], None]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TRUE_WORDS = {"có", "co", "yes", "y", "true", "1", "x"}
FALSE_WORDS = {"không", "khong", "no", "n", "false", "0"}


POSITIVE_FIELDS = (
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in the active language."""


def _normal(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def _in_every_language(text) -> set[str]:
    """The normalised text of a lazy string in each configured language."""
    found = {_normal(str(text))}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(_normal(str(text)))
    return found


# ---------------------------------------------------------------------------
# Kinds of cell: how to read one and how to write one.


class Kind:
    def parse(self, value: Any) -> Any:
        raise NotImplementedError

    def to_cell(self, value: Any) -> Any:
        return value


class Text(Kind):
    def __init__(self, max_length: int | None = None, *, slug: bool = False):
        self.max_length = max_length
        self.slug = slug

    def parse(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed as a number comes back as 12.0
        if isinstance(value, dt.datetime | dt.date):
            value = value.strftime("%d/%m/%Y")
        text = str(value).strip()
        if self.max_length and len(text) > self.max_length:
            raise CellError(
                _("at most {limit} characters (it has {length}).").format(
                    limit=self.max_length, length=len(text)
                )
            )
        if self.slug and not re.fullmatch(r"[-a-zA-Z0-9_]+", text):
            raise CellError(
                _("'{value}' may contain only letters, digits, hyphens and underscores.").format(
                    value=text
                )
            )
        return text

    def to_cell(self, value: Any) -> Any:
        return "" if value is None else value


class Integer(Kind):
    def __init__(self, min_value: int | None = 0, max_value: int | None = None):
        self.min_value = min_value
        self.max_value = max_value

    def parse(self, value: Any) -> int:
        number = _to_decimal(value)
        if number != number.to_integral_value():
            raise CellError(_("'{value}' is not a whole number.").format(value=value))
        number = int(number)
        if self.min_value is not None and number < self.min_value:
            raise CellError(_("must be at least {limit}.").format(limit=self.min_value))
        if self.max_value is not None and number > self.max_value:
            raise CellError(_("must be at most {limit}.").format(limit=self.max_value))
        return number


class DecimalNumber(Kind):
    def __init__(self, max_digits: int, decimal_places: int, min_value: Decimal | None = None):
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.min_value = min_value

    def parse(self, value: Any) -> Decimal:
        number = _to_decimal(value)
        rounded = round(number, self.decimal_places)
        if rounded != number:
            raise CellError(
                _("at most {places} digits after the decimal point.").format(
                    places=self.decimal_places
                )
            )
        if abs(rounded) >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise CellError(_("'{value}' is too large.").format(value=value))
        if self.min_value is not None and rounded < self.min_value:
            raise CellError(_("must be at least {limit}.").format(limit=self.min_value))
        return rounded

    def to_cell(self, value: Any) -> Any:
        return None if value is None else float(value)


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("'{value}' is not a number.").format(value=value))
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # Vietnamese writes 2,5
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("'{value}' is not a number.").format(value=value)) from None
    if not number.is_finite():
        raise CellError(_("'{value}' is not a number.").format(value=value))
    return number


class Boolean(Kind):
    @cached_property
    def words(self) -> tuple[set[str], set[str]]:
        # Computed on first use, once translations are loaded; they do not change.
        return (
            TRUE_WORDS | _in_every_language(gettext_lazy("Yes")),
            FALSE_WORDS | _in_every_language(gettext_lazy("No")),
        )

    def parse(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        word = _normal(value)
        true_words, false_words = self.words
        if word in true_words:
            return True
        if word in false_words:
            return False
        raise CellError(
            _("'{value}' is not a yes/no value (write Có or Không).").format(value=value)
        )

    def to_cell(self, value: Any) -> str:
        return str(gettext_lazy("Yes") if value else gettext_lazy("No"))


class Date(Kind):
    def parse(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError, AttributeError):
                raise CellError(_("'{value}' is not a date.").format(value=value)) from None
        for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(str(value).strip(), pattern).date()  # noqa: DTZ007
            except ValueError:
                continue
        raise CellError(_("'{value}' is not a date in the form dd/mm/yyyy.").format(value=value))

    def to_cell(self, value: Any) -> Any:
        return value


class Choice(Kind):
    """A choice, given by its code or by its label in any language."""

    def __init__(self, choices: Iterable[tuple[str, Any]]):
        self.choices = list(choices)

    @cached_property
    def lookup(self) -> dict[str, str]:
        """Every accepted spelling → code: the code and the label in each language."""
        found = {}
        for code, label in self.choices:
            for word in _in_every_language(label):
                found.setdefault(word, code)
        found.update({_normal(code): code for code, _label in self.choices})
        return found

    def parse(self, value: Any) -> str:
        code = self.lookup.get(_normal(value))
        if code is not None:
            return code
        allowed = ", ".join(str(label) for _code, label in self.choices)
        raise CellError(
            _("'{value}' is not one of the choices ({allowed}).").format(
                value=value, allowed=allowed
            )
        )

    def to_cell(self, value: Any) -> str:
        return str(dict(self.choices).get(value, value or ""))


# ---------------------------------------------------------------------------
# Columns and specs.


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    key: name of the value in a parsed row; a model field when `assign` is true.
    source: dotted attribute path read on export ("parent.code"); defaults to key.
    assign: copy the value onto the model field on save (false for columns the
    spec resolves itself, such as codes of related rows).
    """

    key: str
    header: Any
    kind: Kind
    required: bool = False
    source: str = ""
    assign: bool = True

    def value_of(self, obj: models.Model) -> Any:
        value: Any = obj
        for name in (self.source or self.key).split("."):
            value = getattr(value, name, None)
            if value is None:
                return None
        return value

    @cached_property
    def headers(self) -> set[str]:
        return _in_every_language(self.header) | {_normal(self.key)}


def field_column(model: type[models.Model], name: str, **options) -> Column:
    """A column for a plain model field: header from its verbose name, kind from its type."""
    model_field = model._meta.get_field(name)
    header = options.pop("header", None) or capfirst(model_field.verbose_name)
    kind = options.pop("kind", None) or _kind_for(model_field)
    return Column(key=name, header=header, kind=kind, **options)


def _kind_for(model_field: models.Field) -> Kind:
    if model_field.choices:
        return Choice(model_field.choices)
    if isinstance(model_field, models.BooleanField):
        return Boolean()
    if isinstance(model_field, models.DateField):
        return Date()
    if isinstance(model_field, models.DecimalField):
        return DecimalNumber(model_field.max_digits, model_field.decimal_places, Decimal(0))
    if isinstance(model_field, models.IntegerField):
        positive = isinstance(model_field, POSITIVE_FIELDS)
        return Integer(min_value=0 if positive else None)
    return Text(model_field.max_length, slug=isinstance(model_field, models.SlugField))


@dataclass
class Row:
    """One data row of the sheet: its Excel row number and the parsed values of the
    columns present in the file. `related` holds what the spec resolved (objects,
    or keys of other rows in the same file)."""

    number: int
    values: dict[str, Any]
    related: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row {row}, column '{column}': {message}").format(
                row=self.row, column=self.column, message=self.message
            )
        return _("Row {row}: {message}").format(row=self.row, message=self.message)


@dataclass
class ImportResult:
    """What an import did: a file-level problem, the bad rows, or the counts saved
    with what is worth a look in what was saved (`warnings`, messages)."""

    problem: str = ""
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem and not self.errors


class SheetSpec:
    """Base of a sheet: subclasses set model, columns and key_columns and resolve
    their related rows in `check`. Trees set `parent_key` so parents save first."""

    model: type[models.Model]
    columns: tuple[Column, ...] = ()
    key_columns: tuple[str, ...] = ()
    title: Any = ""
    select_related: tuple[str, ...] = ()
    # Foreign keys that `apply` sets from what `check` resolved.
    related_fields: tuple[str, ...] = ()

    def header(self, key: str) -> str:
        return str(next(column.header for column in self.columns if column.key == key))

    def key(self, row: Row) -> tuple:
        return tuple(row.values[name] for name in self.key_columns)

    def missing_columns(self, found: set[str]) -> list[str]:
        """Headers of the columns the file must have and lacks (keys in `found`)."""
        return [str(c.header) for c in self.columns if c.required and c.key not in found]

    def prepare(self, rows: list[Row], present: set[str]) -> list[RowError]:
        """Resolve what the natural key needs, before duplicates are looked for."""
        return []

    def check(self, rows: list[Row], present: set[str]) -> list[RowError]:
        """Resolve related rows and check what one cell alone cannot tell."""
        return []

    def existing(self, keys: set[tuple]) -> dict[tuple, models.Model]:
        """The saved objects for these natural keys, by key."""
        raise NotImplementedError

    def warnings(self, rows: list[Row]) -> list[str]:
        """Once the rows are saved (in the same transaction): what is allowed but
        worth a look, for the user."""
        return []

    def parent_key(self, row: Row) -> tuple | None:
        """The natural key of the row's parent when it is a row of the same file."""
        return None

    def apply(self, obj: models.Model, row: Row, saved: dict[tuple, models.Model]) -> None:
        """Copy the row onto the object; subclasses add what `check` resolved."""
        for column in self.columns:
            if column.assign and column.key in row.values:
                value = row.values[column.key]
                if value is None:
                    value = _empty_value(self.model._meta.get_field(column.key))
                setattr(obj, column.key, value)

    def export_queryset(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.select_related(*self.select_related) if self.select_related else queryset


def _empty_value(model_field: models.Field) -> Any:
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    return ""


# ---------------------------------------------------------------------------
# Export.


def export_workbook(spec: SheetSpec, objects: Iterable[models.Model]) -> bytes:
    """An .xlsx of the objects, one row each, under a bold, frozen, filterable header
    in the active language."""
    workbook = new_workbook()
    sheet = workbook.create_sheet(title=str(spec.title)[:31] or "Sheet")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = [cell(sheet, str(column.header), font=bold) for column in spec.columns]
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, len(str(column.header)) + 4
        )
    append_row(sheet, header)
    count = 0
    for obj in objects:
        append_row(sheet, [_export_cell(sheet, column, obj) for column in spec.columns])
        count += 1
    last = get_column_letter(len(spec.columns))
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _export_cell(sheet, column: Column, obj: models.Model) -> Any:
    value = column.kind.to_cell(column.value_of(obj))
    if isinstance(value, dt.date):
        return cell(sheet, value, number_format="DD/MM/YYYY")
    return cell(sheet, value)


# ---------------------------------------------------------------------------
# Import.


def import_workbook(file, spec: SheetSpec, progress: Progress | None = None) -> ImportResult:
    """Validate every row of the first sheet, then save all of them or none.

    `file` is an uploaded file (or any binary file object with a `size` or seekable).
    A problem with the file itself (not an .xlsx, too large, too many rows or columns,
    empty, required columns missing) comes back as `problem`; bad rows come back as
    `errors`, all of them. Nothing is saved unless every row is good; then rows are
    created or updated by natural key in one transaction. `progress`, when given, is
    called with a percentage as the rows are read, checked and saved.
    """
    report = progress or _no_progress
    try:
        positions, rows, errors = read_workbook(file, spec, report)
    except FileProblem as problem:
        return ImportResult(problem=str(problem))
    report(READ_SHARE)
    present = {c.key for c in positions.values()}
    result = _validate_and_save(spec, rows, errors, present=present, progress=report)
    if result.ok:
        report(100)
    return result


class FileProblem(Exception):
    """The file as a whole cannot be imported; str() is the message for the user."""


def _not_xlsx() -> FileProblem:
    return FileProblem(_("The file is not an Excel workbook (.xlsx)."))


def _too_many_rows() -> FileProblem:
    return FileProblem(
        _("The sheet has more than {limit} rows (empty rows count too).").format(limit=MAX_ROWS)
    )


def _too_many_columns() -> FileProblem:
    return FileProblem(
        _("The sheet has more than {limit} columns (empty columns count too).").format(
            limit=MAX_COLUMNS
        )
    )


def measure_workbook(file) -> int:
    """The number of rows of the largest sheet, found cheaply: from the sheet's own
    dimension when it has one, otherwise by counting them (at most MAX_ROWS + 1).
    Raises FileProblem for a file refused before any row is read: not an .xlsx, too
    large packed or unpacked, more rows or columns than the limits. Used to decide
    whether an import runs in the request or as a job."""
    _check_file(file)
    _check_parts(file)
    return _scan_sheets(file)


def read_workbook(
    file, spec: SheetSpec, progress: Progress | None = None
) -> tuple[dict[int, Column], list[Row], list[RowError]]:
    """The columns found in the header row (by position), the parsed data rows of the
    first sheet and the cells that could not be read. Raises FileProblem."""
    _check_file(file)
    _check_parts(file)
    _scan_sheets(file)
    workbook = _open(file)
    try:
        return _read_sheet(_first_sheet(workbook), spec, progress or _no_progress)
    except FileProblem:
        raise
    except Exception as exc:
        # Read-only mode parses the sheet while its rows are read: same answer.
        raise _not_xlsx() from exc
    finally:
        workbook.close()


def _open(file):
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not know; harmless.
            warnings.simplefilter("ignore")
            return load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:
        # A damaged file fails in whatever part openpyxl meets first (zip, XML parser,
        # a missing part); for the user it is one answer, and never a server error.
        raise _not_xlsx() from exc


def _check_file(file) -> None:
    name = getattr(file, "name", "") or ""
    if name and not name.lower().endswith(".xlsx"):
        raise _not_xlsx()
    size = getattr(file, "size", None)
    if size is not None and size > MAX_FILE_SIZE:
        raise FileProblem(
            _("The file is larger than {limit} MB.").format(limit=MAX_FILE_SIZE // 1024 // 1024)
        )
    if size == 0:
        raise FileProblem(_("The file is empty."))


def _check_parts(file) -> None:
    """Refuse a zip whose parts unpack to more than MAX_UNPACKED_SIZE (a zip bomb in
    sheet1.xml or the shared strings) before anything is unpacked. Python's zipfile
    never unpacks a part past the size its header declares, so the sum is a bound."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _not_xlsx() from exc
    finally:
        file.seek(0)
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_SIZE:
        raise FileProblem(
            _("The workbook unpacks to more than {limit} MB.").format(
                limit=MAX_UNPACKED_SIZE // 1024 // 1024
            )
        )


def _scan_sheets(file) -> int:
    """Refuse a sheet with more rows or columns than the limits before openpyxl opens
    the workbook (without a dimension, openpyxl reads every sheet through once on
    opening: ten million blank rows took seconds). Each sheet is read up to its
    dimension, or row by row up to MAX_ROWS + 1; returns the largest row count seen."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return max((_scan_sheet(archive, name) for name in _sheet_parts(archive)), default=0)
    except FileProblem:
        raise
    except Exception as exc:
        # A missing part, bad XML, a DTD (defusedxml refuses entities): not a workbook.
        raise _not_xlsx() from exc
    finally:
        file.seek(0)


def _sheet_parts(archive: zipfile.ZipFile) -> list[str]:
    """The worksheet parts of the workbook, found as openpyxl finds them: the
    package's office document, then its relationships of type worksheet."""
    book = next(
        _target("", rel)
        for rel in safe_xml.fromstring(archive.read("_rels/.rels"))
        if rel.get("Type", "").endswith("/officeDocument")
    )
    folder, name = posixpath.split(book)
    rels = safe_xml.fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
    names = set(archive.namelist())  # openpyxl skips a sheet whose part is missing
    sheets = (_target(folder, rel) for rel in rels if rel.get("Type", "").endswith("/worksheet"))
    return [sheet for sheet in sheets if sheet in names]


def _target(folder: str, rel) -> str:
    target = rel.get("Target", "")
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(folder, target))


def _scan_sheet(archive: zipfile.ZipFile, name: str) -> int:
    limit = MAX_ROWS + 1
    rows = 0
    with archive.open(name) as source:
        for event, element in safe_xml.iterparse(source, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "end":
                if tag == "row":
                    element.clear()
                elif tag == "sheetData":
                    break
            elif tag == "dimension":
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                if (max_row or 0) > limit:
                    raise _too_many_rows()
                if (max_col or 0) > MAX_COLUMNS:
                    raise _too_many_columns()
                return max_row or 0  # trusted no further: rows are counted when read
            elif tag == "row":
                number = element.get("r")
                rows = int(number) if number else rows + 1
                if rows > limit:
                    raise _too_many_rows()
            elif tag == "c" and _column_of(element.get("r")) > MAX_COLUMNS:
                raise _too_many_columns()
    return rows


def _column_of(reference: str | None) -> int:
    """The column number of a cell reference such as "CW5" (0 when there is none)."""
    letters = (reference or "").rstrip("0123456789")
    return column_index_from_string(letters) if letters else 0


def _first_sheet(workbook):
    if not workbook.worksheets:
        raise FileProblem(_("The sheet is empty."))
    sheet = workbook.worksheets[0]
    # The sheet's dimension (when it has one) refuses a sheet too large at once; it
    # is not trusted further: the rows are counted as they are read.
    if sheet.max_row is not None and sheet.max_row > MAX_ROWS + 1:
        raise _too_many_rows()
    if sheet.max_column is not None and sheet.max_column > MAX_COLUMNS:
        raise _too_many_columns()
    return sheet


def _physical_rows(sheet):
    """Every row of the sheet from the first, blank or not, each at most MAX_COLUMNS
    wide; FileProblem past MAX_ROWS data rows and a header row. openpyxl yields a blank
    row for each row missing between two in the file, so ten million blank rows cost
    no more than MAX_ROWS + 2 of them."""
    limit = MAX_ROWS + 1
    rows = sheet.iter_rows(min_row=1, max_row=limit + 1, max_col=MAX_COLUMNS, values_only=True)
    for number, cells in enumerate(rows, start=1):
        if number > limit:
            raise _too_many_rows()
        yield number, cells


def _read_sheet(sheet, spec: SheetSpec, progress: Progress):
    lines = _non_empty_lines(sheet)
    first = next(lines, None)
    if first is None:
        raise FileProblem(_("The sheet is empty."))
    positions = _map_header(first[1], spec)
    expected = max(sheet.max_row or MAX_ROWS, 1)
    step = max(expected // 20, 500)
    rows, errors = [], []
    for number, cells in lines:
        row, row_errors = _parse_row(number, cells, positions)
        rows.append(row)
        errors.extend(row_errors)
        if number % step == 0:
            progress(min(READ_SHARE * number // expected, READ_SHARE))
    if not rows:
        raise FileProblem(_("The sheet has a header row but no data rows."))
    return positions, rows, errors


def _non_empty_lines(sheet):
    for number, cells in _physical_rows(sheet):
        if any(_is_filled(value) for value in cells):
            yield number, cells


def _no_progress(percent: int) -> None:
    pass


def _is_filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _map_header(header: tuple, spec: SheetSpec) -> dict[int, Column]:
    positions: dict[int, Column] = {}
    for index, text in enumerate(header):
        if not _is_filled(text):
            continue
        for column in spec.columns:
            if _normal(text) in column.headers and column not in positions.values():
                positions[index] = column
                break
    missing = spec.missing_columns({column.key for column in positions.values()})
    if missing:
        raise FileProblem(
            _("Required columns are missing: {columns}.").format(
                columns=", ".join(f"'{name}'" for name in missing)
            )
        )
    return positions


def _parse_row(number: int, cells: tuple, positions: dict[int, Column]):
    values, errors = {}, []
    for index, column in positions.items():
        raw = cells[index] if index < len(cells) else None
        if isinstance(raw, str):
            raw = unescape(raw)  # a carriage return is stored as _x000D_
        if not _is_filled(raw):
            if column.required:
                errors.append(RowError(number, str(column.header), _("a value is required.")))
            values[column.key] = None
            continue
        try:
            values[column.key] = column.kind.parse(raw)
        except CellError as exc:
            errors.append(RowError(number, str(column.header), str(exc)))
            values[column.key] = None
    return Row(number, values), errors


def _validate_and_save(
    spec: SheetSpec,
    rows: list[Row],
    errors: list[RowError],
    present: set[str],
    progress: Progress = _no_progress,
) -> ImportResult:
    good = _without_errors(rows, errors)
    errors.extend(spec.prepare(good, present))
    good = _without_errors(good, errors)
    errors.extend(_duplicates(spec, good))
    errors.extend(spec.check(_without_errors(good, errors), present))
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: (e.row, e.column)))
    progress(SAVE_STARTS)  # the save is one transaction: nothing to show until its end
    try:
        with transaction.atomic():
            created, updated, unchanged = _save(spec, rows)
            warnings = spec.warnings(rows)
    except (IntegrityError, DatabaseError) as exc:
        return ImportResult(
            problem=_("Nothing was saved: the database refused the rows ({error}).").format(
                error=exc
            )
        )
    return ImportResult(created=created, updated=updated, unchanged=unchanged, warnings=warnings)


def _without_errors(rows: list[Row], errors: list[RowError]) -> list[Row]:
    bad = {error.row for error in errors}
    return [row for row in rows if row.number not in bad]


def _duplicates(spec: SheetSpec, rows: list[Row]) -> list[RowError]:
    seen: dict[tuple, int] = {}
    errors = []
    column = spec.header(spec.key_columns[-1])
    for row in rows:
        key = tuple(_normal(part) if isinstance(part, str) else part for part in spec.key(row))
        if key in seen:
            errors.append(
                RowError(
                    row.number,
                    column,
                    _("the same row as row {other} (duplicate within the file).").format(
                        other=seen[key]
                    ),
                )
            )
        else:
            seen[key] = row.number
    return errors


def _save(spec: SheetSpec, rows: list[Row]) -> tuple[int, int, int]:
    """Create or update, parents before children, a level of the tree at a time.
    Rows equal to what is saved are not written (and counted as unchanged)."""
    existing = spec.existing({spec.key(row) for row in rows})
    saved: dict[tuple, models.Model] = dict(existing)
    fields = _assigned_fields(spec, rows)
    attnames = [spec.model._meta.get_field(name).attname for name in fields]
    created = updated = unchanged = 0
    for level in tree_levels(rows, spec):
        new, changed = [], []
        for row in level:
            obj = existing.get(spec.key(row))
            before = None if obj is None else [getattr(obj, name) for name in attnames]
            if obj is None:
                obj = spec.model()
                new.append(obj)
            spec.apply(obj, row, saved)
            saved[spec.key(row)] = obj
            if before is not None and before != [getattr(obj, name) for name in attnames]:
                changed.append(obj)
        spec.model.objects.bulk_create(new, batch_size=500)
        # One UPDATE per changed row: bulk_update's CASE per field over a batch was
        # ten times slower on 20,000 rows.
        for obj in changed:
            obj.save(update_fields=fields)
        created += len(new)
        updated += len(changed)
        unchanged += len(level) - len(new) - len(changed)
    return created, updated, unchanged


def _assigned_fields(spec: SheetSpec, rows: list[Row]) -> list[str]:
    """The fields an import writes: the columns in the file, and the related ones."""
    present = rows[0].values
    names = {c.key for c in spec.columns if c.assign and c.key in present}
    return sorted(names | set(spec.related_fields))


def tree_levels(rows: list[Row], spec: SheetSpec) -> list[list[Row]]:
    """Rows grouped so that a row's parent (when it is in the file) is in an earlier
    group. `check` has already refused cycles."""
    by_key = {spec.key(row): row for row in rows}
    levels: dict[int, list[Row]] = {}
    for row in rows:
        depth, parent = 0, by_key.get(spec.parent_key(row))
        while parent is not None and depth <= len(rows):
            depth += 1
            parent = by_key.get(spec.parent_key(parent))
        levels.setdefault(depth, []).append(row)
    return [levels[index] for index in sorted(levels)]


def cyclic_keys(parents: dict[Any, Any]) -> set[Any]:
    """Keys whose chain of parents comes back to themselves."""
    cyclic: set[Any] = set()
    for start in parents:
        node, steps = parents.get(start), 0
        while node is not None and steps <= len(parents):
            if node == start:
                cyclic.add(start)
                break
            node, steps = parents.get(node), steps + 1
    return cyclic
