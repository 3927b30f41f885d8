"""Published tables: counts after disclosure control, ready for a page, CSV, ODS and PDF.

A :class:`Table` holds only what may be published: display strings ("fewer than 5", "[c]",
numbers), the numeric values where shown (None where hidden), a caption, a one-sentence
summary written from the published values, and the chart drawn from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from .charts import bar_chart
from .suppression import Cell, equations, suppress, suppress_counts, suppress_linked


@dataclass
class Table:
    id: str
    title: str
    columns: list[str]  # the first is the row-label heading
    rows: list[dict]  # {"label": str, "cells": [str], "values": [number|None]}
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    chart: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(data: dict) -> Table:
        return Table(**data)


def counts_table(
    id: str,
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    body: Sequence[Sequence[int]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    label_heading: str = "",
    lines: Sequence[Sequence[tuple[Cell, int]]] | None = None,
    total_cells: set[Cell] | None = None,
    also_hidden: frozenset[Cell] | set[Cell] = frozenset(),
) -> tuple[Table, list[list[int | None]]]:
    """A counts table with primary and secondary suppression applied; also returns the
    published values (None where hidden). ``body`` excludes totals unless ``lines`` says how
    the columns relate."""
    values = [list(row) for row in body]
    if lines is None:
        if row_totals:
            values = [row + [sum(row)] for row in values]
        if column_totals:
            width = len(values[0]) if values else len(column_labels) + int(row_totals)
            values.append([sum(row[j] for row in values) for j in range(width)])
    table = suppress(
        values,
        row_totals=row_totals,
        column_totals=column_totals,
        lines=lines,
        total_cells=total_cells,
        also_hidden=also_hidden,
    )
    labels = list(row_labels) + (["Total"] if column_totals and lines is None else [])
    columns = [label_heading, *column_labels] + (["Total"] if row_totals and lines is None else [])
    rows, published = [], []
    for i, label in enumerate(labels):
        shown = [table.shown(i, j) for j in range(len(values[i]))]
        rows.append(
            {
                "label": label,
                "cells": [table.display(i, j) for j in range(len(values[i]))],
                "values": shown,
            }
        )
        published.append(shown)
    return Table(id=id, title=title, columns=columns, rows=rows), published


def independent_counts_table(
    id: str, title: str, labels: Sequence[str], counts: Sequence[int], heading: str, column: str
) -> Table:
    """Counts that do not add up to anything published (e.g. a person can fail several
    criteria): primary suppression only."""
    shown = suppress_counts(counts)
    rows = [
        {
            "label": label,
            "cells": ["fewer than 5" if value is None else f"{value:,}"],
            "values": [value],
        }
        for label, value in zip(labels, shown, strict=True)
    ]
    return Table(id=id, title=title, columns=[heading, column], rows=rows)


def add_chart(
    table: Table,
    column: int = 0,
    *,
    rows: Sequence[int] | None = None,
    unit: str = "",
    value_format: str = "{:,.0f}",
) -> None:
    """Draw column ``column`` of ``table`` (published values only) as a bar chart."""
    picked = rows if rows is not None else range(len(table.rows))
    bars = [(table.rows[i]["label"], table.rows[i]["values"][column]) for i in picked]
    table.chart = bar_chart(
        f"chart-{table.id}",
        table.title,
        table.summary or table.title,
        bars,
        unit=unit,
        value_format=value_format,
    )


def fmt_rate(value: float | None) -> str:
    return "not published" if value is None else f"{value:.0%}"


def linked_hidden(
    bodies: Sequence[Sequence[Sequence[int]]],
    *,
    width: int,
    row_totals: bool,
    column_totals: bool,
    shared_total_row: bool,
) -> list[set[Cell]]:
    """Secondary suppression across tables that publish the same margin (docs/statistics.md
    §Disclosure control): ``bodies`` (totals excluded) are tables whose column-total rows are
    the same figures (e.g. outcomes by age band, by sex, by ethnicity and by disability all end
    with the outcome totals of the same people). Suppressed together — each table's equations
    plus "this total = that total" — so that no table's shown total reveals another's hidden
    cell. Returns, per table, the cells (totals included, as in :func:`counts_table`) to hide."""
    grids = []
    for body in bodies:
        grid = [list(row) + ([sum(row)] if row_totals else []) for row in body]
        if column_totals:
            grid.append([sum(row[j] for row in grid) for j in range(width + int(row_totals))])
        grids.append(grid)
    values, lines, tiers = {}, [], {}
    for t, grid in enumerate(grids):
        n_rows, n_cols = len(grid), len(grid[0]) if grid else 0
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                values[(t, i, j)] = value
                if (row_totals and j == n_cols - 1) or (column_totals and i == n_rows - 1):
                    tiers[(t, i, j)] = 1
        for line in equations(n_rows, n_cols, row_totals=row_totals, column_totals=column_totals):
            lines.append([((t, i, j), c) for (i, j), c in line])
    if shared_total_row and column_totals and grids:
        last0 = len(grids[0]) - 1
        for t in range(1, len(grids)):
            last = len(grids[t]) - 1
            for j in range(len(grids[0][last0])):
                lines.append([((0, last0, j), 1), ((t, last, j), -1)])
    hidden, _ = suppress_linked(values, lines, tiers=tiers)
    return [{(i, j) for (tt, i, j) in hidden if tt == t} for t in range(len(grids))]
