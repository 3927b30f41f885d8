"""Accessible bar charts as inline SVG, drawn on the server (issue 14.7): no JavaScript.

Each chart has a ``<title>`` and ``<desc>`` (referenced by ``aria-labelledby``), every bar
carries its value as visible text beside it, and a hidden value is drawn as no bar with the
words "fewer than 5" — so nothing is conveyed by colour alone (WCAG 1.4.1), and the page puts
the same numbers in a data table and a sentence beside the chart. Text is escaped; the SVG is
built from numbers and escaped labels only.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .suppression import FEWER_THAN

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_AREA = 360
VALUE_WIDTH = 150


def bar_chart(
    chart_id: str,
    title: str,
    summary: str,
    bars: Sequence[tuple[str, float | None]],
    *,
    unit: str = "",
    value_format: str = "{:,.0f}",
) -> str:
    """A horizontal bar chart; ``None`` values are hidden (suppressed) and labelled so."""
    shown = [value for _, value in bars if value is not None]
    top = max(shown, default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    cid = escape(chart_id, quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="cf-chart" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(summary)}</desc>',
    ]
    for n, (label, value) in enumerate(bars):
        y = GAP + n * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT * 0.7
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y:.1f}" text-anchor="end" '
            f'font-size="14" fill="#0b0c0c">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{LABEL_WIDTH + 4}" y="{text_y:.1f}" font-size="14" '
                f'fill="#0b0c0c">{FEWER_THAN} (not shown)</text>'
            )
            continue
        bar = max(1.0, BAR_AREA * value / top) if value > 0 else 0
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" '
            f'fill="#1d70b8" stroke="#0b0c0c" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6:.1f}" y="{text_y:.1f}" font-size="14" '
            f'fill="#0b0c0c">{escape(value_format.format(value))}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
