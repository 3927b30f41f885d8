"""The refresh reads the detailed records where they exist (not only the status history):
open tasks, exhibits waiting, safeguarding referrals and children, a caution's own date, a
recommendation's criteria. Each figure worked out by hand; and the pages' query count does not
grow with the data (they read one materialised row)."""

from __future__ import annotations

import datetime as dt

from comeforward.accounts.models import Team
from comeforward.cases.models import CaseTask, CaseTeamMember
from comeforward.exhibits.models import Exhibit
from comeforward.roles import Role
from comeforward.safeguarding.models import ChildAccess, SafeguardingReferral
from comeforward.statistics import selectors, services, sources
from tests.factories import CaseFactory

AS_OF = dt.date(2026, 11, 30)


def _at(day):
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def test_detailed_records_are_read(police_force, make_user):
    officer = make_user(Role.INVESTIGATOR)
    unit = Team.objects.create(organisation=police_force, name="Digital forensics unit")
    examiner = make_user(Role.FORENSIC_EXAMINER, team=unit)
    waiting = [
        CaseFactory(owning_organisation=police_force, state="devices_received") for _ in range(6)
    ]
    for n, case in enumerate(waiting):
        Exhibit.objects.create(
            case=case, reference="JS/1", kind="laptop", description="Laptop",
            storage_location="Store", recorded_by=officer,
            received_at=_at(dt.date(2026, 11, 23) if n < 5 else dt.date(2026, 6, 1)),
        )  # fmt: skip
        CaseTask.objects.create(
            case=case, kind="forensic_examination", label="Examine", assigned_role=Role.FORENSIC_EXAMINER,
            due=dt.date(2026, 11, 1) if n < 5 else dt.date(2026, 12, 20),
            assigned_user=examiner if n < 3 else None,
        )  # fmt: skip
        if n < 4:  # on the case team: the examiner (a team) or the investigator (no team)
            CaseTeamMember.objects.create(case=case, user=examiner if n < 3 else officer)
    for n in range(6):
        SafeguardingReferral.objects.create(
            case=waiting[n], kind="lado", made_on=dt.date(2026, 11, 2), made_by=officer,
            outcome_on=dt.date(2026, 11, 20) if n < 5 else None,
        )  # fmt: skip
    first = ChildAccess.objects.create(
        case=waiting[0], age_band="5_to_10", relationship="own_child", access_kind="household",
        supervised=None, recorded_by=officer,
    )  # fmt: skip
    ChildAccess.objects.create(  # supersedes the first: the first no longer counts
        case=waiting[0], age_band="5_to_10", relationship="own_child", access_kind="household",
        supervised=True, supersedes=first, recorded_by=officer,
    )  # fmt: skip
    inputs = sources.gather(police_force.pk, AS_OF)
    assert sorted(inputs.devices_waiting) == [dt.date(2026, 6, 1)] + [dt.date(2026, 11, 23)] * 5
    assert sorted(due for _, due in inputs.open_tasks)[0] == dt.date(2026, 11, 1)
    assert inputs.children == [(None, True)]
    services.figures_refresh(organisation_id=police_force.pk, as_of=AS_OF)
    figures = selectors.published_figures(make_user(Role.SUPERVISOR))
    devices = {r["label"]: r["cells"] for r in figures.tables["devices_waiting"].rows}
    # 23 Nov → 30 Nov: 5 working days (0–5 band); 1 Jun → 30 Nov: over 60.
    assert devices["0–5 days"] == ["5"]
    assert devices["over 60 days"] == ["fewer than 5"]
    assert devices["Total"] == ["6"]
    # 0 in the middle bands is also under 5: three hidden cells share the 1 left over, so no
    # secondary suppression is needed.
    assert devices["6–20 days"] == devices["21–60 days"] == ["fewer than 5"]
    workload = {r["label"]: r["cells"] for r in figures.tables["workload"].rows}
    # 1 not yet due (hidden), 5 overdue, 6 in all: the 5 would reveal the 1, so it is "[c]".
    assert workload["Digital forensic examiner"] == ["fewer than 5", "[c]", "6"]
    referrals = {r["label"]: r["cells"] for r in figures.tables["safeguarding_referrals"].rows}
    # 5 with an outcome, 1 awaiting (hidden), 6 made: the 5 is hidden too; the total stays.
    assert referrals["Local Authority Designated Officer (LADO)"] == ["[c]", "fewer than 5", "6"]
    raw = services.FiguresSnapshot.objects.get().data["raw"]
    assert raw["safeguarding_referrals"] == {"Local Authority Designated Officer (LADO)": [5, 1]}
    assert raw["workload"] == {"Digital forensic examiner": [1, 5]}
    # The same tasks by the assignee's team: 3 overdue with the unit; 2 overdue and 1 not yet
    # due assigned to nobody. Open cases by team: 3 with the unit's examiner, 1 with no team.
    assert raw["workload_team"] == {
        "Digital forensics unit": [0, 3],
        "Not assigned to a person": [1, 2],
    }
    assert raw["open_cases_team"] == {"Digital forensics unit": 3, "No team": 1}
    team = {r["label"]: r["cells"] for r in figures.tables["workload_team"].rows}
    assert team["Total"] == workload["Total"]  # the same tasks, suppressed together


def test_pages_read_one_row_whatever_the_data(
    police_force, make_user, sign_in, django_assert_max_num_queries
):
    for _ in range(30):
        CaseFactory(owning_organisation=police_force, state="assessment")
    services.figures_refresh(organisation_id=police_force.pk, as_of=AS_OF)
    client = sign_in(make_user(Role.SUPERVISOR))
    client.get("/statistics/")
    # 9: the session and user, the snapshot, and one indexed EXISTS on the audit chain for
    # "records have changed since" (the freshness line) — none grows with the data.
    with django_assert_max_num_queries(9):
        assert client.get("/statistics/").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/statistics/time").status_code == 200
