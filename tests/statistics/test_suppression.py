"""Disclosure control (issue 14.6): small numbers hidden, and no hidden cell derivable from
the published totals — checked with hypothesis against an independent rank test (numpy)."""

from __future__ import annotations

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
