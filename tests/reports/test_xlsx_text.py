"""The report's workbook stores the names users typed as text: a movement, a unit, a
block or a content whose name starts with =, +, -, @, a tab or a carriage return is
shown as typed, never run as a formula (the other exports: tests/campaigns/
test_export_text.py)."""

import pytest

from reports.context import build_context
from reports.models import Report
from reports.xlsx import render_xlsx
from tests.campaigns.test_export_text import PAYLOADS, text_cells
from units.models import Unit

from .conftest import report_for

pytestmark = pytest.mark.django_db


def test_report_workbook_writes_typed_names_as_text(movement):
    campaign = movement.campaign
    campaign.name, campaign.theme = f"{PAYLOADS[0]} movement", f"{PAYLOADS[1]} theme"
    campaign.save()
    typed = {campaign.name, campaign.theme}
    for index, data in enumerate(movement.units[: len(PAYLOADS)]):
        payload = PAYLOADS[index]
        Unit.objects.filter(pk=data.unit.pk).update(name=f"{payload} unit", code=f"-{index}")
        typed |= {f"{payload} unit", f"-{index}"}
    for index, group in enumerate(movement.blocks + movement.clusters):
        group.name, group.code = f"{PAYLOADS[index + 2]} group", f"{PAYLOADS[index + 3]}g"
        group.save()
        typed |= {group.name, group.code}
    for index, content in enumerate(movement.contents):
        content.title = f"{PAYLOADS[-index - 1]} content"
        content.save()
        typed.add(content.title)
    report = Report.objects.select_related("campaign__organizer", "period").get(
        pk=report_for(movement).pk
    )

    found = text_cells(render_xlsx(build_context(report)))

    assert typed <= found
