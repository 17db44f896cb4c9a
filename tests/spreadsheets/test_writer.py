"""The shared writer (spreadsheets/writer.py): control characters survive the OOXML
escapes both ways, no other module makes a workbook or a cell itself, and the shared
package depends on no app of the project."""

import ast
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


def _imported(path: Path) -> set[str]:
    """The top-level package of every absolute import in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_shared_package_imports_no_app():
    used = set().union(*((_imported(path)) for path in (ROOT / "spreadsheets").rglob("*.py")))
    assert used & set(APPS) == set()
    assert "openpyxl" in used
    assert "django" in used
