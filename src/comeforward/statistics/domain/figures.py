"""All published figures from the raw inputs (issue 14.1–14.5): pure, so that each figure can
be computed by hand in a test. The refresh (``statistics.services.figures_refresh``) gathers
the inputs from the database and stores what this returns; the pages only read it.

Every count goes through disclosure control (``suppression``); every rate and duration is
computed from published counts only. Definitions: docs/statistics.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import equality
from .costs import UnitCosts, compare
from .followup import follow_up
from .funnel import (
    LEAVING_REASONS,
    OUTCOMES,
    STAGES,
    CaseRecord,
    funnel_by_month,
    leaving_reasons,
    month_of,
    quarter_of,
    roll_up,
)
from .suppression import suppress_linked
from .tables import (
    Table,
    add_chart,
    counts_table,
    fmt_rate,
    independent_counts_table,
    linked_hidden,
)
from .timing import BACKLOG_AGE_BANDS, age_band_days, stage_timing, working_days_between

MONTHS_SHOWN = 12
QUARTERS_SHOWN = 8


@dataclass(frozen=True)
class SlaStage:
    kind: str
    label: str
    working_days: int


@dataclass
class Inputs:
    """Everything the figures are computed from (one force)."""

    as_of: dt.date
    records: Sequence[CaseRecord]
    enquiries: Sequence[tuple[dt.date, bool]] = ()
    open_tasks: Sequence[tuple[str, dt.date]] = ()  # (assigned role label, due)
    team_tasks: Sequence[tuple[str, dt.date]] = ()  # (assigned user's team, due), same tasks
    team_cases: Sequence[str] = ()  # a team per (open case, team with a member on it)
    devices_waiting: Sequence[dt.date] = ()  # received_on of exhibits not yet examined
    safeguarding_referrals: Sequence[tuple[str, dt.date, dt.date | None]] = ()  # kind label
    children: Sequence[tuple[dt.date | None, bool | None]] = ()  # (ended_on, supervised)
    follow_up_events: Mapping[int, list[tuple[str, dt.date]]] = field(default_factory=dict)
    sla_stages: Sequence[SlaStage] = ()
    open_states: Mapping[str, str] = field(default_factory=dict)  # state → label (backlog)
    costs: UnitCosts | None = None


def months_back(as_of: dt.date, n: int) -> list[str]:
    months, year, month = [], as_of.year, as_of.month
    for _ in range(n):
        months.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def quarters_back(as_of: dt.date, n: int) -> list[str]:
    quarters: list[str] = []
    for month in months_back(as_of, n * 3):
        quarter = quarter_of(month)
        if quarter not in quarters:
            quarters.append(quarter)
    return quarters[-n:]


def _funnel_table(id, title, periods, counts, also_hidden=frozenset()) -> Table:
    body = [[counts.get(p, Counter()).get(stage.key, 0) for p in periods] for stage in STAGES]
    table, _ = counts_table(
        id,
        title,
        [stage.label for stage in STAGES],
        periods,
        body,
        row_totals=True,
        label_heading="Stage",
        also_hidden=also_hidden,
    )
    return table


def funnel_linked_hidden(
    by_month: Mapping[str, Mapping[str, int]], months: Sequence[str], quarters: Sequence[str]
) -> tuple[set, set]:
    """Secondary suppression across the two funnel tables (docs/statistics.md §Disclosure
    control): a quarter is the sum of its months, so a quarter shown beside two of its months
    would reveal the third; the 12-month total and the 8-quarter total overlap too. For each
    stage, one system: the month cells shown, the months of the quarters shown that are not
    (unpublished unknowns), each quarter = its months, each row total = its cells. Returns the
    cells to hide in (funnel_month, funnel_quarter), totals included (column ``len(periods)``).
    """
    last = months[-1]
    span = [
        m
        for m in months_back(_month_start(last), 3 * (len(quarters) + 1))
        if quarter_of(m) in quarters
    ]
    shown_months = {m: k for k, m in enumerate(months)}
    month_hidden, quarter_hidden = set(), set()
    for i, stage in enumerate(STAGES):
        count = {m: by_month.get(m, {}).get(stage.key, 0) for m in span}
        # A shown month is (0, its column); a month not shown is an unknown (0, 100 + k).
        key = {m: (0, shown_months.get(m, 100 + k)) for k, m in enumerate(span)}
        unpublished = {key[m]: count[m] for m in span if m not in shown_months}
        values: dict[tuple[int, int], int] = {key[m]: count[m] for m in months}
        values[(1, 0)] = sum(count[m] for m in months)
        for q, quarter in enumerate(quarters):
            values[(2, q)] = sum(count[m] for m in span if quarter_of(m) == quarter)
        values[(3, 0)] = sum(values[(2, q)] for q in range(len(quarters)))
        lines = [[(key[m], 1) for m in months] + [((1, 0), -1)]]
        for q, quarter in enumerate(quarters):
            lines.append([(key[m], 1) for m in span if quarter_of(m) == quarter] + [((2, q), -1)])
        lines.append([((2, q), 1) for q in range(len(quarters))] + [((3, 0), -1)])
        tiers = {(2, q): 1 for q in range(len(quarters))} | {(1, 0): 2, (3, 0): 2}
        hidden, _ = suppress_linked(values, lines, tiers=tiers, unpublished=unpublished)
        for kind, n in hidden:
            if kind == 0:
                month_hidden.add((i, n))
            elif kind == 1:
                month_hidden.add((i, len(months)))
            elif kind == 2:
                quarter_hidden.add((i, n))
            else:
                quarter_hidden.add((i, len(quarters)))
    return month_hidden, quarter_hidden


def _month_start(month: str) -> dt.date:
    year, mon = month.split("-")
    return dt.date(int(year), int(mon), 1)


def compute(inputs: Inputs) -> dict:
    """{"as_of", "tables": {id: Table dict}, "raw": {...}} for one force."""
    as_of = inputs.as_of
    records = list(inputs.records)
    tables: dict[str, Table] = {}
    raw: dict = {}

    # --- 14.1 the funnel ------------------------------------------------------------------
    by_month = funnel_by_month(records, inputs.enquiries)
    months = months_back(as_of, MONTHS_SHOWN)
    quarters = quarters_back(as_of, QUARTERS_SHOWN)
    by_quarter = roll_up(by_month, quarter_of)
    raw["funnel_by_month"] = {m: dict(c) for m, c in sorted(by_month.items())}
    month_hidden, quarter_hidden = funnel_linked_hidden(by_month, months, quarters)
    tables["funnel_month"] = _funnel_table(
        "funnel_month",
        "The funnel by month of referral (last 12 months)",
        months,
        by_month,
        month_hidden,
    )
    funnel_q = _funnel_table(
        "funnel_quarter",
        "The funnel by quarter of referral (last 8 quarters)",
        quarters,
        by_quarter,
        quarter_hidden,
    )
    tables["funnel_quarter"] = funnel_q
    # Conversion over the 8 quarters shown, from the published totals only.
    totals = {
        stage.key: row["values"][-1] for stage, row in zip(STAGES, funnel_q.rows, strict=True)
    }
    conversion_rows = []
    for stage, row in zip(STAGES, funnel_q.rows, strict=True):
        if stage.parent is None:
            continue
        numerator, denominator = totals[stage.key], totals[stage.parent]
        value = (
            None
            if numerator is None or denominator is None or denominator == 0
            else numerator / denominator
        )
        conversion_rows.append(
            {
                "label": stage.label,
                "cells": [
                    next(s.label for s in STAGES if s.key == stage.parent),
                    row["cells"][-1],
                    fmt_rate(value),
                ],
                "values": [None, numerator, value],
            }
        )
    conversion = Table(
        id="conversion",
        title="Conversion between stages (last 8 quarters)",
        columns=["Stage", "Measured from", "People", "Conversion"],
        rows=conversion_rows,
    )
    shown_rates = [
        (r["label"], r["values"][2]) for r in conversion_rows if r["values"][2] is not None
    ]
    conversion.summary = (
        "Conversion rates: "
        + "; ".join(f"{label} {value:.0%}" for label, value in shown_rates)
        + "."
        if shown_rates
        else "No conversion rate can be published yet (too few people)."
    )
    add_chart(conversion, 2, value_format="{:.0%}")
    tables["conversion"] = conversion
    referrals = totals["referrals"]
    funnel_q.summary = (
        f"{funnel_q.rows[2]['cells'][-1]} referrals in the last 8 quarters; "
        f"{funnel_q.rows[11]['cells'][-1]} cautioned and "
        f"{funnel_q.rows[9]['cells'][-1]} referred for prosecution."
    )
    add_chart(funnel_q, len(quarters))  # the total column
    tables["funnel_month"].summary = "Referrals and their progress by month of referral."

    reasons, criteria = leaving_reasons(records)
    raw["leaving_reasons"], raw["criteria"] = dict(reasons), dict(criteria)
    reason_table, _ = counts_table(
        "leaving_reasons",
        "Why people left the diversion route",
        list(LEAVING_REASONS.values()),
        ["People"],
        [[reasons.get(key, 0)] for key in LEAVING_REASONS],
        column_totals=True,
        label_heading="Reason",
    )
    top = max(LEAVING_REASONS, key=lambda k: reasons.get(k, 0))
    reason_table.summary = (
        f"The most common reason was: {LEAVING_REASONS[top].lower()}."
        if reasons and reason_table.rows[list(LEAVING_REASONS).index(top)]["values"][0] is not None
        else "Too few people have left the route to publish the reasons."
    )
    add_chart(reason_table, 0, rows=range(len(LEAVING_REASONS)))
    tables["leaving_reasons"] = reason_table
    criteria_keys = sorted(criteria)
    tables["criteria"] = independent_counts_table(
        "criteria",
        "Eligibility criteria not met (a person may fail several)",
        criteria_keys,
        [criteria[k] for k in criteria_keys],
        "Policy criterion",
        "People",
    )

    # --- 14.2 time in stage, backlog, workload, devices -------------------------------------
    year_ago = as_of - dt.timedelta(days=365)
    timing_rows, timing_body, raw_timing = [], [], {}
    for sla in inputs.sla_stages:
        durations = [
            r.stage_days[sla.kind][0]
            for r in records
            if sla.kind in r.stage_days and year_ago < r.stage_days[sla.kind][1] <= as_of
        ]
        timing = stage_timing(sla.label, durations, sla.working_days)
        raw_timing[sla.kind] = {
            "cases": timing.cases,
            "median": timing.median,
            "p90": timing.p90,
            "within_sla": timing.within_sla,
        }
        within = timing.within_sla or 0
        timing_body.append([within, timing.cases - within])
        timing_rows.append(timing)
    raw["timing"] = raw_timing
    timing_counts, published = counts_table(
        "timing_counts",
        "",
        [t.stage for t in timing_rows],
        ["Within", "Over"],
        timing_body,
        row_totals=True,
    )
    rows: list[dict[str, Any]] = []
    for t, shown in zip(timing_rows, published, strict=True):
        enough = shown[2] is not None
        rows.append(
            {
                "label": t.stage,
                "cells": [
                    "fewer than 5" if shown[2] is None else f"{shown[2]:,}",
                    f"{t.sla_working_days}",
                    f"{t.median:g}" if enough and t.median is not None else "not published",
                    f"{t.p90:g}" if enough and t.p90 is not None else "not published",
                    "[c]" if shown[0] is None else f"{shown[0]:,}",
                ],
                "values": [
                    shown[2],
                    t.sla_working_days,
                    t.median if enough else None,
                    t.p90 if enough else None,
                    shown[0],
                ],
            }
        )
    timing_table = Table(
        id="timing",
        title="Time in each stage, in working days (stages finished in the last 12 months)",
        columns=["Stage", "Cases", "SLA (working days)", "Median", "90th percentile", "Within SLA"],
        rows=rows,
    )
    slow = [r for r in rows if r["values"][3] is not None and r["values"][3] > r["values"][1]]
    timing_table.summary = (
        "The slowest 10% took longer than the SLA in: "
        + ", ".join(r["label"].lower() for r in slow)
        + "."
        if slow
        else "Where published, 90% of cases finished each stage within its SLA."
    )
    add_chart(timing_table, 2, unit=" working days")
    tables["timing"] = timing_table

    backlog_states = list(inputs.open_states)
    backlog_counts: dict[str, Counter[str]] = {state: Counter() for state in backlog_states}
    for r in records:
        if r.state in backlog_counts:
            backlog_counts[r.state][
                age_band_days(working_days_between(r.state_changed_on, as_of))
            ] += 1
    raw["backlog"] = {s: dict(c) for s, c in backlog_counts.items()}
    backlog, _ = counts_table(
        "backlog",
        "Open cases by stage and time waiting in it (working days)",
        [inputs.open_states[s] for s in backlog_states],
        list(BACKLOG_AGE_BANDS),
        [[backlog_counts[s].get(b, 0) for b in BACKLOG_AGE_BANDS] for s in backlog_states],
        row_totals=True,
        column_totals=True,
        label_heading="Stage",
    )
    backlog.summary = f"{backlog.rows[-1]['cells'][-1]} open cases in all."
    add_chart(backlog, len(BACKLOG_AGE_BANDS), rows=range(len(backlog_states)))
    tables["backlog"] = backlog

    # Open work per role and per team: the same tasks, so the two tables end with the same
    # total row and are suppressed together (docs/statistics.md §Disclosure control).
    def _due_counts(tasks):
        labels = sorted({label for label, _ in tasks})
        counts = {label: [0, 0] for label in labels}
        for label, due in tasks:
            counts[label][0 if due >= as_of else 1] += 1
        return labels, counts

    roles, workload_counts = _due_counts(inputs.open_tasks)
    teams, team_counts = _due_counts(inputs.team_tasks)
    raw["workload"] = workload_counts
    raw["workload_team"] = team_counts
    due_columns = ["Not yet due or due today", "Overdue"]
    role_hidden, team_hidden = linked_hidden(
        [[workload_counts[r] for r in roles], [team_counts[t] for t in teams]],
        width=len(due_columns),
        row_totals=True,
        column_totals=True,
        shared_total_row=True,
    )
    workload, _ = counts_table(
        "workload",
        "Open work by role",
        roles,
        due_columns,
        [workload_counts[r] for r in roles],
        row_totals=True,
        column_totals=True,
        label_heading="Role",
        also_hidden=role_hidden,
    )
    workload.summary = (
        f"{workload.rows[-1]['cells'][-1]} open tasks, {workload.rows[-1]['cells'][1]} overdue."
        if roles
        else "No open work."
    )
    add_chart(workload, 2, rows=range(len(roles)))
    tables["workload"] = workload
    workload_team, _ = counts_table(
        "workload_team",
        "Open work by team (the team of the person the task is assigned to)",
        teams,
        due_columns,
        [team_counts[t] for t in teams],
        row_totals=True,
        column_totals=True,
        label_heading="Team",
        also_hidden=team_hidden,
    )
    workload_team.summary = (
        f"{workload_team.rows[-1]['cells'][-1]} open tasks across "
        f"{len(teams)} team{'s' if len(teams) != 1 else ''} (or none)."
        if teams
        else "No open work."
    )
    add_chart(workload_team, 2, rows=range(len(teams)))
    tables["workload_team"] = workload_team
    case_teams = Counter(inputs.team_cases)
    raw["open_cases_team"] = dict(case_teams)
    team_labels = sorted(case_teams)
    open_cases_team = independent_counts_table(
        "open_cases_team",
        "Open cases by team (a case counts for each team with a member on its case team)",
        team_labels,
        [case_teams[t] for t in team_labels],
        "Team",
        "Open cases",
    )
    open_cases_team.summary = (
        "Open cases with a member of each team on the case team."
        if team_labels
        else "No open case has anyone on its case team."
    )
    open_cases_team.notes.append(
        "A case with members of several teams counts for each, so the counts have no total."
    )
    tables["open_cases_team"] = open_cases_team

    device_counts = Counter(
        age_band_days(working_days_between(day, as_of)) for day in inputs.devices_waiting
    )
    raw["devices_waiting"] = dict(device_counts)
    devices, _ = counts_table(
        "devices_waiting",
        "Devices waiting for examination, by working days since received",
        list(BACKLOG_AGE_BANDS),
        ["Devices"],
        [[device_counts.get(b, 0)] for b in BACKLOG_AGE_BANDS],
        column_totals=True,
        label_heading="Waiting",
    )
    devices.summary = f"{devices.rows[-1]['cells'][0]} devices waiting for examination."
    add_chart(devices, 0, rows=range(len(BACKLOG_AGE_BANDS)))
    tables["devices_waiting"] = devices

    # --- 14.3 outcomes ----------------------------------------------------------------------
    breach_by_q = Counter(
        quarter_of(month_of(r.breach_confirmed_on)) for r in records if r.breach_confirmed_on
    )
    raw["breaches"] = dict(breach_by_q)
    breaches, _ = counts_table(
        "breaches",
        "Breaches confirmed, by quarter",
        quarters,
        ["Breaches"],
        [[breach_by_q.get(q, 0)] for q in quarters],
        column_totals=True,
        label_heading="Quarter",
    )
    breaches.summary = f"{breaches.rows[-1]['cells'][0]} breaches confirmed in the last 8 quarters."
    tables["breaches"] = breaches

    people = []
    for r in records:
        if r.cautioned_on is not None:
            people.append((r.case_id, "Diverted (cautioned)", r.cautioned_on))
        elif r.prosecuted_on is not None:
            people.append((r.case_id, "Prosecuted", r.prosecuted_on))
    windows = follow_up(people, inputs.follow_up_events, as_of)
    raw["follow_up"] = [w.__dict__ for w in windows]
    body, labels = [], []
    for w in windows:
        labels.append(f"{w.cohort}, {w.years} year{'s' if w.years > 1 else ''}")
        body.append(
            [
                w.rearrested,
                w.followed_up - w.rearrested,
                w.reconvicted,
                w.followed_up - w.reconvicted,
                w.followed_up,
            ]
        )
    # Two equations per row: re-arrested + not = followed up; reconvicted + not = followed up.
    lines = []
    for i in range(len(body)):
        lines.append([((i, 0), 1), ((i, 1), 1), ((i, 4), -1)])
        lines.append([((i, 2), 1), ((i, 3), 1), ((i, 4), -1)])
    followup, published = counts_table(
        "follow_up",
        "Re-arrests and reconvictions within 1, 2 and 5 years of disposal",
        labels,
        ["Re-arrested", "Not re-arrested", "Reconvicted", "Not reconvicted", "Followed up"],
        body,
        lines=lines,
        total_cells={(i, 4) for i in range(len(body))},
        label_heading="Cohort and window",
    )
    for row, shown in zip(followup.rows, published, strict=True):
        row["cells"].append(fmt_rate(_ratio(shown[0], shown[4])))
        row["cells"].append(fmt_rate(_ratio(shown[2], shown[4])))
        row["values"] += [_ratio(shown[0], shown[4]), _ratio(shown[2], shown[4])]
    followup.columns += ["Re-arrest rate", "Reconviction rate"]
    followup.summary = (
        "Only people whose whole window has passed are counted; "
        + "; ".join(
            f"{row['label']}: {row['cells'][-1]} reconvicted"
            for row in followup.rows
            if row["values"][-1] is not None
        )
        + "."
        if windows
        else "Nobody has yet been followed up for a full year."
    )
    followup.notes.append(
        "As complete as the PNC checks recorded: a person with no recorded check counts as not "
        "re-arrested."
    )
    add_chart(followup, 6)
    tables["follow_up"] = followup

    kinds = sorted({kind for kind, _, _ in inputs.safeguarding_referrals})
    referral_counts = {kind: [0, 0] for kind in kinds}
    for kind, _, outcome_on in inputs.safeguarding_referrals:
        referral_counts[kind][0 if outcome_on is not None else 1] += 1
    raw["safeguarding_referrals"] = referral_counts
    safeguarding, _ = counts_table(
        "safeguarding_referrals",
        "Safeguarding referrals made, and whether their outcome is known",
        kinds,
        ["Outcome recorded", "Awaiting outcome"],
        [referral_counts[k] for k in kinds],
        row_totals=True,
        column_totals=True,
        label_heading="Referral to",
    )
    safeguarding.summary = f"{safeguarding.rows[-1]['cells'][-1]} safeguarding referrals made."
    add_chart(safeguarding, 2, rows=range(len(kinds)))
    tables["safeguarding_referrals"] = safeguarding

    ended = sum(1 for ended_on, _ in inputs.children if ended_on is not None)
    supervised = sum(1 for ended_on, sup in inputs.children if ended_on is None and sup is True)
    other = len(inputs.children) - ended - supervised
    raw["children"] = {"contact_ended": ended, "supervised": supervised, "other": other}
    children, _ = counts_table(
        "children",
        "Children identified as having contact with a person, and made safe",
        ["Children"],
        [
            "Contact ended",
            "Contact continues, supervised",
            "Contact continues, not supervised or not known",
        ],
        [[ended, supervised, other]],
        row_totals=True,
        label_heading="Who",
    )
    children.summary = (
        f"{children.rows[0]['cells'][-1]} children identified; contact ended for "
        f"{children.rows[0]['cells'][0]} and is supervised for {children.rows[0]['cells'][1]}."
    )
    children.notes.append(
        "Made safe = contact ended or supervised, as recorded by safeguarding (ChildAccess)."
    )
    tables["children"] = children

    # --- 14.5 equality monitoring -------------------------------------------------------------
    # The four tables end with the same total row (the outcomes of the same people): they are
    # suppressed together, so that no table's shown total reveals another's hidden cell.
    equality_bodies = {}
    for dimension in equality.DIMENSIONS:
        cats = list(equality.categories(dimension))
        grid: dict[str, Counter[str]] = {c: Counter() for c in cats}
        for r in records:
            value = r.age_at_referral if dimension == "age_band" else getattr(r, dimension)
            grid[equality.category(dimension, value)][r.outcome] += 1
        raw[f"equality_{dimension}"] = {c: dict(v) for c, v in grid.items()}
        equality_bodies[dimension] = [[grid[c].get(o, 0) for o in OUTCOMES] for c in cats]
    equality_hidden = dict(
        zip(
            equality_bodies,
            linked_hidden(
                list(equality_bodies.values()),
                width=len(OUTCOMES),
                row_totals=True,
                column_totals=True,
                shared_total_row=True,
            ),
            strict=True,
        )
    )
    for dimension, (heading, _) in equality.DIMENSIONS.items():
        cats = list(equality.categories(dimension))
        table, published = counts_table(
            f"equality_{dimension}",
            f"Outcomes by {heading.lower()}",
            cats,
            list(OUTCOMES.values()),
            equality_bodies[dimension],
            row_totals=True,
            column_totals=True,
            label_heading=heading,
            also_hidden=equality_hidden[dimension],
        )
        # Share prosecuted among decided cases, where published (disproportionality).
        for row, shown in zip(table.rows, published, strict=True):
            decided = None if None in shown[:3] else sum(int(v or 0) for v in shown[:3])
            share = _ratio(shown[1], decided)
            row["cells"].append(fmt_rate(share))
            row["values"].append(share)
        table.columns.append("Prosecuted among decided")
        table.summary = (
            f"Prosecuted among decided cases, by {heading.lower()}: "
            + "; ".join(
                f"{row['label']} {row['cells'][-1]}"
                for row in table.rows
                if row["values"][-1] is not None
            )
            + "."
        )
        add_chart(table, len(OUTCOMES), rows=range(len(cats)))
        tables[table.id] = table

    # --- 14.4 costs ------------------------------------------------------------------------------
    if inputs.costs is not None:
        # The people the scheme diverted, beside the same people prosecuted instead.
        scheme_people = [r for r in records if r.outcome == "diverted"]
        reached: Counter[str] = Counter()
        for r in scheme_people:
            reached["referrals"] += 1
            reached["devices_examined"] += r.devices_examined_on is not None
            reached["recommended"] += r.recommended_on is not None
            reached["cautioned"] += r.cautioned_on is not None
            reached["treatment_started"] += r.treatment_started_on is not None
        comparison = compare(reached, inputs.costs)
        raw["costs"] = comparison.__dict__ | {"counts": dict(reached)}
        small = comparison.people < 5

        def money(value):
            return "not published" if small else f"£{value:,.0f}"

        def hours(value):
            return "not published" if small else f"{value:,.0f}"

        tables["costs"] = Table(
            id="costs",
            title="Police time and cost: the scheme's cases beside the same people prosecuted",
            columns=["Route", "Officer hours", "Cost"],
            rows=[
                {
                    "label": "Through the scheme",
                    "cells": [hours(comparison.scheme_hours), money(comparison.scheme_cost)],
                    "values": [
                        None if small else comparison.scheme_hours,
                        None if small else comparison.scheme_cost,
                    ],
                },
                {
                    "label": "If prosecuted instead",
                    "cells": [
                        hours(comparison.prosecution_hours),
                        money(comparison.prosecution_cost),
                    ],
                    "values": [
                        None if small else comparison.prosecution_hours,
                        None if small else comparison.prosecution_cost,
                    ],
                },
                {
                    "label": "Difference (saved by the scheme)",
                    "cells": [hours(comparison.hours_saved), money(comparison.cost_saved)],
                    "values": [
                        None if small else comparison.hours_saved,
                        None if small else comparison.cost_saved,
                    ],
                },
            ],
            summary=(
                "Too few people to publish."
                if small
                else f"For the {comparison.people:,} people the scheme diverted, the model "
                f"estimates {comparison.hours_saved:,.0f} officer hours and "
                f"£{comparison.cost_saved:,.0f} saved. These rest on the assumed unit costs "
                "listed below."
            ),
            notes=[
                "ASSUMPTIONS: every unit cost is an assumption (listed below), awaiting the "
                "force's own figures."
            ],
        )
        add_chart(tables["costs"], 0, rows=[0, 1], unit=" hours")

    headline = {
        "referrals": referrals,
        "cautioned": totals["cautioned"],
        "prosecuted": totals["prosecuted"],
        "open_cases": backlog.rows[-1]["values"][-1],
        "devices_waiting": devices.rows[-1]["values"][0],
    }
    return {
        "as_of": as_of.isoformat(),
        "headline": headline,
        "tables": {key: table.as_dict() for key, table in tables.items()},
        "raw": raw,
    }


def _ratio(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator
