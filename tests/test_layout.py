"""Dependencies point one way (docs: DESIGN.md): spreadsheets (the shared XLSX layer)
imports no app, units imports neither campaigns nor reports, campaigns does not import
reports. Every import of every module counts, those inside functions too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = {"spreadsheets", "units", "campaigns", "awards", "reports", "emulation"}


def imported_packages(package: str) -> dict[str, set[str]]:
    """For each module of a package, the project packages it imports by name."""
    found = {}
    for path in (ROOT / package).rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names & APPS - {package}
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("spreadsheets", APPS),
        ("units", {"campaigns", "awards", "reports"}),
        ("campaigns", {"awards", "reports"}),
        ("awards", {"reports"}),
    ],
)
def test_dependencies_point_one_way(package, forbidden):
    offenders = {
        module: names & forbidden
        for module, names in imported_packages(package).items()
        if names & forbidden
    }
    assert offenders == {}


def test_the_check_sees_imports():
    """The walk finds what a module imports (so an empty result above means something)."""
    assert "units" in imported_packages("campaigns")["campaigns/sheets/notifications.py"]
    assert "spreadsheets" in imported_packages("units")["units/importers.py"]
