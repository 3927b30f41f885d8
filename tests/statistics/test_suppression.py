"""Disclosure control (issue 14.6): small numbers hidden, and no hidden cell derivable from
the published totals — checked with hypothesis against an independent rank test (numpy)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from comeforward.statistics.domain.suppression import (
    FEWER_THAN,
    derivable,
    equations,
    rate,
    suppress,
    with_totals,
)


def _exactly_determined(values, hidden, lines) -> set:
    """Independent check: hidden cell k is determined iff the unit vector e_k lies in the row
    space of the equations restricted to the hidden cells (rank does not grow)."""
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {cell: k for k, cell in enumerate(unknowns)}
    rows = []
    for line in lines:
        row = np.zeros(len(unknowns))
        for cell, coefficient in line:
            if cell in index:
                row[index[cell]] += coefficient
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for cell, k in index.items():
        unit = np.zeros(len(unknowns))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(cell)
    return found


bodies = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.one_of(st.integers(0, 6), st.integers(0, 200)), min_size=cols, max_size=cols
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(body=bodies, row_totals=st.booleans(), column_totals=st.booleans())
def test_no_hidden_cell_is_derivable_from_published_totals(body, row_totals, column_totals):
    values = with_totals(body, row_totals=row_totals, column_totals=column_totals)
    table = suppress(values, row_totals=row_totals, column_totals=column_totals)
    n_rows, n_cols = len(values), len(values[0])
    # Primary: every small number is hidden and labelled.
    for i in range(n_rows):
        for j in range(n_cols):
            if values[i][j] < 5:
                assert (i, j) in table.hidden
                assert table.display(i, j) == FEWER_THAN
            elif (i, j) not in table.hidden:
                assert table.display(i, j) == f"{values[i][j]:,}"
    lines = equations(n_rows, n_cols, row_totals=row_totals, column_totals=column_totals)
    assert _exactly_determined(values, table.hidden, lines) == set()


@settings(max_examples=100, deadline=None)
@given(body=bodies, row_totals=st.booleans(), column_totals=st.booleans())
def test_derivable_agrees_with_the_rank_test(body, row_totals, column_totals):
    values = with_totals(body, row_totals=row_totals, column_totals=column_totals)
    hidden = {(i, j) for i, row in enumerate(values) for j, value in enumerate(row) if value < 5}
    lines = equations(
        len(values), len(values[0]), row_totals=row_totals, column_totals=column_totals
    )
    assert derivable(values, hidden, lines=lines) == _exactly_determined(values, hidden, lines)


def test_a_row_total_reveals_a_lone_small_cell_so_another_is_hidden():
    # 3 | 10 | 20 || 33 : hiding only the 3 would let 33 - 10 - 20 reveal it.
    table = suppress([[3, 10, 20, 33]], row_totals=True)
    assert table.primary == {(0, 0)}
    assert table.hidden == {(0, 0), (0, 1)}  # the smallest other cell
    assert table.display(0, 1) == "[c]"
    assert table.display(0, 2) == "20"


def test_two_way_table_needs_a_rectangle():
    values = with_totals([[2, 50], [60, 70]], row_totals=True, column_totals=True)
    table = suppress(values, row_totals=True, column_totals=True)
    assert table.hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert table.display(2, 2) == "182"  # the grand total stays


def test_nothing_small_nothing_hidden():
    values = with_totals([[5, 6], [7, 8]], row_totals=True, column_totals=True)
    assert suppress(values, row_totals=True, column_totals=True).hidden == frozenset()


def test_rate_only_from_published_counts():
    assert rate(5, 10) == 0.5
    assert rate(None, 10) is None
    assert rate(5, None) is None
    assert rate(5, 0) is None


# --- across tables: no hidden cell recovered by differencing another published table -----------


def _determined_by(unknowns: list, lines: list) -> set:
    """Independent rank test over any cell keys: the unknowns that ``lines`` (each a dict
    cell → coefficient, known cells already moved out) determine."""
    index = {cell: k for k, cell in enumerate(unknowns)}
    rows = []
    for line in lines:
        row = np.zeros(len(unknowns))
        for cell, coefficient in line.items():
            if cell in index:
                row[index[cell]] += coefficient
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for cell, k in index.items():
        unit = np.zeros(len(unknowns))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(cell)
    return found


def _months(as_of: dt.date, n: int) -> list[dt.date]:
    first, out = as_of.replace(day=1), []
    for _ in range(n):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return out[::-1]


@settings(max_examples=40, deadline=None)
@given(
    as_of=st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
    counts=st.lists(st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=27, max_size=27),
)
def test_the_funnel_by_month_and_by_quarter_reveal_no_hidden_cell_together(as_of, counts):
    """The month table (12 months + total) and the quarter table (8 quarters + total) are
    built from the same monthly counts: solving every published figure of both together
    (quarter = its three months, totals = their cells) recovers no hidden cell, nor a small
    count of a month that is not shown."""
    from comeforward.statistics.domain.figures import (
        MONTHS_SHOWN,
        QUARTERS_SHOWN,
        Inputs,
        compute,
        months_back,
        quarters_back,
    )

    # Only the enquiry stage is filled (the others are all zero, hence all hidden).
    month_list = _months(as_of, 27)
    enquiries = [
        (month + dt.timedelta(days=k % 27), False)
        for month, count in zip(month_list, counts, strict=True)
        for k in range(count)
    ]
    tables = compute(Inputs(as_of=as_of, records=[], enquiries=enquiries))["tables"]
    monthly = tables["funnel_month"]["rows"][0]["values"]  # 12 months + total; None = hidden
    quarterly = tables["funnel_quarter"]["rows"][0]["values"]  # 8 quarters + total
    months = months_back(as_of, MONTHS_SHOWN)
    quarters = quarters_back(as_of, QUARTERS_SHOWN)
    true = {m.strftime("%Y-%m"): c for m, c in zip(month_list, counts, strict=True)}
    # Primary: every small published count hidden.
    for value in monthly:
        assert value is None or value >= 5
    for value in quarterly:
        assert value is None or value >= 5
    # The reader's unknowns: every month of the quarters shown, and every hidden total.
    span = [
        d.strftime("%Y-%m")
        for d in _months(as_of, 27)
        if f"{d.year}-Q{(d.month - 1) // 3 + 1}" in quarters
    ]
    unknowns = [("m", m) for m in span] + [("mt",), ("qt",)] + [("q", q) for q in quarters]
    lines = []
    for month, value in zip(months, monthly, strict=False):
        if value is not None:
            lines.append({("m", month): 1, "const": -value})
    lines.append({**{("m", m): 1 for m in months}, ("mt",): -1})
    if monthly[-1] is not None:
        lines.append({("mt",): 1, "const": -monthly[-1]})
    for q, value in zip(quarters, quarterly, strict=False):
        lines.append({**{("m", m): 1 for m in span if m[:4] == q[:4] and _q(m) == q}, ("q", q): -1})
        if value is not None:
            lines.append({("q", q): 1, "const": -value})
    lines.append({**{("q", q): 1 for q in quarters}, ("qt",): -1})
    if quarterly[-1] is not None:
        lines.append({("qt",): 1, "const": -quarterly[-1]})
    found = _determined_by(unknowns, lines)
    for k, month in enumerate(months):
        if monthly[k] is None:
            assert ("m", month) not in found, f"hidden month {month} recovered"
    for month in span:
        if month not in months and true[month] < 5:
            assert ("m", month) not in found, f"small unpublished month {month} recovered"
    for k, q in enumerate(quarters):
        if quarterly[k] is None:
            assert ("q", q) not in found, f"hidden quarter {q} recovered"
    if monthly[-1] is None:
        assert ("mt",) not in found
    if quarterly[-1] is None:
        assert ("qt",) not in found


def _q(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"


people = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 4), st.integers(0, 3)),
    min_size=0,
    max_size=120,
)


@settings(max_examples=80, deadline=None)
@given(people=people)
def test_tables_sharing_a_total_row_reveal_no_hidden_cell_together(people):
    """Equality tables (outcome by age band, by sex, by ethnicity…) end with the same totals:
    solving all of them together recovers no hidden cell."""
    from comeforward.statistics.domain.tables import linked_hidden

    sizes = (4, 3, 5)
    outcomes = 4
    bodies = []
    for d, size in enumerate(sizes):
        body = [[0] * outcomes for _ in range(size)]
        for person in people:
            body[person[d]][person[3]] += 1
        bodies.append(body)
    hidden = linked_hidden(
        bodies, width=outcomes, row_totals=True, column_totals=True, shared_total_row=True
    )
    grids = [with_totals(b, row_totals=True, column_totals=True) for b in bodies]
    unknowns, lines = [], []
    for t, grid in enumerate(grids):
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                if value < 5:  # primary, labelled "fewer than 5"
                    assert (i, j) in hidden[t]
                if (i, j) in hidden[t]:
                    unknowns.append((t, i, j))
                else:
                    lines.append({(t, i, j): 1, "const": -value})
        for line in equations(len(grid), len(grid[0]), row_totals=True, column_totals=True):
            lines.append({(t, i, j): c for (i, j), c in line})
    for t in range(1, len(grids)):  # the same people: each table's total row is the same
        for j in range(outcomes + 1):
            lines.append({(0, sizes[0], j): 1, (t, sizes[t], j): -1})
    assert _determined_by(unknowns, lines) == set()
