"""Each figure computed by hand on a small data set (issue 14 'Checked by')."""

from __future__ import annotations

import datetime as dt

from comeforward.statistics.domain import costs, equality, funnel, timing
from comeforward.statistics.domain.figures import Inputs, SlaStage, compute
from comeforward.statistics.domain.followup import anniversary, follow_up
from comeforward.statistics.domain.funnel import CaseRecord

D = dt.date


def test_working_days_between_matches_the_sla_calendar():
    # Fri 2026-12-18 → Tue 2026-12-29: Mon 21, Tue 22, Wed 23, Thu 24, [25, 28 bank holidays],
    # Tue 29 → 5 working days.
    assert timing.working_days_between(D(2026, 12, 18), D(2026, 12, 29)) == 5
    assert timing.working_days_between(D(2026, 12, 18), D(2026, 12, 18)) == 0
    from comeforward.cases.domain.working_days import add_working_days

    for n in range(0, 40):
        assert timing.working_days_between(D(2026, 3, 2), add_working_days(D(2026, 3, 2), n)) == n


def test_nearest_rank_percentiles_and_small_numbers():
    assert timing.nearest_rank([1, 2, 3, 4, 10], 50) == 3
    assert timing.nearest_rank([1, 2, 3, 4, 10], 90) == 10
    assert timing.nearest_rank(list(range(1, 21)), 90) == 18
    few = timing.stage_timing("Decision", [1, 2, 3, 4], 5)
    assert few.median is None and few.p90 is None and few.within_sla == 4
    enough = timing.stage_timing("Decision", [1, 2, 3, 6, 9], 5)
    assert (enough.median, enough.p90, enough.within_sla) == (3, 9, 3)


def test_follow_up_windows_count_only_complete_follow_up():
    people = [
        (1, "Diverted", D(2020, 1, 10)),  # 1, 2 and 5-year windows complete by 2026-01-10
        (2, "Diverted", D(2025, 6, 1)),  # only the 1-year window complete by 2026-06-01
        (3, "Prosecuted", D(2024, 2, 29)),
    ]
    events = {
        1: [("rearrest", D(2020, 6, 1)), ("reconviction", D(2023, 1, 1))],
        2: [("rearrest", D(2025, 6, 1))],  # on the disposal day: not after it
        3: [("reconviction", D(2025, 2, 28))],  # anniversary of 29 Feb is 28 Feb: counts
    }
    results = {(r.cohort, r.years): r for r in follow_up(people, events, D(2026, 6, 1))}
    assert results[("Diverted", 1)].followed_up == 2
    assert results[("Diverted", 1)].rearrested == 1
    assert results[("Diverted", 2)].followed_up == 1 and results[("Diverted", 2)].reconvicted == 0
    assert results[("Diverted", 5)].reconvicted == 1
    assert results[("Prosecuted", 1)].reconvicted == 1
    assert ("Prosecuted", 5) not in results
    assert anniversary(D(2024, 2, 29), 1) == D(2025, 2, 28)


def _case(n, **fields):
    base = dict(
        case_id=n,
        organisation_id=1,
        route="self_referral",
        state="closed",
        referred_on=D(2026, 1, 5),
        state_changed_on=D(2026, 6, 1),
    )
    base.update(fields)
    return CaseRecord(**base)


def _small_world():
    records = []
    # 12 cases referred in January 2026: 8 cautioned after an eligible recommendation,
    # 3 not eligible and prosecuted (rule R3), 1 still open.
    for n in range(8):
        records.append(
            _case(
                n,
                devices_examined_on=D(2026, 2, 1),
                recommended_on=D(2026, 3, 1),
                eligible=True,
                diverted_on=D(2026, 3, 2),
                cautioned_on=D(2026, 3, 9),
                treatment_started_on=D(2026, 4, 1) if n < 6 else None,
                treatment_completed_on=D(2026, 9, 1) if n < 5 else None,
                stage_days={"decision": (n + 1, D(2026, 3, 2))},
                age_at_referral=30 + n,
                sex="male",
            )
        )
    for n in range(8, 11):
        records.append(
            _case(
                n,
                devices_examined_on=D(2026, 2, 1),
                recommended_on=D(2026, 3, 1),
                eligible=False,
                ineligible_rules=("R3",),
                prosecuted_on=D(2026, 3, 20),
                stage_days={"decision": (10, D(2026, 3, 2))},
                age_at_referral=50,
                sex="male",
            )
        )
    records.append(
        _case(11, route="intelligence_lead", state="assessment", state_changed_on=D(2026, 11, 2))
    )
    enquiries = [(D(2026, 1, 2), True)] * 6 + [(D(2026, 1, 3), False)] * 4
    return records, enquiries


def test_funnel_and_conversion_by_hand():
    records, enquiries = _small_world()
    by_month = funnel.funnel_by_month(records, enquiries)
    jan = by_month["2026-01"]
    assert jan["enquiries"] == 10 and jan["came_forward"] == 6
    assert jan["referrals"] == 12 and jan["self_referrals"] == 11
    assert jan["devices_examined"] == 11 and jan["recommended"] == 11
    assert jan["eligible"] == 8 and jan["not_eligible"] == 3
    assert jan["cautioned"] == 8 and jan["treatment_started"] == 6
    assert jan["treatment_completed"] == 5 and jan["prosecuted"] == 3
    rates = funnel.conversion(jan)
    assert rates["came_forward"] == 0.6
    assert rates["eligible"] == 8 / 11
    assert rates["treatment_completed"] == 5 / 6
    reasons, criteria = funnel.leaving_reasons(records)
    assert reasons == {"not_eligible": 3}
    assert criteria == {"R3": 3}


def test_published_figures_by_hand():
    records, enquiries = _small_world()
    figures = compute(
        Inputs(
            as_of=D(2026, 12, 1),
            records=records,
            enquiries=enquiries,
            sla_stages=[SlaStage("decision", "Decision", 5)],
            open_states={"assessment": "Independent assessment"},
            open_tasks=[("Supervisor", D(2026, 11, 1))] * 6 + [("Supervisor", D(2026, 12, 5))] * 2,
            # The same 8 tasks by team: 5 overdue in North, 1 overdue and 2 not due with nobody.
            team_tasks=[("North", D(2026, 11, 1))] * 5
            + [("Not assigned to a person", D(2026, 11, 1))]
            + [("Not assigned to a person", D(2026, 12, 5))] * 2,
            team_cases=["North"] * 7 + ["No team"] * 2,
            costs=costs.load(),
        )
    )
    tables = figures["tables"]
    q = {row["label"]: row["cells"] for row in tables["funnel_quarter"]["rows"]}
    # 2026-Q1 is the 4th-from-last of the 8 quarters shown (2025-Q1 … 2026-Q4).
    assert tables["funnel_quarter"]["columns"][1:] == [
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
        "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "Total",
    ]  # fmt: skip
    assert q["Referrals (cases opened)"][4] == "12"
    assert q["Cautioned"][4] == "8"
    # Three prosecutions: fewer than 5, and its total is hidden too (secondary suppression).
    assert q["Referred for prosecution"][4] == "fewer than 5"
    assert q["Referred for prosecution"][-1] == "fewer than 5"
    # Zero in other quarters is also under 5.
    assert q["Cautioned"][0] == "fewer than 5"
    conversion = {row["label"]: row["cells"] for row in tables["conversion"]["rows"]}
    assert conversion["Came forward from an enquiry"][2] == "60%"
    assert conversion["Treatment completed"][2] == "83%"  # 5 of 6
    assert conversion["Not eligible"][2] == "not published"  # 3 is hidden
    timing_row = tables["timing"]["rows"][0]
    # decision days: 1..8 and 10, 10, 10 → 11 values; median = 6th = 6; p90 = ceil(9.9)=10th=10.
    assert timing_row["cells"][:4] == ["11", "5", "6", "10"]
    assert timing_row["cells"][4] == "5"  # within 5 days: 1..5
    workload = tables["workload"]["rows"]
    # 2 not yet due (hidden), 6 overdue, 8 in all: 8 − 6 would reveal the 2, so the 6 is
    # hidden too ("[c]", secondary suppression) and the total stays.
    assert workload[0]["cells"] == ["fewer than 5", "[c]", "8"]
    # By team, the same tasks: North 0 | 5 | 5; nobody 2 | 1 | 3; total 2 | 6 | 8. Only North's
    # 5 overdue and its total are 5 or more, and showing them would give nobody's 1 from the
    # overdue total — which the role table hid — so they are hidden too; the 8 is common.
    team = {row["label"]: row["cells"] for row in tables["workload_team"]["rows"]}
    assert team["Total"] == ["fewer than 5", "[c]", "8"]
    assert team["North"] == ["fewer than 5", "[c]", "[c]"]
    assert team["Not assigned to a person"] == ["fewer than 5"] * 3
    cases = {row["label"]: row["cells"] for row in tables["open_cases_team"]["rows"]}
    assert cases == {"North": ["7"], "No team": ["fewer than 5"]}
    # Costs for the 8 diverted: hours 8 × (6 + 8 + 4 + 2 + 2 + 2 × 6) = 272;
    # cost 272 × £48 + 8 × £650 + 6 treatments × £2,500 = £33,256; prosecuted: 8 × 98 hours.
    cost_rows = {row["label"]: row["cells"] for row in tables["costs"]["rows"]}
    assert cost_rows["Through the scheme"] == ["272", "£33,256"]
    assert cost_rows["If prosecuted instead"][0] == "784"
    sex = {row["label"]: row["cells"] for row in tables["equality_sex"]["rows"]}
    assert sex["Male"][0] == "8"  # diverted
    assert sex["Male"][1] == "fewer than 5"  # prosecuted (3)


def test_equality_categories():
    assert equality.age_band(17) == "Under 18"
    assert equality.age_band(24) == "18–24"
    assert equality.age_band(65) == "65 and over"
    assert equality.age_band(None) == equality.NOT_RECORDED
    assert equality.category("ethnicity", "") == equality.NOT_RECORDED
    assert equality.category("sex", "unknown-code") == equality.NOT_RECORDED


def test_cost_model_by_hand():
    model = costs.load()
    result = costs.compare(
        {"referrals": 10, "devices_examined": 10, "recommended": 10, "cautioned": 10,
         "treatment_started": 10},
        model,
    )  # fmt: skip
    # scheme hours per person: 6 + 8 + (4 + 2) + (2 + 2 × 6) = 34 → 340
    assert result.scheme_hours == 340
    # cost: 340 × 48 + 10 × 650 + 10 × 2500 = 16,320 + 6,500 + 25,000
    assert result.scheme_cost == 47_820
    # prosecution hours per person: 40 + 16 + 7 × 6 = 98 → 980
    assert result.prosecution_hours == 980
    sentence = 0.25 * 30000 + 0.35 * 3500 + 0.35 * 3000 + 0.05 * 500
    assert result.prosecution_cost == round(980 * 48 + 10 * (1500 + 4000 + sentence), 2)
