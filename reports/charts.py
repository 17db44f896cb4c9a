"""The report's two charts as SVG text, drawn on the server: horizontal bars with
labels, no script and no style attribute (the page's CSP forbids inline styles), so
the same markup goes into the PDF and onto the report page. Every label is escaped."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

from .context import ReportContext
from .wording import number

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 70
ROW = 22
BAR = 14
TOP = 28
COLOURS = ("#1f4e79", "#c55a11")


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[Decimal | None, ...]
    maximum: Decimal  # the grey track behind the bars: the most a bar can reach


def bar_chart(
    title: str, bars: list[Bar], scale: Decimal, legend: tuple[str, ...], suffix: str = ""
) -> str:
    """Horizontal bars, one row per Bar and one bar per value in it, on a common scale."""
    series = max((len(b.values) for b in bars), default=1)
    row = ROW + (series - 1) * (BAR + 2)
    height = TOP + row * max(len(bars), 1) + (24 if len(legend) > 1 else 8)
    track = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    scale = scale or Decimal(1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="ThiDua Serif, Liberation Serif, Times New Roman, serif" font-size="12">',
        f'<text x="0" y="16" font-weight="bold" font-size="13">{escape(title)}</text>',
    ]
    if not bars:
        parts.append(f'<text x="0" y="{TOP + 14}">-</text>')
    for index, bar in enumerate(bars):
        y = TOP + index * row
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 3}" text-anchor="end">'
            f"{escape(_shorten(bar.label))}</text>"
        )
        track_width = float(bar.maximum / scale) * track if bar.maximum else track
        for s, value in enumerate(bar.values):
            top = y + s * (BAR + 2)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{top}" width="{track_width:.1f}" height="{BAR}" '
                f'fill="#e7e6e6"/>'
            )
            width = float((value or 0) / scale) * track
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{top}" width="{width:.1f}" height="{BAR}" '
                f'fill="{COLOURS[s % len(COLOURS)]}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + track + 6}" y="{top + BAR - 3}">'
                f"{escape(number(value, 1 if suffix else 2))}{escape(suffix)}</text>"
            )
    if len(legend) > 1:
        y = height - 10
        for s, name in enumerate(legend):
            x = LABEL_WIDTH + s * 170
            parts.append(
                f'<rect x="{x}" y="{y - 10}" width="12" height="12" '
                f'fill="{COLOURS[s % len(COLOURS)]}"/>'
            )
            parts.append(f'<text x="{x + 16}" y="{y}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def on_time_chart(context: ReportContext) -> str:
    """On-time rate of each block and cluster (per cent of its participating members)."""
    bars = [Bar(g.name, (g.on_time_rate,), Decimal(100)) for g in context.groups]
    if not bars:
        bars = [Bar("Toàn Bộ", (context.on_time_rate,), Decimal(100))]
    return bar_chart(
        "Tỷ lệ nộp đúng hạn theo khối, cụm thi đua (%)", bars, Decimal(100), ("",), "%"
    )


def content_chart(context: ReportContext) -> str:
    """Average self and reviewed score of each content, against its maximum."""
    bars = [
        Bar(
            f"{c.number}. {c.title}" if c.number else c.title,
            (c.self_average, c.reviewed_average),
            c.max_points,
        )
        for c in context.content_results
    ]
    scale = max((c.max_points for c in context.content_results), default=Decimal(1))
    return bar_chart(
        "Điểm bình quân theo nội dung thi đua",
        bars,
        scale,
        ("Điểm tự chấm", "Điểm thẩm định"),
    )


def _shorten(label: str, limit: int = 38) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
