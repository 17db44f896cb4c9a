"""The one way the product writes an .xlsx: every workbook is made by `new_workbook`
and every cell by `cell` (or a row by `append_row`), so that text is always text.

openpyxl turns a string that starts with "=" into a live formula and "#N/A" into an
error value; Excel then runs =HYPERLINK(...) or =WEBSERVICE(...) typed by a user in
a commitment when an officer opens the export. Here a string cell is always written
as a string (data type "s"): Excel shows the text as typed, nothing is prefixed or
dropped, so an export imports back unchanged.

OOXML cannot hold a carriage return or another control character as such (an XML
reader turns "\\r" into "\\n" and refuses most others); the format's own escape
`_xHHHH_` carries them, as Excel writes them. `unescape` reads them back, and an
underscore that would look like an escape is escaped itself (`_x005F_`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

# Characters XML 1.0 cannot carry as they are (tab and line feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def new_workbook() -> Workbook:
    """A write-only workbook: rows stream to the file, memory stays small."""
    return Workbook(write_only=True)


def escape(text: str) -> str:
    """The text as OOXML stores it: control characters as _xHHHH_."""
    if "_x" in text:
        text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    return _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def unescape(text: str) -> str:
    """The text a cell read from a file holds, its _xHHHH_ escapes decoded."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)


def cell(sheet, value: Any, **style) -> Cell:
    """A cell of a write-only sheet holding value; a string is stored as text, never
    as a formula or an error. style: number_format, font, fill, border, alignment."""
    result = WriteOnlyCell(sheet)
    if isinstance(value, str):
        result._value = escape(value)  # noqa: SLF001 — the setter would bind a formula
        result.data_type = "s"
    else:
        result.value = value
    for name, setting in style.items():
        if setting is not None:
            setattr(result, name, setting)
    return result


def append_row(sheet, values: Iterable[Any]) -> None:
    """Append one row to a write-only sheet: plain values, or cells made by `cell`."""
    row = [value if isinstance(value, Cell) else cell(sheet, value) for value in values]
    if any(item.data_type == "f" for item in row):
        raise ValueError("A cell of an export must not hold a formula; write it with cell().")
    sheet.append(row)
