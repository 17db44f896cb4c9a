"""The report's two charts as SVG text, drawn on the server: horizontal bars with
labels, no script and no style attribute (the page's CSP forbids inline styles), so
the same markup goes into the PDF and onto the report page. Every label is escaped."""

import textwrap
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

from .context import ReportContext
from .wording import number

WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 70
ROW = 22
BAR = 14
LINE = 14  # between the lines of a label
TOP = 28
COLOURS = ("#1f4e79", "#c55a11")
# A label is wrapped on at most LABEL_LINES lines of LABEL_CHARS characters: at the
# font size of 12 that fits in LABEL_WIDTH even in a wide serif (DejaVu Serif, where
# a browser lacks ours), so no label is cut at the chart's left edge.
LABEL_CHARS = 32
LABEL_LINES = 2


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[Decimal | None, ...]
    maximum: Decimal  # the grey track behind the bars: the most a bar can reach


def bar_chart(
    title: str, bars: list[Bar], scale: Decimal, legend: tuple[str, ...], suffix: str = ""
) -> str:
    """Horizontal bars, one row per Bar and one bar per value in it, on a common scale;
    a long label is wrapped onto a second line (the row grows to hold it)."""
    series = max((len(b.values) for b in bars), default=1)
    labels = [label_lines(b.label) for b in bars]
    rows = [max(series * (BAR + 2) - 2, len(lines) * LINE) + ROW - BAR for lines in labels]
    height = TOP + max(sum(rows), ROW) + (24 if len(legend) > 1 else 8)
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
    y = TOP
    for bar, lines, row in zip(bars, labels, rows, strict=True):
        for k, line in enumerate(lines):
            parts.append(
                f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR - 3 + k * LINE}" text-anchor="end">'
                f"{escape(line)}</text>"
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
        y += row
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


def label_lines(label: str) -> list[str]:
    """label on at most LABEL_LINES lines of LABEL_CHARS, the last one shortened with
    "…" when the label is longer still."""
    lines = textwrap.wrap(label, LABEL_CHARS, break_long_words=True) or [""]
    if len(lines) <= LABEL_LINES:
        return lines
    last = " ".join(lines[LABEL_LINES - 1 :])
    return [*lines[: LABEL_LINES - 1], last[: LABEL_CHARS - 1].rstrip() + "…"]
