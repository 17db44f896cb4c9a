"""The shared writer (spreadsheets/writer.py): control characters survive the OOXML
escapes both ways, and no other module makes a workbook or a cell itself (that the
package imports no app is tests/test_layout.py)."""

import re
from pathlib import Path

from spreadsheets.writer import escape, unescape

ROOT = Path(__file__).resolve().parents[2]
APPS = ("units", "campaigns", "reports", "emulation")


def test_escape_round_trips_control_characters_and_look_alike_escapes():
    for text in ["\rx", "a\r\nb", "\x0bv", "_x0041_", "_x000D_\r", "plain", "=1+1"]:
        assert unescape(escape(text)) == text
    assert escape("\rx") == "_x000D_x"
    assert escape("_x0041_") == "_x005F_x0041_"


def test_only_the_shared_writer_makes_workbooks_and_cells():
    """The shared writer is the only way to a workbook: no other module of the apps
    makes a Workbook or a cell itself."""
    offenders = [
        str(path.relative_to(ROOT))
        for package in (*APPS, "spreadsheets")
        for path in (ROOT / package).rglob("*.py")
        if path.relative_to(ROOT) != Path("spreadsheets/writer.py")
        and re.search(r"\bWorkbook\(|WriteOnlyCell|from openpyxl import Workbook", path.read_text())
    ]
    assert offenders == []
