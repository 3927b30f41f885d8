"""Disclosure control for published tables (issue 14.6; docs/statistics.md §Suppression).

Primary suppression: every count under ``THRESHOLD`` (5) — zero included, because "none of the
people in this group" can itself disclose — is shown as "fewer than 5".

Secondary suppression: a table is published with some of its totals (row totals, column
totals, a grand total). Each published total is a linear equation over the cells of its line,
so a suppressed cell must not be *derivable* from what is shown: the value of a hidden cell is
determined exactly when every solution of the line equations (with the shown values fixed)
gives it the same value, i.e. when it is zero in every vector of the null space of the
equations restricted to the hidden cells. :func:`derivable` decides that exactly (rational
Gaussian elimination), and :func:`suppress` hides further cells — the smallest first, interior
cells before totals — until no hidden cell is derivable. The property is tested with
hypothesis in tests/statistics/test_suppression.py.

Derivability here means exact recovery from the published equations. Bounds from
non-negativity (a hidden cell known to lie between 0 and 4) are what "fewer than 5" says
openly, so they disclose nothing beyond the label.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"

Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A table with its totals, and which cells are hidden.

    ``values[i][j]`` includes the totals: when ``row_totals`` the last column holds each row's
    total; when ``column_totals`` the last row holds each column's total (and, with both, the
    bottom-right cell the grand total).
    """

    values: tuple[tuple[int, ...], ...]
    hidden: frozenset[Cell]
    primary: frozenset[Cell]
    row_totals: bool
    column_totals: bool

    def shown(self, i: int, j: int) -> int | None:
        return None if (i, j) in self.hidden else self.values[i][j]

    def label(self, i: int, j: int) -> str:
        return FEWER_THAN if (i, j) in self.primary else ("[c]" if (i, j) in self.hidden else "")

    def display(self, i: int, j: int) -> str:
        """What is published: the number, "fewer than 5" (primary) or "[c]" (hidden so that a
        total cannot reveal a small number: secondary suppression, the ONS convention)."""
        if (i, j) in self.primary:
            return FEWER_THAN
        if (i, j) in self.hidden:
            return "[c]"
        return f"{self.values[i][j]:,}"


def with_totals(
    body: Sequence[Sequence[int]], *, row_totals: bool, column_totals: bool
) -> list[list[int]]:
    """``body`` with a total column and/or a total row appended."""
    rows = [list(row) + ([sum(row)] if row_totals else []) for row in body]
    if column_totals:
        width = len(rows[0]) if rows else (0 + (1 if row_totals else 0))
        rows.append([sum(row[j] for row in rows) for j in range(width)])
    return rows


def equations(n_rows: int, n_cols: int, *, row_totals: bool, column_totals: bool):
    """The published totals as lines: each is a list of (cell, coefficient) summing to 0."""
    lines: list[list[tuple[Cell, int]]] = []
    body_rows = n_rows - (1 if column_totals else 0)
    body_cols = n_cols - (1 if row_totals else 0)
    if row_totals:
        for i in range(n_rows):
            lines.append([((i, j), 1) for j in range(body_cols)] + [((i, n_cols - 1), -1)])
    if column_totals:
        for j in range(n_cols):
            lines.append([((i, j), 1) for i in range(body_rows)] + [((n_rows - 1, j), -1)])
    return lines


def derivable(
    values: Sequence[Sequence[int]],
    hidden: frozenset[Cell] | set[Cell],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    lines: Sequence[Sequence[tuple[Cell, int]]] | None = None,
) -> set[Cell]:
    """The hidden cells whose value the published totals (or ``lines``: each a list of
    (cell, coefficient) whose sum is zero) determine exactly."""
    if not hidden:
        return set()
    if lines is None:
        n_rows, n_cols = len(values), len(values[0]) if values else 0
        lines = equations(n_rows, n_cols, row_totals=row_totals, column_totals=column_totals)
    return determined(hidden, lines)


def determined(hidden, lines: Sequence[Sequence[tuple]]) -> set:
    """The unknowns (``hidden``: any sortable cell keys) that ``lines`` determine exactly.

    The system is split into its connected components first (unknowns sharing a line): each
    is eliminated on its own, so linked tables whose shared cells are shown cost no more than
    the tables apart."""
    if not hidden:
        return set()
    hidden = set(hidden)
    parent = {cell: cell for cell in hidden}

    def root(cell):
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    touching = []
    for line in lines:
        cells = [cell for cell, _ in line if cell in hidden]
        if not cells:
            continue
        touching.append(line)
        first = root(cells[0])
        for cell in cells[1:]:
            other = root(cell)
            if other != first:
                parent[other] = first
    groups: dict = {}
    for line in touching:
        key = root(next(cell for cell, _ in line if cell in hidden))
        groups.setdefault(key, []).append(line)
    found = set()
    for group in groups.values():
        found |= _determined_component(hidden, group)
    return found


def _determined_component(hidden: set, lines) -> set:
    unknowns = sorted({cell for line in lines for cell, _ in line if cell in hidden})
    index = {cell: k for k, cell in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for cell, coefficient in line:
            if cell in index:
                row[index[cell]] += coefficient
        if any(row):
            matrix.append(row)
    pivots = _reduce(matrix, len(unknowns))
    # A variable is determined iff it is a pivot whose reduced row has no free variable in it.
    pivot_columns = {col for _, col in pivots}
    free = [k for k in range(len(unknowns)) if k not in pivot_columns]
    found = set()
    for r, col in pivots:
        if all(matrix[r][f] == 0 for f in free):
            found.add(unknowns[col])
    return found


def _reduce(matrix: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Reduced row echelon form in place; returns (row, column) of each pivot."""
    pivots = []
    r = 0
    for col in range(width):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][col]
        matrix[r] = [value / lead for value in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append((r, col))
        r += 1
        if r == len(matrix):
            break
    return pivots


def suppress(
    values: Sequence[Sequence[int]],
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    lines: Sequence[Sequence[tuple[Cell, int]]] | None = None,
    total_cells: set[Cell] | None = None,
    threshold: int = THRESHOLD,
    also_hidden: frozenset[Cell] | set[Cell] = frozenset(),
) -> SuppressedTable:
    """Primary and secondary suppression of ``values`` (totals included, see
    :class:`SuppressedTable`). Deterministic: the same table always hides the same cells.
    ``also_hidden``: cells hidden already because of a linked table (:func:`suppress_linked`)."""
    frozen = tuple(tuple(int(v) for v in row) for row in values)
    n_rows, n_cols = len(frozen), len(frozen[0]) if frozen else 0
    if lines is None:
        lines = equations(n_rows, n_cols, row_totals=row_totals, column_totals=column_totals)
    if total_cells is None:
        total_cells = {
            (i, j)
            for i in range(n_rows)
            for j in range(n_cols)
            if (row_totals and j == n_cols - 1) or (column_totals and i == n_rows - 1)
        }
    cells = {(i, j): frozen[i][j] for i in range(n_rows) for j in range(n_cols)}
    hidden, primary = suppress_linked(
        cells,
        lines,
        tiers={cell: 1 for cell in total_cells},
        threshold=threshold,
        also_hidden=set(also_hidden),
    )
    return SuppressedTable(
        values=frozen,
        hidden=frozenset(hidden),
        primary=frozenset(primary),
        row_totals=row_totals,
        column_totals=column_totals,
    )


def suppress_linked(
    values: Mapping,
    lines: Sequence[Sequence[tuple]],
    *,
    tiers: Mapping | None = None,
    unpublished: Mapping | None = None,
    threshold: int = THRESHOLD,
    also_hidden: set | frozenset = frozenset(),
) -> tuple[set, set]:
    """Primary and secondary suppression over any set of cells that published equations link
    — one table, or several tables sharing a margin (the funnel by month and by quarter; the
    equality tables' common total row). Returns (hidden, primary), both within ``values``.

    ``values``: cell key (a sortable tuple) → count. ``lines``: each a list of (cell,
    coefficient) summing to zero. ``unpublished``: cells in the equations that are never
    published (a month outside the months shown but inside a quarter shown) — unknown to the
    reader from the start, never counted as hidden cells of a table. ``tiers``: cell → cost
    tier (hide lower tiers first: interior cells 0, totals 1). Deterministic."""
    tiers = tiers or {}
    unpublished = unpublished or {}
    may_show = {cell for cell, value in unpublished.items() if value >= threshold}
    primary = {cell for cell, value in values.items() if value < threshold}
    hidden = set(primary) | set(also_hidden) | set(unpublished)
    while True:
        exposed = determined(hidden, lines) - may_show
        if not exposed:
            break
        target = min(exposed)
        # Candidates: shown cells on a line through an exposed cell; the cheapest interior
        # cell (then totals) that protects ``target`` if one alone can, else the cheapest
        # (the loop goes on hiding; it ends, as a table with everything hidden is safe).
        candidates = {
            cell
            for line in lines
            if any(cell in exposed for cell, _ in line)
            for cell, _ in line
            if cell not in hidden
        }
        if not candidates:  # cannot happen with totals published; fail closed anyway
            hidden |= set(values)
            break

        def cost(cell) -> tuple:
            return (tiers.get(cell, 0), values[cell], cell)

        ordered = sorted(candidates, key=cost)
        chosen = next(
            (cell for cell in ordered if target not in determined(hidden | {cell}, lines)),
            ordered[0],
        )
        hidden.add(chosen)
    return hidden - set(unpublished), primary


def suppress_counts(counts: Sequence[int], threshold: int = THRESHOLD) -> list[int | None]:
    """Primary suppression of independent counts (no totals published): None = hidden."""
    return [None if count < threshold else count for count in counts]


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """A proportion published only when both counts are published (else it could reveal a
    suppressed count) and the denominator is not zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator
