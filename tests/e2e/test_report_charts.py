"""The report page draws its charts with every label inside the chart: long content
titles are wrapped, not cut at the left edge (in the page's font or a wide fallback)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports import charts
from reports.enums import ReportKind, ReportStatus
from reports.models import Report

from ..campaigns.sheet import make_sheet
from ..factories import UnitFactory, UserFactory
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "secret-pass-123"
LONG_TITLES = [
    "Thi đua đẩy mạnh chuyển đổi số, xây dựng Chính phủ điện tử, Chính phủ số",
    "Thi đua thực hiện cải cách hành chính, nâng cao chất lượng phục vụ người dân",
    "Đoàn kết, kỷ cương",
]
# Every text of the page's charts: where it starts and ends, in the chart's units.
BOXES = """() => [...document.querySelectorAll('.report-chart svg')].flatMap(svg =>
  [...svg.querySelectorAll('text')].map(t => {
    const box = t.getBBox();
    return {text: t.textContent, left: box.x, right: box.x + box.width,
            width: svg.viewBox.baseVal.width};
  }))"""


def _report(sheet) -> Report:
    bars = [
        charts.Bar(title, (Decimal("14.5"), Decimal("12")), Decimal(20)) for title in LONG_TITLES
    ]
    contents = charts.bar_chart(
        "Điểm bình quân theo nội dung thi đua",
        bars,
        Decimal(20),
        ("Điểm tự chấm", "Điểm thẩm định"),
    )
    on_time = charts.bar_chart(
        "Tỷ lệ nộp đúng hạn theo khối, cụm thi đua (%)",
        [
            charts.Bar(
                "Khối các đơn vị sự nghiệp công lập trực thuộc Bộ", (Decimal("66.7"),), Decimal(100)
            )
        ],
        Decimal(100),
        ("",),
        "%",
    )
    return Report.objects.create(
        campaign=sheet.period.campaign,
        period=sheet.period,
        kind=ReportKind(sheet.period.kind),
        status=ReportStatus.DONE,
        progress=100,
        figures={"participants": 3, "on_time": 2, "late": 0, "missing": 1, "on_time_rate": "66.7"},
        charts={"on_time": on_time, "contents": contents},
    )


@pytest.mark.parametrize("width", [1280, 800])
def test_chart_labels_stay_inside_the_charts(live_server, new_page, width):
    officer = UserFactory(username="tccb", is_emulation_officer=True)
    report = _report(make_sheet([UnitFactory(name="Vụ Pháp chế")]))
    page = new_page(width=width)
    log_in(page, live_server, officer.username, PASSWORD)

    page.goto(live_server.url + reverse("reports:detail", kwargs={"pk": report.pk}))
    page.evaluate("document.fonts.ready")
    boxes = page.evaluate(BOXES)

    texts = {box["text"] for box in boxes}
    assert {"Thi đua đẩy mạnh chuyển đổi số,", "Đoàn kết, kỷ cương", "66,7%"} <= texts
    assert [b for b in boxes if b["left"] < 0 or b["right"] > b["width"]] == []
    assert "(66,7%)" in page.locator("main").inner_text()
