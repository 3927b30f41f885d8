"""The waterfall chart of a proposed link as an accessible SVG (no JavaScript): one bar per
step (prior, then each comparison), running total, with a text table beside it."""

from __future__ import annotations

import math
from typing import Any

WIDTH, ROW, LABEL = 560, 26, 150


def waterfall_svg(steps: list[dict[str, Any]], *, title: str) -> dict[str, Any]:
    weights = [s["weight"] if math.isfinite(s["weight"]) else -30.0 for s in steps]
    running, totals = 0.0, []
    for w in weights:
        start = running
        running += w
        totals.append((start, running))
    low = min([0.0] + [min(a, b) for a, b in totals])
    high = max([0.0] + [max(a, b) for a, b in totals])
    span = (high - low) or 1.0
    scale = (WIDTH - LABEL - 20) / span

    def x(v: float) -> float:
        return round(LABEL + (v - low) * scale, 1)

    bars = []
    for index, (step, (start, end)) in enumerate(zip(steps, totals, strict=True)):
        left, right = sorted((x(start), x(end)))
        bars.append(
            {
                "y": index * ROW + 4,
                "x": left,
                "width": max(right - left, 1.0),
                "positive": end >= start,
                "name": step["name"],
                "weight": round(weights[index], 2),
            }
        )
    return {
        "title": title,
        "width": WIDTH,
        "height": len(steps) * ROW + 30,
        "zero": x(0.0),
        "label_x": LABEL - 6,
        "total": round(running, 2),
        "bars": bars,
    }
